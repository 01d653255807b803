import CKernels
import Engine

/// A reward model over text: a GPT trunk and a scalar head reading the final hidden state of each sequence's last
/// token, laid out as Hugging Face's `GPT2ForSequenceClassification` with one label (`transformer.*` as in
/// `GPT2LMHeadModel`, then `score.weight` [1, dim], no bias: a bias adds the same amount to both scores of a pair and
/// so cancels in the Bradley–Terry loss).
///
/// ```swift
/// var rm = TextRewardModel(trunk: pretrainedLM, rng: &rng)
/// let r = rm.scores(tokens: promptAndContinuations, batch: 64, time: 64)  // one score per sequence
/// ```
///
/// Ziegler et al. (2019) and Stiennon et al. (2020) start the reward model from the pretrained language model, so it
/// begins with the model's knowledge of the text; the trunk's language-model head (tied to `wte`) is kept but unused.
public struct TextRewardModel: Sendable, Equatable {
    /// Which final hidden states the head reads.
    public enum Readout: String, Sendable, CaseIterable {
        /// The last token's, as `GPT2ForSequenceClassification` and Ziegler et al. (2019) read it.
        case last
        /// Every token's, the head's outputs averaged over the sequence: a sum of per-position scores, as a lexicon
        /// judge such as VADER sums word valences. Two sequences that share a prefix have equal hidden states over
        /// it (attention is causal), so in a pair with one prompt only the continuations' positions differ.
        case mean
    }

    public var trunk: GPT
    /// `score.weight` [1, dim].
    public var head: Tensor
    public var readout: Readout

    /// The head's name in Hugging Face's `GPT2ForSequenceClassification`.
    public static let headName = "score.weight"

    /// A reward model starting from `trunk` (copied: the language model itself is unchanged), with the head drawn
    /// N(0, 0.02) from `rng` as `GPT2ForSequenceClassification._init_weights` draws it. Random rather than zero so
    /// the very first step already sends a gradient into the trunk (with a zero head, ∂r/∂hidden = 0 and only the
    /// head would move at first), while scores still start near 0.
    public init(trunk: GPT, readout: Readout = .last, rng: inout RNG) {
        self.trunk = trunk
        self.readout = readout
        head = rng.normalTensor([1, trunk.config.dim], scale: 0.02)
    }

    /// A reward model from given parts (shapes checked by `load`, the route user data takes).
    public init(trunk: GPT, head: Tensor, readout: Readout = .last) {
        precondition(head.shape == [1, trunk.config.dim], "TextRewardModel: head \(head.shape)")
        self.trunk = trunk
        self.head = head
        self.readout = readout
    }

    public var config: GPTConfig { trunk.config }

    /// The trunk's parameters in `GPT.parameterNames` order, then the head.
    public var parameters: [Tensor] {
        get { trunk.parameters + [head] }
        set {
            precondition(newValue.count == trunk.parameters.count + 1, "TextRewardModel: \(newValue.count) tensors")
            trunk.parameters = Array(newValue.dropLast())
            head = newValue[newValue.count - 1]
        }
    }

    /// Names in `parameters` order.
    public static func parameterNames(layers: Int) -> [String] { GPT.parameterNames(layers: layers) + [headName] }

    /// Shapes in `parameters` order.
    public static func parameterShapes(_ c: GPTConfig) -> [[Int]] { GPT.parameterShapes(c) + [[1, c.dim]] }

    public var parameterNames: [String] { Self.parameterNames(layers: config.layers) }
    public var parameterCount: Int { trunk.parameterCount + head.count }

    /// The rows of `hidden` a last-token head reads: position time − 1 of each of `batch` sequences.
    static func lastRows(batch: Int, time: Int) -> [Int] { (0..<batch).map { $0 * time + time - 1 } }

    /// One score per sequence, [batch, 1], recorded on `tape` with the parameters as `p` (in `parameters` order), so
    /// a backward pass reaches the head and every trunk parameter.
    ///
    /// `tokens` holds `batch` sequences of `time` ids each (time ≤ context), sequence 0 first.
    public func scores(on tape: Tape, parameters p: [Var], tokens: [Int], batch: Int, time: Int) -> Var {
        precondition(p.count == trunk.parameters.count + 1, "TextRewardModel.scores: \(p.count) parameters")
        let hidden = trunk.hidden(on: tape, parameters: Array(p.dropLast()), tokens: tokens, batch: batch, time: time)
        switch readout {
        case .last:
            let last = tape.embedding(hidden, ids: Self.lastRows(batch: batch, time: time))  // [B, D]
            return tape.matmulTransposed(last, p[p.count - 1])  // [B, 1]
        case .mean:
            let each = tape.matmulTransposed(hidden, p[p.count - 1])  // [B·T, 1]
            return tape.matmul(tape.constant(Self.meanPool(batch: batch, time: time)), each)  // [B, 1]
        }
    }

    /// [batch, batch·time]: row b averages the `time` rows of sequence b.
    static func meanPool(batch: Int, time: Int) -> Tensor {
        var pool = Tensor(zeros: [batch, batch * time])
        let share = 1 / Float(time)
        for b in 0..<batch {
            for t in 0..<time { pool.data[b * batch * time + b * time + t] = share }
        }
        return pool
    }

    /// One score per sequence, for evaluation and for scoring a policy's samples, with the same bits as `scores(on:…)`.
    /// A last-token head runs without a tape through the inference kernels (`GPTDecoder`), at a fraction of the cost;
    /// a mean readout needs every position's hidden state and runs the tape's forward pass.
    public func scores(tokens: [Int], batch: Int, time: Int) -> [Float] {
        precondition(batch >= 1 && time >= 1 && time <= config.context, "TextRewardModel.scores: \(batch) × \(time)")
        if readout == .mean {
            // Every position's hidden state is needed: the tape's forward pass with the parameters as constants, 64
            // sequences at a time (the pooling matrix grows with the square of the batch; rows never mix).
            var out: [Float] = []
            out.reserveCapacity(batch)
            for start in stride(from: 0, to: batch, by: 64) {
                let n = min(64, batch - start)
                let tape = Tape()
                let p = parameters.map { tape.constant($0) }
                let slice = Array(tokens[(start * time)..<((start + n) * time)])
                out += tape.value(scores(on: tape, parameters: p, tokens: slice, batch: n, time: time)).data
            }
            return out
        }
        let d = config.dim
        let decoder = GPTDecoder(trunk, batch: batch, languageModelHead: false)
        let hidden = decoder.lastHidden(tokens: tokens, time: time)  // [B, D]
        // The product `Tape.matmulTransposed` takes (headᵀ [D, 1] holds the head's numbers), so the bits agree.
        var out = [Float](repeating: 0, count: batch)
        out.withUnsafeMutableBufferPointer { o in
            rlhf_dense_product(batch, 1, d, hidden, d, 1, head.data, 1, o.baseAddress, 1, 0)
        }
        return out
    }
}

// MARK: - Saved form

extension TextRewardModel {
    /// The checkpoint kind of a text reward model.
    public static let stateDictKind = "text_reward"
    /// The config entry (value 1) of a checkpoint whose head reads the mean over tokens.
    static let meanReadoutKey = "score.readout_mean"

    /// The saved form: the trunk's sizes as config, the trunk's parameters under their GPT-2 names and the head as
    /// `score.weight`, the tokenizer's vocabulary as `tokenizer.scalars` (as `GPT.stateDict` saves it), and Adam's
    /// moments and step over all of them. Tensors equal to the language model's are stored once.
    public func stateDict(tokenizer: CharTokenizer, optimizer: Adam?) -> StateDict {
        var dict = trunk.stateDict(tokenizer: tokenizer, optimizer: nil)
        dict.kind = Self.stateDictKind
        let scalars = dict.tensors.removeLast()  // tokenizer.scalars
        dict.tensors.append((Self.headName, head))
        // A last-token model's checkpoint is as it was before readouts existed.
        if readout == .mean { dict.config.append((Self.meanReadoutKey, 1)) }
        dict.tensors.append(scalars)
        if let optimizer {
            dict.config.append(("adam.step", optimizer.step))
            for (i, name) in parameterNames.enumerated() {
                dict.tensors.append(("adam.m." + name, optimizer.m[i]))
                dict.tensors.append(("adam.v." + name, optimizer.v[i]))
            }
        }
        return dict
    }

    /// Rebuilds a text reward model, its tokenizer and its optimiser state from a checkpoint, checking every name
    /// and shape as `GPT.load` does.
    public static func load(_ dict: StateDict) throws -> (TextRewardModel, CharTokenizer, Adam?) {
        guard dict.kind == stateDictKind else {
            throw StateDictError.wrongKind(expected: stateDictKind, got: dict.kind)
        }
        // The trunk is read as a GPT without optimiser state: the moments here cover the head too.
        var trunkDict = dict
        trunkDict.kind = GPT.stateDictKind
        trunkDict.config.removeAll { $0.key == "adam.step" }
        let (trunk, tokenizer, _) = try GPT.load(trunkDict)
        let c = trunk.config
        func tensor(_ name: String, _ shape: [Int]) throws -> Tensor {
            guard let t = dict.tensor(name) else { throw StateDictError.missingTensor(name) }
            guard t.shape == shape else { throw StateDictError.wrongShape(name: name, expected: shape, got: t.shape) }
            return t
        }
        let readout: Readout = dict.configValue(meanReadoutKey) == 1 ? .mean : .last
        let model = TextRewardModel(trunk: trunk, head: try tensor(headName, [1, c.dim]), readout: readout)
        guard let step = dict.configValue("adam.step") else { return (model, tokenizer, nil) }
        let (names, shapes) = (parameterNames(layers: c.layers), parameterShapes(c))
        let m = try zip(names, shapes).map { try tensor("adam.m." + $0, $1) }
        let v = try zip(names, shapes).map { try tensor("adam.v." + $0, $1) }
        return (model, tokenizer, Adam(step: step, m: m, v: v))
    }
}
