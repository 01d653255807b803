import ArgumentParser
import Foundation
import Store

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two versions of an object (per tensor for models, rows for datasets), or two runs.",
        discussion: """
            Examples: rlhf diff 1/policy@1 1/policy@2 · rlhf diff 1/prefs@1 2/prefs · rlhf diff 1 2 (parameters, \
            each cell's source matched by id=, final metrics and objects side by side).
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("First version, RUN/NAME@N (or a run id).", valueName: "a")) var a: String
    @Argument(help: ArgumentHelp("Second version, RUN/NAME@N (or a run id).", valueName: "b")) var b: String
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() throws {
        if let runA = Int64(a), let runB = Int64(b) { return try diffRuns(runA, runB) }
        let (ra, rb) = (try parseReference(a), try parseReference(b))
        let diff = try failing { try store.openReadOnly().diff(ra, rb) }
        switch diff {
        case let .model(d):
            if json { return print(try Format.json(d)) }
            print("\(label(d.a)) → \(label(d.b))")
            for change in d.configChanges {
                print("config \(change.key): \(change.a ?? "-") → \(change.b ?? "-")")
            }
            print(
                Format.table(
                    ["TENSOR", "STATUS", "SHAPE", "L2(Δ)", "MAX|Δ|", "COSINE", "CHANGED"],
                    d.tensors.map { t in
                        [
                            t.name, t.status, shape(t.shapeA, t.shapeB), Format.number(t.l2), Format.number(t.maxAbs),
                            t.cosine.map { String(format: "%.6f", $0) } ?? "-",
                            String(format: "%.1f%%", t.changedFraction * 100),
                        ]
                    }))
            let changed = d.tensors.filter { $0.status != "unchanged" }.count
            print("\(changed) of \(d.tensors.count) tensors differ")
        case let .dataset(d):
            if json { return print(try Format.json(d)) }
            print("\(label(d.a)) → \(label(d.b))")
            print(
                "+\(d.addedCount) rows added, -\(d.removedCount) rows removed, \(d.relabelledCount) of them relabelled "
                    + "(\(d.a.rows ?? 0) → \(d.b.rows ?? 0) rows)")
            for row in d.added.prefix(5) { print("  + uid \(row.uid)  prompt \(row.prompt)  \(row.annotator)") }
            for row in d.removed.prefix(5) { print("  - uid \(row.uid)  prompt \(row.prompt)  \(row.annotator)") }
        }
    }

    private func diffRuns(_ runA: Int64, _ runB: Int64) throws {
        let d = try failing { try store.openReadOnly().diffRuns(runA, runB) }
        if json { return print(try Format.json(d)) }
        print("run \(runA) → run \(runB)")
        print(
            "notebook: \(d.a.notebook ?? "(shell)") → \(d.b.notebook ?? "(shell)") · status: \(d.a.status.rawValue) → \(d.b.status.rawValue)"
        )
        if d.parameters.isEmpty { print("parameters: same") }
        for change in d.parameters { print("parameter \(change.key): \(change.a ?? "-") → \(change.b ?? "-")") }
        print("")
        print(
            Format.table(
                ["CELL", "A", "B", "SOURCE"],
                d.cells.map { c in
                    [c.key, c.ordinalA.map(String.init) ?? "-", c.ordinalB.map(String.init) ?? "-", c.status]
                }))
        for cell in d.cells where !cell.lines.isEmpty {
            print("\n--- \(runA)/\(cell.key)\n+++ \(runB)/\(cell.key)")
            for line in cell.lines { print(line) }
        }
        if !d.metrics.isEmpty {
            print("")
            print(
                Format.table(
                    ["METRIC", "LAST A", "LAST B", "POINTS A", "POINTS B"],
                    d.metrics.map { m in
                        [
                            m.name, m.lastA.map(Format.number) ?? "-", m.lastB.map(Format.number) ?? "-",
                            "\(m.pointsA)", "\(m.pointsB)",
                        ]
                    }))
        }
        if !d.objects.isEmpty {
            print("")
            print(
                Format.table(
                    ["OBJECT", "A", "B", "CONTENT"],
                    d.objects.map { o in
                        [
                            o.name, o.versionA.map { "v\($0) \(Format.hash(o.hashA ?? ""))" } ?? "-",
                            o.versionB.map { "v\($0) \(Format.hash(o.hashB ?? ""))" } ?? "-",
                            o.same ? "same" : "differs",
                        ]
                    }))
        }
    }

    private func label(_ v: VersionInfo) -> String { "\(v.run)/\(v.object)@\(v.version)" }

    private func shape(_ a: [Int]?, _ b: [Int]?) -> String {
        switch (a, b) {
        case let (a?, b?) where a == b: a.map(String.init).joined(separator: "×")
        case let (a, b):
            "\(a.map { $0.map(String.init).joined(separator: "×") } ?? "-") → \(b.map { $0.map(String.init).joined(separator: "×") } ?? "-")"
        }
    }
}
