import Foundation
import GRDB

extension LabStore {
    /// Re-verifies the whole commit chain (see ``CommitChain``): each commit's parts recomputed from what the store
    /// holds now, and its hash from its parts and the previous commit's hash. Returns the number of commits, the head
    /// and the FIRST commit that does not match (later ones would all differ through the chain).
    func verifyChain(_ db: Database) throws -> (commits: Int, head: String?, problem: IntegrityProblem?) {
        var metrics = try CommitChain.MetricsByCommit(db)
        var parent = ""
        var count = 0
        for row in try Row.fetchAll(db, sql: "SELECT id, parts, hash FROM commits ORDER BY id") {
            guard let id = Int64.fromDatabaseValue(row["id"]) else { continue }
            count += 1
            let parts = try CommitParts.load(db, commit: id, metrics: try metrics.points(of: id))
            let stored = String.fromDatabaseValue(row["hash"])
            func problem(_ message: String) throws -> IntegrityProblem {
                IntegrityProblem(location: try Self.commitLabel(db, commit: id), message: message)
            }
            guard let storedParts = String.fromDatabaseValue(row["parts"]).flatMap(CommitParts.init(text:)) else {
                return (count, stored, try problem("has no readable content hashes (commits.parts)"))
            }
            let differing = parts.differences(from: storedParts)
            if !differing.isEmpty {
                return (
                    count, stored,
                    try problem(
                        "its \(differing.joined(separator: ", ")) \(differing.count == 1 ? "differs" : "differ") from what "
                            + "was hashed when it was committed")
                )
            }
            let expected = CommitChain.link(parent: parent, parts: parts)
            guard stored == expected else {
                return (
                    count, stored,
                    try problem(
                        "its hash \(stored.map { String($0.prefix(12)) } ?? "(none)") is not \(expected.prefix(12)), the "
                            + "hash of its content after the previous commit's: a commit was removed, reordered or "
                            + "rehashed")
                )
            }
            parent = expected
        }
        return (count, parent.isEmpty ? nil : parent, nil)
    }

    /// `commit 17 (run 3, cell 2 'train')`, or `commit 18 (run 3, rollback to v1)` for a commit without a cell.
    static func commitLabel(_ db: Database, commit: Int64) throws -> String {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT CAST(co.run_id AS TEXT) AS run_id, co.note, c.id AS cell, CAST(c.ordinal AS TEXT) AS ordinal,
                       CAST(c.key AS TEXT) AS key
                FROM commits co LEFT JOIN cells c ON c.id = co.cell_id WHERE co.id = ?
                """, arguments: [commit])
        let run = row.flatMap { String.fromDatabaseValue($0["run_id"]) } ?? "?"
        if let row, !(row["cell"] as DatabaseValue).isNull {
            let ordinal = String.fromDatabaseValue(row["ordinal"]) ?? "?"
            return "commit \(commit) (run \(run), cell \(ordinal) '\(String.fromDatabaseValue(row["key"]) ?? "")')"
        }
        let note = row.flatMap { String.fromDatabaseValue($0["note"]) } ?? "no cell"
        return "commit \(commit) (run \(run), \(note))"
    }

    /// Every binding must be usable by `--resume` and replay: a value binding's JSON present, text and valid JSON; an
    /// object binding pinned to an existing version of its own run's object of that name, committed no later than the
    /// binding. (The pinned version's content is verified with the manifests and feedback rows.)
    func checkBindings(_ db: Database) throws -> [IntegrityProblem] {
        var problems: [IntegrityProblem] = []
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT b.commit_id, b.name, b.kind, b.object, b.blob_hash, b.version_id,
                       bl.hash IS NOT NULL AS has_blob, json_valid(CAST(bl.data AS TEXT)) AS valid_json,
                       v.id IS NOT NULL AS has_version, o.name AS pinned, o.run_id AS pinned_run, v.version,
                       v.commit_id AS version_commit, co.run_id
                FROM commit_bindings b JOIN commits co ON co.id = b.commit_id
                LEFT JOIN blobs bl ON bl.hash = b.blob_hash
                LEFT JOIN versions v ON v.id = b.version_id LEFT JOIN objects o ON o.id = v.object_id
                ORDER BY b.commit_id, b.name
                """)
        for row in rows {
            let commit = Int64.fromDatabaseValue(row["commit_id"]) ?? 0
            let name = String.fromDatabaseValue(row["name"]) ?? "?"
            var message: String?
            switch String.fromDatabaseValue(row["kind"]) {
            case "value":
                if !(Bool.fromDatabaseValue(row["has_blob"]) ?? false) {
                    let blob = String.fromDatabaseValue(row["blob_hash"])?.prefix(12) ?? "none"
                    message = "its value (blob \(blob)) is missing"
                } else if !(Bool.fromDatabaseValue(row["valid_json"]) ?? false) {
                    message = "its value is not valid JSON"
                }
            case "object":
                let object = String.fromDatabaseValue(row["object"]) ?? "?"
                if !(Bool.fromDatabaseValue(row["has_version"]) ?? false) {
                    message = "it pins no existing version of '\(object)'"
                } else if String.fromDatabaseValue(row["pinned"]) != object
                    || Int64.fromDatabaseValue(row["pinned_run"]) != Int64.fromDatabaseValue(row["run_id"])
                {
                    message =
                        "it pins \(Int64.fromDatabaseValue(row["pinned_run"]) ?? 0)/"
                        + "\(String.fromDatabaseValue(row["pinned"]) ?? "?"), not its own run's '\(object)'"
                } else if (Int64.fromDatabaseValue(row["version_commit"]) ?? .max) > commit {
                    message = "it pins \(object)@\(Int.fromDatabaseValue(row["version"]) ?? 0), written after it"
                }
            default:
                message = "its kind is neither 'value' nor 'object'"
            }
            if let message {
                problems.append(
                    IntegrityProblem(
                        location: try Self.commitLabel(db, commit: commit) + " · binding '\(name)'", message: message))
            }
        }
        return problems
    }

    /// Values stored with another type than their column's (SQLite accepts `'two'` in an INTEGER column): each is a
    /// damaged row, and reading it as its declared type would be wrong. Counted per table and column.
    func checkTypes(_ db: Database) throws -> [IntegrityProblem] {
        var problems: [IntegrityProblem] = []
        let allowed: [String: [String]] = [
            "INTEGER": ["integer"], "REAL": ["real", "integer"], "TEXT": ["text"], "BLOB": ["blob"],
        ]
        let tables = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        for table in tables {
            for column in try Row.fetchAll(db, sql: "SELECT name, type FROM pragma_table_info(?)", arguments: [table]) {
                guard let name = String.fromDatabaseValue(column["name"]),
                    let types = allowed[(String.fromDatabaseValue(column["type"]) ?? "").uppercased()]
                else { continue }
                let list = (types + ["null"]).map { "'\($0)'" }.joined(separator: ", ")
                let count =
                    try Int.fetchOne(
                        db, sql: "SELECT count(*) FROM \"\(table)\" WHERE typeof(\"\(name)\") NOT IN (\(list))") ?? 0
                if count > 0 {
                    problems.append(
                        IntegrityProblem(
                            location: "table \(table)",
                            message: count == 1
                                ? "1 value of column \(name) is not of type \(types[0])"
                                : "\(count) values of column \(name) are not of type \(types[0])"))
                }
            }
        }
        return problems
    }

    /// The CHECK constraints of the schema, row by row, so a violation is named (SQLite's integrity check only says
    /// which table).
    func checkStatuses(_ db: Database) throws -> [IntegrityProblem] {
        var problems: [IntegrityProblem] = []
        let checks: [(sql: String, what: String)] = [
            ("SELECT id, status FROM runs WHERE status NOT IN (\(Self.sqlList(RunStatus.allCases)))", "run"),
            ("SELECT id, status FROM cells WHERE status NOT IN (\(Self.sqlList(CellStatus.allCases)))", "cell row"),
            ("SELECT id, kind FROM objects WHERE kind NOT IN ('checkpoint', 'dataset')", "object row"),
        ]
        for check in checks {
            for row in try Row.fetchAll(db, sql: check.sql) {
                problems.append(
                    IntegrityProblem(
                        location: "\(check.what) \(Int64.fromDatabaseValue(row[0]).map(String.init) ?? "?")",
                        message: "'\(String.fromDatabaseValue(row[1]) ?? "\(row[1] as DatabaseValue)")' "
                            + "is not an allowed value"))
            }
        }
        return problems
    }

    /// `'running', 'succeeded', …`: every value the enum reads, so the check and the decoder cannot disagree.
    private static func sqlList<S: RawRepresentable<String>>(_ cases: [S]) -> String {
        cases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
    }
}
