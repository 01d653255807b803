import Foundation
import Testing

@Suite struct MetricsCommandTests {
    @Test func metricsAsSummaryTableCSVAndJSON() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write(
            "small.rlhf", smallNotebook + "\nlog_metric(\"final\", 0.5)\nlog_metric(\"final\", 0.75)\n")
        #expect(try cli("run", nb, "--quiet").status == 0)

        let summary = try cli("metrics", "1")
        #expect(summary.status == 0, "\(summary.stderr)")
        let lines = summary.stdout.split(separator: "\n").map {
            $0.split(separator: " ", omittingEmptySubsequences: true)
        }
        #expect(lines.first == ["NAME", "POINTS", "STEPS", "FIRST", "LAST", "MIN", "MAX"])
        #expect(lines.contains(["final", "2", "0–1", "0.5", "0.75", "0.5", "0.75"]))
        #expect(
            lines.contains { $0.first == "rm.loss" && $0.dropFirst().first == "4" && $0.dropFirst(2).first == "0–3" })
        #expect(lines.contains { $0.first == "policy.kl" && $0.dropFirst().first == "30" })

        let csv = try cli("metrics", "1", "--name", "final", "--csv")
        #expect(csv.stdout == "run,name,step,value\n1,final,0,0.5\n1,final,1,0.75\n")

        let json = try cli("metrics", "1", "--json")
        let series = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(
            series.map { $0["name"] as? String } == [
                "final", "policy.gold", "policy.kl", "policy.loss", "policy.rm_score", "rm.accuracy", "rm.loss",
            ])
        #expect(series.first?["values"] as? [Double] == [0.5, 0.75])
        #expect((series.last?["steps"] as? [Int]) == [0, 1, 2, 3])

        let unknown = try cli("metrics", "1", "--name", "nope")
        #expect(unknown.status != 0)
        #expect(unknown.stderr.hasPrefix("error: run 1 has no metric 'nope' (metrics: final, policy.gold"))
    }

    /// `--csv` of every series, written through a buffer as SQLite hands the rows over, holds exactly the rows
    /// `rlhf query` reads from the `metrics` view, with the same values to the last bit; the summary's counts and last
    /// values agree with them too.
    @Test func csvOfEverySeriesEqualsTheQueriedRows() throws {
        let cli = try CLI()
        defer { cli.remove() }
        // 6,000 points of ~30 bytes fill the 64 KB output buffer a few times over.
        let nb = try cli.write(
            "small.rlhf",
            smallNotebook + "\nlog_metric(\"final\", 0.1)\nlog_metric(\"final\", 1e-7)\n"
                + "for i in range(6000) {\n    log_metric(\"many\", i / 7 - 300)\n}\n")
        #expect(try cli("run", nb, "--quiet").status == 0)
        let csv = try cli("metrics", "1", "--csv")
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "run,name,step,value")
        let points = lines.dropFirst().map { $0.split(separator: ",").map(String.init) }
        let queried = try cli(
            "query", "--csv", "SELECT name, step, value FROM metrics WHERE run_id = 1 ORDER BY name, step")
        let rows = queried.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(points.count == rows.count && rows.count > 6_040)
        for (point, row) in zip(points, rows) {
            #expect(point[0] == "1" && point[1] == row[0] && point[2] == row[1])
            #expect(Double(point[3]) == Double(row[2]), "\(point) vs \(row)")
        }
        #expect(points.contains(["1", "final", "1", "1e-07"]))
        let summary = try cli("metrics", "1")
        let final = summary.stdout.split(separator: "\n").first { $0.hasPrefix("final ") }
        #expect(final?.split(separator: " ") == ["final", "2", "0–1", "0.1", "1.0000e-07", "1.0000e-07", "0.1"])
    }
}
