import Foundation
import Testing

@testable import Store

@Suite struct CheckpointVersioningTests {
    @Test func sameCheckpointTwiceMakesOneVersion() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: "nb.rlhf", source: "src", parameters: "{}")
            let first = try store.commit(run: run, commit(1, [("policy", .checkpoint(policy()))]))
            var reordered = policy()
            reordered.tensors.reverse()
            let second = try store.commit(run: run, commit(2, [("policy", .checkpoint(reordered))]))

            let expectedBytes = policy().tensors.reduce(0) { $0 + 4 * $1.values.count }
            #expect(first.newVersions.map(\.version) == [1])
            #expect(first.bytesWritten == expectedBytes)
            #expect(second.newVersions.isEmpty)
            #expect(second.bytesWritten == 0)
            #expect(try store.log(run: run, object: "policy").count == 1)
            #expect(try tableCounts(store)["blobs"] == Int64(policy().tensors.count))
        }
    }

    @Test func changingOneOfFourTensorsWritesOnlyThatTensor() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(run: run, commit(1, [("policy", .checkpoint(policy()))]))
            var changed = policy()
            let index = try #require(changed.tensors.firstIndex { $0.name == "fc2.weight" })
            changed.tensors[index].values[3] += 0.25
            let summary = try store.commit(run: run, commit(2, [("policy", .checkpoint(changed))]))

            let version = try #require(summary.newVersions.first)
            #expect(version.version == 2)
            #expect(version.bytesWritten == 4 * changed.tensors[index].values.count)
            #expect(version.cellOrdinal == 2)
            #expect(version.cellKey == "cell2")
            #expect(try tableCounts(store)["blobs"] == Int64(policy().tensors.count + 1))
            #expect(try tableCounts(store)["version_tensors"] == Int64(2 * policy().tensors.count))
        }
    }

    @Test func identicalContentUnderAnotherNameCostsNoBytes() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            let first = try store.commit(run: run, commit(1, [("policy", .checkpoint(policy()))]))
            let copy = try store.commit(run: run, commit(2, [("reference", .checkpoint(policy()))]))
            let version = try #require(copy.newVersions.first)
            #expect(version.object == "reference")
            #expect(version.version == 1)
            #expect(version.bytesWritten == 0)
            #expect(version.contentHash == first.newVersions.first?.contentHash)
        }
    }

    @Test func checkpointRoundTripsSortedByName() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            var original = policy()
            original.tensors.append(StoredTensor(name: "scale", shape: [], values: [-0.0]))
            let summary = try store.commit(run: run, commit(1, [("policy", .checkpoint(original))]))
            let (info, loaded) = try store.checkpoint(VersionRef(run: run, object: "policy"))
            var expected = original
            expected.tensors.sort { $0.name < $1.name }
            #expect(loaded == expected)
            #expect(loaded.tensors.last?.values.first?.bitPattern == Float(-0.0).bitPattern)
            #expect(info == summary.newVersions.first)
        }
    }

    @Test(arguments: [
        (StoredTensor(name: "w", shape: [2, 3], values: [1, 2, 3, 4, 5]), "5 values but shape [2,3] needs 6"),
        (StoredTensor(name: "w", shape: [-1, 3], values: [1, 2, 3]), "negative or overflowing"),
        (StoredTensor(name: "w", shape: [], values: []), "0 values but shape [] needs 1"),
    ])
    func badTensorsAreRefusedWithTheirName(bad: StoredTensor, reasonFragment: String) throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            let checkpoint = Checkpoint(kind: "policy", config: "{}", tensors: [bad])
            let error = storeError { _ = try store.commit(run: run, commit(1, [("policy", .checkpoint(checkpoint))])) }
            guard case .badTensor(let object, let name, let reason) = error else {
                Issue.record("expected badTensor, got \(String(describing: error))")
                return
            }
            #expect(object == "policy")
            #expect(name == "w")
            #expect(reason.contains(reasonFragment))
        }
    }

    @Test func aNameKeepsItsFamily() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(run: run, commit(1, [("x", .checkpoint(policy()))]))
            let error = storeError {
                _ = try store.commit(
                    run: run, commit(2, [("x", .dataset(kind: "preferences", config: "{}", rows: []))]))
            }
            guard case .badCommit(2, let reason) = error else {
                Issue.record("expected badCommit, got \(String(describing: error))")
                return
            }
            #expect(reason.contains("'x' is a checkpoint"))
        }
    }
}
