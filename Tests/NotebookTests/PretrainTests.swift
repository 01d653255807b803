import Alignment
import Engine
import Foundation
import Models
import Store
import Testing

@testable import Language
@testable import Notebook

/// The first 3,000 characters of the repository's Shakespeare: enough text for tiny models to train on.
private let excerpt: String = {
    let text = (try? String(contentsOfFile: shakespearePath, encoding: .utf8)) ?? ""
    return String(text.unicodeScalars.prefix(3000).map(Character.init))
}()

private let setup = """
    seed(21)
    c = Corpus(file: "t.txt", split: 0.8)
    lm = GPT(vocab: c, layers: 1, heads: 2, dim: 8, context: 8)
    """

private func pretrainCall(iters: Int) -> String {
    "pretrain(lm, c, iters: \(iters), batch: 3, lr: 1e-2, min_lr: 1e-3, warmup: 3, decay_iters: 20, eval_every: 5, "
        + "eval_iters: 2)"
}

/// Metric points of a run, values as bit patterns, in series and step order.
private func metrics(_ store: LabStore, _ run: Int64) throws -> [String] {
    try store.query("SELECT name, step, value FROM v_metrics WHERE run = \(run) ORDER BY name, step").rows.map { row in
        guard case let .real(value) = row[2] else { return "\(row)" }
        return "\(row[0]) \(row[1]) \(value.bitPattern)"
    }
}

/// 20 steps in one call, and 10 steps then 10 more in a child run resumed from the store (model, AdamW state and
/// generator restored from the commits), give the same model bits, the same metric series and the same checkpoint.
@Test func pretrainingResumedFromTheStoreIsBitwiseTheUninterruptedRun() throws {
    let fixture = try LanguageModelFixture(text: ["t.txt": excerpt])
    defer { fixture.remove() }
    let (full, outcomes) = try fixture.run([setup, pretrainCall(iters: 20)])
    #expect(allCommitted(outcomes), "\(outcomes)")
    try full.finish(status: .succeeded)

    let halves = """
        # %% setup id=setup
        \(setup)
        # %% first id=first
        \(pretrainCall(iters: 10))
        # %% second id=second
        \(pretrainCall(iters: 10))
        """
    let file = CellFile.parse(path: fixture.notebookPath, text: halves)
    let first = try NotebookRunner(store: fixture.store, notebook: file, source: halves, output: { _ in })
    #expect(allCommitted(file.codeCells.prefix(2).map { first.execute($0) }))
    try first.finish(status: .interrupted)
    let point = try fixture.store.resumePoint(run: first.runID, fromCell: 3)
    let resumed = try NotebookRunner(
        store: fixture.store, notebook: file, source: halves, resuming: point, output: { _ in })
    #expect(resumed.execute(file.codeCells[2]).isCommitted)

    guard case let .native(a as GPTValue)? = full.interpreter.globals["lm"],
        case let .native(b as GPTValue)? = resumed.interpreter.globals["lm"]
    else {
        Issue.record("lm is not a GPT")
        return
    }
    #expect(a.optimizer?.step == 20 && b.optimizer?.step == 20)
    #expect(
        a.model.parameters.map { $0.data.map(\.bitPattern) } == b.model.parameters.map { $0.data.map(\.bitPattern) })
    #expect(a.optimizer == b.optimizer)
    #expect(
        try fixture.store.log(run: full.runID, object: "lm").last?.contentHash
            == fixture.store.log(run: resumed.runID, object: "lm").last?.contentHash)
    let uninterrupted = try metrics(fixture.store, full.runID)
    #expect(uninterrupted.count == 20 + 5 + 5)  // loss per step; train and val loss at 0, 5, 10, 15, 20
    let halvesMetrics = try metrics(fixture.store, first.runID) + metrics(fixture.store, resumed.runID)
    #expect(halvesMetrics.sorted() == uninterrupted.sorted())
}

/// The loop draws each step's batch and each estimate's batches from the run's generator in a documented order, and
/// steps the model with the engine's training step at the schedule's rate: replayed here by hand, step by step.
@Test func pretrainIsNanoGPTsLoopStepByStep() throws {
    let corpus = try Corpus(text: excerpt, split: 0.8)
    var rng = RNG(seed: 3)
    let config = GPTConfig(vocab: corpus.tokenizer.count, layers: 1, heads: 1, dim: 8, context: 6)
    var model = GPT(config: config, rng: &rng)
    var expected = model
    var optimizer: Adam?
    let schedule = LearningRateSchedule(maxRate: 1e-2, minRate: 1e-3, warmup: 2, decayIterations: 7)
    let settings = PretrainingSettings(
        iterations: 7, batch: 2, schedule: schedule, adamW: AdamWSettings(beta2: 0.95, weightDecay: 0.2, clip: 0.5),
        evalEvery: 3, evalIters: 2)
    var trainingRNG = RNG(seed: 4)
    let metrics = try pretrain(
        &model, optimizer: &optimizer, train: corpus.part(.train), validation: corpus.part(.validation),
        settings: settings, rng: &trainingRNG)

    var handRNG = RNG(seed: 4)
    var adam = Adam(shapes: GPT.parameterShapes(config))
    var handMetrics: [Metric] = []
    func estimate(_ step: Int) {
        for (name, part) in [("train_loss", Corpus.Part.train), ("val_loss", .validation)] {
            let losses = (0..<2).map { _ in
                let (x, y) = Corpus.batch(corpus.part(part), size: 2, context: 6, rng: &handRNG)
                return Double(expected.loss(tokens: x, targets: y, batch: 2, time: 6))
            }
            handMetrics.append(Metric(name, step: step, (losses[0] + losses[1]) / 2))
        }
    }
    estimate(0)
    for step in 0..<7 {
        let (x, y) = Corpus.batch(corpus.part(.train), size: 2, context: 6, rng: &handRNG)
        let (loss, _) = expected.trainStep(
            inputs: x, targets: y, batch: 2, time: 6, lr: schedule.rate(at: step), settings: settings.adamW,
            optimizer: &adam)
        handMetrics.append(Metric("loss", step: step, Double(loss)))
        if (step + 1) % 3 == 0 || step == 6 { estimate(step + 1) }
    }
    #expect(metrics == handMetrics)
    #expect(model == expected)
    #expect(optimizer == adam)
    #expect(trainingRNG == handRNG)
}

/// A seed gives the same samples: two runs with the same seed agree, the texts start with the prompt and hold
/// `tokens` more characters, and each call takes one draw from the run's generator.
@Test func samplesAreDeterminedByTheRunsSeed() throws {
    let fixture = try LanguageModelFixture(text: ["t.txt": excerpt])
    defer { fixture.remove() }
    let cells = [setup, "s = sample(lm, prompt: \"ROMEO:\", tokens: 30, temperature: 0.8, top_k: 10, n: 3)"]
    let (one, first) = try fixture.run(cells)
    let (two, second) = try fixture.run(cells)
    #expect(allCommitted(first + second))
    let (a, b) = (one.interpreter.globals["s"], two.interpreter.globals["s"])
    #expect(a != nil && a == b)
    guard case let .list(texts)? = a, case let .native(lm as GPTValue)? = one.interpreter.globals["lm"] else {
        Issue.record("sample did not return a list")
        return
    }
    #expect(texts.count == 3)
    // Exactly what the model's sampler gives with the seed the run's generator supplies after the constructor.
    var run = RNG(seed: 21)
    _ = GPT(config: lm.model.config, rng: &run)
    var rng = RNG(seed: run.next())
    let prompt = try lm.tokenizer.encode("ROMEO:")
    let direct = try lm.model.sample(prompt: prompt, tokens: 30, temperature: 0.8, topK: 10, n: 3, rng: &rng)
    #expect(texts == direct.map { .string(lm.tokenizer.decode(prompt + $0)) })
    #expect(one.lab.rng == run)
}

/// Perplexity against a hand computation: a GPT whose blocks are all zeros adds nothing to the residual stream, so
/// its logits are ln_f(wte[t] + wpe[p]) · wteᵀ, computed here in Double from the layer-norm formula.
@Test func perplexityMatchesAHandComputationForATinyModel() throws {
    let tokenizer = CharTokenizer(corpus: "abc")
    let config = GPTConfig(vocab: 3, layers: 1, heads: 1, dim: 2, context: 2)
    let wte: [[Double]] = [[0.5, -0.25], [1.0, 0.75], [-0.5, 0.2]]
    let wpe: [[Double]] = [[0.1, -0.1], [0.3, 0.05]]
    var parameters = GPT.parameterShapes(config).map { Tensor(zeros: $0) }
    parameters[0] = Tensor(shape: [3, 2], data: wte.flatMap { $0.map(Float.init) })
    parameters[1] = Tensor(shape: [2, 2], data: wpe.flatMap { $0.map(Float.init) })
    parameters[parameters.count - 2] = Tensor(shape: [2], data: [1, 1])  // ln_f.weight
    let model = GPT(config: config, parameters: parameters)

    // "abcab": 4 predictions in windows of 2: (a→b, b→c), (c→a, a→b); a window restarts at position 0.
    let text = "abcab"
    let ids = try tokenizer.encode(text)
    func layerNorm(_ x: [Double]) -> [Double] {
        let mean = x.reduce(0, +) / Double(x.count)
        let variance = x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(x.count)
        return x.map { ($0 - mean) / (variance + 1e-5).squareRoot() }
    }
    var total = 0.0
    for (i, position) in [0, 1, 0, 1].enumerated() {
        let h = layerNorm(zip(wte[ids[i]], wpe[position]).map { $0 + $1 })
        let logits = wte.map { row in zip(row, h).map { $0 * $1 }.reduce(0, +) }
        let logSum = log(logits.map { exp($0) }.reduce(0, +))
        total += logSum - logits[ids[i + 1]]
    }
    let hand = exp(total / 4)

    let fixture = try LanguageModelFixture()
    defer { fixture.remove() }
    let runner = try fixture.runner()
    runner.interpreter.globals["lm"] = .native(GPTValue(model: model, tokenizer: tokenizer))
    guard case let .committed(_, _) = runner.execute(source: "p = perplexity(lm, \"\(text)\")", key: "p", title: ""),
        case let .double(p)? = runner.interpreter.globals["p"]
    else {
        Issue.record("perplexity failed")
        return
    }
    #expect(abs(p - hand) < 1e-5 * hand, "\(p) vs \(hand)")
    #expect(p == model.perplexity(of: ids))
}
