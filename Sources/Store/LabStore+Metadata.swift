import GRDB

extension LabStore {
    /// Writes a new run's name, note, tags and environment, in the transaction that inserts the run, so a taken
    /// name leaves no run behind.
    func writeMetadata(_ db: Database, run: Int64, _ metadata: RunMetadata) throws {
        if let name = metadata.name {
            try RunMetadata.checkName(name)
            if let other = try Int64.fetchOne(db, sql: "SELECT id FROM runs WHERE name = ?", arguments: [name]) {
                throw StoreError.runNameTaken(name, run: other)
            }
        }
        for tag in metadata.tags { try RunMetadata.checkTag(tag) }
        try db.execute(
            sql: "UPDATE runs SET name = ?, note = ?, replay_of = ? WHERE id = ?",
            arguments: [metadata.name, metadata.note, metadata.replayOf, run])
        for tag in metadata.tags {
            try db.execute(sql: "INSERT INTO run_tags (run_id, tag) VALUES (?, ?)", arguments: [run, tag])
        }
        if let sweep = metadata.sweep { try writeMembership(db, run: run, sweep) }
        guard let e = metadata.environment else { return }
        try db.execute(
            sql: """
                INSERT INTO run_environment (run_id, rlhf_version, build, git_state, git_revision, host, os, kernels,
                                             threads)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                run, e.rlhfVersion, e.build, e.gitState.rawValue, e.gitRevision, e.host, e.os, e.kernels, e.threads,
            ])
    }

    /// Adds and removes tags of a run (`rlhf tag RUN a b --remove c`) and returns its tags after. Adding a tag it has
    /// or removing one it lacks is no error: the command says what the run ends up with.
    @discardableResult
    public func tag(run: Int64, adding: [String], removing: [String] = []) throws -> [String] {
        for tag in adding + removing { try RunMetadata.checkTag(tag) }
        return try write { db in
            _ = try DBRun.existing(db, id: run)
            for tag in adding {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)", arguments: [run, tag])
            }
            for tag in removing {
                try db.execute(sql: "DELETE FROM run_tags WHERE run_id = ? AND tag = ?", arguments: [run, tag])
            }
            return try Self.tags(db, run: run)
        }
    }

    /// The run a command names: digits are a run id (which must exist), anything else a run name.
    ///
    /// ```swift
    /// try store.runID("12")        // 12
    /// try store.runID("baseline")  // the run named baseline
    /// ```
    public func runID(_ text: String) throws -> Int64 {
        try read { db in
            if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) {
                guard let id = Int64(text) else { throw StoreError.badRunName(text, reason: "not a run id or name") }
                return try DBRun.existing(db, id: id).id ?? id
            }
            if let id = try Int64.fetchOne(db, sql: "SELECT id FROM runs WHERE name = ?", arguments: [text]) {
                return id
            }
            let names = try String.fetchAll(
                db, sql: "SELECT name FROM runs WHERE name IS NOT NULL ORDER BY name LIMIT 8")
            throw StoreError.unknownRunName(text, names: names)
        }
    }

    /// A run's name, note, tags and environment (nil environment for a run from before v10, or from the bench).
    public func metadata(run: Int64) throws -> RunMetadata {
        try read { db in
            _ = try DBRun.existing(db, id: run)
            let row = try Row.fetchOne(
                db, sql: "SELECT name, note, replay_of FROM runs WHERE id = ?", arguments: [run])
            return RunMetadata(
                name: row?["name"], note: row?["note"], tags: try Self.tags(db, run: run),
                environment: try Self.environment(db, run: run), replayOf: row?["replay_of"])
        }
    }

    static func environment(_ db: Database, run: Int64) throws -> RunEnvironment? {
        guard let e = try Row.fetchOne(db, sql: "SELECT * FROM run_environment WHERE run_id = ?", arguments: [run])
        else { return nil }
        // The CHECK constraint admits only the four states; a damaged row reads as what it cannot prove.
        let state = String.fromDatabaseValue(e["git_state"]).flatMap(RunEnvironment.GitState.init(rawValue:))
        return RunEnvironment(
            rlhfVersion: e["rlhf_version"], build: e["build"], gitState: state ?? .noGit,
            gitRevision: e["git_revision"], host: e["host"], os: e["os"], kernels: e["kernels"],
            threads: e["threads"])
    }

    /// The last point (highest step) of each metric series of each run, by run then name.
    ///
    /// One statement, prepared once, per run; for many runs (a runs listing) one pass over every series instead,
    /// keeping the runs asked for. Columns are read by position (a lookup by name lowercases names for every row).
    public func finalMetrics(runs: [Int64]) throws -> [Int64: [String: Double]] {
        let join = """
            SELECT s.run_id, n.name, p.value FROM metric_series s
            JOIN metric_points p ON p.run_id = s.run_id AND p.name_id = s.name_id AND p.step = s.last_step
            JOIN metric_names n ON n.id = s.name_id
            """
        return try read { db in
            var result: [Int64: [String: Double]] = [:]
            for run in runs { result[run] = [:] }
            func add(_ cursor: RowCursor) throws {
                while let row = try cursor.next() {
                    let run: Int64 = row[0]
                    guard result[run] != nil else { continue }
                    result[run]?[row[1]] = (row[2] as Double?) ?? .nan
                }
            }
            if runs.count > 20 {
                try add(try Row.fetchCursor(db, sql: join))
            } else {
                let statement = try db.cachedStatement(sql: join + " WHERE s.run_id = ?")
                for run in runs { try add(try Row.fetchCursor(statement, arguments: [run])) }
            }
            return result
        }
    }

    static func tags(_ db: Database, run: Int64) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT tag FROM run_tags WHERE run_id = ? ORDER BY tag", arguments: [run])
    }
}
