import Engine
import Foundation
import Models
import Store
import Testing

@testable import Language
@testable import Notebook

private let shortText = "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n"

/// The GPT a cell built, from the runner's globals.
private func gpt(_ runner: NotebookRunner, _ name: String) -> GPTValue? {
    guard case let .native(value as GPTValue)? = runner.interpreter.globals[name] else { return nil }
    return value
}

/// `GPT(vocab: corpus, …)` takes the corpus's characters as its vocabulary and GPT-2's initialisation from the run's
/// generator: the same draws as `GPT(config:rng:)` from the same seed.
@Test func theConstructorBuildsGPT2FromTheRunsGenerator() throws {
    let fixture = try LanguageModelFixture(text: ["t.txt": shortText])
    defer { fixture.remove() }
    let (runner, outcomes) = try fixture.run([
        "seed(3)\nc = Corpus(file: \"t.txt\")\nlm = GPT(vocab: c, layers: 2, heads: 2, dim: 8, context: 16)"
    ])
    #expect(allCommitted(outcomes), "\(outcomes)")
    let lm = try #require(gpt(runner, "lm"))
    let tokenizer = CharTokenizer(corpus: shortText)
    var rng = RNG(seed: 3)
    let config = GPTConfig(vocab: tokenizer.count, layers: 2, heads: 2, dim: 8, context: 16)
    #expect(lm.model == GPT(config: config, rng: &rng))
    #expect(lm.tokenizer == tokenizer)
    #expect(lm.optimizer == nil)
    #expect(GPTType.member("parameters", of: lm) == .int(GPT(config: config, rng: &rng).parameterCount))
    #expect(GPTType.member("vocabulary", of: lm) == .string(String(String.UnicodeScalarView(tokenizer.vocabulary))))
}

/// A GPT's checkpoint read back from the store is bitwise the model, vocabulary and AdamW state that were stored,
/// and the vocabulary encodes and decodes text exactly as before.
@Test func aGPTCheckpointRoundTripsBitwiseThroughTheStore() throws {
    let fixture = try LanguageModelFixture(text: ["t.txt": shortText])
    defer { fixture.remove() }
    let (runner, outcomes) = try fixture.run([
        "seed(4)\nc = Corpus(file: \"t.txt\")\nlm = GPT(vocab: c, layers: 1, heads: 2, dim: 4, context: 8)"
    ])
    #expect(allCommitted(outcomes))
    var lm = try #require(gpt(runner, "lm"))
    // With AdamW state too: moments of every parameter's shape and a step count, as training leaves them.
    var rng = RNG(seed: 5)
    let shapes = lm.model.parameters.map(\.shape)
    lm.optimizer = Adam(
        step: 7, m: shapes.map { rng.normalTensor($0) }, v: shapes.map { rng.normalTensor($0, scale: 0.01) })
    runner.interpreter.globals["trained"] = .native(lm)
    #expect(runner.execute(source: "x = 1", key: "store", title: "").isCommitted)
    for (name, expected) in [("lm", try #require(gpt(runner, "lm"))), ("trained", lm)] {
        let (_, state) = try fixture.store.state(VersionRef(run: runner.runID, object: name, version: 1))
        guard case let .native(restored as GPTValue) = try StoredValueReader.value(of: state, name: name) else {
            Issue.record("\(name) did not restore as a GPT")
            continue
        }
        #expect(restored.model.config == expected.model.config)
        #expect(
            restored.model.parameters.map { $0.data.map(\.bitPattern) }
                == expected.model.parameters.map { $0.data.map(\.bitPattern) })
        #expect(restored.optimizer == expected.optimizer)
        #expect(restored.tokenizer.vocabulary == expected.tokenizer.vocabulary)
        #expect(try restored.tokenizer.encode(shortText) == (try expected.tokenizer.encode(shortText)))
        #expect(restored.tokenizer.decode(try restored.tokenizer.encode(shortText)) == shortText)
    }
    let config = try fixture.store.query(
        "SELECT v.config FROM versions v JOIN objects o ON o.id = v.object_id WHERE o.name = 'trained'"
    ).rows.first?.first
    #expect(
        config == .text(#"{"adam.step":7,"context":8,"dim":4,"heads":2,"layers":1,"vocab":\#(lm.tokenizer.count)}"#))
}

/// Tensors are content-addressed: a copy of a GPT under a new name costs no new bytes, and a new version that
/// changes only one tensor writes only that tensor.
@Test func aFrozenCopyOfAGPTCostsNoBytes() throws {
    let fixture = try LanguageModelFixture(text: ["t.txt": shortText])
    defer { fixture.remove() }
    let (_, outcomes) = try fixture.run([
        "seed(4)\nc = Corpus(file: \"t.txt\")\nlm = GPT(vocab: c, layers: 1, heads: 1, dim: 4, context: 8)",
        "frozen = lm",
    ])
    #expect(allCommitted(outcomes))
    let copy = try #require(outcomes.last?.summary)
    #expect(copy.newVersions.count == 1 && copy.bytesWritten == 0)
}

/// `:help GPT` and `:help Corpus` give the constructor's signature and the members table.
@Test func helpDescribesTheLanguageModelTypes() throws {
    let fixture = try LanguageModelFixture()
    defer { fixture.remove() }
    let runner = try fixture.runner()
    let help = try #require(runner.help("GPT"))
    #expect(help.hasPrefix("GPT(vocab: Corpus, layers: int, heads: int, dim: int, context: int)"))
    #expect(help.contains(#"(stored as a checkpoint of kind "gpt")"#))
    let corpus = try #require(runner.help("Corpus"))
    #expect(corpus.hasPrefix("Corpus(file: string, split: number = 0.9)"))
    #expect(corpus.contains("stored in the bindings as the parameters that rebuild it"))
}
