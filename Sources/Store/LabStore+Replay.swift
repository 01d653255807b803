import GRDB

extension LabStore {
    /// The metric points of a run in commit order (then by name and step), each with the commit (so the cell) that
    /// measured it. NULL values (NaN) read back as NaN. `rlhf replay --verify` compares these point by point.
    ///
    /// ```swift
    /// for point in try store.committedMetrics(run: 12) { print(point.commit, point.point.name) }
    /// ```
    public func committedMetrics(run: Int64) throws -> [(commit: Int64, point: MetricPoint)] {
        try read { db in
            _ = try DBRun.existing(db, id: run)
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT commit_id, name, step, value FROM metrics WHERE run_id = ? ORDER BY commit_id, name, step",
                arguments: [run])
            return rows.map { row in
                let value: Double? = row["value"]
                return (
                    commit: row["commit_id"],
                    point: MetricPoint(name: row["name"], step: row["step"], value: value ?? .nan)
                )
            }
        }
    }
}
