import GRDB

/// Where each run stands, in a form that changes whenever the run commits, fails a cell or ends: what a watcher
/// compares to tell which runs changed.
public struct RunStamp: Sendable, Equatable {
    public var status: RunStatus
    /// The run's newest commit, nil before its first.
    public var lastCommit: Int64?
    /// Cell rows (committed, failed or cancelled).
    public var cells: Int
    /// Marked deleted (`rlhf rm`).
    public var deleted: Bool
}

extension LabStore {
    /// A number that changes when any other connection (another process, or this one's writer) commits to the
    /// store: SQLite's `PRAGMA data_version` on this store's reading connection. Cheap enough to ask every few hundred
    /// milliseconds; equal values mean nothing was committed in between.
    public func changeCounter() throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }

    /// Every run's stamp (deleted runs included, so a deletion is a change too), by run id.
    public func runStamps() throws -> [Int64: RunStamp] {
        try read { db in
            var stamps: [Int64: RunStamp] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT r.id, r.status, (SELECT max(c.id) FROM commits c WHERE c.run_id = r.id),
                    (SELECT count(*) FROM cells k WHERE k.run_id = r.id), r.deleted_at IS NOT NULL FROM runs r
                    """)
            while let row = try rows.next() {
                stamps[row[0]] = RunStamp(
                    status: RunStatus(rawValue: row[1]) ?? .failed, lastCommit: row[2], cells: row[3], deleted: row[4])
            }
            return stamps
        }
    }
}
