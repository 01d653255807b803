import Foundation
import Testing

/// Where a run and its objects came from, as the CLI shows it: a replay names the run it replays (`runs`, `show`,
/// `runs --json`), `load()` leaves a version of the loading run's object noted with its source, so `log` shows it and
/// `rollback` returns the loaded state.
@Suite struct ProvenanceCLITests {
    static let make = """
        # %% make id=make
        seed(3)
        p = PolicyModel(input: 4, hidden: 8, output: 4)
        """

    static let loadAndTrain = """
        # %% load id=load
        q = load("1/p")
        # %% train id=train
        seed(5)
        task = VectorTask(dim: 4, prompts: 16, candidates: 8, test_prompts: 4, contextual: false)
        rm = RewardModel(input: 4, hidden: 8)
        f = finetune(q, rm, task, steps: 3, lr: 1e-2, kl: 0.1)
        # %% back id=back
        rollback(q, to: 1)
        """

    @Test func replaysNameTheRunTheyReplay() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write("make.rlhf", Self.make)
        #expect(try cli("run", nb).status == 0)
        #expect(try cli("replay", "1").status == 0)
        #expect(try cli("replay", "2").status == 0)

        let runs = try cli("runs")
        #expect(runs.status == 0, "\(runs.stderr)")
        #expect(runs.stdout.split(separator: "\n").first?.contains(" ORIGIN ") == true, "\(runs.stdout)")
        #expect(runs.stdout.contains("replay of 1"))
        #expect(runs.stdout.contains("replay of 2"))
        let stored = try cli("query", "--csv", "SELECT coalesce(replay_of, 0) AS r FROM runs ORDER BY id")
        #expect(stored.stdout == "r\n0\n1\n2\n")

        let show = try cli("show", "3")
        #expect(show.stdout.contains("\nreplay of run 2\n"), "\(show.stdout)")
        let json = try cli("runs", "--json")
        #expect(json.stdout.contains("\"replayOf\" : 1") || json.stdout.contains("\"replayOf\":1"), "\(json.stdout)")
    }

    @Test func listingsOfRunsOfTheirOwnHaveNoOriginColumn() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write("make.rlhf", Self.make)
        #expect(try cli("run", nb).status == 0)
        let runs = try cli("runs")
        #expect(!runs.stdout.contains("ORIGIN"), "\(runs.stdout)")
    }

    @Test func aLoadIsAVersionNotedWithItsSourceAndRollbackReturnsIt() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli("run", try cli.write("make.rlhf", Self.make)).status == 0)
        let run = try cli("run", try cli.write("load.rlhf", Self.loadAndTrain))
        #expect(run.status == 0, "\(run.stderr)")

        let log = try cli("log", "2/q")
        #expect(log.status == 0, "\(log.stderr)")
        let lines = log.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(log.stdout)")  // header, the load, the fine-tune, the rollback
        #expect(lines.dropFirst().first?.hasSuffix("loaded from 1/p@1") == true, "\(log.stdout)")
        let hashes = try cli(
            "query", "--csv",
            """
            SELECT v.content_hash FROM versions v JOIN objects o ON o.id = v.object_id
            WHERE (o.run_id = 1 AND o.name = 'p') OR (o.run_id = 2 AND o.name = 'q') ORDER BY o.run_id, v.version
            """
        ).stdout.split(separator: "\n").dropFirst().map(String.init)
        // 1/p@1, then 2/q@1 (loaded), @2 (trained), @3 (rolled back): the load and the rollback are the source's state.
        #expect(hashes.count == 4)
        #expect(hashes[1] == hashes[0] && hashes[3] == hashes[0] && hashes[2] != hashes[0], "\(hashes)")
        #expect(try cli("check").status == 0)
    }
}
