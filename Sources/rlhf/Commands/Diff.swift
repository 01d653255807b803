import ArgumentParser
import Foundation
import Store

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two versions of an object: per tensor for models, rows added/removed for preference datasets.",
        discussion: "Example: rlhf diff 1/policy@1 1/policy@2")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("First version, RUN/NAME@N.", valueName: "a")) var a: String
    @Argument(help: ArgumentHelp("Second version, RUN/NAME@N.", valueName: "b")) var b: String
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() throws {
        let (ra, rb) = (try parseReference(a), try parseReference(b))
        let diff = try failing { try store.openReadOnly().diff(ra, rb) }
        switch diff {
        case let .model(d):
            if json { return print(try Format.json(d)) }
            print("\(label(d.a)) → \(label(d.b))")
            if d.configA != d.configB { print("config: \(d.configA) → \(d.configB)") }
            print(Format.table(
                ["TENSOR", "STATUS", "SHAPE", "L2(Δ)", "MAX|Δ|", "CHANGED"],
                d.tensors.map { t in
                    [t.name, t.status, shape(t.shapeA, t.shapeB), Format.number(t.l2), Format.number(t.maxAbs),
                     String(format: "%.1f%%", t.changedFraction * 100)]
                }))
            let changed = d.tensors.filter { $0.status != "unchanged" }.count
            print("\(changed) of \(d.tensors.count) tensors differ")
        case let .dataset(d):
            if json { return print(try Format.json(d)) }
            print("\(label(d.a)) → \(label(d.b))")
            print("+\(d.addedCount) rows added, -\(d.removedCount) rows removed, \(d.relabelledCount) of them relabelled "
                + "(\(d.a.rows ?? 0) → \(d.b.rows ?? 0) rows)")
            for row in d.added.prefix(5) { print("  + uid \(row.uid)  prompt \(row.prompt)  \(row.annotator)") }
            for row in d.removed.prefix(5) { print("  - uid \(row.uid)  prompt \(row.prompt)  \(row.annotator)") }
        }
    }

    private func label(_ v: VersionInfo) -> String { "\(v.run)/\(v.object)@\(v.version)" }

    private func shape(_ a: [Int]?, _ b: [Int]?) -> String {
        switch (a, b) {
        case let (a?, b?) where a == b: a.map(String.init).joined(separator: "×")
        case let (a, b): "\(a.map { $0.map(String.init).joined(separator: "×") } ?? "-") → \(b.map { $0.map(String.init).joined(separator: "×") } ?? "-")"
        }
    }
}
