import Engine
import Models
import Sentiment
import Testing

@testable import Alignment

/// Gold for the toy task: the fraction of the letter e in the continuation (a deterministic stand-in for VADER).
private struct LetterE: SentimentScorer {
    var name: String { "letter e" }
    func compound(_ text: String) -> Double {
        text.isEmpty ? 0 : Double(text.filter { $0 == "e" }.count) / Double(text.count)
    }
}

/// A small world: a two-sentence corpus, a tiny untrained GPT over its characters, prompts of 6 and continuations of
/// 5 characters.
private func world(seed: UInt64, continuation: Int = 5) throws -> (TextTask, GPT, RNG) {
    let text = String(repeating: "the cat sat on a mat. a dog ran to the old tree. ", count: 12)
    let corpus = try Corpus(text: text, split: 0.8)
    var rng = RNG(seed: seed)
    let task = try TextTask(
        corpus: corpus, tokenizer: corpus.tokenizer, promptLength: 6, continuation: continuation, count: 32,
        testCount: 8, objective: .positive, scorer: LetterE(), rng: &rng)
    let config = GPTConfig(vocab: corpus.tokenizer.count, layers: 1, heads: 2, dim: 16, context: 12)
    return (task, GPT(config: config, rng: &rng), rng)
}

/// The proxy reward of the end-to-end runs: how many e's the continuation holds (the prompt is the first 6 tokens).
private func countE(_ task: TextTask) -> ([[Int]]) -> [Double] {
    let e = task.tokenizer.vocabulary.firstIndex(of: "e")!
    return { sequences in sequences.map { s in Double(s.dropFirst(task.promptLength).filter { $0 == e }.count) } }
}

private func series(_ m: [Metric], _ name: String) -> [Double] { m.filter { $0.name == name }.map(\.value) }

/// The mean of the first (`first`) or last three points of a series.
private func mean3(_ x: [Double], first: Bool) -> Double {
    let part = first ? x.prefix(3) : x.suffix(3)
    return part.reduce(0, +) / Double(part.count)
}

/// log-softmax in Double of one row of logits, picked at `token`.
private func logSoftmax(_ row: ArraySlice<Float>, _ token: Int) -> Double {
    let top = Double(row.max()!)
    let total = row.reduce(0.0) { $0 + mathExp(Double($1) - top) }
    return Double(row[row.startIndex + token]) - top - mathLog(total)
}

/// Σ log π of each continuation token, from the tape-free `GPT.logits` (a path independent of the tape's).
private func sequenceLogp(_ model: GPT, prompt: [Int], continuation: [Int]) -> Double {
    let tokens = prompt + continuation
    let logits = model.logits(tokens: tokens, batch: 1, time: tokens.count)
    let v = model.config.vocab
    return continuation.indices.reduce(0.0) { sum, t in
        let row = prompt.count - 1 + t
        return sum + logSoftmax(logits.data[(row * v)..<((row + 1) * v)], continuation[t])
    }
}

/// Perturbs every parameter, so a model differs from the one it was copied from.
private func perturbed(_ model: GPT, seed: UInt64) -> GPT {
    var rng = RNG(seed: seed), out = model
    for i in out.parameters.indices {
        for j in out.parameters[i].data.indices { out.parameters[i].data[j] += 0.05 * rng.normal() }
    }
    return out
}

struct TextPolicyOptimizationTests {
    @Test func batchedSamplingDrawsWhatPerPromptSamplingDraws() throws {
        let (task, model, _) = try world(seed: 1)
        let p = task.prompts[0], q = task.prompts[1]
        var r1 = RNG(seed: 9), r2 = RNG(seed: 9)
        #expect(
            try model.sample(prompts: [p, p, p], tokens: 5, rng: &r1)
                == model.sample(prompt: p, tokens: 5, n: 3, rng: &r2))
        #expect(r1 == r2)
        // Greedy draws use no randomness: each sequence must be its own prompt's greedy continuation.
        #expect(
            try model.sample(prompts: [p, q], tokens: 5, temperature: 0, rng: &r1)
                == [
                    model.sample(prompt: p, tokens: 5, temperature: 0, rng: &r1)[0],
                    model.sample(prompt: q, tokens: 5, temperature: 0, rng: &r1)[0],
                ])
    }

    @Test func continuationLogProbabilitiesMatchTheTapeFreeForward() throws {
        let (task, model, _) = try world(seed: 2)
        let prompts = Array(task.prompts[0..<3]),
            continuations = [[1, 2, 3, 4, 5], [0, 0, 0, 0, 0], [5, 4, 3, 2, 1]]
        let batch = ContinuationBatch(prompts: prompts, continuations: continuations)
        let logp = model.continuationScores(batch: batch, head: nil).logp
        for b in 0..<3 {
            let sum = logp[(b * 5)..<((b + 1) * 5)].reduce(0.0) { $0 + Double($1) }
            #expect(abs(sum - sequenceLogp(model, prompt: prompts[b], continuation: continuations[b])) < 1e-4)
        }
    }

    /// ∂loss/∂θ from the tape against central differences of the recorded loss, for entries of the token embedding,
    /// an attention weight, ln_f's bias and the value head.
    @Test func ppoLossGradientMatchesFiniteDifferences() throws {
        let (task, model, _) = try world(seed: 3)
        var rng = RNG(seed: 4)
        let head = ValueHead(dim: model.config.dim, rng: &rng)
        let sequences = ContinuationBatch(
            prompts: Array(task.prompts[0..<2]), continuations: [[1, 5, 2, 7, 3], [4, 4, 0, 6, 2]])
        let n = 10
        let current = model.continuationScores(batch: sequences, head: head)
        // Old log-probabilities shifted by ±0.1 and ±0.3: some ratios inside the clip range, some outside.
        let shifts: [Float] = [0.1, -0.1, 0.3, -0.3, 0.05, 0.1, -0.1, 0.3, -0.3, 0.05]
        let minibatch = PPOMinibatch(
            sequences: sequences, oldLogp: zip(current.logp, shifts).map { $0 - $1 },
            oldValues: current.values.map { $0 + 0.1 }, advantages: (0..<n).map { Float($0 % 3) - 1 },
            returns: (0..<n).map { Float($0) / 5 - 1 })
        let settings = PPOSettings(steps: 1)
        func loss(_ m: GPT, _ h: ValueHead) -> (Double, [Tensor?]) {
            let tape = Tape()
            let p = m.parameters.map { tape.leaf($0) }
            let w = tape.leaf(h.columnWeight), b = tape.leaf(h.bias)
            let l = recordPPOLoss(m, on: tape, parameters: p, head: (w, b), minibatch: minibatch, settings: settings)
            let g = tape.backward(l.loss)
            return (Double(tape.value(l.loss).data[0]), (p + [w, b]).map { g[$0] })
        }
        let (_, grads) = loss(model, head)
        let probes = [(0, 17), (2 + 2, 5), (model.parameters.count - 1, 3), (model.parameters.count, 7)]
        for (tensor, index) in probes {
            let h: Float = 1e-2
            func shifted(_ delta: Float) -> Double {
                var m = model, v = head
                if tensor < m.parameters.count {
                    m.parameters[tensor].data[index] += delta
                } else {
                    v.weight.data[index] += delta
                }
                return loss(m, v).0
            }
            let numeric = (shifted(h) - shifted(-h)) / Double(2 * h)
            let analytic = Double(grads[tensor]?.data[index] ?? 0)
            #expect(abs(numeric - analytic) < 2e-3 + 2e-2 * abs(analytic), "parameter \(tensor)[\(index)]")
        }
    }

    @Test func dpoLossGradientMatchesFiniteDifferences() throws {
        let (task, model, _) = try world(seed: 5)
        let prompts = Array(task.prompts[0..<2])
        let sequences = ContinuationBatch(
            prompts: prompts + prompts,
            continuations: [[1, 2, 3, 4, 5], [6, 5, 4, 3, 2], [0, 1, 0, 1, 0], [2, 2, 2, 3, 3]])
        let reference: [Float] = [-14, -15, -13.5, -16]
        func loss(_ m: GPT) -> (Double, [Tensor?]) {
            let tape = Tape()
            let p = m.parameters.map { tape.leaf($0) }
            let l = recordDPOLoss(m, on: tape, parameters: p, sequences: sequences, referenceLogp: reference, beta: 0.5)
            let g = tape.backward(l.loss)
            return (Double(tape.value(l.loss).data[0]), p.map { g[$0] })
        }
        let (_, grads) = loss(model)
        for (tensor, index) in [(0, 3), (1, 20), (2 + 8, 11), (model.parameters.count - 2, 0)] {
            let h: Float = 1e-2
            var up = model, down = model
            up.parameters[tensor].data[index] += h
            down.parameters[tensor].data[index] -= h
            let numeric = (loss(up).0 - loss(down).0) / Double(2 * h)
            let analytic = Double(grads[tensor]?.data[index] ?? 0)
            #expect(abs(numeric - analytic) < 2e-3 + 2e-2 * abs(analytic), "parameter \(tensor)[\(index)]")
        }
    }

    /// The first epoch's logged loss on one pair is DPO's loss of the sequence log-probabilities computed apart.
    @Test func dpoOnOneTextPairLogsTheSequenceLoss() throws {
        var (task, reference, rng) = try world(seed: 6)
        let policy = perturbed(reference, seed: 7)
        let prompt = task.prompts[3], chosen = [1, 2, 3, 4, 5], rejected = [5, 5, 0, 1, 2]
        let pair = PreferencePair(
            uid: 1, prompt: 3, chosen: chosen.map(Float.init), rejected: rejected.map(Float.init), annotator: "test",
            seed: 0,
            text: PreferenceText(
                prompt: task.tokenizer.decode(prompt), chosen: task.tokenizer.decode(chosen),
                rejected: task.tokenizer.decode(rejected)))
        var trained = policy
        let m = try dpo(
            &trained, on: PreferenceDataset(rows: [pair]), task: task, beta: 0.3, epochs: 1, lr: 1e-3, batch: 1,
            reference: reference, rng: &rng)
        let expected = dpoLoss(
            chosen: sequenceLogp(policy, prompt: prompt, continuation: chosen),
            rejected: sequenceLogp(policy, prompt: prompt, continuation: rejected),
            referenceChosen: sequenceLogp(reference, prompt: prompt, continuation: chosen),
            referenceRejected: sequenceLogp(reference, prompt: prompt, continuation: rejected), beta: 0.3)
        #expect(abs(series(m, "loss")[0] - expected) < 1e-4)
        #expect(series(m, "rewards/accuracies")[0] == (expected < mathLog(2) ? 1 : 0))
        // A vector pair is refused, naming its row.
        let vector = PreferencePair(uid: 9, prompt: 0, chosen: [1], rejected: [2], annotator: "test", seed: 0)
        #expect(throws: AlignmentError.self) {
            try dpo(&trained, on: PreferenceDataset(rows: [vector]), task: task, epochs: 1, lr: 1e-3, rng: &rng)
        }
    }

    @Test func bestOfNKeepsTheHighestScoredSample() throws {
        var (task, model, rng) = try world(seed: 8)
        let reward = countE(task)
        var replay = rng
        let best = try BestOfN(model, reward: reward, task: task, n: 6, rng: &rng)
        // Redraw the same samples and pick by hand.
        var gold = 0.0, proxy = 0.0
        for prompt in task.testPrompts {
            let samples = try model.sample(prompt: prompt, tokens: task.continuation, n: 6, rng: &replay)
            let scores = reward(samples.map { prompt + $0 })
            let top = scores.firstIndex(of: scores.max()!)!
            gold += task.gold(tokens: samples[top])
            proxy += scores[top]
        }
        let count = Double(task.testPrompts.count)
        #expect(abs(best.gold - gold / count) < 1e-12 && abs(best.proxy - proxy / count) < 1e-12)
        #expect(best.kl == mathLog(6) - 5.0 / 6)
        let one = try BestOfN(model, reward: reward, task: task, n: 1, rng: &rng)
        #expect(one.gold == one.sampleGold && one.kl == 0)
    }

    /// PPO toward "count of e" raises the count, and two runs from one seed agree to the bit.
    @Test func ppoRaisesTheCountOfLetterEAndReplaysBitwise() throws {
        func run() throws -> ([Metric], GPT, ValueHead?) {
            var (task, model, rng) = try world(seed: 10)
            var head: ValueHead? = nil
            var settings = PPOSettings(steps: 25, batch: 16, minibatch: 8, epochs: 4, lr: 3e-3, kl: .fixed(0.01))
            settings.valueCoefficient = 0.1
            let m = try ppo(&model, valueHead: &head, reward: countE(task), task: task, settings: settings, rng: &rng)
            return (m, model, head)
        }
        let (a, modelA, headA) = try run()
        let (b, modelB, headB) = try run()
        #expect(a == b && modelA == modelB && headA == headB)
        let proxy = series(a, "proxy")
        let early = mean3(proxy, first: true), late = mean3(proxy, first: false)
        #expect(late > early + 1, "mean e count per 5 characters went from \(early) to \(late)")
        #expect(series(a, "objective/kl").first! == 0)  // the reference is the policy at the call
        for name in [
            "objective/kl", "objective/kl_coef", "objective/entropy", "ppo/loss/value", "ppo/loss/policy",
            "ppo/policy/clipfrac", "ppo/policy/approxkl", "ppo/returns/mean", "gold", "proxy",
        ] {
            #expect(series(a, name).count == 25, "\(name)")
        }
        let gold = series(a, "gold")
        #expect(mean3(gold, first: false) > mean3(gold, first: true))
    }

    @Test func rlooRaisesTheCountOfLetterE() throws {
        var (task, model, rng) = try world(seed: 11)
        let m = try rloo(
            &model, reward: countE(task), task: task, steps: 30, batch: 8, samples: 4, lr: 3e-3, kl: .fixed(0.01),
            rng: &rng)
        let proxy = series(m, "proxy")
        let early = mean3(proxy, first: true), late = mean3(proxy, first: false)
        #expect(late > early + 1, "mean e count per 5 characters went from \(early) to \(late)")
        #expect(series(m, "objective/kl").first! == 0)
    }

    @Test func badArgumentsAreRefused() throws {
        var (task, model, rng) = try world(seed: 12, continuation: 7)
        var head: ValueHead? = nil
        // 6 + 7 tokens exceed the context of 12.
        #expect(throws: AlignmentError.self) {
            try ppo(
                &model, valueHead: &head, reward: countE(task), task: task, settings: PPOSettings(steps: 1), rng: &rng)
        }
        let (short, _, _) = try world(seed: 12)
        #expect(throws: AlignmentError.self) {
            try ppo(
                &model, valueHead: &head, reward: countE(short), task: short,
                settings: PPOSettings(steps: 1, batch: 6, minibatch: 4), rng: &rng)
        }
        #expect(throws: AlignmentError.self) {
            try ppo(
                &model, valueHead: &head, reward: { _ in [1] }, task: short,
                settings: PPOSettings(steps: 1, batch: 4, minibatch: 2), rng: &rng)
        }
        #expect(head == nil)
    }
}
