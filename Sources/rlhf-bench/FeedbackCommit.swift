import Alignment
import Engine
import Foundation
import Models
import Store

/// P12: a preference dataset of `pairs` rows committed in one cell, as a notebook's
/// `prefs = collect(task, policy: policy, annotator: BradleyTerry(noise: 0.05), pairs: 100000)` commits it.
enum FeedbackCommit {
    struct Figures {
        /// Rows per second from the `LabStore.commit` call to its return (encoding, hashing, writing, chaining).
        var rowsPerSecond: Double
        /// Seconds `collect` took to draw and judge the pairs (before the commit).
        var collectSeconds: Double
        /// Rows per second re-committing the same rows: encoding, hashing and comparing with the alive rows, no write.
        /// The first commit's time less this one's is about what writing the rows and their chain digests costs.
        var unchangedRowsPerSecond: Double
    }

    /// The quickstart's task, policy and annotator at dim 100; rows converted as the notebook's `Preferences` type
    /// converts them (vector rows, config `{"dim":100}`), then committed to a fresh store `repeats` times.
    static func measure(folder: URL, pairs: Int, repeats: Int) throws -> Figures {
        var rng = RNG(seed: 42)
        let task = try VectorTask(dim: 100, prompts: 256, candidates: 64, seed: 42)
        let policy = PolicyModel(input: 100, hidden: 64, output: 100, rng: &rng)
        let annotator = try Annotator(bradleyTerryNoise: 0.05)
        var dataset = PreferenceDataset()
        let collectSeconds = try medianSeconds(1) {
            dataset = try collect(task: task, policy: policy, annotator: annotator, pairs: pairs, rng: &rng)
        }
        let rows = dataset.rows.map { pair in
            FeedbackRow(
                uid: pair.uid, prompt: pair.prompt, chosen: pair.chosen, rejected: pair.rejected,
                annotator: pair.annotator, seed: pair.seed)
        }
        var attempt = 0
        var last: (store: LabStore, run: Int64)?
        func commit(_ store: LabStore, _ run: Int64, ordinal: Int) throws -> CommitSummary {
            try store.commit(
                run: run,
                CellCommit(
                    cell: CellRecord(ordinal: ordinal, key: "feedback\(ordinal)", title: "", source: ""), output: "",
                    durationMs: 0,
                    objects: [("prefs", .dataset(kind: "preferences", config: "{\"dim\":100}", rows: rows))],
                    bindings: [("prefs", .object(name: "prefs"))]))
        }
        let seconds = try medianSeconds(repeats) {
            attempt += 1
            let store = try LabStore(path: folder.appendingPathComponent("p12-\(attempt).sqlite").path)
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            let summary = try commit(store, run, ordinal: 1)
            guard summary.feedbackRows == pairs else {
                throw BenchError.failed("P12 committed \(summary.feedbackRows) rows, not \(pairs)")
            }
            last = (store, run)
        }
        guard let last else { throw BenchError.failed("P12 made no store") }
        var ordinal = 1
        let unchanged = try medianSeconds(repeats) {
            ordinal += 1
            guard try commit(last.store, last.run, ordinal: ordinal).feedbackRows == 0 else {
                throw BenchError.failed("P12's unchanged re-commit added rows")
            }
        }
        return Figures(
            rowsPerSecond: Double(pairs) / seconds, collectSeconds: collectSeconds,
            unchangedRowsPerSecond: Double(pairs) / unchanged)
    }

    /// A two-cell notebook: the quickstart's setup, then one cell that collects `pairs` preferences.
    static func notebook(pairs: Int) -> String {
        """
        # %% setup
        seed(42)
        task = VectorTask(dim: 100, prompts: 256, candidates: 64)
        policy = PolicyModel(input: 100, hidden: 64, output: 100)

        # %% feedback
        prefs = collect(task, policy: policy, annotator: BradleyTerry(noise: 0.05), pairs: \(pairs))

        """
    }
}

extension Bench {
    mutating func feedbackCommit() throws {
        guard wanted("P12") else { return }
        say("P12 feedback commit…")
        let pairs = 100_000
        let ours = try FeedbackCommit.measure(folder: folder, pairs: pairs, repeats: quick ? 1 : 3)
        let peer = Processes.peer(
            "sqlite_feedback.py", [folder.appendingPathComponent("p12-peer.sqlite").path, "\(pairs)", "100"])
        figures.append(
            Figure(
                workload: "P12 feedback rows committed in one cell", ours: ours.rowsPerSecond, unit: "rows/s",
                peer: peer?["rows_per_s"].map { ("raw SQLite (Python)", $0) }, target: .atLeast(500_000)))
        figures.append(
            Figure(
                workload: "P12 re-commit of the same rows (hash and compare, no write)",
                ours: ours.unchangedRowsPerSecond, unit: "rows/s", peer: nil, target: .none))
        figures.append(
            Figure(
                workload: "P12 collect of 100,000 pairs (before the commit)", ours: ours.collectSeconds, unit: "s",
                peer: nil, target: .none))
        // What the user waits for: the setup cell and the collect cell, committed, by `rlhf run` (minus the setup alone).
        guard FileManager.default.fileExists(atPath: Processes.rlhf.path) else {
            return say("P12: no rlhf beside rlhf-bench (`swift build -c release --product rlhf`): end to end skipped")
        }
        let withFeedback = folder.appendingPathComponent("p12-collect.rlhf").path
        let setupOnly = folder.appendingPathComponent("p12-setup.rlhf").path
        try FeedbackCommit.notebook(pairs: pairs).write(toFile: withFeedback, atomically: true, encoding: .utf8)
        try FeedbackCommit.notebook(pairs: pairs).components(separatedBy: "# %% feedback")[0]
            .write(toFile: setupOnly, atomically: true, encoding: .utf8)
        var stores = 0
        func run(_ notebook: String) throws -> Double {
            stores += 1
            let store = folder.appendingPathComponent("p12-run-\(stores).sqlite").path
            return try Processes.rlhfMilliseconds(["run", notebook, "--quiet", "--store", store], repeats: 1)
        }
        let whole = try run(withFeedback)
        let setup = try run(setupOnly)
        figures.append(
            Figure(
                workload: "P12 collect cell of 100,000 pairs end to end (`rlhf run`)", ours: (whole - setup) / 1000,
                unit: "s", peer: nil, target: .none))
    }
}
