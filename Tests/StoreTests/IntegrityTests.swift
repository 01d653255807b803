import Foundation
import GRDB
import Testing

@testable import Store

/// `check`, `removeRun`, `collectGarbage` and crash recovery on open.
@Suite struct IntegrityTests {
    /// Two runs: run 1 has policy v1 and v2 and a dataset; run 2 has one policy sharing no tensor with run 1.
    private func populate(_ store: LabStore) throws -> (Int64, Int64) {
        let one = try store.beginRun(notebook: nil, source: "", parameters: "{}")
        _ = try store.commit(run: one, commit(1, [("policy", .checkpoint(policy()))]))
        _ = try store.commit(
            run: one,
            commit(
                2,
                [
                    ("policy", .checkpoint(policy(offset: 1))),
                    ("prefs", .dataset(kind: "preferences", config: "{}", rows: (1...3).map { row($0) })),
                ], metrics: [MetricPoint(name: "loss", step: 0, value: 1)]))
        try store.finishRun(one, status: .succeeded)
        let two = try store.beginRun(notebook: nil, source: "", parameters: "{}")
        _ = try store.commit(
            run: two,
            commit(
                1, [("other", .checkpoint(policy(offset: 50)))],
                metrics: [MetricPoint(name: "loss", step: 0, value: 2)]))
        try store.finishRun(two, status: .succeeded)
        return (one, two)
    }

    private func execute(_ store: LabStore, _ sql: String, foreignKeys: Bool = true) throws {
        var config = Configuration()
        config.foreignKeysEnabled = foreignKeys
        let queue = try DatabaseQueue(path: store.path, configuration: config)
        try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
    }

    @Test func aSoundStoreHasNoProblems() throws {
        try withTemporaryStore { store, _ in
            _ = try populate(store)
            #expect(try store.check() == [])
            #expect(try LabStore.openReadOnly(path: store.path).check() == [])
        }
    }

    @Test func aDamagedBlobIsNamedByRunObjectVersionAndTensor() throws {
        try withTemporaryStore { store, _ in
            _ = try populate(store)
            let bias = tensor("fc2.bias", [2], offset: 300)
            let hash = ContentHash.blob(FloatBytes.encode(bias.values))
            try execute(store, "UPDATE blobs SET data = zeroblob(8) WHERE hash = '\(hash)'")
            let problems = try store.check()
            #expect(problems.count == 1)
            #expect(problems.first?.location == "run 1 · policy@1 · tensor fc2.bias")
            #expect(problems.first?.message.hasPrefix("blob \(hash.prefix(12)) content hashes to") == true)
        }
    }

    @Test func aMissingBlobBreaksTheManifestAndTheForeignKey() throws {
        try withTemporaryStore { store, _ in
            _ = try populate(store)
            let weight = tensor("fc1.weight", [4, 3], offset: 50)
            let hash = ContentHash.blob(FloatBytes.encode(weight.values))
            try execute(store, "DELETE FROM blobs WHERE hash = '\(hash)'", foreignKeys: false)
            let problems = try store.check()
            #expect(
                problems.contains(
                    IntegrityProblem(
                        location: "run 2 · other@1 · tensor fc1.weight",
                        message: "its blob \(hash.prefix(12)) is missing")))
            #expect(
                problems.contains { $0.location.hasPrefix("table version_tensors row") && $0.message.contains("blobs") }
            )
            #expect(problems.count == 2)
        }
    }

    @Test func editedManifestsAndRowsNoLongerMatchTheirHashes() throws {
        try withTemporaryStore { store, _ in
            _ = try populate(store)
            try execute(store, "UPDATE versions SET config = '{\"hidden\":5}' WHERE version = 2 AND kind = 'policy'")
            try execute(store, "UPDATE feedback SET prompt = prompt + 1 WHERE uid = 2")
            let locations = try store.check().map(\.location)
            // The commit chain names the first commit whose content changed, then the other checks say what.
            #expect(locations == ["commit 2 (run 1, cell 2 'cell2')", "run 1 · policy@2", "run 1 · prefs · row uid 2"])
        }
    }

    @Test func rowsPointingAcrossRunsOrBackInTimeAreNamed() throws {
        try withTemporaryStore { store, _ in
            _ = try populate(store)
            // Run 2's version claims run 1's commit; a prefs row is "removed" by policy's first version.
            try execute(
                store,
                "UPDATE versions SET commit_id = 1 WHERE object_id = (SELECT id FROM objects WHERE name = 'other')")
            try execute(
                store,
                """
                UPDATE feedback SET removed_in = (SELECT v.id FROM versions v JOIN objects o ON o.id = v.object_id
                                                  WHERE o.name = 'policy' AND v.version = 1) WHERE uid = 3
                """)
            let problems = try store.check()
            #expect(problems.first?.location.hasPrefix("commit ") == true)
            #expect(
                problems.dropFirst().filter { !$0.location.hasPrefix("commit ") } == [
                    IntegrityProblem(location: "run 2 · other@1", message: "was committed by run 1"),
                    IntegrityProblem(
                        location: "run 1 · prefs · row uid 3", message: "was removed by a version of another object"),
                ])
        }
    }

    @Test func garbageCollectionPurgesDeletedRunsAndOnlyTheirBlobs() throws {
        try withTemporaryStore { store, _ in
            let (one, two) = try populate(store)
            let before = try tableCounts(store)
            let kept = try store.checkpoint(VersionRef(run: one, object: "policy", version: 1)).1
            // Nothing is deleted yet: nothing to collect.
            let idle = try store.collectGarbage(dryRun: false)
            #expect(idle.purgedRuns == [] && idle.blobs == 0)

            try store.removeRun(two)
            #expect(try store.runs().map(\.id) == [one])
            #expect(storeError { try store.removeRun(two) } == .runDeleted(two))

            let dry = try store.collectGarbage(dryRun: true)
            #expect(
                dry
                    == GarbageReport(
                        purgedRuns: [two], versions: 1, feedbackRows: 0, metricPoints: 1, blobs: 4,
                        blobBytes: (12 + 4 + 8 + 2) * 4, dryRun: true))
            #expect(try tableCounts(store) == before)

            var real = try store.collectGarbage(dryRun: false)
            real.dryRun = true
            #expect(real == dry)
            let after = try tableCounts(store)
            #expect(after["blobs"] == (before["blobs"] ?? 0) - 4)
            #expect(after["runs"] == 1 && after["metrics"] == 1 && after["versions"] == 3)
            #expect(try store.check() == [])
            #expect(try store.checkpoint(VersionRef(run: one, object: "policy", version: 1)).1 == kept)
            #expect(storeError { _ = try store.run(two) } == .unknownRun(two, latest: one))
        }
    }

    @Test func aRunLeftRunningByADeadProcessIsMarkedInterruptedOnOpen() throws {
        try withTemporaryStore { store, _ in
            let live = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(run: live, commit(1, [("policy", .checkpoint(policy()))]))
            // A run row no process holds, as a killed `rlhf run` leaves it: two commits, then nothing.
            try execute(
                store,
                """
                INSERT INTO runs (id, notebook, source, parameters, status, started_at)
                VALUES (7, 'dead.rlhf', '', '{}', 'running', '2026-01-01T00:00:00.000Z');
                INSERT INTO cells (id, run_id, ordinal, key, title, source, status, output, duration_ms)
                VALUES (70, 7, 1, 'a', 'a', '', 'ok', '', 1), (71, 7, 2, 'b', 'b', '', 'ok', '', 1);
                INSERT INTO commits (run_id, cell_id, created_at) VALUES (7, 70, '2026-01-01T00:00:01.000Z'),
                    (7, 71, '2026-01-01T00:00:02.000Z');
                """)
            // Read-only listings already show it as interrupted, before any writer marks it.
            let listed = try LabStore.openReadOnly(path: store.path).runs()
            #expect(listed.map(\.status) == [.running, .interrupted])
            #expect(try store.query("SELECT status FROM runs WHERE id = 7").rows == [[.text("running")]])

            let reopened = try LabStore(path: store.path)
            let dead = try #require(try reopened.runs().last)
            #expect(dead.id == 7 && dead.status == .interrupted && dead.lastCommittedCell == 2)
            #expect(dead.finishedAt == "2026-01-01T00:00:02.000Z")
            // The run this process is still writing is left alone and keeps accepting cells.
            #expect(try reopened.runs().first?.status == .running)
            _ = try reopened.commit(run: live, commit(2, [("policy", .checkpoint(policy(offset: 2)))]))
            #expect(storeError { try reopened.removeRun(live) } == .runNotFinished(live))
        }
    }
}
