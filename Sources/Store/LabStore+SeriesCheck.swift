import GRDB

extension LabStore {
    /// `rlhf check`: every row of `metric_series` equals the count and highest step of its series' points, and every
    /// series with points has a row (listings trust these rows instead of counting points).
    func checkMetricSeries(_ db: Database) throws -> [IntegrityProblem] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                WITH counted AS (
                    SELECT run_id, name_id, count(*) AS points, max(step) AS last_step FROM metric_points
                    GROUP BY run_id, name_id)
                SELECT c.run_id, c.name_id, c.points, c.last_step, s.points AS kept, s.last_step AS kept_step
                FROM counted c LEFT JOIN metric_series s ON s.run_id = c.run_id AND s.name_id = c.name_id
                WHERE s.points IS NOT c.points OR s.last_step IS NOT c.last_step
                UNION ALL
                SELECT s.run_id, s.name_id, 0, NULL, s.points, s.last_step FROM metric_series s
                WHERE NOT EXISTS (SELECT 1 FROM metric_points p WHERE p.run_id = s.run_id AND p.name_id = s.name_id)
                ORDER BY 1, 2
                """)
        return try rows.map { row in
            let run: Int64 = row["run_id"], nameID: Int64 = row["name_id"]
            let name = try String.fetchOne(db, sql: "SELECT name FROM metric_names WHERE id = ?", arguments: [nameID])
            let points: Int = row["points"], kept: Int? = row["kept"]
            let lastStep: Int? = row["last_step"], keptStep: Int? = row["kept_step"]
            return IntegrityProblem(
                location: "run \(run) · metric \(name.map { "'\($0)'" } ?? "#\(nameID)")",
                message: "metric_series says \(kept.map { "\($0) points up to step \(keptStep ?? 0)" } ?? "nothing")"
                    + " but the series has \(points) points" + (lastStep.map { " up to step \($0)" } ?? ""))
        }
    }
}
