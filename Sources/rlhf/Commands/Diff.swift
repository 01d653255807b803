import ArgumentParser
import Foundation
import Notebook
import Store

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two versions of an object (per tensor for models, rows for datasets), or two runs.",
        discussion: """
            Examples: rlhf diff 1/policy@1 1/policy@2 · rlhf diff 1/prefs@1 2/prefs · rlhf diff 1 2 (parameters, \
            each cell's source matched by id=, final metrics and objects side by side). For two versions of a GPT, \
            the tensor table is followed by what each writes from the same prompt with the same seed, side by side.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("First version, RUN/NAME@N (or a run id).", valueName: "a")) var a: String
    @Argument(help: ArgumentHelp("Second version, RUN/NAME@N (or a run id).", valueName: "b")) var b: String
    @Flag(help: "Print JSON instead of text.") var json = false
    @Option(help: "GPT versions: the text both continue (default: a newline, as nanoGPT samples).") var prompt = "\n"
    @Option(help: "GPT versions: the seed both sample with.") var seed: UInt64 = 1337
    @Option(help: "GPT versions: characters each sample writes (1–10000).") var tokens = 200
    @Option(help: "GPT versions: samples from each (1–16).") var samples = 1

    func validate() throws {
        guard (1...10_000).contains(tokens) else { throw ValidationError("--tokens must be 1–10000, got \(tokens)") }
        guard (1...16).contains(samples) else { throw ValidationError("--samples must be 1–16, got \(samples)") }
    }

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
            if GPTSampleComparison.isLanguageModel(kind: d.a.kind), GPTSampleComparison.isLanguageModel(kind: d.b.kind)
            {
                try printSamples(d.a, d.b)
            }
        case let .dataset(d):
            if json { return print(try Format.json(d)) }
            print("\(label(d.a)) → \(label(d.b))")
            print(
                "+\(d.addedCount) rows added, -\(d.removedCount) rows removed, \(d.relabelledCount) of them relabelled "
                    + "(\(d.a.rows ?? 0) → \(d.b.rows ?? 0) rows)")
            for row in d.added.prefix(5) { print("  + " + Self.describe(row)) }
            for row in d.removed.prefix(5) { print("  - " + Self.describe(row)) }
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

    /// Both GPT versions' samples for the same seed and prompt, in two columns.
    private func printSamples(_ a: VersionInfo, _ b: VersionInfo) throws {
        let comparison = try failing {
            try GPTSampleComparison(
                store: store.openReadOnly(), a: VersionRef(run: a.run, object: a.object, version: a.version),
                b: VersionRef(run: b.run, object: b.object, version: b.version), prompt: prompt, seed: seed,
                tokens: tokens, count: samples)
        }
        let width = TerminalSize.columns
        let quoted = prompt.debugDescription
        print("\nsamples: \(tokens) characters after the prompt \(quoted), seed \(seed), temperature 1")
        for (i, (x, y)) in zip(comparison.a, comparison.b).enumerated() {
            if samples > 1 { print("\n-- sample \(i + 1) of \(samples)") } else { print("") }
            for line in SideBySide.lines(label(a), label(b), width: width) { print(line) }
            print(SideBySide.rule(width: width))
            for line in SideBySide.lines(x, y, width: width) { print(line) }
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

    /// One row of a dataset diff: uid, prompt and annotator, then for a text row the prompt's end and the chosen and
    /// rejected continuations' beginnings (`"…the prompt" → "chosen…" ≻ "rejected…"`).
    static func describe(_ row: FeedbackRow) -> String {
        let line = "uid \(row.uid)  prompt \(row.prompt)  \(row.annotator)"
        guard let text = row.text else { return line }
        let width = Excerpt.feedbackWidth
        return line + "  " + Excerpt.quoted(Excerpt.tail(text.prompt, width: width)) + " → "
            + Excerpt.quoted(Excerpt.head(text.chosen, width: width)) + " ≻ "
            + Excerpt.quoted(Excerpt.head(text.rejected, width: width))
    }
}
