import Foundation
import Testing

@testable import Store

@Suite struct RichDiffTests {
    @Test(arguments: [
        ("a\nb\nc", "a\nb\nc", [" a", " b", " c"]),
        ("a\nb\nc", "a\nx\nc", [" a", "-b", "+x", " c"]),
        ("a\nc", "a\nb\nc", [" a", "+b", " c"]),
        ("a\nb", "b", ["-a", " b"]),
        ("", "x", ["-", "+x"]),
    ])
    func lineDiffKeepsCommonLinesAndDeletesBeforeAdding(a: String, b: String, expected: [String]) {
        #expect(LineDiff.unified(a, b) == expected)
    }

    @Test func modelDiffsGiveCosineAndConfigChanges() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(run: run, commit(1, [("policy", .checkpoint(policy()))]))
            var scaled = policy(config: #"{"adam.step":3,"hidden":4,"input":3,"output":2}"#)
            // fc1.weight doubled: same direction (cosine 1); fc2.bias negated (cosine -1).
            scaled.tensors[0].values = scaled.tensors[0].values.map { $0 * 2 }
            scaled.tensors[3].values = scaled.tensors[3].values.map { -$0 }
            _ = try store.commit(run: run, commit(2, [("policy", .checkpoint(scaled))]))
            guard
                case let .model(diff) = try store.diff(
                    VersionRef(run: run, object: "policy", version: 1),
                    VersionRef(run: run, object: "policy", version: 2))
            else {
                Issue.record("expected a model diff")
                return
            }
            #expect(diff.configChanges == [ConfigChange(key: "adam.step", a: nil, b: "3")])
            let byName = Dictionary(uniqueKeysWithValues: diff.tensors.map { ($0.name, $0) })
            #expect(abs((byName["fc1.weight"]?.cosine ?? 0) - 1) < 1e-12)
            #expect(abs((byName["fc2.bias"]?.cosine ?? 0) + 1) < 1e-12)
            #expect(byName["fc1.bias"]?.cosine == 1 && byName["fc1.bias"]?.status == "unchanged")
        }
    }

    @Test func runDiffsMatchCellsByKey() throws {
        try withTemporaryStore { store, _ in
            let one = try store.beginRun(notebook: "a.rlhf", source: "", parameters: #"{"lr":0.1,"steps":5}"#)
            _ = try store.commit(
                run: one,
                CellCommit(
                    cell: CellRecord(ordinal: 1, key: "setup", title: "", source: "x = 1\ny = 2"), output: "",
                    durationMs: 1,
                    objects: [("policy", .checkpoint(policy()))],
                    metrics: [MetricPoint(name: "loss", step: 0, value: 2)],
                    bindings: []))
            _ = try store.commit(
                run: one,
                CellCommit(
                    cell: CellRecord(ordinal: 2, key: "old", title: "", source: "z = 3"), output: "", durationMs: 1,
                    objects: [], metrics: [], bindings: []))
            let two = try store.beginRun(notebook: "a.rlhf", source: "", parameters: #"{"lr":0.2,"steps":5}"#)
            _ = try store.commit(
                run: two,
                CellCommit(
                    cell: CellRecord(ordinal: 1, key: "setup", title: "", source: "x = 1\ny = 3"), output: "",
                    durationMs: 1,
                    objects: [("policy", .checkpoint(policy()))],
                    metrics: [
                        MetricPoint(name: "loss", step: 0, value: 2), MetricPoint(name: "loss", step: 1, value: 1),
                    ],
                    bindings: []))
            _ = try store.commit(
                run: two,
                CellCommit(
                    cell: CellRecord(ordinal: 2, key: "new", title: "", source: "w = 4"), output: "", durationMs: 1,
                    objects: [], metrics: [MetricPoint(name: "acc", step: 0, value: 0.5)], bindings: []))
            let diff = try store.diffRuns(one, two)
            #expect(diff.parameters == [ConfigChange(key: "lr", a: "0.1", b: "0.2")])
            #expect(diff.cells.map(\.key) == ["setup", "new", "old"])
            #expect(diff.cells.map(\.status) == ["changed", "added", "removed"])
            #expect(diff.cells[0].lines == [" x = 1", "-y = 2", "+y = 3"])
            #expect(diff.cells[1].lines == ["+w = 4"] && diff.cells[2].lines == ["-z = 3"])
            #expect(
                diff.metrics == [
                    RunDiff.Metric(name: "acc", lastA: nil, lastB: 0.5, pointsA: 0, pointsB: 1),
                    RunDiff.Metric(name: "loss", lastA: 2, lastB: 1, pointsA: 1, pointsB: 2),
                ])
            #expect(diff.objects.map(\.same) == [true])
        }
    }
}
