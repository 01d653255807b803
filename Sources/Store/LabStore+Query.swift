import GRDB

extension LabStore {
    /// Runs read-only SQL against the store (`rlhf query "SELECT …"`) on a read-only connection of its own, handing
    /// over the rows one at a time as SQLite reads them, so memory stays that of one row whatever the result's size.
    ///
    /// Every statement is compiled under SQLite's authorizer before any runs (see ``QueryPolicy``): one that would
    /// write, change the connection, attach a file, or call anything but a pure function refuses the whole text with
    /// ``QueryError/refused(_:statement:)``. With several statements separated by `;`, only the last one's rows are
    /// handed over. Past `timeout` seconds of work inside SQLite (time spent in `row` does not count) the query
    /// stops with ``QueryError/timedOut(seconds:)``; nil means no limit.
    /// SQL SQLite cannot compile -> ``StoreError/sql(_:)``. Errors thrown by `columns` or `row` stop the query.
    /// A blob is handed over by its size (``QueryCell/blob(_:)``), or with its bytes (``QueryCell/bytes(_:)``) when
    /// `readsBlobs` is true.
    ///
    /// ```swift
    /// try store.query("SELECT name, step, value FROM metrics", timeout: 30,
    ///                 columns: { print($0) }, row: { print($0) })
    /// ```
    public func query(
        _ sql: String, timeout: Double? = nil, readsBlobs: Bool = false, columns: ([String]) throws -> Void,
        row: ([QueryCell]) throws -> Void
    ) throws {
        let queue = try Self.openReadOnlyQueue(path: path)
        do {
            try queue.inDatabase { db in
                guard let connection = db.sqliteConnection else { throw StoreError.database(path, "connection closed") }
                let tables = try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view')")
                let execution = QueryExecution(
                    connection: connection, policy: QueryPolicy(tables: tables), timeout: timeout,
                    readsBlobs: readsBlobs)
                try execution.run(sql, columns: columns, row: row)
            }
        } catch let error as DatabaseError {
            throw Self.storeError(error, path: path)
        }
    }

    /// Runs read-only SQL as ``query(_:timeout:columns:row:)`` does and returns the whole result at once.
    ///
    /// ```swift
    /// let result = try store.query("SELECT name, max(step) FROM metrics WHERE run_id = 12 GROUP BY name")
    /// ```
    public func query(_ sql: String, timeout: Double? = nil) throws -> QueryResult {
        var result = QueryResult(columns: [], rows: [])
        try query(sql, timeout: timeout, columns: { result.columns = $0 }, row: { result.rows.append($0) })
        return result
    }
}
