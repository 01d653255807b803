import Foundation

/// Store faults: a store from a newer rlhf (every writing command refuses it, every reading one too), files that are
/// not stores (text, empty, a folder, `/dev/null`, garbage, someone else's database), tampered stores that `check`
/// must name, `gc` with dependants, and `rm` and `rollback` edge references.
extension BadInputCorpus {
    static let store: [BadInputCase] = newerStore + notStores + tampered + lifecycle

    /// The seeded store as a newer rlhf leaves it: a migration this rlhf does not know.
    private static let newer = "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')"
    private static let newerError = "{store} was written by a newer rlhf (schema v99-from-the-future unknown"
    private static let notebook = ["nb.rlhf": Array("# %% a id=a\nx = 1\n".utf8)]

    private static func newer(
        _ name: String, _ arguments: [String], stdin: String? = nil,
        files: [String: [UInt8]] = [:]
    ) -> BadInputCase {
        var c = BadInputCase.cli("store/newer-\(name)", arguments, error: newerError, stdin: stdin)
        c.setupSQL = newer
        c.files = files
        return c
    }

    static let newerStore: [BadInputCase] = [
        newer("run", ["run", "{dir}/nb.rlhf"], files: notebook),
        newer("run-resume", ["run", "{dir}/nb.rlhf", "--resume", "1"], files: notebook),
        newer("run-cells", ["run", "{dir}/nb.rlhf", "--cells", "a"], files: notebook),
        newer(
            "run-param", ["run", "{dir}/nb.rlhf", "--param", "x=2"],
            files: ["nb.rlhf": Array("# %% parameters\nx = 1\n# %% a id=a\ny = x\n".utf8)]),
        newer("shell", [], stdin: "x = 1\n"),
        newer("rm", ["rm", "1"]),
        newer("gc", ["gc"]),
        newer("gc-dry-run", ["gc", "--dry-run"]),
        newer("gc-vacuum", ["gc", "--vacuum"]),
        newer("gc-force", ["gc", "--force"]),
        newer("gc-json", ["gc", "--json"]),
        newer("rollback", ["rollback", "1/policy", "--to", "1"]),
        newer("rollback-dataset", ["rollback", "1/prefs", "--to", "1"]),
        newer("replay", ["replay", "1"]),
        newer("replay-verify", ["replay", "1", "--verify"]),
        newer("runs", ["runs"]),
        newer("show", ["show", "1"]),
        newer("log", ["log", "1/policy"]),
        newer("diff", ["diff", "1/policy@1", "1/policy@2"]),
        newer("metrics", ["metrics", "1"]),
        newer("blame", ["blame", "1/prefs"]),
        newer("report", ["report", "1"]),
        newer("check", ["check"]),
        newer("charts", ["charts", "1", "--out", "{dir}/charts"]),
    ]

    private static let sqliteHeader = Array("SQLite format 3\0".utf8)

    private static func notAStore(
        _ name: String, _ arguments: [String], file: String, bytes: [UInt8]?,
        error: String
    ) -> BadInputCase {
        var c = BadInputCase.cli("store/\(name)", arguments + ["--store", file], error: error)
        if let bytes { c.files = [URL(fileURLWithPath: file).lastPathComponent: bytes] }
        if file.hasPrefix("{dir}") { c.mustNotExist = [file + "-runs", file + "-wal", file + "-shm"] }
        return c
    }

    static let notStores: [BadInputCase] = {
        let text = Array("name,score\nada,3\n".utf8)
        let garbage = sqliteHeader + [UInt8](repeating: 0xA5, count: 4000)
        var cases: [BadInputCase] = []
        for (command, arguments) in [
            ("runs", ["runs"]), ("rm", ["rm", "1"]), ("gc", ["gc"]), ("check", ["check"]),
            ("query", ["query", "SELECT 1"]),
        ] {
            cases.append(
                notAStore(
                    "text-\(command)", arguments, file: "{dir}/scores.csv", bytes: text,
                    error: "not an RLHF Lab store: {dir}/scores.csv"))
            cases.append(
                notAStore(
                    "garbage-\(command)", arguments, file: "{dir}/bad.sqlite", bytes: garbage,
                    error: "not an RLHF Lab store: {dir}/bad.sqlite"))
            cases.append(
                notAStore(
                    "dev-null-\(command)", arguments, file: "/dev/null", bytes: nil,
                    error: "not an RLHF Lab store: /dev/null: it is a device"))
            cases.append(
                notAStore(
                    "folder-\(command)", arguments, file: "{dir}/sub", bytes: nil,
                    error: "not an RLHF Lab store: {dir}/sub: it is a directory"))
        }
        cases.append(
            notAStore(
                "text-run", ["run", "{dir}/nb.rlhf"], file: "{dir}/scores.csv", bytes: text,
                error: "not an RLHF Lab store: {dir}/scores.csv"))
        cases[cases.count - 1].files["nb.rlhf"] = notebook["nb.rlhf"]
        cases.append(
            notAStore(
                "dev-null-run", ["run", "{dir}/nb.rlhf"], file: "/dev/null", bytes: nil,
                error: "not an RLHF Lab store: /dev/null: it is a device"))
        cases[cases.count - 1].files = notebook
        cases.append(
            notAStore(
                "empty-file-runs", ["runs"], file: "{dir}/empty.sqlite", bytes: [],
                error: "not an RLHF Lab store: {dir}/empty.sqlite: it is a SQLite file without"))
        cases.append(
            notAStore(
                "missing-runs", ["runs"], file: "{dir}/none.sqlite", bytes: nil,
                error: "no store at {dir}/none.sqlite"))
        cases.append(
            notAStore(
                "missing-check", ["check"], file: "{dir}/none.sqlite", bytes: nil,
                error: "no store at {dir}/none.sqlite"))
        // The folders are made by giving them a file.
        for index in cases.indices where cases[index].arguments.contains("{dir}/sub") {
            cases[index].files = ["sub/keep": []]
        }
        return cases
    }()

    private static func tampered(_ name: String, _ sql: String, error: String) -> BadInputCase {
        var c = BadInputCase.cli("store/tampered-\(name)", ["check"], error: error)
        c.setupSQL = sql
        return c
    }

    /// Each hashed table changed behind the store's back: `check` names the commit (the seed's commit 2 is cell 2
    /// 'feedback', commit 4 cell 4 'finetune').
    static let tampered: [BadInputCase] = [
        tampered(
            "cell-output", "UPDATE cells SET output = output || ' ' WHERE ordinal = 2",
            error: "commit 2 (run 1, cell 2 'feedback'): its cell differs"),
        tampered(
            "cell-source", "UPDATE cells SET source = 'seed(6)' WHERE ordinal = 1",
            error: "commit 1 (run 1, cell 1 'setup'): its cell differs"),
        tampered(
            "run-parameters", #"UPDATE runs SET parameters = '{"steps":50}'"#,
            error: "commit 1 (run 1, cell 1 'setup'): its run differs"),
        tampered(
            "run-source", "UPDATE runs SET source = replace(source, 'seed(5)', 'seed(6)')",
            error: "commit 1 (run 1, cell 1 'setup'): its run differs"),
        tampered(
            "feedback-byte", "UPDATE feedback SET chosen = x'00' || substr(chosen, 2) WHERE uid = 7",
            error: "commit 2 (run 1, cell 2 'feedback'): its feedback differs"),
        tampered(
            "feedback-annotator", "UPDATE feedback SET annotator = 'me' WHERE uid = 3",
            error: "commit 2 (run 1, cell 2 'feedback'): its feedback differs"),
        tampered(
            "metric-value", "UPDATE metric_points SET value = value + 1 WHERE step = 1",
            error: "its metrics differs"),
        tampered(
            "version-hash", "UPDATE versions SET content_hash = 'ab' || substr(content_hash, 3) WHERE id = 1",
            error: "commit 1 (run 1, cell 1 'setup'): its bindings, versions differ"),
        tampered(
            "tensor-shape", "UPDATE version_tensors SET shape = '[64]' WHERE rowid = 1",
            error: "commit 1 (run 1, cell 1 'setup'): its versions differs"),
        tampered(
            "binding-pin", "UPDATE commit_bindings SET version_id = 1 WHERE commit_id = 4 AND name = 'policy'",
            error: "commit 4 (run 1, cell 4 'finetune'): its bindings differs"),
        tampered(
            "binding-value",
            "UPDATE blobs SET data = CAST('{' AS BLOB) WHERE hash = "
                + "(SELECT blob_hash FROM commit_bindings WHERE name = 'task' AND commit_id = 1)",
            error: "binding 'task': blob"),
        tampered(
            "commit-hash", "UPDATE commits SET hash = 'ab' || substr(hash, 3) WHERE id = 3",
            error: "commit 3 (run 1, cell 3 'reward'): its hash"),
        tampered(
            "commit-removed", "UPDATE commits SET hash = NULL, parts = NULL WHERE id = 2",
            error: "commit 2 (run 1, cell 2 'feedback'): has no readable content hashes"),
        tampered(
            "check-constraint",
            """
            PRAGMA ignore_check_constraints = ON; UPDATE runs SET status = 'bogus'; PRAGMA ignore_check_constraints = OFF
            """, error: "run 1: 'bogus' is not an allowed value"),
        tampered(
            "cell-check-constraint",
            """
            PRAGMA ignore_check_constraints = ON; UPDATE cells SET status = 'maybe' WHERE ordinal = 3;
            PRAGMA ignore_check_constraints = OFF
            """, error: "commit 3 (run 1, cell 3 'reward'): its cell differs"),
        tampered(
            "tensor-blob",
            "UPDATE blobs SET data = zeroblob(size) WHERE hash = (SELECT blob_hash FROM version_tensors LIMIT 1)",
            error: "content hashes to"),
        tampered(
            "type-blob-size",
            "UPDATE blobs SET size = 'big' WHERE hash = (SELECT blob_hash FROM version_tensors LIMIT 1)",
            error: "table blobs: 1 value of column size is not of type integer"),
        tampered(
            "type-version-number", "UPDATE versions SET version = 'two' WHERE id = 1",
            error: "commit 1 (run 1, cell 1 'setup'): its bindings, versions differ"),
        tampered(
            "type-commit-run", "UPDATE commits SET run_id = 'one' WHERE id = 2",
            error: "commit 2 (run one, cell 2 'feedback'): its run differs"),
        tampered(
            "type-cell-ordinal", "UPDATE cells SET ordinal = 'one' WHERE ordinal = 1",
            error: "commit 1 (run 1, cell one 'setup'): its cell differs"),
        tampered(
            "type-feedback-seed", "UPDATE feedback SET seed = 'x' WHERE uid = 3",
            error: "commit 2 (run 1, cell 2 'feedback'): its feedback differs"),
        tampered("runs-deleted", "DELETE FROM runs", error: "commit 1 (run 1, cell 1 'setup'): its run differs"),
        tampered(
            "commit-parts-garbled", "UPDATE commits SET parts = 'run=0' WHERE id = 4",
            error: "commit 4 (run 1, cell 4 'finetune'): has no readable content hashes"),
        tampered(
            "tensor-blob-missing", "DELETE FROM blobs WHERE hash = (SELECT blob_hash FROM version_tensors LIMIT 1)",
            error: "is missing"),
    ]

    /// A run 2 resumed from run 1, and run 1 deleted.
    private static let child = """
        INSERT INTO runs (notebook, source, parameters, status, started_at, parent_run, resumed_at_cell)
        VALUES ('nb.rlhf', 'x', '{}', 'succeeded', '2026-01-01T00:00:00Z', 1, 2);
        UPDATE runs SET deleted_at = '2026-01-01T00:00:00Z' WHERE id = 1;
        """
    /// A run 2 whose cell loads run 1's policy, and run 1 deleted.
    private static let loader = """
        INSERT INTO runs (notebook, source, parameters, status, started_at)
        VALUES ('nb.rlhf', 'p = load("1/policy@2")', '{}', 'succeeded', '2026-01-01T00:00:00Z');
        UPDATE runs SET deleted_at = '2026-01-01T00:00:00Z' WHERE id = 1;
        """
    private static let deleted = "UPDATE runs SET deleted_at = '2026-01-01T00:00:00Z' WHERE id = 1"

    private static func with(_ c: BadInputCase, sql: String) -> BadInputCase {
        var c = c
        c.setupSQL = sql
        return c
    }

    static let lifecycle: [BadInputCase] = [
        with(.cli("store/gc-resumed-child", ["gc"], error: "cannot purge deleted run 1: run 2 resumes it"), sql: child),
        with(.cli("store/gc-dry-run-resumed-child", ["gc", "--dry-run"], error: "run 2 resumes it"), sql: child),
        with(.cli("store/gc-vacuum-resumed-child", ["gc", "--vacuum"], error: "run 2 resumes it"), sql: child),
        with(.cli("store/gc-loader", ["gc"], error: "cannot purge deleted run 1: run 2 loads it"), sql: loader),
        with(.cli("store/rm-twice", ["rm", "1"], error: "run 1 is already deleted"), sql: deleted),
        .cli("store/rm-zero", ["rm", "0"], error: "unknown run '0' (latest is 1)"),
        .cli("store/rm-negative", ["rm", "--store", "{store}", "--", "-1"], error: "unknown run '-1' (latest is 1)"),
        .cli("store/rm-huge", ["rm", "9223372036854775807"], error: "unknown run '9223372036854775807'"),
        .cli("store/rm-not-a-number", ["rm", "one"], exit: 64, error: "The value 'one' is invalid for '<run>'"),
        .cli("store/rollback-version-zero", ["rollback", "1/policy", "--to", "0"], error: "has no version 0 in run 1"),
        .cli("store/rollback-negative", ["rollback", "1/policy", "--to=-1"], error: "has no version -1 in run 1"),
        .cli(
            "store/rollback-unknown-object", ["rollback", "1/nope", "--to", "1"], error: "run 1 has no object 'nope'"),
        .cli(
            "store/rollback-unknown-run", ["rollback", "7/policy", "--to", "1"], error: "unknown run '7' (latest is 1)"),
        .cli(
            "store/rollback-dataset-version", ["rollback", "1/prefs", "--to", "5"], error: "has no version 5 in run 1"),
        .cli("store/rollback-no-name", ["rollback", "1/", "--to", "1"], error: "bad reference '1/'"),
        .cli("store/rollback-no-run", ["rollback", "policy", "--to", "1"], error: "bad reference 'policy'"),
    ]
}
