import Engine
import Foundation
import Models
import Sentiment
import Store
import Testing

@testable import Alignment
@testable import Language
@testable import Notebook

private let text = "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n"

/// The setup every case shares: a tiny GPT, a text task over it and a text reward model from its trunk.
private let setup = """
    seed(3)
    c = Corpus(file: "t.txt")
    lm = GPT(vocab: c, layers: 1, heads: 2, dim: 8, context: 12)
    task = TextTask(c, policy: lm, prompt_chars: 5, continuation: 4, prompts: 6, test_prompts: 3)
    rm = TextRewardModel(lm)
    """

private struct Bound {
    var lm: GPTValue
    var task: TextTask
    var rm: TextRewardModel

    init(_ runner: NotebookRunner) throws {
        let globals = runner.interpreter.globals
        guard case let .native(lm as GPTValue)? = globals["lm"] else { throw BoundError() }
        guard case let .native(task as TextTaskValue)? = globals["task"] else { throw BoundError() }
        guard case let .native(rm as TextRewardModelValue)? = globals["rm"] else { throw BoundError() }
        (self.lm, self.task, self.rm) = (lm, task.task, rm.model)
    }

    /// What `textReward` gives the built-ins: the reward model's score of each whole sequence.
    var reward: ([[Int]]) -> [Double] {
        { [rm] sequences in
            rm.scores(tokens: sequences.flatMap { $0 }, batch: sequences.count, time: sequences[0].count).map(
                Double.init)
        }
    }
}

/// The setup did not bind lm, task and rm.
private struct BoundError: Error {}

private func gpt(_ runner: NotebookRunner, _ name: String) -> GPTValue? {
    guard case let .native(value as GPTValue)? = runner.interpreter.globals[name] else { return nil }
    return value
}

private func field(_ runner: NotebookRunner, _ record: String, _ name: String) -> Value? {
    guard case let .record(r)? = runner.interpreter.globals[record] else { return nil }
    return r[name]
}

/// Each text optimiser in a cell is the Alignment function called with the cell's arguments and the run's generator
/// (seeded just before the call): the policy it leaves, its value head and the record it returns are those of the
/// direct call, to the bit, and its series are stored under the policy's name.
@Test func textPPOInACellIsTheAlignmentCall() throws {
    let fixture = try LanguageModelFixture(text: ["t.txt": text])
    defer { fixture.remove() }
    let (runner, outcomes) = try fixture.run([
        setup, "seed(7)\npolicy = lm\np = ppo(policy, rm, task, steps: 2, batch: 4, minibatch: 2, lr: 1e-3, kl: 0.1)",
    ])
    #expect(allCommitted(outcomes), "\(outcomes)")
    let bound = try Bound(runner)
    var rng = RNG(seed: 7)
    var model = bound.lm.model
    var head: ValueHead? = nil
    let settings = PPOSettings(steps: 2, batch: 4, minibatch: 2, epochs: 4, lr: 1e-3, kl: .fixed(0.1))
    let metrics = try ppo(
        &model, valueHead: &head, reward: bound.reward, task: bound.task, settings: settings, rng: &rng)
    let policy = try #require(gpt(runner, "policy"))
    #expect(policy.model == model && policy.valueHead == head && head != nil)
    #expect(gpt(runner, "lm")?.valueHead == nil)
    for (name, series) in [
        ("gold", "gold"), ("proxy", "proxy"), ("kl", "objective/kl"), ("entropy", "objective/entropy"),
    ] {
        let values = metrics.filter { $0.name == series }.map(\.value)
        #expect(values.count == 2, "\(series)")
        #expect(field(runner, "p", name) == .double(values.last ?? .nan), "\(name)")
        #expect(field(runner, "p", name + "_start") == .double(values.first ?? .nan), "\(name)_start")
    }
    let stored = try fixture.store.metrics(run: runner.runID, name: "policy.objective/kl")
    #expect(stored.map(\.value) == metrics.filter { $0.name == "objective/kl" }.map(\.value))
}

@Test func textRLOOInACellIsTheAlignmentCall() throws {
    let fixture = try LanguageModelFixture(text: ["t.txt": text])
    defer { fixture.remove() }
    let (runner, outcomes) = try fixture.run([
        setup, "seed(8)\npolicy = lm\nr = rloo(policy, rm, task, steps: 2, batch: 2, samples: 3, lr: 1e-3, kl: 0.2)",
    ])
    #expect(allCommitted(outcomes), "\(outcomes)")
    let bound = try Bound(runner)
    var rng = RNG(seed: 8)
    var model = bound.lm.model
    let metrics = try rloo(
        &model, reward: bound.reward, task: bound.task, steps: 2, batch: 2, samples: 3, lr: 1e-3, kl: .fixed(0.2),
        rng: &rng)
    #expect(gpt(runner, "policy")?.model == model)
    #expect(field(runner, "r", "gold") == .double(metrics.last { $0.name == "gold" }?.value ?? .nan))
    #expect(field(runner, "r", "kl_coef") == .double(0.2))
}

@Test func textDPOInACellIsTheAlignmentCall() throws {
    let fixture = try LanguageModelFixture(text: ["t.txt": text])
    defer { fixture.remove() }
    let (runner, outcomes) = try fixture.run([
        setup + "\nprefs = collect(task, policy: lm, annotator: Oracle(), pairs: 6)",
        "seed(9)\npolicy = lm\nd = dpo(policy, prefs, task, beta: 0.2, epochs: 2, lr: 1e-3, batch: 4)",
    ])
    #expect(allCommitted(outcomes), "\(outcomes)")
    let bound = try Bound(runner)
    guard case let .native(prefs as DatasetValue)? = runner.interpreter.globals["prefs"] else {
        Issue.record("prefs is not a preference dataset")
        return
    }
    var rng = RNG(seed: 9)
    var model = bound.lm.model
    let metrics = try dpo(
        &model, on: prefs.dataset, task: bound.task, beta: 0.2, epochs: 2, lr: 1e-3, batch: 4, rng: &rng)
    #expect(gpt(runner, "policy")?.model == model)
    for (name, series) in [("loss", "loss"), ("accuracy", "rewards/accuracies"), ("kl", "kl"), ("gold", "gold")] {
        #expect(field(runner, "d", name) == .double(metrics.last { $0.name == series }?.value ?? .nan), "\(name)")
    }
}

/// `best_of_n` and `evaluate` on text draw from the run's generator exactly as the Alignment types do; best-of-n's
/// KL is the analytic log n − (n−1)/n.
@Test func bestOfNAndEvaluateOnTextAreTheAlignmentCalls() throws {
    let fixture = try LanguageModelFixture(text: ["t.txt": text])
    defer { fixture.remove() }
    let (runner, outcomes) = try fixture.run([
        setup, "seed(10)\nb = best_of_n(lm, rm, task, n: 4)\nseed(11)\ne = evaluate(lm, task, reference: lm)",
    ])
    #expect(allCommitted(outcomes), "\(outcomes)")
    let bound = try Bound(runner)
    var rng = RNG(seed: 10)
    let best = try BestOfN(bound.lm.model, reward: bound.reward, task: bound.task, n: 4, rng: &rng)
    #expect(field(runner, "b", "gold") == .double(best.gold))
    #expect(field(runner, "b", "proxy") == .double(best.proxy))
    #expect(field(runner, "b", "kl") == .double(log(4.0) - 3.0 / 4.0))
    rng = RNG(seed: 11)
    let evaluation = try TextEvaluation(bound.lm.model, reference: bound.lm.model, task: bound.task, rng: &rng)
    #expect(field(runner, "e", "kl") == .double(0))
    guard case let .record(gold)? = field(runner, "e", "gold"), case let .list(texts)? = field(runner, "e", "texts")
    else {
        Issue.record("evaluate did not return gold and texts")
        return
    }
    #expect(gold["mean"] == .double(Summary(evaluation.golds).mean))
    #expect(texts == evaluation.continuations.map { .string(bound.task.tokenizer.decode($0)) })
}

/// A reward model of another vocabulary is refused at the argument, with one line.
@Test func aRewardModelOfAnotherVocabularyIsRefused() throws {
    let fixture = try LanguageModelFixture(text: ["t.txt": text, "u.txt": "abc def abc def"])
    defer { fixture.remove() }
    let (runner, outcomes) = try fixture.run([
        setup
            + "\nother = TextRewardModel(GPT(vocab: Corpus(file: \"u.txt\"), layers: 1, heads: 1, dim: 4, context: 12))"
    ])
    #expect(allCommitted(outcomes), "\(outcomes)")
    for call in ["ppo(lm, other, task, steps: 1, batch: 2, minibatch: 1)", "best_of_n(lm, other, task, n: 2)"] {
        let outcome = runner.execute(source: "x = " + call, key: "bad", title: "")
        guard case let .failed(line) = outcome else {
            Issue.record("\(call) did not fail: \(outcome)")
            continue
        }
        #expect(line.contains("argument 'rm' reads another vocabulary than the policy"), "\(line)")
    }
}

/// `remove(where:)` on text preferences passes each row's words (`prompt_text`, `chosen_text`, `rejected_text`), so a
/// notebook can drop the pairs its judge cannot tell apart; the rows kept are exactly those whose two continuations
/// VADER scores differently.
@Test func aTextRowPredicateReadsTheRowsWords() throws {
    let fixture = try LanguageModelFixture(text: ["t.txt": text])
    defer { fixture.remove() }
    let (runner, outcomes) = try fixture.run([
        setup + "\nprefs = collect(task, policy: lm, annotator: Oracle(), pairs: 40)\nall = prefs",
        "prefs.remove(where: fn(r) { vader(r.chosen_text) == vader(r.rejected_text) or r.prompt_text == \"\" })",
    ])
    #expect(allCommitted(outcomes), "\(outcomes)")
    guard case let .native(all as DatasetValue)? = runner.interpreter.globals["all"],
        case let .native(kept as DatasetValue)? = runner.interpreter.globals["prefs"]
    else {
        Issue.record("prefs and all are not preference datasets")
        return
    }
    let vader = Vader()
    let expected = all.dataset.rows.filter { row in
        guard let text = row.text else { return false }
        return vader.compound(text.chosen) != vader.compound(text.rejected) && !text.prompt.isEmpty
    }
    #expect(kept.dataset.rows.map(\.uid) == expected.map(\.uid))
    #expect(all.dataset.rows.allSatisfy { $0.text != nil })
}

/// A preference dataset written to the store and restored (as `--resume` and `load` restore it) keeps each row's
/// panel disagreement, read back from the row's annotator column.
@Test func aRestoredDatasetKeepsItsPanelsDisagreement() throws {
    let panel = Annotator.panel([.oracle, .bradleyTerry(noise: 0.3), .coin])
    let rows = [(3, 3), (2, 3), (1, 3)].enumerated().map { i, split in
        let verdict = Judgement(prefersFirst: true, agreeing: split.0, judges: split.1)
        return PreferencePair(
            uid: Int64(i + 1), prompt: i, chosen: [1, 0], rejected: [0, 1], annotator: verdict.label(of: panel),
            seed: 7,
            disagreement: verdict.disagreement)
    }
    let value = DatasetValue(dataset: PreferenceDataset(rows: rows))
    let restored = try PreferencesType.restore(rows: PreferencesType.dataset(of: value).rows)
    #expect(restored.dataset.rows.map(\.disagreement) == rows.map(\.disagreement))
    #expect(restored.dataset.disagreement == value.dataset.disagreement && value.dataset.disagreement > 0)
}
