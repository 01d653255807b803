import Foundation
import Testing

/// The quickstart's shape at a size a test runs in a moment.
let smallNotebook = """
    # %% [markdown]
    # # A small run
    # %% setup id=setup
    seed(5)
    task = VectorTask(dim: 8, prompts: 32, candidates: 16, test_prompts: 20, contextual: false)
    policy = PolicyModel(input: 8, hidden: 8, output: 8)
    rm = RewardModel(input: 8, hidden: 8)
    # %% feedback id=feedback
    prefs = collect(task, policy: policy, annotator: BradleyTerry(noise: 0.05), pairs: 150)
    print("pairs:", prefs.count)
    # %% reward id=reward
    r = fit(rm, prefs, epochs: 4, lr: 1e-2, batch: 16)
    # %% finetune id=finetune
    finetune(policy, rm, task, steps: 30, lr: 1e-2, kl: 0.5)
    # %% noop id=noop
    same = policy
    """

@Suite struct CLITests {
    @Test func runListShowLogDiffRollbackQuery() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write("small.rlhf", smallNotebook)

        let run = try cli("run", nb)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("── [2/5] feedback ──") && run.stdout.contains("pairs: 150"))
        #expect(run.stdout.contains("run 1 succeeded: 5 cells committed"))

        let runs = try cli("runs", "--json")
        let list = try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]]
        #expect(list?.count == 1)
        #expect(list?.first?["status"] as? String == "succeeded")
        #expect(list?.first?["id"] as? Int == 1)

        let show = try cli("show", "1", "--json")
        let detail = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
        #expect(
            (detail?["cells"] as? [[String: Any]])?.map { $0["key"] as? String } == [
                "setup", "feedback", "reward", "finetune", "noop",
            ])

        // One policy version per fine-tune, one rm version per fit; the copy in `noop` wrote no bytes.
        let log = try cli("log", "1/policy")
        #expect(log.status == 0)
        #expect(log.stdout.contains("v1") && log.stdout.contains("v2") && !log.stdout.contains("v3"))
        let same = try cli("log", "1/same")
        #expect(same.stdout.contains("5:noop") && same.stdout.contains("0 B"))
        #expect(
            try cli.scalar("SELECT count(*) FROM versions v JOIN objects o ON o.id = v.object_id WHERE o.name = 'rm'")
                == "2")
        #expect(try cli.scalar("SELECT count(*) FROM feedback") == "150")
        #expect(try cli.scalar("SELECT count(*) FROM metrics WHERE name = 'rm.loss'") == "4")

        let diff = try cli("diff", "1/policy@1", "1/policy@2")
        #expect(diff.status == 0)
        #expect(diff.stdout.contains("layer1.weight") && diff.stdout.contains("changed"))
        let diffJSON = try cli("diff", "1/policy@1", "1/policy@2", "--json")
        let d = try JSONSerialization.jsonObject(with: Data(diffJSON.stdout.utf8)) as? [String: Any]
        let tensors = d?["tensors"] as? [[String: Any]] ?? []
        let w = tensors.first { $0["name"] as? String == "layer1.weight" }
        #expect(w?["status"] as? String == "changed" && (w?["l2"] as? Double ?? 0) > 0)

        let rollback = try cli("rollback", "1/policy", "--to", "1")
        #expect(rollback.status == 0, "\(rollback.stderr)")
        let hashes = try cli(
            "query",
            "SELECT v.version, v.content_hash FROM versions v JOIN objects o ON o.id = v.object_id WHERE o.name = 'policy' ORDER BY v.version",
            "--csv")
        let rows = hashes.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(rows.count == 3)
        #expect(rows.last?[1] == rows.first?[1])
    }

    @Test(arguments: [
        "DELETE FROM runs", "DROP TABLE metric_points", "UPDATE runs SET status = 'x'", "PRAGMA journal_mode=DELETE",
    ])
    func queryRefusesWritesAndLeavesTheStoreUnchanged(sql: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli("run", try cli.write("small.rlhf", smallNotebook))
        let before = try cli(
            "query", "SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM metrics), (SELECT count(*) FROM blobs)",
            "--csv"
        ).stdout
        let r = try cli("query", sql)
        #expect(r.status != 0)
        #expect(r.stderr.hasPrefix("error: `rlhf query` is read-only"))
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(
            try cli(
                "query",
                "SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM metrics), (SELECT count(*) FROM blobs)",
                "--csv"
            ).stdout == before)
    }

    @Test func aFailingThirdCellStopsTheRunWithALocatedError() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write(
            "broken.rlhf",
            """
            # %% one
            seed(1)
            task = VectorTask(dim: 4, prompts: 8, candidates: 4, test_prompts: 4, contextual: false)
            # %% two
            rm = RewardModel(input: 4, hidden: 4)
            # %% three
            prefs = collect(task, annotator: Coin(), pairs: 10)
            fit(rm, prefs, epochs: 2, learning_rate: 0.1)
            # %% four
            print("never")
            """)
        let r = try cli("run", nb)
        #expect(r.status == 1)
        #expect(r.stderr.contains("broken.rlhf:8:27: error: unknown argument 'learning_rate' to fit()"))
        #expect(!r.stdout.contains("never"))
        #expect(
            try cli.scalar("SELECT group_concat(status, ' ') FROM (SELECT status FROM cells ORDER BY ordinal)")
                == "ok ok failed")
        #expect(try cli.scalar("SELECT count(*) FROM commits") == "2")
        #expect(try cli.scalar("SELECT count(*) FROM feedback") == "0")
        #expect(try cli.scalar("SELECT status FROM runs") == "failed")
    }

    @Test func syntaxErrorsAreAllReportedAndNothingRuns() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write("syntax.rlhf", "# %% a\nx = (1 +\n# %% b\nprint(\"ok\")\n# %% c\ny = ]\n")
        let r = try cli("run", nb)
        #expect(r.status == 1)
        let errors = r.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors.count == 2)
        #expect(errors.first?.hasPrefix("\(nb):2:") == true && errors.last?.hasPrefix("\(nb):6:") == true)
        #expect(!FileManager.default.fileExists(atPath: cli.store))
    }

    @Test(
        arguments: [
            (["show", "42"], "error: unknown run '42'"),
            (["log", "1/nothing"], "error: run 1 has no object 'nothing'"),
            (["log", "policy"], "error:"),
            (["diff", "1/policy@1", "1/policy@9"], "error: policy has no version 9 in run 1"),
            (["rollback", "1/policy", "--to", "7"], "error: policy has no version 7 in run 1"),
            (["run", "missing.rlhf"], "error: cannot read notebook 'missing.rlhf'"),
        ] as [([String], String)])
    func badArgumentsGetOneClearLine(arguments: [String], expected: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli("run", try cli.write("small.rlhf", smallNotebook))
        let countsBefore = try cli.scalar(
            "SELECT (SELECT count(*) FROM versions) || '/' || (SELECT count(*) FROM runs)")
        let process = try cli.run(arguments)
        #expect(process.status != 0)
        #expect(process.stderr.hasPrefix(expected), "\(process.stderr)")
        #expect(!process.stderr.contains("Fatal error") && !process.stderr.contains("Stack dump"))
        #expect(
            try cli.scalar("SELECT (SELECT count(*) FROM versions) || '/' || (SELECT count(*) FROM runs)")
                == countsBefore)
    }

    @Test func aCorruptStoreIsReportedNotCrashedOn() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try garbage.write(to: URL(fileURLWithPath: cli.store))
        for arguments in [["runs"], ["query", "SELECT 1"], ["run", try cli.write("small.rlhf", smallNotebook)]] {
            let r = try cli.run(arguments)
            #expect(r.status != 0)
            #expect(r.stderr.hasPrefix("error: ") && r.stderr.contains(cli.store), "\(r.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.store)) == garbage)
    }

    @Test func shellReadsPipedInputPlainly() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let r = try cli(stdin: "x = 20\nprint(x + 1)\nxs = [1,\n 2]\nprint(len(xs))\n:quit\n")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "21\n2\n")
        #expect(try cli.scalar("SELECT count(*) FROM cells") == "4")
        #expect(try cli.scalar("SELECT status FROM runs") == "succeeded")
    }

    @Test func shellReportsAFailingInputAndCarriesOn() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let r = try cli(stdin: "y = 1\nprint(yy)\nprint(y)\n")
        #expect(r.stdout == "1\n")
        #expect(r.status == 1)
        #expect(r.stderr.contains("<shell>:2:7: error: undefined variable 'yy'; did you mean 'y'?"))
        #expect(
            try cli.scalar("SELECT group_concat(status, ' ') FROM (SELECT status FROM cells ORDER BY ordinal)")
                == "ok failed ok")
    }

    @Test func helpIsFast() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let r = try cli("--help", withStore: false)
        #expect(r.status == 0)
        for command in ["run", "runs", "show", "log", "diff", "rollback", "query"] {
            #expect(r.stdout.contains("  \(command) "))
        }
    }
}
