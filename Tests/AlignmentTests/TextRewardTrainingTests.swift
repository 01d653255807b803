import Engine
import Models
import Sentiment
import Testing

@testable import Alignment

/// Bradley–Terry training of a text reward model: its gradient, that it learns, that it repeats, and what it refuses.
@Suite(.serialized)
struct TextRewardTrainingTests {
    /// A judge whose score a reader computes by hand: the number of x's in the text.
    struct CountsX: SentimentScorer {
        var name: String { "counts x" }
        func compound(_ text: String) -> Double { Double(text.filter { $0 == "x" }.count) }
    }

    static let tokenizer = CharTokenizer(corpus: "ab x")

    /// `count` pairs of a 4-character prompt of a's and b's and two 4-character continuations: the chosen one holds
    /// an x at a random place, the rejected one none (as ids, the way `collect` stores a text preference).
    static func toyPairs(_ count: Int, seed: UInt64) throws -> PreferenceDataset {
        var rng = RNG(seed: seed)
        let letters: [Character] = ["a", "b", " "]
        func text(_ n: Int) -> String { String((0..<n).map { _ in letters[rng.int(below: 3)] }) }
        let rows = try (0..<count).map { i -> PreferencePair in
            let prompt = text(4)
            var chosen = Array(text(4))
            chosen[rng.int(below: 4)] = "x"
            let rejected = text(4)
            let ids = { (s: String) in try tokenizer.encode(s).map(Float.init) }
            return PreferencePair(
                uid: Int64(i + 1), prompt: i, chosen: try ids(String(chosen)), rejected: try ids(rejected),
                annotator: "oracle", seed: 0,
                text: PreferenceText(prompt: prompt, chosen: String(chosen), rejected: rejected))
        }
        return PreferenceDataset(rows: rows)
    }

    static func toyModel(seed: UInt64, context: Int = 8, readout: TextRewardModel.Readout = .last) -> TextRewardModel {
        var rng = RNG(seed: seed)
        let lm = GPT(config: GPTConfig(vocab: 4, layers: 1, heads: 2, dim: 16, context: context), rng: &rng)
        return TextRewardModel(trunk: lm, readout: readout, rng: &rng)
    }

    /// The Bradley–Terry loss's gradient against central differences of the loss itself, for entries of the head, of
    /// a trunk projection, of a layer norm and of the token embedding (which the tape reaches only through the trunk),
    /// for either readout.
    @Test(
        arguments: [
            (parameter: "score.weight", entries: [0, 5, 15]),
            (parameter: "transformer.h.0.attn.c_attn.weight", entries: [0, 100, 700]),
            (parameter: "transformer.h.0.ln_2.weight", entries: [3, 9]),
            (parameter: "transformer.wte.weight", entries: [1, 40, 63]),
        ], TextRewardModel.Readout.allCases)
    func gradientMatchesFiniteDifferences(
        _ target: (parameter: String, entries: [Int]), readout: TextRewardModel.Readout
    )
        throws
    {
        let (parameter, entries) = target
        var rm = Self.toyModel(seed: 4, readout: readout)
        // Larger random weights than GPT-2's initialisation, so every path carries a gradient worth measuring.
        var rng = RNG(seed: 6)
        rm.parameters = rm.parameters.map { t in
            t.shape.count == 1 ? t : Tensor(shape: t.shape, data: t.data.map { $0 + 0.3 * rng.normal() })
        }
        let data = try TextPreferenceSequences(
            try Self.toyPairs(3, seed: 1), tokenizer: Self.tokenizer, context: 8, function: "test")
        let tokens = data.stacked([0, 1, 2])
        func loss(_ params: [Tensor]) -> Double {
            Double(textBradleyTerryStep(rm, params, tokens: tokens, pairs: 3, time: data.time).loss)
        }
        let index = try #require(rm.parameterNames.firstIndex(of: parameter))
        let gradient = textBradleyTerryStep(rm, rm.parameters, tokens: tokens, pairs: 3, time: data.time).gradients
        let h: Float = 1e-2
        for entry in entries {
            var (plus, minus) = (rm.parameters, rm.parameters)
            plus[index].data[entry] += h
            minus[index].data[entry] -= h
            let numeric = (loss(plus) - loss(minus)) / Double(2 * h)
            let analytic = Double(gradient[index].data[entry])
            #expect(abs(analytic - numeric) <= 2e-4 + 2e-2 * abs(numeric), "\(readout) \(parameter)[\(entry)]")
        }
    }

    /// A frozen trunk gets no gradient while the head gets exactly the one it gets when everything trains, and a
    /// frozen `fit` leaves every trunk bit as it was and moves the head.
    @Test(arguments: TextRewardModel.Readout.allCases)
    func aFrozenTrunkTrainsOnlyTheHead(readout: TextRewardModel.Readout) throws {
        var rm = Self.toyModel(seed: 5, readout: readout)
        let pairs = try Self.toyPairs(12, seed: 2)
        let data = try TextPreferenceSequences(pairs, tokenizer: Self.tokenizer, context: 8, function: "test")
        let tokens = data.stacked([0, 1, 2, 3])
        let all = textBradleyTerryStep(rm, rm.parameters, tokens: tokens, pairs: 4, time: data.time)
        let frozen = textBradleyTerryStep(
            rm, rm.parameters, tokens: tokens, pairs: 4, time: data.time, freezeTrunk: true)
        #expect(frozen.loss.bitPattern == all.loss.bitPattern)
        #expect(frozen.gradients.last?.data.map(\.bitPattern) == all.gradients.last?.data.map(\.bitPattern))
        #expect(frozen.gradients.dropLast().allSatisfy { $0.data.allSatisfy { $0 == 0 } })
        #expect(all.gradients.dropLast().contains { $0.data.contains { $0 != 0 } })

        let before = rm
        var optimizer: Adam? = nil
        var rng = RNG(seed: 3)
        _ = try fit(
            &rm, optimizer: &optimizer, tokenizer: Self.tokenizer, on: pairs, epochs: 2, lr: 1e-2, batch: 4,
            freezeTrunk: true, rng: &rng)
        #expect(
            rm.trunk.parameters.map { $0.data.map(\.bitPattern) }
                == before.trunk.parameters.map { $0.data.map(\.bitPattern) })
        #expect(rm.head != before.head)
    }

    /// The loss is −mean log σ(r⁺ − r⁻), the scores being the model's own.
    @Test func lossIsBradleyTerryOfTheScores() throws {
        let rm = Self.toyModel(seed: 2)
        let data = try TextPreferenceSequences(
            try Self.toyPairs(4, seed: 3), tokenizer: Self.tokenizer, context: 8, function: "test")
        let s = rm.scores(tokens: data.stacked([0, 1, 2, 3]), batch: 8, time: data.time).map(Double.init)
        let expected = (0..<4).map { -mathLog(1 / (1 + mathExp(-(s[4 + $0] - s[$0])))) }.reduce(0, +) / 4
        let loss = textBradleyTerryStep(rm, rm.parameters, tokens: data.stacked([0, 1, 2, 3]), pairs: 4, time: 8).loss
        #expect(abs(Double(loss) - expected) <= 1e-6)
    }

    /// When the chosen continuation always holds an x and the rejected one never does, training finds it: held-out
    /// accuracy reaches 1, and so does agreement with a gold that counts x's.
    @Test func learnsWhichContinuationHoldsTheCharacter() throws {
        var rm = Self.toyModel(seed: 7)
        var optimizer: Adam? = nil
        var rng = RNG(seed: 8)
        let corpus = try Corpus(text: String(repeating: "ab ba x ab ", count: 20), split: 0.5)
        let task = try TextTask(
            corpus: corpus, tokenizer: Self.tokenizer, promptLength: 4, continuation: 4, count: 4, testCount: 4,
            objective: .positive, scorer: CountsX(), rng: &rng)
        let metrics = try fit(
            &rm, optimizer: &optimizer, tokenizer: Self.tokenizer, on: try Self.toyPairs(96, seed: 9), epochs: 25,
            lr: 3e-3, batch: 8, heldOut: 0.25, task: task, rng: &rng)
        func last(_ name: String) -> Double? { metrics.last { $0.name == name }?.value }
        #expect(metrics.filter { $0.name == "loss" }.count == 25)
        #expect(last("accuracy") == 1)
        #expect(last("train_accuracy") == 1)
        #expect(last("gold_agreement") == 1)
        #expect(try #require(last("loss")) < 0.1)
        #expect(optimizer?.step == 25 * 9)  // 72 training pairs in batches of 8
        // A fresh dataset drawn the same way is ranked right too.
        #expect(try accuracy(rm, tokenizer: Self.tokenizer, on: try Self.toyPairs(64, seed: 10)) == 1)
    }

    /// Two runs from the same seed give the same bits: metrics, parameters and Adam's moments.
    @Test func trainingIsDeterministic() throws {
        let data = try Self.toyPairs(24, seed: 12)
        func run() throws -> ([Metric], TextRewardModel, Adam?) {
            var rm = Self.toyModel(seed: 13)
            var optimizer: Adam? = nil
            var rng = RNG(seed: 14)
            let metrics = try fit(
                &rm, optimizer: &optimizer, tokenizer: Self.tokenizer, on: data, epochs: 2, lr: 1e-3, batch: 5,
                heldOut: 0.2, rng: &rng)
            return (metrics, rm, optimizer)
        }
        let (a, b) = (try run(), try run())
        #expect(a.0.map(\.value.bitPattern) == b.0.map(\.value.bitPattern))
        #expect(a.1.parameters.flatMap(\.data).map(\.bitPattern) == b.1.parameters.flatMap(\.data).map(\.bitPattern))
        #expect(a.2 == b.2)
        #expect(a.1 != Self.toyModel(seed: 13))
    }

    /// Gold agreement by hand: the model's margin and the gold's agree in sign (1), disagree (0), or one of them is a
    /// tie (½).
    @Test(arguments: [
        (margins: [1.0, -2.0, 0.5], gold: [0.3, -0.1, 0.2], expected: 1.0),
        (margins: [1.0, -2.0, 0.5, 4.0], gold: [-0.3, -0.1, 0, 1], expected: 2.5 / 4),
        (margins: [0.0, 1.0], gold: [1.0, -1.0], expected: 0.25),
        (margins: [], gold: [], expected: 0.0),
    ])
    func goldAgreementCountsTiesAsHalf(margins: [Double], gold: [Double], expected: Double) {
        #expect(agreement(margins, gold) == expected)
    }

    /// Refused datasets, each with the message the user sees.
    static let refusals: [(edit: String, error: AlignmentError)] = [
        (
            "unequal",
            .shapeMismatch(
                "fit: preference 2 has sequences of 9 and 9 tokens (prompt + continuation) but preference 1 has 8; "
                    + "a text reward model reads pairs of one length")
        ),
        (
            "vector",
            .shapeMismatch(
                "fit: preference 1 holds response vectors, not text; a text reward model reads text preferences "
                    + "(collected on a TextTask)")
        ),
        ("id", .shapeMismatch("fit: preference 1 holds token id 7.0, outside the reward model's vocabulary of 4")),
        (
            "prompt",
            .shapeMismatch(
                "fit: the prompt of preference 1 does not fit the reward model's vocabulary: character 'z' (U+007A) "
                    + "at offset 0 is not in the tokenizer's vocabulary")
        ),
        (
            "long",
            .shapeMismatch(
                "fit: the preferences' sequences have 8 tokens (prompt + continuation) but the reward model's "
                    + "context is 6")
        ),
        ("empty", .emptyDataset("fit needs at least one preference pair; the dataset is empty")),
    ]

    @Test(arguments: refusals)
    func refusesDatasetsItCannotRead(edit: String, error: AlignmentError) throws {
        var rows = try Self.toyPairs(2, seed: 15).rows
        var context = 8
        switch edit {
        case "unequal": rows[1].text?.prompt += "a"
        case "vector": rows[0].text = nil
        case "id": rows[0].chosen[2] = 7
        case "prompt": rows[0].text?.prompt = "zzzz"
        case "long": context = 6
        default: rows = []
        }
        var rm = Self.toyModel(seed: 1, context: context)
        var optimizer: Adam? = nil
        var rng = RNG(seed: 1)
        let before = rm
        #expect(throws: error) {
            try fit(
                &rm, optimizer: &optimizer, tokenizer: Self.tokenizer, on: PreferenceDataset(rows: rows), epochs: 1,
                lr: 1e-3, batch: 2, rng: &rng)
        }
        #expect(rm == before && optimizer == nil)
    }
}
