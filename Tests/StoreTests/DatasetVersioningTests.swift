import Testing

@testable import Store

@Suite struct DatasetVersioningTests {
    @Test func rowsAreTemporal() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            let v1Rows = (1...5).map { row($0) }
            let first = try store.commit(
                run: run, commit(1, [("prefs", .dataset(kind: "preferences", config: "{}", rows: v1Rows.reversed()))]))
            #expect(first.feedbackRows == 5)
            #expect(first.newVersions.first?.rows == 5)
            #expect(
                first.newVersions.first?.bytesWritten
                    == v1Rows.reduce(0) { $0 + 4 * ($1.chosen.count + $1.rejected.count) })

            // v2: uid 2 removed, uid 3 relabelled, uid 6 added.
            var v2Rows = v1Rows.filter { $0.uid != 2 }
            v2Rows[1] = row(3, label: 1)
            v2Rows.append(row(6))
            let second = try store.commit(
                run: run, commit(2, [("prefs", .dataset(kind: "preferences", config: "{}", rows: v2Rows))]))
            #expect(second.feedbackRows == 2)
            #expect(second.newVersions.first?.rows == v2Rows.count)

            let (info1, rows1) = try store.datasetRows(VersionRef(run: run, object: "prefs", version: 1))
            let (info2, rows2) = try store.datasetRows(VersionRef(run: run, object: "prefs"))
            #expect(info1.version == 1)
            #expect(info2.version == 2)
            #expect(rows1 == v1Rows)
            #expect(rows2 == v2Rows.sorted { $0.uid < $1.uid })
            // Old rows are kept: 5 originals, the relabel and uid 6.
            #expect(try tableCounts(store)["feedback"] == 7)
        }
    }

    @Test func unchangedDatasetMakesNoVersion() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            let rows = (1...3).map { row($0) }
            _ = try store.commit(
                run: run, commit(1, [("prefs", .dataset(kind: "preferences", config: "{}", rows: rows))]))
            let again = try store.commit(
                run: run, commit(2, [("prefs", .dataset(kind: "preferences", config: "{}", rows: rows.reversed()))]))
            #expect(again.newVersions.isEmpty)
            #expect(again.feedbackRows == 0)
        }
    }

    @Test func duplicateUIDsAreRefused() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            let error = storeError {
                _ = try store.commit(
                    run: run,
                    commit(1, [("prefs", .dataset(kind: "preferences", config: "{}", rows: [row(1), row(1)]))]))
            }
            #expect(error == .badCommit(cell: 1, reason: "dataset 'prefs' has two rows with uid 1"))
        }
    }

    @Test func wrongFamilyIsNamed() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(
                run: run, commit(1, [("prefs", .dataset(kind: "preferences", config: "{}", rows: [row(1)]))]))
            let error = storeError { _ = try store.checkpoint(VersionRef(run: run, object: "prefs", version: 1)) }
            #expect(error == .wrongKind(reference: "\(run)/prefs@1", expected: .checkpoint, actual: .dataset))
        }
    }
}
