import Foundation
import GRDB
import Testing

@testable import Store

/// `metric_series` (migration v12) keeps each series' point count and last step beside its points, so listings of a
/// big store read one row per series. Every figure here is checked against the points themselves, counted by hand
/// and by SQL over `metric_points`.
@Suite struct MetricSeriesTests {
    /// Run 1: `a` over two commits (steps 0–9, step 6 missing a value) and a later step 20; `b` logged out of order;
    /// `c` with no finite value. Run 2: one series. Run 3: one series, removed before gc in the purge test.
    private func populate(_ store: LabStore) throws {
        let nan = Double.nan
        let one = try store.beginRun(notebook: "nb.rlhf", source: "src", parameters: "{}")
        _ = try store.commit(
            run: one,
            commit(1, metrics: (0..<5).map { MetricPoint(name: "a", step: $0, value: Double($0) * 0.5) }))
        _ = try store.commit(
            run: one,
            commit(
                2,
                metrics: (5..<10).map { MetricPoint(name: "a", step: $0, value: $0 == 6 ? nan : Double($0) * 0.5) }
                    + [10, 3, 7].map { MetricPoint(name: "b", step: $0, value: -Double($0)) }))
        _ = try store.commit(
            run: one,
            commit(
                3,
                metrics: [
                    MetricPoint(name: "a", step: 20, value: 1.25), MetricPoint(name: "c", step: 0, value: nan),
                    MetricPoint(name: "c", step: 1, value: nan),
                ]))
        try store.finishRun(one, status: .succeeded)
        for (run, name, count) in [(2, "a", 3), (3, "d", 4)] {
            let id = try store.beginRun(notebook: "nb.rlhf", source: "src", parameters: "{}")
            #expect(id == Int64(run))
            _ = try store.commit(
                run: id, commit(1, metrics: (0..<count).map { MetricPoint(name: name, step: $0, value: 2) }))
            try store.finishRun(id, status: .succeeded)
        }
    }

    private func commit(_ ordinal: Int, metrics: [MetricPoint]) -> CellCommit {
        CellCommit(
            cell: CellRecord(ordinal: ordinal, key: "\(ordinal)", title: "", source: ""), output: "", durationMs: 0,
            metrics: metrics)
    }

    /// (run, name, points, last step), by hand from `populate`.
    private static let expected: [[String]] = [
        ["1", "a", "11", "20"], ["1", "b", "3", "10"], ["1", "c", "2", "1"], ["2", "a", "3", "2"],
        ["3", "d", "4", "3"],
    ]

    private static let fromSeries = """
        SELECT s.run_id, n.name, s.points, s.last_step FROM metric_series s JOIN metric_names n ON n.id = s.name_id
        ORDER BY s.run_id, n.name
        """
    private static let fromPoints = """
        SELECT run_id, name, count(*), max(step) FROM metrics GROUP BY run_id, name ORDER BY run_id, name
        """

    private func rows(_ store: LabStore, _ sql: String) throws -> [[String]] {
        try store.query(sql).rows.map { row in
            row.map { cell -> String in
                switch cell {
                case .integer(let n): "\(n)"
                case .text(let t): t
                default: "\(cell)"
                }
            }
        }
    }

    @Test func seriesRowsCountTheirPoints() throws {
        try withTemporaryStore { store, _ in
            try populate(store)
            #expect(try rows(store, Self.fromSeries) == Self.expected)
            #expect(try rows(store, Self.fromPoints) == Self.expected)
            #expect(try store.runs().map(\.metrics) == [16, 3, 4])
        }
    }

    /// A commit whose points clash with stored ones changes no series row (its transaction rolls back).
    @Test func aRefusedCommitCountsNothing() throws {
        try withTemporaryStore { store, _ in
            try populate(store)
            let run = try store.beginRun(notebook: "nb.rlhf", source: "src", parameters: "{}")
            _ = try store.commit(run: run, commit(1, metrics: [MetricPoint(name: "e", step: 0, value: 1)]))
            #expect(throws: StoreError.self) {
                try store.commit(
                    run: run,
                    commit(
                        2,
                        metrics: [MetricPoint(name: "f", step: 0, value: 1), MetricPoint(name: "e", step: 0, value: 2)]
                    ))
            }
            #expect(try rows(store, Self.fromSeries) == Self.expected + [["4", "e", "1", "0"]])
        }
    }

    @Test(arguments: [
        // name, points, first step, last step, first, last, min, max (NaN: none)
        ("a", 11, 0, 20, 0.0, 1.25, 0.0, 4.5),
        ("b", 3, 3, 10, -3.0, -10.0, -10.0, -3.0),
        ("c", 2, 0, 1, Double.nan, Double.nan, Double.nan, Double.nan),
    ])
    func summariesAreTheSeriesFiguresByHand(
        _ e: (String, Int, Int, Int, Double, Double, Double, Double)
    ) throws {
        try withTemporaryStore { store, _ in
            try populate(store)
            let s = try #require(try store.metricSummaries(run: 1).first { $0.name == e.0 })
            #expect([s.points, s.firstStep, s.lastStep] as [Int] == [e.1, e.2, e.3] as [Int])
            for (got, want) in [(s.first, e.4), (s.last, e.5), (s.min, e.6), (s.max, e.7)] {
                #expect(got == want || (got.isNaN && want.isNaN), "\(e.0): \(got) vs \(want)")
            }
        }
    }

    /// Streamed points are the loaded ones, in the same order, for every series and for each alone.
    @Test func streamedPointsEqualLoadedPoints() throws {
        try withTemporaryStore { store, _ in
            try populate(store)
            for name in [nil, "a", "b", "c"] {
                var streamed: [String] = []
                try store.forEachMetricPoint(run: 1, name: name) { n, step, value in
                    streamed.append("\(n) \(step) \(value)")
                }
                let loaded = try store.metrics(run: 1, name: name).map { "\($0.name) \($0.step) \($0.value)" }
                #expect(streamed == loaded)
                #expect(streamed.count == (name == nil ? 16 : ["a": 11, "b": 3, "c": 2][name ?? ""]))
            }
            #expect(try store.metricSummaries(run: 1).map(\.name) == ["a", "b", "c"])
            #expect(try store.metricNames(run: 1) == ["a", "b", "c"])
        }
    }

    @Test func finalMetricsAreTheValuesAtTheLastSteps() throws {
        try withTemporaryStore { store, _ in
            try populate(store)
            let finals = try store.finalMetrics(runs: [1, 2])
            #expect(finals[1]?["a"] == 1.25)
            #expect(finals[1]?["b"] == -10)
            #expect(finals[1]?["c"]?.isNaN == true)
            #expect(finals[2] == ["a": 2])
        }
    }

    @Test func gcPurgesARunsSeries() throws {
        try withTemporaryStore { store, _ in
            try populate(store)
            try store.removeRun(3)
            let report = try store.collectGarbage(dryRun: false)
            #expect(report.metricPoints == 4)
            #expect(try rows(store, Self.fromSeries) == Array(Self.expected.dropLast()))
            #expect(try rows(store, Self.fromPoints) == Array(Self.expected.dropLast()))
        }
    }

    /// A store from before v12 (no `metric_series`) is backfilled from its points.
    @Test func theMigrationBackfillsAnOldStore() throws {
        try withTemporaryStore { store, folder in
            try populate(store)
            let old = folder.appendingPathComponent("old.sqlite").path
            try DatabaseQueue(path: store.path).writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM INTO ?", arguments: [old])
            }
            try tamper(
                old, "DROP TABLE metric_series; DELETE FROM grdb_migrations WHERE identifier = 'v12-metric-series'")
            let upgraded = try LabStore(path: old)
            #expect(try rows(upgraded, Self.fromSeries) == Self.expected)
            #expect(try upgraded.check() == [])
        }
    }

    /// `rlhf check` recounts every series: a row edited by hand, or removed, is named with what the points say.
    @Test func checkRecountsTheSeries() throws {
        try withTemporaryStore { store, _ in
            try populate(store)
            #expect(try store.check() == [])
            try tamper(
                store.path,
                """
                UPDATE metric_series SET points = 9
                WHERE run_id = 1 AND name_id = (SELECT id FROM metric_names WHERE name = 'b');
                DELETE FROM metric_series WHERE run_id = 3
                """)
            #expect(
                try store.check().map(\.description) == [
                    "run 1 · metric 'b': metric_series says 9 points up to step 10"
                        + " but the series has 3 points up to step 10",
                    "run 3 · metric 'd': metric_series says nothing but the series has 4 points up to step 3",
                ])
        }
    }

    /// Series `a` of run 1 (steps 0–9 and 20, step 6's value missing) thinned to `limit` points: every point when it
    /// has at most that many, else for each of `limit` equally spaced steps from 0 to 20 the first point at or after
    /// it, by hand.
    @Test(arguments: [
        (11, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20]), (50, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20]),
        // Targets 0, 2, 4, 7, 9, 11, 13, 16, 18, 20 (20·i/9 rounded): the last five land on step 20.
        (10, [0, 2, 4, 7, 9, 20]), (2, [0, 20]), (5, [0, 5, 20]), (1, [0, 20]),
    ])
    func thinnedSeriesKeepEvenlySpacedSteps(limit: Int, steps: [Int]) throws {
        try withTemporaryStore { store, _ in
            try populate(store)
            let a = try #require(try store.thinnedMetricSeries(run: 1, names: ["a"], limit: limit).first)
            #expect(a.name == "a" && a.total == 11)
            #expect(a.steps == steps)
            #expect(
                a.values.map { $0.isNaN ? -1 : $0 } == steps.map { $0 == 6 ? -1 : $0 == 20 ? 1.25 : Double($0) / 2 })
            let all = try store.thinnedMetricSeries(run: 1, limit: limit)
            #expect(all.map(\.name) == ["a", "b", "c"])
            #expect(all[1].steps == (limit >= 3 ? [3, 7, 10] : [3, 10]))
        }
    }

    /// A series of 100 points at uneven steps (squares, so dense early and sparse late), thinned to `limit`: whether
    /// the store scans it (up to 8 × `limit` points) or seeks each target (more), it keeps for each of `limit` equally
    /// spaced steps the first point at or after it, as computed here from the points themselves.
    @Test(arguments: [2, 3, 5, 7, 12, 13, 20, 50, 99, 100, 150])
    func scanAndSeekKeepTheSamePoints(limit: Int) throws {
        try withTemporaryStore { store, _ in
            let steps = (0..<100).map { $0 * $0 }
            let run = try store.beginRun(notebook: "nb.rlhf", source: "src", parameters: "{}")
            _ = try store.commit(
                run: run, commit(1, metrics: steps.map { MetricPoint(name: "sq", step: $0, value: Double($0) + 0.5) }))
            var expected: [Int] = []
            if limit >= steps.count {
                expected = steps
            } else {
                let last = steps[steps.count - 1]
                for i in 0..<limit {
                    let target = Int((Double(i) * Double(last) / Double(limit - 1)).rounded())
                    if let step = steps.first(where: { $0 >= target }), step != expected.last { expected.append(step) }
                }
            }
            let thinned = try #require(try store.thinnedMetricSeries(run: run, limit: limit).first)
            #expect(thinned.steps == expected)
            #expect(thinned.values == expected.map { Double($0) + 0.5 })
            #expect(thinned.total == 100)
        }
    }
}
