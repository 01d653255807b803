import Testing

/// One bad input and what `rlhf` must do with it: exit with `exit`, print a line of standard error that contains
/// `error` (and `error:`), never crash or print a stack trace, leave the store as `store` says, and create no file or
/// folder in the case's folder other than the store's own (`lab.sqlite-wal`, `-shm`, `-runs`): no report or chart
/// folder, no lock file beside a file that is not a store, no folder on the way to a store that does not exist.
///
/// Arguments, standard input and environment values may name `{store}` (the case's store, seeded with one finished
/// run of ``BadInputCorpus/seedNotebook``) and `{dir}` (the case's own folder, the working directory).
struct BadInputCase: Sendable, CustomTestStringConvertible {
    /// What the store must look like after the case.
    enum StoreExpectation: Sendable {
        /// Every row of every table as before (the command wrote nothing).
        case unchanged
        /// A run may have been added with failed or cancelled cells, but no commit, version, blob, binding, metric,
        /// feedback row or artifact was added, and every row that existed before is as it was.
        case noNewCommit
        /// No store file (and no lock file beside it) exists after the case; the case starts without a store.
        case absent
    }

    /// A unique name, `area/what`.
    var name: String
    var arguments: [String]
    /// Files written into the case's folder before it runs (relative path → bytes).
    var files: [String: [UInt8]] = [:]
    var stdin: String? = nil
    var exit: Int32
    /// Text one line of standard error must contain; that line must also contain `error:`.
    var error: String
    var store: StoreExpectation = .unchanged
    var environment: [String: String] = [:]
    /// Seconds before the case counts as hung and is killed.
    var timeout: Double = 60
    /// SQL run on the case's store before the command (foreign keys off): a newer, damaged or tampered store.
    var setupSQL: String? = nil
    /// Files (may name `{dir}` and `{store}`) that must not exist after the case, e.g. a lock file beside a text file.
    var mustNotExist: [String] = []

    var testDescription: String { name }

    /// `rlhf ARGS… --store {store}` (the store option is added unless `store` is `.absent` or ARGS name it).
    static func cli(
        _ name: String, _ arguments: [String], exit: Int32 = 1, error: String,
        store: StoreExpectation = .unchanged, stdin: String? = nil
    ) -> BadInputCase {
        var arguments = arguments
        if store != .absent && !arguments.contains("--store") { arguments += ["--store", "{store}"] }
        return BadInputCase(name: name, arguments: arguments, stdin: stdin, exit: exit, error: error, store: store)
    }

    /// `rlhf run {dir}/nb.rlhf --store {store}` on a notebook with this source (extra arguments after the file).
    static func notebook(
        _ name: String, _ source: String, extra: [String] = [], exit: Int32 = 1, error: String,
        store: StoreExpectation = .noNewCommit
    ) -> BadInputCase {
        notebook(name, bytes: Array(source.utf8), extra: extra, exit: exit, error: error, store: store)
    }

    /// As ``notebook(_:_:extra:exit:error:store:)`` with the notebook's raw bytes (for encoding faults).
    static func notebook(
        _ name: String, bytes: [UInt8], extra: [String] = [], exit: Int32 = 1, error: String,
        store: StoreExpectation = .noNewCommit
    ) -> BadInputCase {
        BadInputCase(
            name: name, arguments: ["run", "{dir}/nb.rlhf", "--store", "{store}"] + extra, files: ["nb.rlhf": bytes],
            exit: exit, error: error, store: store)
    }
}

/// Every bad-input case, by area. Each area lives in its own file, `BadInput+<Area>.swift`.
enum BadInputCorpus {
    static var all: [BadInputCase] {
        cli + store + query + numeric + language + languageModels + huggingFace + interop + sentiment
            + textFeedback
    }

    /// The one finished run every case's store starts with: objects, versions, feedback and metrics to refer to.
    static let seedNotebook = """
        # %% setup id=setup
        seed(5)
        task = VectorTask(dim: 8, prompts: 32, candidates: 16, test_prompts: 20, contextual: false)
        policy = PolicyModel(input: 8, hidden: 8, output: 8)
        rm = RewardModel(input: 8, hidden: 8)
        # %% feedback id=feedback
        prefs = collect(task, policy: policy, annotator: BradleyTerry(noise: 0.05), pairs: 60)
        # %% reward id=reward
        r = fit(rm, prefs, epochs: 2, lr: 1e-2, batch: 16)
        # %% finetune id=finetune
        finetune(policy, rm, task, steps: 10, lr: 1e-2, kl: 0.5)
        """
}
