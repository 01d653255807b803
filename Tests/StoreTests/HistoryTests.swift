import GRDB
import Testing

@testable import Store

@Suite struct HistoryTests {
    /// The listing's reads of a run's first failed and last committed cell are answered by `cells_run_status`
    /// (migration v15), not by reading every cell row of the run.
    @Test(arguments: [
        "SELECT c.ordinal FROM cells c WHERE c.run_id = 1 AND c.status = 'failed' ORDER BY c.id LIMIT 1",
        "SELECT max(c.ordinal) FROM cells c WHERE c.run_id = 1 AND c.status = 'ok'",
    ])
    func cellStatusReadsUseTheCoveringIndex(sql: String) throws {
        try withTemporaryStore { store, _ in
            let plan = try store.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String? ?? "" }
            }
            #expect(plan.contains { $0.contains("USING COVERING INDEX cells_run_status") }, "\(plan)")
        }
    }

    @Test func runDetailListsCellsObjectsAndVersions() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(
                notebook: "quickstart.rlhf", source: "whole notebook", parameters: #"{"seed":42}"#)
            let first = try store.commit(
                run: run,
                commit(
                    1,
                    [
                        ("policy", .checkpoint(policy())),
                        ("prefs", .dataset(kind: "preferences", config: "{}", rows: [row(1)])),
                    ]))
            _ = try store.commit(run: run, commit(2, [("policy", .checkpoint(policy(offset: 2)))]))
            try store.recordFailure(run: run, cell: cell(3), output: "", error: "division by zero", durationMs: 1)
            try store.finishRun(run, status: .failed)

            let detail = try store.run(run)
            #expect(detail.source == "whole notebook")
            #expect(detail.run.notebook == "quickstart.rlhf")
            #expect(detail.run.status == .failed)
            #expect(detail.run.cells == 3)
            #expect(detail.run.failedCell == 3)
            #expect(detail.run.objects == 2)
            #expect(detail.run.versions == 3)
            #expect(detail.cells.map(\.status) == [.ok, .ok, .failed])
            #expect(detail.cells[0].commit == first.commit)
            #expect(detail.objects.map(\.name) == ["policy", "prefs"])
            #expect(detail.objects.map(\.kind) == [.checkpoint, .dataset])
            #expect(detail.objects[0].versions.map(\.version) == [1, 2])
            #expect(detail.objects[0].versions.map(\.cellOrdinal) == [1, 2])
            #expect(detail.objects[1].versions.first?.rows == 1)
            #expect(try store.runs() == [detail.run])
        }
    }

    @Test func unknownNamesAreReportedWithWhatExists() throws {
        try withTemporaryStore { store, _ in
            #expect(storeError { _ = try store.run(1) } == .unknownRun(1, latest: nil))
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(
                run: run, commit(1, [("policy", .checkpoint(policy())), ("rm", .checkpoint(policy(offset: 9)))]))
            #expect(storeError { _ = try store.run(42) } == .unknownRun(42, latest: run))
            #expect(
                storeError { _ = try store.log(run: run, object: "polcy") }
                    == .unknownObject(run: run, name: "polcy", objects: ["policy", "rm"]))
            #expect(
                storeError { _ = try store.checkpoint(VersionRef(run: run, object: "policy", version: 9)) }
                    == .unknownVersion(run: run, object: "policy", version: 9, latest: 1))
            #expect(storeError { _ = try store.metrics(run: 42, name: nil) } == .unknownRun(42, latest: run))
        }
    }

    @Test func metricsAreOrderedAndKeepNaN() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(
                run: run,
                commit(
                    1,
                    metrics: [
                        MetricPoint(name: "rm.loss", step: 2, value: 0.5),
                        MetricPoint(name: "acc", step: 1, value: 0.9),
                        MetricPoint(name: "rm.loss", step: 1, value: .nan),
                    ]))
            let summary = try store.commit(
                run: run, commit(2, metrics: [MetricPoint(name: "rm.loss", step: 3, value: -.infinity)]))
            #expect(summary.metrics == 1)
            let all = try store.metrics(run: run, name: nil)
            #expect(all.map(\.name) == ["acc", "rm.loss", "rm.loss", "rm.loss"])
            #expect(all.map(\.step) == [1, 1, 2, 3])
            #expect(all[1].value.isNaN)
            #expect(all[3].value == -.infinity)
            #expect(try store.metrics(run: run, name: "acc").map(\.value) == [0.9])
            #expect(try store.latestStep(run: run, metric: "rm.loss") == 3)
            #expect(try store.latestStep(run: run, metric: "missing") == nil)
        }
    }

    @Test func bindingsPinTheVersionCurrentAfterTheCommit() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            let first = try store.commit(
                run: run,
                commit(
                    1, [("policy", .checkpoint(policy()))],
                    bindings: [("lr", .value(json: "0.001")), ("policy", .object(name: "policy"))]))
            // Unchanged content: the binding must pin v1 again.
            let second = try store.commit(
                run: run, commit(2, [("policy", .checkpoint(policy()))], bindings: [("p", .object(name: "policy"))]))
            _ = try store.commit(
                run: run,
                commit(3, [("policy", .checkpoint(policy(offset: 1)))], bindings: [("p", .object(name: "policy"))]))

            let bindings = try store.bindings(commit: first.commit)
            #expect(bindings.map(\.name) == ["lr", "policy"])
            #expect(bindings[0].value == .value(json: "0.001") && bindings[0].version == nil)
            #expect(bindings[1].value == .object(name: "policy"))
            #expect(bindings[1].version?.version == 1)
            #expect(try store.bindings(commit: second.commit).first?.version?.version == 1)

            let pinned = try #require(try store.bindings(commit: second.commit).first?.version)
            let (_, state) = try store.state(
                VersionRef(run: pinned.run, object: pinned.object, version: pinned.version))
            var sorted = policy()
            sorted.tensors.sort { $0.name < $1.name }
            #expect(state == .checkpoint(sorted))
        }
    }
}
