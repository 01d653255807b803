import Foundation
import GRDB
import Testing

/// A cell that commits a big dataset reports its commit's progress on standard error only: never on standard
/// output, never in the store.
@Suite struct CommitProgressCLITests {
    static let notebook = """
        # %% setup
        seed(3)
        task = VectorTask(dim: 4, prompts: 16, candidates: 8, contextual: false)
        policy = PolicyModel(input: 4, hidden: 8, output: 4)

        # %% feedback
        prefs = collect(task, policy: policy, annotator: BradleyTerry(noise: 0.05), pairs: 10000)
        print(prefs.count)

        """

    @Test func progressOfABigCommitGoesToStandardErrorOnly() throws {
        let cli = try CLI()
        defer { cli.remove() }
        // Plain lines at every update (a pipe is not a terminal, so no bar).
        let run = try cli(
            "run", try cli.write("big.rlhf", Self.notebook), environment: ["RLHF_PROGRESS_SECONDS": "0"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n").filter { $0.hasPrefix("progress: committing ") }
        // 10,000 rows hashed, then written: a line every 1,024 rows (the first only starts the clock), then the end.
        #expect(lines.count == 19)
        #expect(lines.last?.hasPrefix("progress: committing 20000/20000 (100%)") == true)
        #expect(lines.first?.hasPrefix("progress: committing 2048/20000 (10%)") == true)
        #expect(!run.stdout.contains("committing") && !run.stdout.contains("progress"))
        #expect(run.stdout.contains("10000"))
        let outputs = try DatabaseQueue(path: cli.store).read { db in
            try String.fetchAll(db, sql: "SELECT output FROM cells")
        }
        #expect(outputs.count == 2)
        #expect(outputs.allSatisfy { !$0.contains("committing") && !$0.contains("progress") })
    }

    @Test func noProgressWithoutTheEnvironmentOrWhenQuiet() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let path = try cli.write("big.rlhf", Self.notebook)
        let quiet = try cli("run", path, "--quiet", environment: ["RLHF_PROGRESS_SECONDS": "0"])
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(!quiet.stderr.contains("progress"))
    }
}
