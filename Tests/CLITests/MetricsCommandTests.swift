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
}
