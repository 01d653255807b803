import Foundation
import GRDB

/// The content of one commit, as seven SHA-256 hashes ("parts") over canonical byte strings, each naming one thing
/// the commit holds. A commit's chained hash covers its parts and its parent's hash (see ``CommitChain``); keeping the
/// parts lets `rlhf check` say WHAT differs in a commit whose content no longer matches.
///
/// What each part covers, in this order (every field length-prefixed, lists sorted as said, never in Dictionary order;
/// no timestamps, durations, row ids, run status or notebook path — see store/README.md for why):
/// - `run`: the run's id, source, parameters, parent run and resume cell.
/// - `cell`: the cell's ordinal, key, title, source, status, output and error; or, for a commit without a cell
///   (rollback, resume), that it has none; then the commit's note.
/// - `bindings`: by name: name, kind, object name, the value's blob hash (SHA-256 of its JSON), and the pinned
///   version's object, number and content hash.
/// - `versions`: the versions the commit wrote, by object name then number: object, object kind, number, kind,
///   content hash, config, rows, note, then each tensor of the manifest by name: name, shape, dtype, blob hash.
/// - `feedback`: the rows the commit's versions added and removed, each row digested from whether it was added or
///   removed, its object, uid, row hash and content (prompt, chosen, rejected, annotator, seed, then — for a text
///   row only — prompt, chosen and rejected text and sampling); digests sorted.
/// - `metrics`: the points measured by the cell, by name then step: name, step, value (its bits; NaN and ±0
///   normalised, as SQLite stores them).
/// - `artifacts`: by position: position, name, media type, blob hash, text.
struct CommitParts: Equatable {
    static let names = ["run", "cell", "bindings", "versions", "feedback", "metrics", "artifacts"]

    /// One hash per name of ``names``, in that order.
    var hashes: [String]

    /// As stored in `commits.parts`: `name=hash` lines in ``names`` order.
    var text: String {
        zip(Self.names, hashes).map { "\($0)=\($1)" }.joined(separator: "\n")
    }

    init(hashes: [String]) {
        self.hashes = hashes
    }

    /// Parses `commits.parts`; nil when it is not seven `name=hash` lines in order.
    init?(text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == Self.names.count else { return nil }
        var hashes: [String] = []
        for (line, name) in zip(lines, Self.names) {
            guard line.hasPrefix(name + "=") else { return nil }
            hashes.append(String(line.dropFirst(name.count + 1)))
        }
        self.hashes = hashes
    }

    /// The names of the parts that differ from `other`'s.
    func differences(from other: CommitParts) -> [String] {
        zip(Self.names, zip(hashes, other.hashes)).filter { $1.0 != $1.1 }.map(\.0)
    }

    /// One metric point as the store holds it: NULL for NaN (step and value as stored, so a damaged one differs).
    struct Point {
        var name: String
        var step: DatabaseValue
        var value: DatabaseValue

        init(name: String, step: DatabaseValue, value: DatabaseValue) {
            self.name = name
            self.step = step
            self.value = value
        }

        /// A point of a cell about to be committed, as the store will hold it.
        init(_ point: MetricPoint) {
            self.init(
                name: point.name, step: point.step.databaseValue,
                value: point.value.isNaN ? .null : point.value.databaseValue)
        }
    }

    /// Reads a commit's content from the database. `metrics` are the commit's points (the caller has them: the cell
    /// that was just committed, or a pass over all points in commit order), so no query scans a run's points.
    ///
    /// `addedFeedback`, when given, is the digests (``addedFeedbackDigest(object:row:)``) of every feedback row the
    /// commit's versions add, computed by the commit that writes them; nil reads the rows back.
    static func load(_ db: Database, commit: Int64, metrics: [Point], addedFeedback: [String]? = nil) throws
        -> CommitParts
    {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT co.run_id, co.cell_id, co.note, r.source AS run_source, r.parameters, r.parent_run,
                           r.resumed_at_cell, c.ordinal, c.key, c.title, c.source, c.status, c.output, c.error
                    FROM commits co LEFT JOIN runs r ON r.id = co.run_id LEFT JOIN cells c ON c.id = co.cell_id
                    WHERE co.id = ?
                    """, arguments: [commit])
        else { throw StoreError.database("", "commit \(commit) is missing") }
        return CommitParts(hashes: [
            runPart(row), cellPart(row), try bindingsPart(db, commit: commit), try versionsPart(db, commit: commit),
            try feedbackPart(db, commit: commit, added: addedFeedback), metricsPart(metrics),
            try artifactsPart(db, commit: commit),
        ])
    }

    private static func runPart(_ row: Row) -> String {
        var text = ContentHash.Canonical(tag: "rlhf-commit-run-v1")
        for column in ["run_id", "run_source", "parameters", "parent_run", "resumed_at_cell"] {
            text.value(row[column])
        }
        return text.hash
    }

    private static func cellPart(_ row: Row) -> String {
        var text = ContentHash.Canonical(tag: "rlhf-commit-cell-v1")
        if (row["cell_id"] as DatabaseValue).isNull {
            text.field("none")
        } else {
            text.field("cell")
            for column in ["ordinal", "key", "title", "source", "status", "output", "error"] { text.value(row[column]) }
        }
        text.value(row["note"])
        return text.hash
    }

    private static func bindingsPart(_ db: Database, commit: Int64) throws -> String {
        var text = ContentHash.Canonical(tag: "rlhf-commit-bindings-v1")
        text.rows(
            try Row.fetchAll(
                db,
                sql: """
                    SELECT b.name, b.kind, b.object, b.blob_hash, o.name AS pinned, v.version, v.content_hash
                    FROM commit_bindings b LEFT JOIN versions v ON v.id = b.version_id
                    LEFT JOIN objects o ON o.id = v.object_id
                    WHERE b.commit_id = ? ORDER BY b.name
                    """, arguments: [commit]))
        return text.hash
    }

    private static func versionsPart(_ db: Database, commit: Int64) throws -> String {
        var text = ContentHash.Canonical(tag: "rlhf-commit-versions-v1")
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT v.id, o.name AS object, o.kind AS family, v.version, v.kind, v.content_hash, v.config, v.rows,
                       v.note
                FROM versions v JOIN objects o ON o.id = v.object_id
                WHERE v.commit_id = ? ORDER BY o.name, v.version
                """, arguments: [commit])
        {
            for column in ["object", "family", "version", "kind", "content_hash", "config", "rows", "note"] {
                text.value(row[column])
            }
            let tensors = try Row.fetchAll(
                db, sql: "SELECT name, shape, dtype, blob_hash FROM version_tensors WHERE version_id = ? ORDER BY name",
                arguments: [row["id"] as DatabaseValue])
            text.field(String(tensors.count))
            text.rows(tensors)
        }
        return text.hash
    }

    private static func feedbackPart(_ db: Database, commit: Int64, added: [String]?) throws -> String {
        var digests: [String] = added ?? []
        // Migration v8 hashes the commits of older stores before v13 has added the text columns: read them as NULL.
        let hasText = try db.columns(in: "feedback").contains { $0.name == "prompt_text" }
        let textColumns =
            hasText
            ? "f.prompt_text, f.chosen_text, f.rejected_text, f.sampling"
            : "NULL AS prompt_text, NULL AS chosen_text, NULL AS rejected_text, NULL AS sampling"
        let read = added == nil ? [("added", "added_in"), ("removed", "removed_in")] : [("removed", "removed_in")]
        for (marker, column) in read {
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT o.name, f.uid, f.row_hash, f.prompt, f.chosen, f.rejected, f.annotator, f.seed,
                           \(textColumns)
                    FROM feedback f JOIN objects o ON o.id = f.object_id
                    WHERE f.\(column) IN (SELECT id FROM versions WHERE commit_id = ?)
                    """, arguments: [commit])
            while let row = try rows.next() {
                digests.append(feedbackDigest(marker, Array(row.databaseValues)))
            }
        }
        var text = ContentHash.Canonical(tag: "rlhf-commit-feedback-v1")
        for digest in digests.sorted() { text.field(digest) }
        return text.hash
    }

    /// One added or removed row's digest from its stored values: object name, uid, row hash, prompt, chosen,
    /// rejected, annotator, seed, then the four text columns (v13), which join the digest only on a text row, so every
    /// older commit hashes as before.
    static func feedbackDigest(_ marker: String, _ values: [DatabaseValue]) -> String {
        var digest = ContentHash.Canonical(tag: "rlhf-commit-feedback-row-v1")
        digest.field(marker)
        let text = values[8...]
        for value in text.allSatisfy(\.isNull) ? values[..<8] : values[...] { digest.value(value) }
        return digest.hash
    }

    /// The digest of a row this commit adds, from the values it is about to store (exactly the values
    /// ``feedbackPart(_:commit:added:)`` would read back), so the commit need not read its rows back.
    static func addedFeedbackDigest(object: String, row: PreparedDataset.Row) -> String {
        var values: [DatabaseValue] = [
            object.databaseValue, row.uid.databaseValue, row.rowHash.databaseValue, row.prompt.databaseValue,
            row.chosen.databaseValue, row.rejected.databaseValue, row.annotator.databaseValue,
            Int64(bitPattern: row.seed).databaseValue,
        ]
        values += [row.text?.prompt, row.text?.chosen, row.text?.rejected, row.text?.sampling].map(\.databaseValue)
        return feedbackDigest("added", values)
    }

    static func metricsPart(_ points: [Point]) -> String {
        var text = ContentHash.Canonical(tag: "rlhf-commit-metrics-v1")
        // By name, then step: each distinct name is ranked once, so the sort compares integers, not strings.
        let names = Set(points.map(\.name)).sorted()
        let rank = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let keys = points.map { (rank[$0.name] ?? 0, Int64.fromDatabaseValue($0.step) ?? .min) }
        let order = keys.indices.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
        for index in order {
            text.field(points[index].name)
            text.value(points[index].step)
            text.value(canonical(points[index].value))
        }
        return text.hash
    }

    /// A value as SQLite gives it back: a REAL column returns -0.0 as 0.0 (it may store it as the integer 0).
    static func canonical(_ value: DatabaseValue) -> DatabaseValue {
        if case .double(let real) = value.storage, real == 0 { return 0.0.databaseValue }
        if case .int64(let integer) = value.storage { return Double(integer).databaseValue }
        return value
    }

    private static func artifactsPart(_ db: Database, commit: Int64) throws -> String {
        var text = ContentHash.Canonical(tag: "rlhf-commit-artifacts-v1")
        text.rows(
            try Row.fetchAll(
                db,
                sql: """
                    SELECT position, name, media_type, blob_hash, text FROM artifacts
                    WHERE commit_id = ? ORDER BY position
                    """,
                arguments: [commit]))
        return text.hash
    }
}

extension ContentHash.Canonical {
    /// A stored value exactly as SQLite holds it: its storage class, then its content (integers and text as text,
    /// reals by their bits, blobs as bytes), so NULL, "" and 0 all hash differently and a value of the wrong type
    /// (a damaged store) is hashed, not trusted to decode.
    mutating func value(_ value: DatabaseValue) {
        switch value.storage {
        case .null:
            field("null")
        case .int64(let integer):
            field("int")
            field(decimal: integer)
        case .double(let real):
            field("real")
            field(hex: real.bitPattern)
        case .string(let text):
            field("text")
            field(text)
        case .blob(let bytes):
            field("blob")
            field(bytes)
        }
    }

    /// Every column of every row, in the rows' and columns' order.
    mutating func rows(_ rows: [Row]) {
        for row in rows {
            for value in row.databaseValues { self.value(value) }
        }
    }
}
