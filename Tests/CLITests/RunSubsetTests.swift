import Foundation
import Testing

@Suite struct RunSubsetTests {
    /// The latest content hash of `object` in `run`.
    private func latest(_ cli: CLI, _ run: Int, _ object: String) throws -> String {
        try cli.scalar(
            """
            SELECT v.content_hash FROM versions v JOIN objects o ON o.id = v.object_id
            WHERE o.run_id = \(run) AND o.name = '\(object)' ORDER BY v.version DESC LIMIT 1
            """)
    }

    @Test func cellsAndFromCellReuseTheCommittedStateBeforeThem() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write("small.rlhf", smallNotebook)
        #expect(try cli("run", nb, "--quiet").status == 0)

        // Only the fine-tune, from the state run 1 committed after its reward cell: bitwise run 1's policy.
        let subset = try cli("run", nb, "--cells", "finetune")
        #expect(subset.status == 0, "\(subset.stderr)")
        #expect(subset.stdout.contains("running cells of run 1 at cell 4; cells 1–3 restored from its commits"))
        #expect(subset.stdout.contains("run 2 succeeded: 1 cell committed"))
        #expect(try latest(cli, 2, "policy") == latest(cli, 1, "policy"))
        #expect(try cli.scalar("SELECT group_concat(ordinal) FROM cells WHERE run_id = 2") == "4")
        #expect(try cli.scalar("SELECT parent_run || ':' || resumed_at_cell FROM runs WHERE id = 2") == "1:4")

        #expect(try cli("show", "2").stdout.contains("\ncontinues run 1 from cell 4\n"))

        // Resume by id from a succeeded run: the rest of the notebook, ending where run 1 ended.
        let resumed = try cli("run", nb, "--resume", "1", "--from-cell", "reward")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try cli.scalar("SELECT group_concat(ordinal, ' ') FROM cells WHERE run_id = 3") == "3 4 5")
        for name in ["policy", "rm", "prefs"] {
            #expect(try latest(cli, 3, name) == latest(cli, 1, name))
        }
        // Replaying a child run starts from the same state of its parent, and verifies bit for bit.
        let replay = try cli("replay", "3", "--verify", "--quiet")
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.hasPrefix("run 4 replays run 3\nverified: "))
        #expect(
            try cli("run", nb, "--resume", "1").stderr
                == "error: cannot resume run 1: it succeeded; pass --from-cell K to run it again from cell K\n")
        #expect(try cli("run", nb, "--cells", "nope").stderr.hasPrefix("error: no cell 'nope' in "))
        #expect(try cli("run", nb, "--from-cell", "2").stderr.contains("--from-cell needs --resume RUN"))
    }

    /// A resumed run killed before its first cell lists as interrupted before the cell it resumed at, resuming it
    /// again starts there with the state it restored, and only its own notebook may resume it.
    @Test func aResumedRunKilledBeforeItsFirstCellResumesThere() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let cells = ["# %% a id=a\nn = 1", "# %% b id=b\nn = n + 1"]
        func notebook(_ last: String) throws -> String {
            try cli.write("nb.rlhf", (cells + ["# %% c id=c\n" + last]).joined(separator: "\n") + "\n")
        }
        let nb = try notebook("print(nope)")
        #expect(try cli("run", nb, "--quiet").status == 1)

        _ = try notebook("print(\"started\")\nwhile true { n = n + 1 }")
        let printed = cli.folder.appendingPathComponent("out.txt")
        #expect(FileManager.default.createFile(atPath: printed.path, contents: nil))
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["run", nb, "--resume", "1", "--store", cli.store]
        process.standardOutput = try FileHandle(forWritingTo: printed)
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && !((try? String(contentsOf: printed, encoding: .utf8)) ?? "").contains("started") {
            Thread.sleep(forTimeInterval: 0.02)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let runs = try cli("runs")
        #expect(runs.stdout.contains("interrupted before cell 3"), "\(runs.stdout)")

        let other = try cli.write("other.rlhf", "# %% a id=a\nn = 1\n# %% b id=b\nprint(n)\n")
        let refused = try cli("run", other, "--resume", "2")
        #expect(refused.status == 1)
        #expect(
            refused.stderr == "error: cannot resume run 2: it ran '\(nb)', not '\(other)'; resume it with its own "
                + "notebook\n")

        _ = try notebook("print(n)")
        let resumed = try cli("run", nb, "--resume", "2")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("resuming run 2 at cell 3; cells 1–2 restored from its commits\n"))
        #expect(resumed.stdout.contains("\n2\n"), "\(resumed.stdout)")
    }
}
