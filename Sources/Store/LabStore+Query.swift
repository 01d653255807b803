import GRDB

extension LabStore {
    /// Runs read-only SQL against the store (`rlhf query "SELECT …"`) on a separate read-only connection.
    ///
    /// Every statement is compiled and checked before any runs: one that would write (INSERT/UPDATE/DELETE/DROP/
    /// CREATE/ALTER/REPLACE, a writing PRAGMA, ATTACH/DETACH, BEGIN/COMMIT, VACUUM...) refuses the whole text with
    /// ``StoreError/readOnlyQuery(_:)``. With several statements separated by `;`, only the last one's result is
    /// returned. SQL errors -> ``StoreError/sql(_:)``.
    ///
    /// ```swift
    /// let result = try store.query("SELECT name, max(step) FROM metrics WHERE run_id = 12 GROUP BY name")
    /// ```
    public func query(_ sql: String) throws -> QueryResult {
        let queue = try Self.openReadOnlyQueue(path: path)
        do {
            return try queue.read { db in
                var statements: [Statement] = []
                let cursor = try db.allStatements(sql: sql)
                while let statement = try cursor.next() {
                    try QueryGuard.check(statement)
                    statements.append(statement)
                }
                guard let last = statements.popLast() else { return QueryResult(columns: [], rows: []) }
                for statement in statements {
                    try statement.execute()
                }
                let rows = try Row.fetchAll(last).map { row in
                    (0..<row.count).map { index in Self.queryCell(row[index] as DatabaseValue) }
                }
                return QueryResult(columns: last.columnNames, rows: rows)
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR {
            throw StoreError.sql(error.message ?? "\(error)")
        } catch let error as DatabaseError {
            throw Self.storeError(error, path: path)
        } catch {
            throw StoreError.sql("\(error)")
        }
    }

    private static func queryCell(_ value: DatabaseValue) -> QueryCell {
        switch value.storage {
        case .null: .null
        case .int64(let integer): .integer(integer)
        case .double(let real): .real(real)
        case .string(let text): .text(text)
        case .blob(let data): .blob(data.count)
        }
    }
}
