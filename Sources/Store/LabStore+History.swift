import GRDB

extension LabStore {
    /// Every run, oldest first, as listed by `rlhf runs`; runs marked deleted only with `includingDeleted`.
    public func runs(includingDeleted: Bool = false) throws -> [RunSummary] {
        try read { db in try summaries(db, where: includingDeleted ? "1" : "r.deleted_at IS NULL", arguments: []) }
    }

    /// The summaries of runs `ids` (deleted ones too), in id order; ids that name no run are left out.
    public func runs(ids: [Int64]) throws -> [RunSummary] {
        guard !ids.isEmpty else { return [] }
        let list = ids.map(String.init).joined(separator: ",")
        return try read { db in try summaries(db, where: "r.id IN (\(list))", arguments: []) }
    }

    /// One run with its cells in execution order and its objects (by name) with all their versions.
    /// Unknown id -> ``StoreError/unknownRun(_:latest:)``.
    public func run(_ id: Int64) throws -> RunDetail {
        try read { db in
            let row = try DBRun.existing(db, id: id)
            guard let summary = try summaries(db, where: "r.id = ?", arguments: [id]).first else {
                throw StoreError.unknownRun(id, latest: try DBRun.latestID(db))
            }
            let versions = try VersionInfo.fetchAll(db, where: "o.run_id = ?", arguments: [id])
            let objects = try DBObject.all(db, run: id).map { object in
                ObjectInfo(
                    name: object.name, kind: object.objectKind, versions: versions.filter { $0.object == object.name })
            }
            let cells = try DBCell.all(db, run: id).map { try $0.info() }
            return RunDetail(
                run: summary, source: row.source, cells: cells, objects: objects,
                environment: try Self.environment(db, run: id))
        }
    }

    /// The versions of one object, oldest first (`rlhf log 12/policy`).
    public func log(run: Int64, object: String) throws -> [VersionInfo] {
        try read { db in
            let owner = try DBObject.existing(db, run: run, name: object)
            return try VersionInfo.fetchAll(db, where: "v.object_id = ?", arguments: [owner.id])
        }
    }

    /// The metric points of a run, all names or one, ordered by name then step. NaN values are kept.
    public func metrics(run: Int64, name: String? = nil) throws -> [(name: String, step: Int, value: Double)] {
        try read { db in
            _ = try DBRun.existing(db, id: run)
            return try DBMetric.points(db, run: run, name: name)
        }
    }

    /// The names of a run's metric series, sorted.
    public func metricNames(run: Int64) throws -> [String] {
        try read { db in
            _ = try DBRun.existing(db, id: run)
            return try String.fetchAll(
                db,
                sql: """
                    SELECT n.name FROM metric_series s JOIN metric_names n ON n.id = s.name_id
                    WHERE s.run_id = ? ORDER BY n.name
                    """, arguments: [run])
        }
    }

    /// The highest step recorded for `metric` in the run, nil when it has none.
    public func latestStep(run: Int64, metric: String) throws -> Int? {
        try read { db in
            _ = try DBRun.existing(db, id: run)
            return try Int.fetchOne(
                db, sql: "SELECT max(step) FROM metrics WHERE run_id = ? AND name = ?", arguments: [run, metric])
        }
    }

    /// A run whose process died reads as `interrupted` even before a writer marks it so.
    func summaries(_ db: Database, where condition: String, arguments: StatementArguments) throws
        -> [RunSummary]
    {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT r.id, r.notebook, r.status, r.started_at, r.finished_at, r.parameters,
                       (SELECT count(*) FROM cells c WHERE c.run_id = r.id) AS cells,
                       (SELECT c.ordinal FROM cells c WHERE c.run_id = r.id AND c.status = 'failed'
                        ORDER BY c.id LIMIT 1) AS failed_cell,
                       (SELECT count(*) FROM objects o WHERE o.run_id = r.id) AS objects,
                       (SELECT coalesce(sum((SELECT max(v.version) FROM versions v WHERE v.object_id = o.id)), 0)
                        FROM objects o WHERE o.run_id = r.id) AS versions,
                       (SELECT coalesce(sum(m.points), 0) FROM metric_series m WHERE m.run_id = r.id) AS metrics,
                       (SELECT max(c.ordinal) FROM cells c WHERE c.run_id = r.id AND c.status = 'ok') AS last_cell,
                       r.deleted_at, r.parent_run, r.resumed_at_cell, r.replay_of, r.name, r.note,
                       (SELECT group_concat(tag, char(10)) FROM (SELECT t.tag FROM run_tags t
                        WHERE t.run_id = r.id ORDER BY t.tag)) AS tags
                FROM runs r WHERE \(condition) ORDER BY r.id
                """, arguments: arguments)
        // An object's versions are numbered 1, 2, … and never deleted, so its count is its highest number: one index
        // seek per object rather than a walk over every version of a 100,000-version store.
        // Columns by position: a lookup by name searches the row's columns case-insensitively, which lowercases
        // names for every value of a long listing.
        return try rows.map { row in
            let id: Int64 = row[0]
            var status = try RunStatus(stored: row[2], run: id)
            if status == .running && !hasLiveWriter(run: id) { status = .interrupted }
            return RunSummary(
                id: id, notebook: row[1], status: status, startedAt: row[3], finishedAt: row[4], cells: row[6],
                failedCell: row[7], objects: row[8], versions: row[9], metrics: row[10], parameters: row[5],
                lastCommittedCell: row[11], deletedAt: row[12], parentRun: row[13], resumedAtCell: row[14],
                replayOf: row[15], name: row[16], note: row[17],
                tags: (row[18] as String?)?.split(separator: "\n").map(String.init) ?? [])
        }
    }
}
