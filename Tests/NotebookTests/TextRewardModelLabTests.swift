import Alignment
import Engine
import Models
import Store
import Testing

@testable import Language
@testable import Notebook

private let shortText = "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n"

private func textRewardModel(_ runner: NotebookRunner, _ name: String) -> TextRewardModelValue? {
    guard case let .native(value as TextRewardModelValue)? = runner.interpreter.globals[name] else { return nil }
    return value
}

/// `TextRewardModel(lm)` copies the GPT's trunk and vocabulary and draws the head from the run's generator; its
/// checkpoint shares every tensor with the GPT's, so it costs only the head's bytes, and it reads back bitwise.
@Test func aTextRewardModelStartsFromTheLanguageModelAndCostsOnlyItsHead() throws {
    let fixture = try LanguageModelFixture(text: ["t.txt": shortText])
    defer { fixture.remove() }
    let (runner, outcomes) = try fixture.run([
        "seed(3)\nc = Corpus(file: \"t.txt\")\nlm = GPT(vocab: c, layers: 2, heads: 2, dim: 8, context: 16)",
        "rm = TextRewardModel(lm)",
    ])
    #expect(allCommitted(outcomes), "\(outcomes)")
    let rm = try #require(textRewardModel(runner, "rm"))
    var rng = RNG(seed: 3)
    let config = GPTConfig(vocab: rm.tokenizer.count, layers: 2, heads: 2, dim: 8, context: 16)
    let lm = GPT(config: config, rng: &rng)
    #expect(rm.model == TextRewardModel(trunk: lm, rng: &rng))
    #expect(rm.tokenizer == CharTokenizer(corpus: shortText))
    #expect(rm.optimizer == nil)
    let added = try #require(outcomes.last?.summary)
    #expect(added.newVersions.count == 1 && added.bytesWritten == 8 * 4)  // score.weight [1, 8] in Float32

    let (_, state) = try fixture.store.state(VersionRef(run: runner.runID, object: "rm", version: 1))
    guard case let .native(restored as TextRewardModelValue) = try StoredValueReader.value(of: state, name: "rm") else {
        Issue.record("rm did not restore as a TextRewardModel")
        return
    }
    func bits(_ value: TextRewardModelValue) -> [[UInt32]] { value.model.parameters.map { $0.data.map(\.bitPattern) } }
    #expect(bits(restored) == bits(rm))
    #expect(restored.tokenizer == rm.tokenizer && restored.optimizer == nil)
    let kind = try fixture.store.query(
        "SELECT v.kind FROM versions v JOIN objects o ON o.id = v.object_id WHERE o.name = 'rm'"
    ).rows.first?.first
    #expect(kind == .text("text_reward"))
}

/// `score(rm, text)` is the model's score of the text's characters as one sequence, and refuses text it cannot
/// read with one line naming the argument.
@Test func scoreReadsOneText() throws {
    let fixture = try LanguageModelFixture(text: ["t.txt": shortText])
    defer { fixture.remove() }
    let (runner, outcomes) = try fixture.run([
        "seed(5)\nc = Corpus(file: \"t.txt\")\nlm = GPT(vocab: c, layers: 1, heads: 2, dim: 8, context: 8)\n"
            + "rm = TextRewardModel(lm)\ns = score(rm, \"hear me\")"
    ])
    #expect(allCommitted(outcomes), "\(outcomes)")
    let rm = try #require(textRewardModel(runner, "rm"))
    let expected = rm.model.scores(tokens: try rm.tokenizer.encode("hear me"), batch: 1, time: 7)[0]
    #expect(runner.interpreter.globals["s"] == .double(Double(expected)))
    for (text, message) in [
        ("hear me speak", "score(): argument 'text' has 13 characters; the reward model reads at most 8"),
        ("", "score(): argument 'text' is empty: the head reads the last character"),
        (
            "zq",
            "score(): argument 'text' cannot be read by the reward model: character 'q' (U+0071) at offset 1 is not in "
                + "the tokenizer's vocabulary"
        ),
    ] {
        let outcome = runner.execute(source: "t = score(rm, \"\(text)\")", key: "bad", title: "")
        guard case let .failed(line) = outcome else {
            Issue.record("score(rm, \"\(text)\") did not fail: \(outcome)")
            continue
        }
        #expect(line.contains("error: " + message), "\(line)")
    }
}

/// `fit` on a text reward model trains it on text preferences (given here as a dataset built by hand, as a text
/// `collect` stores them), logs NAME.loss and NAME.accuracy per epoch and leaves a checkpoint with Adam's state; the
/// run's generator drives it, so the same notebook gives the same bits.
@Test func fitTrainsATextRewardModelInANotebook() throws {
    func run() throws -> (TextRewardModelValue, [CellOutcome], [String]) {
        let fixture = try LanguageModelFixture(text: ["t.txt": shortText])
        defer { fixture.remove() }
        let runner = try fixture.runner("")
        let first = runner.execute(
            source: "seed(7)\nc = Corpus(file: \"t.txt\")\n"
                + "lm = GPT(vocab: c, layers: 1, heads: 2, dim: 8, context: 8)\nrm = TextRewardModel(lm)",
            key: "c1", title: "")
        let tokenizer = CharTokenizer(corpus: shortText)
        let rows = try (0..<12).map { i -> PreferencePair in
            let (prompt, chosen, rejected) = ("hear", i % 2 == 0 ? " me." : "All:", i % 3 == 0 ? "peak" : " we ")
            return PreferencePair(
                uid: Int64(i + 1), prompt: 0, chosen: try tokenizer.encode(chosen).map(Float.init),
                rejected: try tokenizer.encode(rejected).map(Float.init), annotator: "oracle", seed: 0,
                text: PreferenceText(prompt: prompt, chosen: chosen, rejected: rejected))
        }
        runner.interpreter.globals["prefs"] = .native(DatasetValue(dataset: PreferenceDataset(rows: rows)))
        let second = runner.execute(
            source: "r = fit(rm, prefs, epochs: 3, lr: 0.01, batch: 4, held_out: 0.25)", key: "c2", title: "")
        let names = try fixture.store.query(
            "SELECT name FROM v_metrics WHERE run = \(runner.runID) ORDER BY name, step"
        ).rows.compactMap { row -> String? in if case let .text(name) = row[0] { name } else { nil } }
        return (try #require(textRewardModel(runner, "rm")), [first, second], names)
    }
    let (a, outcomes, names) = try run()
    #expect(allCommitted(outcomes), "\(outcomes)")
    #expect(a.optimizer?.step == 3 * 3)  // 9 training pairs in batches of 4
    #expect(names.filter { $0 == "rm.loss" }.count == 3, "\(names)")
    #expect(names.filter { $0 == "rm.accuracy" }.count == 3)
    #expect(names.filter { $0 == "rm.train_accuracy" }.count == 3)
    let (b, _, _) = try run()
    #expect(
        a.model.parameters.flatMap(\.data).map(\.bitPattern) == b.model.parameters.flatMap(\.data).map(\.bitPattern))
}
