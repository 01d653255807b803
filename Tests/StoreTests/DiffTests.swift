import Testing

@testable import Store

@Suite struct DiffTests {
    /// Independent reference computation of the diff statistics.
    private func expected(_ a: [Float], _ b: [Float]) -> (l2: Double, maxAbs: Double, fraction: Double) {
        let deltas = zip(a, b).map { Double($1) - Double($0) }
        let changed = zip(a, b).filter { $0 != $1 }.count
        return (
            deltas.map { $0 * $0 }.reduce(0, +).squareRoot(), deltas.map(abs).max() ?? 0,
            Double(changed) / Double(a.count)
        )
    }

    @Test func modelDiffReportsEveryTensor() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            let a = policy()
            var b = policy()
            b.tensors[0].values[1] += 3  // fc1.weight: two entries change
            b.tensors[0].values[7] -= 4
            b.tensors[2] = tensor("fc2.weight", [4, 2])  // reshaped
            b.tensors.remove(at: 3)  // fc2.bias removed
            b.tensors.append(tensor("fc3.bias", [3], offset: 1))
            b.config = #"{"hidden":4,"input":3,"output":3}"#
            _ = try store.commit(run: run, commit(1, [("policy", .checkpoint(a))]))
            _ = try store.commit(run: run, commit(2, [("policy", .checkpoint(b))]))

            guard
                case .model(let diff) = try store.diff(
                    VersionRef(run: run, object: "policy", version: 1),
                    VersionRef(run: run, object: "policy", version: 2))
            else {
                Issue.record("expected a model diff")
                return
            }
            #expect(diff.tensors.map(\.name) == ["fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight", "fc3.bias"])
            #expect(diff.tensors.map(\.status) == ["unchanged", "changed", "removed", "reshaped", "added"])
            #expect(diff.configA == a.config)
            #expect(diff.configB == b.config)
            #expect(diff.a.version == 1 && diff.b.version == 2)

            let changed = diff.tensors[1]
            let reference = expected(a.tensors[0].values, b.tensors[0].values)
            #expect(abs(changed.l2 - reference.l2) < 1e-12)
            #expect(changed.maxAbs == reference.maxAbs)
            #expect(changed.changedFraction == reference.fraction)
            #expect(changed.shapeA == [4, 3] && changed.shapeB == [4, 3])

            let unchanged = diff.tensors[0]
            #expect(unchanged.l2 == 0 && unchanged.maxAbs == 0 && unchanged.changedFraction == 0)

            let removed = diff.tensors[2]
            let removedValues = a.tensors[3].values
            let removedReference = expected(removedValues, removedValues.map { _ in 0 })
            #expect(removed.shapeB == nil)
            #expect(abs(removed.l2 - removedReference.l2) < 1e-12)

            let added = diff.tensors[4]
            #expect(added.shapeA == nil && added.shapeB == [3])
            #expect(added.changedFraction == 1)
            #expect(diff.tensors[3].shapeA == [2, 4] && diff.tensors[3].shapeB == [4, 2])
        }
    }

    @Test func diffAcrossRunsOfIdenticalContentIsEmpty() throws {
        try withTemporaryStore { store, _ in
            let first = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(run: first, commit(1, [("policy", .checkpoint(policy()))]))
            let second = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(run: second, commit(1, [("policy", .checkpoint(policy()))]))
            guard
                case .model(let diff) = try store.diff(
                    try VersionRef(parsing: "\(first)/policy@1"), try VersionRef(parsing: "\(second)/policy"))
            else {
                Issue.record("expected a model diff")
                return
            }
            #expect(diff.isIdentical)
            #expect(diff.a.run == first && diff.b.run == second)
        }
    }

    @Test func datasetDiffListsRowsAddedAndRemoved() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(
                run: run, commit(1, [("prefs", .dataset(kind: "p", config: "{}", rows: (1...4).map { row($0) }))]))
            let v2Rows = [row(1), row(3, label: 5), row(4), row(9)]
            _ = try store.commit(run: run, commit(2, [("prefs", .dataset(kind: "p", config: "{}", rows: v2Rows))]))
            guard
                case .dataset(let diff) = try store.diff(
                    VersionRef(run: run, object: "prefs", version: 1), VersionRef(run: run, object: "prefs", version: 2)
                )
            else {
                Issue.record("expected a dataset diff")
                return
            }
            #expect(diff.added == [row(3, label: 5), row(9)])
            #expect(diff.removed == [row(2), row(3)])
            #expect(diff.addedCount == 2 && diff.removedCount == 2)
        }
    }

    @Test func checkpointAgainstDatasetIsRefused() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(
                run: run,
                commit(
                    1,
                    [("policy", .checkpoint(policy())), ("prefs", .dataset(kind: "p", config: "{}", rows: [row(1)]))]))
            let error = storeError {
                _ = try store.diff(VersionRef(run: run, object: "policy"), VersionRef(run: run, object: "prefs"))
            }
            guard case .cannotDiff(_, _, let reason) = error else {
                Issue.record("expected cannotDiff, got \(String(describing: error))")
                return
            }
            #expect(reason.contains("checkpoint") && reason.contains("dataset"))
        }
    }
}
