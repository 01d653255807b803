import Foundation
import GRDB
import Testing

@testable import Store

/// Metric points: interned names, one batched insert per commit, one point per step of a series, the v1 upgrade.
@Suite struct MetricStorageTests {
    @Test func namesAreStoredOnceAndPointsReadBackInSeriesOrder() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            let first = (0..<1200).map { MetricPoint(name: "rm.loss", step: $0, value: 1 / Double($0 + 1)) }
            _ = try store.commit(run: run, commit(1, metrics: first + [MetricPoint(name: "acc", step: 0, value: .nan)]))
            _ = try store.commit(run: run, commit(2, metrics: [MetricPoint(name: "rm.loss", step: 1200, value: 0)]))
            #expect(
                try store.query("SELECT name FROM metric_names ORDER BY id").rows == [
                    [.text("acc")], [.text("rm.loss")],
                ])
            #expect(try store.query("SELECT count(*) FROM metric_points").rows == [[.integer(1202)]])
            #expect(try store.query("SELECT count(*) FROM v_metrics WHERE cell = 2").rows == [[.integer(1)]])
            let loss = try store.metrics(run: run, name: "rm.loss")
            #expect(loss.map(\.step) == Array(0...1200))
            #expect(loss[3].value == 0.25 && loss.last?.value == 0)
            let all = try store.metrics(run: run)
            #expect(all.first?.name == "acc" && all.first?.value.isNaN == true)
            #expect(try store.metricNames(run: run) == ["acc", "rm.loss"])
        }
    }

    @Test func aStepTwiceIsRefusedAndNothingIsWritten() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(run: run, commit(1, metrics: [MetricPoint(name: "loss", step: 0, value: 1)]))
            let before = try tableCounts(store)
            let twice = [MetricPoint(name: "loss", step: 1, value: 1), MetricPoint(name: "loss", step: 1, value: 2)]
            #expect(
                storeError { _ = try store.commit(run: run, commit(2, metrics: twice)) }
                    == .badCommit(cell: 2, reason: "metric 'loss' has step 1 twice"))
            let again = [MetricPoint(name: "loss", step: 5, value: 1), MetricPoint(name: "loss", step: 0, value: 3)]
            #expect(
                storeError { _ = try store.commit(run: run, commit(2, metrics: again)) }
                    == .badCommit(cell: 2, reason: "metric 'loss' already has step 0 in run \(run)"))
            #expect(try tableCounts(store) == before)
        }
    }

    @Test func aVersion1StoreKeepsItsMetricsWhenUpgraded() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("old.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: "v1")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (id, source, parameters, status, started_at) VALUES (1, '', '{}', 'succeeded', 't');
                    INSERT INTO commits (id, run_id, created_at) VALUES (1, 1, 't');
                    INSERT INTO metrics (run_id, commit_id, name, step, value)
                    VALUES (1, 1, 'b', 0, 0.5), (1, 1, 'a', 0, 1.5), (1, 1, 'b', 1, NULL);
                    """)
        }
        try queue.close()
        let store = try LabStore(path: path)
        let points = try store.metrics(run: 1)
        #expect(points.map(\.name) == ["a", "b", "b"])
        #expect(points.map(\.step) == [0, 0, 1])
        #expect(points[1].value == 0.5 && points[2].value.isNaN)
        #expect(try store.query("SELECT sum(value) FROM metrics").rows == [[.real(2)]])
        #expect(try store.query("SELECT metric_points FROM v_runs").rows == [[.integer(3)]])
        #expect(try store.check() == [])
    }
}
