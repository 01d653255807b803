import Foundation
import Testing

/// `rlhf sweep` runs a grid × seeds as parallel `rlhf run` processes on one store and resumes where it stopped;
/// `rlhf compare` summarises each point over its seeds.
@Suite struct SweepCLITests {
    /// gold = 10·kl + seed, so each point's values over seeds 1–3 are known: kl=0 → 1, 2, 3; kl=1 → 11, 12, 13.
    static let notebook = """
        # %% parameters
        kl = 0
        run_seed = 1
        # %% train
        seed(run_seed)
        log_metric("gold", 10 * kl + run_seed)
        log_metric("loss", 1)
        """

    @Test func aSweepRunsItsGridResumesAndCompares() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write("nb.rlhf", Self.notebook)
        let sweep = try cli("sweep", nb, "--param", "kl=0,1", "--seeds", "3", "--jobs", "2")
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect(sweep.stdout.hasPrefix("sweep 1 · \(nb) · 2 points × 3 seeds = 6 runs · 0 done, 6 to run"))
        #expect(sweep.stdout.contains("sweep 1: 6 of 6 runs succeeded"))
        #expect(
            try cli.scalar(
                "SELECT count(*) FROM sweep_runs s JOIN runs r ON r.id = s.run_id WHERE r.status = 'succeeded'") == "6")
        #expect(
            try cli("query", "SELECT point, seed FROM sweep_runs ORDER BY point, seed", "--csv").stdout
                == "point,seed\n0,1\n0,2\n0,3\n1,1\n1,2\n1,3\n")
        // Each run's parameters are its point and seed.
        #expect(
            try cli.scalar(
                "SELECT r.parameters FROM runs r JOIN sweep_runs s ON s.run_id = r.id WHERE s.point = 1 AND s.seed = 2")
                == #""{""kl"": 1, ""run_seed"": 2}""#)

        // Values 1, 2, 3: mean 2, s = 1, half-width t(0.975, 2)/√3 = 4.302652729749462/√3 = 2.48414 (6 figures).
        let table = try cli("compare", "--sweep", "1")
        #expect(table.status == 0, "\(table.stderr)")
        let rows = table.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(
            rows.map { $0.joined(separator: " ") } == [
                "POINT kl N gold loss", "1 0 3 2 ± 2.48414 1 ± 0", "2 1 3 12 ± 2.48414 1 ± 0",
            ])
        let csv = try cli("compare", "--sweep", "1", "--csv", "--metric", "gold")
        let half = 4.302652729749462 / 3.0.squareRoot()
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0] == "kl,n,gold_mean,gold_low,gold_high")
        let fields = lines.dropFirst().first.map { $0.split(separator: ",").map { Double($0) ?? .nan } } ?? []
        #expect(fields.count == 5)
        if fields.count == 5 {
            #expect(fields[0] == 0 && fields[1] == 3 && fields[2] == 2)
            #expect(abs(fields[3] - (2 - half)) < 1e-9 && abs(fields[4] - (2 + half)) < 1e-9)
        }
        let json = try cli("compare", "--sweep", "1", "--json")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let groups = object?["groups"] as? [[String: Any]]
        #expect((groups?.first?["runs"] as? [Int])?.count == 3)

        // Runs given by id group by their parameters other than seed, as the sweep does.
        let byRuns = try cli("compare", "1", "2", "3", "4", "5", "6", "--metric", "gold")
        #expect(
            byRuns.stdout.split(separator: "\n").dropFirst().first?.split(separator: " ").joined(separator: " ")
                == "1 0 3 2 ± 2.48414")

        // Run again: nothing to do. A failed run and a run never started are run again, and nothing else.
        let again = try cli("sweep", nb, "--param", "kl=0,1", "--seeds", "3")
        #expect(
            again.status == 0
                && again.stdout.hasPrefix("resuming sweep 1 · \(nb) · 2 points × 3 seeds = 6 runs · 6 done, 0 to run"))
        _ = try cli("query", "SELECT 1")  // the store is readable between writers
        try Self.sql(
            cli.store,
            """
            UPDATE runs SET status = 'failed' WHERE id = (SELECT run_id FROM sweep_runs WHERE point = 0 AND seed = 2);
            DELETE FROM sweep_runs WHERE point = 1 AND seed = 3;
            """)
        let resumed = try cli("sweep", nb, "--param", "kl=0,1", "--seeds", "3", "--jobs", "2")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("4 done, 2 to run"))
        #expect(resumed.stdout.contains("kl=0 seed 2: succeeded") && resumed.stdout.contains("kl=1 seed 3: succeeded"))
        #expect(try cli.scalar("SELECT count(*) FROM runs") == "8")
        let after = try cli("compare", "--sweep", "1", "--metric", "gold")
        #expect(after.stdout.contains("2 ± 2.48414") && after.stdout.contains("12 ± 2.48414"))

        // The report of the sweep: the comparison table, one chart per metric (mean and interval ends over the
        // points), every run with its point, seed and status.
        let report = try cli("report", "--sweep", "1", "-o", "sweep.html")
        #expect(
            report.status == 0 && report.stdout == "wrote sweep.html (2 rows, 2 charts, 7 runs)\n", "\(report.stderr)")
        let page = try String(contentsOf: cli.folder.appendingPathComponent("sweep.html"), encoding: .utf8)
        #expect(
            page.contains("<td class=\"num\">2 ± 2.48414</td>") && page.contains("<td class=\"num\">12 ± 2.48414</td>"))
        #expect(page.components(separatedBy: "<svg").count == 3 && page.contains("95% high"))
        #expect(page.components(separatedBy: "<td class=\"status failed\">").count == 2)
        let reportOfRuns = try cli("report", "1", "3", "-o", "runs.html")
        #expect(
            reportOfRuns.status == 0 && reportOfRuns.stdout.hasPrefix("wrote runs.html ("), "\(reportOfRuns.stderr)")

        // An edited notebook is a new sweep.
        try (Self.notebook + "\n").write(toFile: nb, atomically: true, encoding: .utf8)
        let edited = try cli("sweep", nb, "--param", "kl=0", "--seeds", "1")
        #expect(edited.stdout.hasPrefix("sweep 2 ·"), "\(edited.stdout)")
    }

    /// `plot.sweep` in a later notebook draws each point's mean by step with its interval: gold is 10·kl + seed·step
    /// at steps 1 and 2, so kl=0 has means 2 and 4 and kl=1 means 12 and 14 over seeds 1–3.
    @Test func plotSweepDrawsEachPointsMeanWithItsInterval() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write(
            "nb.rlhf",
            """
            # %% parameters
            kl = 0
            run_seed = 1
            # %% train
            for step in [1, 2] {
                log_metric("gold", 10 * kl + run_seed * step, step: step)
            }
            """)
        #expect(try cli("sweep", nb, "--param", "kl=0,1", "--seeds", "3").status == 0)
        let plot = try cli.write("plot.rlhf", "plot.sweep(1, \"gold\")\n")
        let run = try cli("run", plot)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("gold over sweep 1"))
        #expect(run.stdout.contains("● kl=0 (n=3)   ■ kl=1 (n=3)") && run.stdout.contains("· 95% interval"))
        // One shaded band per point in the stored SVG.
        let bands = try cli.scalar(
            """
            SELECT (length(t) - length(replace(t, 'class="band"', ''))) / length('class="band"') FROM
            (SELECT CAST(b.data AS TEXT) AS t FROM artifacts a JOIN blobs b ON b.hash = a.blob_hash
             WHERE a.name = 'gold-over-sweep-1.svg')
            """)
        #expect(bands == "2")
        for (source, message) in [
            (
                "plot.sweep(9, \"gold\")",
                "plot.rlhf:1:12: error: plot.sweep(): argument 'sweep' unknown sweep '9' (latest is 1)"
            ),
            (
                "plot.sweep(1, \"nothing\")",
                "plot.rlhf:1:15: error: plot.sweep(): argument 'metric' names a metric no succeeded run of sweep 1 logged: 'nothing'"
            ),
        ] {
            let bad = try cli("run", try cli.write("plot.rlhf", source + "\n"))
            #expect(bad.status != 0 && bad.stderr.contains(message), "\(bad.stderr)")
        }
    }

    @Test func aFailingRunIsReportedAndTheRestRun() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write(
            "nb.rlhf",
            """
            # %% parameters
            kl = 0
            # %% train
            log_metric("gold", 1 / kl)
            """)
        let sweep = try cli("sweep", nb, "--param", "kl=0,2")
        #expect(sweep.status == 1)
        #expect(sweep.stdout.contains("[1/2] kl=0: failed: ") && sweep.stdout.contains("[2/2] kl=2: succeeded"))
        #expect(sweep.stdout.contains("sweep 1: 1 of 2 runs succeeded"))
        let table = try cli("compare", "--sweep", "1")
        #expect(
            table.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") } == [
                "POINT kl N gold", "1 0 0 -", "2 2 1 0.5",
            ])
    }

    /// SIGTERM to the sweep reaches the running runs (in process groups of their own): each is recorded cancelled,
    /// no further run starts, the sweep exits 143, and running the command again runs what is left.
    @Test func aSignalCancelsTheRunningRunsAndTheSweepResumes() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write(
            "nb.rlhf",
            """
            # %% parameters
            n = 0
            # %% long
            while n >= 0 { n = n + 1 }
            """)
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["sweep", nb, "--param", "n=0,1,2", "--jobs", "2", "--store", cli.store]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline,
            (try? cli.scalar("SELECT count(*) FROM runs WHERE status = 'running'")) != "2"
        {
            Thread.sleep(forTimeInterval: 0.05)
        }
        // A run's row exists a moment before its signal handlers do; let both reach their long cell.
        Thread.sleep(forTimeInterval: 0.5)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 143)
        #expect(
            try cli.scalar("SELECT group_concat(status, ' ') FROM (SELECT status FROM runs ORDER BY id)")
                == "cancelled cancelled")
        #expect(try cli.scalar("SELECT count(*) FROM sweep_runs") == "2")
        // The cancelled points run again, and the third for the first time (killed at once here: they never end).
        let again = Process()
        again.executableURL = CLI.executable
        again.arguments = ["sweep", nb, "--param", "n=0,1,2", "--store", cli.store]
        let out = Pipe()
        again.standardOutput = out
        again.standardError = FileHandle.nullDevice
        try again.run()
        let resumed = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        kill(again.processIdentifier, SIGTERM)
        again.waitUntilExit()
        #expect(resumed.hasPrefix("resuming sweep 1 · \(nb) · 3 points = 3 runs · 0 done, 3 to run"), "\(resumed)")
    }

    static func sql(_ path: String, _ statements: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", path, statements]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
