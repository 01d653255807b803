import Testing

@testable import Store

@Suite struct RollbackTests {
    @Test func checkpointRollbackWritesANewVersionEqualToTheTarget() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            let v1 = try #require(
                try store.commit(run: run, commit(1, [("policy", .checkpoint(policy()))])).newVersions.first)
            _ = try store.commit(run: run, commit(2, [("policy", .checkpoint(policy(offset: 1)))]))
            let blobsBefore = try tableCounts(store)["blobs"]

            let v3 = try store.rollback(run: run, object: "policy", to: 1)
            #expect(v3.version == 3)
            #expect(v3.contentHash == v1.contentHash)
            #expect(v3.bytesWritten == 0)
            #expect(v3.note == "rollback to v1")
            #expect(v3.cellOrdinal == nil)
            #expect(v3.cellKey == nil)
            #expect(try tableCounts(store)["blobs"] == blobsBefore)

            let log = try store.log(run: run, object: "policy")
            #expect(log.map(\.version) == [1, 2, 3])
            #expect(log.last == v3)
            #expect(
                try store.checkpoint(VersionRef(run: run, object: "policy", version: 3)).1
                    == store.checkpoint(VersionRef(run: run, object: "policy", version: 1)).1)
        }
    }

    @Test func datasetRollbackRestoresTheRowsAliveThen() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            let v1Rows = (1...4).map { row($0) }
            _ = try store.commit(
                run: run, commit(1, [("prefs", .dataset(kind: "preferences", config: "{}", rows: v1Rows))]))
            let v2Rows = [row(1), row(3, label: 2), row(5)]
            _ = try store.commit(
                run: run, commit(2, [("prefs", .dataset(kind: "preferences", config: "{}", rows: v2Rows))]))

            let v3 = try store.rollback(run: run, object: "prefs", to: 1)
            let (info1, rows1) = try store.datasetRows(VersionRef(run: run, object: "prefs", version: 1))
            #expect(try store.datasetRows(VersionRef(run: run, object: "prefs", version: 3)).1 == v1Rows)
            #expect(try store.datasetRows(VersionRef(run: run, object: "prefs", version: 2)).1 == v2Rows)
            #expect(rows1 == v1Rows)
            #expect(v3.contentHash == info1.contentHash)
            #expect(v3.rows == v1Rows.count)
            // Rows 2, 3 and 4 were not alive at v2 and come back as copies.
            let revived = [row(2), row(3), row(4)]
            #expect(v3.bytesWritten == revived.reduce(0) { $0 + 4 * ($1.chosen.count + $1.rejected.count) })

            // Committing v1's content again is no change any more.
            let again = try store.commit(
                run: run, commit(3, [("prefs", .dataset(kind: "preferences", config: "{}", rows: v1Rows))]))
            #expect(again.newVersions.isEmpty)
        }
    }

    @Test func rollbackToAMissingVersionSaysWhatExists() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(run: run, commit(1, [("policy", .checkpoint(policy()))]))
            let before = try tableCounts(store)
            #expect(
                storeError { _ = try store.rollback(run: run, object: "policy", to: 9) }
                    == .unknownVersion(run: run, object: "policy", version: 9, latest: 1))
            #expect(
                storeError { _ = try store.rollback(run: run, object: "polcy", to: 1) }
                    == .unknownObject(run: run, name: "polcy", objects: ["policy"]))
            #expect(
                storeError { _ = try store.rollback(run: run + 1, object: "policy", to: 1) }
                    == .unknownRun(run + 1, latest: run))
            #expect(try tableCounts(store) == before)
        }
    }
}
