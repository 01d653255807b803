import Models

/// A GPT's `config.json` as `transformers.GPT2Config` reads it, and the checks that a `config.json` describes a model
/// this lab computes the same way: GPT-2 with the tanh GELU, layer-norm ε 1e-5, an MLP 4× wide, attention scaled by
/// 1/√head-width and a language-model head tied to the token embedding.
enum GPT2Config {
    /// Bounds far above any GPT-2 (48 layers, 1,600 wide, 50,257 tokens), so a hostile `config.json` cannot make
    /// the reader list a billion names or overflow `4 × n_embd`.
    static let maximumLayers = 10_000
    static let maximumSize = 1 << 31

    /// The layer-norm ε of GPT-2 and of this lab's `GPT`.
    static let layerNormEpsilon = 1e-5

    /// Every key `GPT2Config` defines for the language model, sorted as `save_pretrained` sorts them. Dropouts are 0
    /// (the lab trains without dropout); there are no special tokens in a character vocabulary, so `bos_token_id`
    /// and `eos_token_id` are null rather than GPT-2's 50256, which would lie outside it.
    static func json(_ c: GPTConfig) -> JSONValue {
        func int(_ n: Int) -> JSONValue { .number(String(n)) }
        return .fields([
            "activation_function": .string("gelu_new"),
            "architectures": .array([.string("GPT2LMHeadModel")]),
            "attn_pdrop": .number("0.0"),
            "bos_token_id": .null,
            "embd_pdrop": .number("0.0"),
            "eos_token_id": .null,
            "initializer_range": .number("0.02"),
            "layer_norm_epsilon": .number("1e-05"),
            "model_type": .string("gpt2"),
            "n_ctx": int(c.context),
            "n_embd": int(c.dim),
            "n_head": int(c.heads),
            "n_inner": .null,
            "n_layer": int(c.layers),
            "n_positions": int(c.context),
            "reorder_and_upcast_attn": .bool(false),
            "resid_pdrop": .number("0.0"),
            "scale_attn_by_inverse_layer_idx": .bool(false),
            "scale_attn_weights": .bool(true),
            "tie_word_embeddings": .bool(true),
            "torch_dtype": .string("float32"),
            "use_cache": .bool(true),
            "vocab_size": int(c.vocab),
        ])
    }

    /// The sizes a `config.json` gives, refusing (with the key and value) one this lab would not compute as
    /// `transformers` does. Keys it does not mention (dropouts, token ids, `summary_*`) do not change the logits.
    static func read(_ value: JSONValue) throws -> GPTConfig {
        guard case let .object(members) = value else { throw ConfigProblem("it is \(value.kindName), not an object") }
        var seen: Set<String> = []
        for key in members.map(\.key) where !seen.insert(key).inserted {
            throw ConfigProblem("'\(key)' is given twice")
        }
        func field(_ key: String) -> JSONValue? { members.first { $0.key == key }?.value }
        func size(_ key: String) throws -> Int {
            guard let v = field(key) else { throw ConfigProblem("no '\(key)'") }
            guard let n = v.nonNegativeInteger, n > 0 else {
                throw ConfigProblem("'\(key)' is \(v.compactText), not a positive integer")
            }
            // Shapes are computed (4 × n_embd, one name per layer) before any tensor is read: bound them first.
            let limit = key == "n_layer" ? maximumLayers : maximumSize
            guard n <= limit else { throw ConfigProblem("'\(key)' is \(n); at most \(limit) is read") }
            return n
        }
        func require(_ key: String, _ allowed: [JSONValue], _ why: String) throws {
            guard let v = field(key) else { return }
            guard allowed.contains(where: { $0.compactText == v.compactText }) else {
                throw ConfigProblem("'\(key)' is \(v.compactText); \(why)")
            }
        }
        guard case .string("gpt2")? = field("model_type") else {
            throw ConfigProblem("'model_type' is \(field("model_type")?.compactText ?? "missing"), not \"gpt2\"")
        }
        let c = GPTConfig(
            vocab: try size("vocab_size"), layers: try size("n_layer"), heads: try size("n_head"),
            dim: try size("n_embd"), context: try size("n_positions"))
        guard c.dim % c.heads == 0 else { throw ConfigProblem("'n_head' \(c.heads) does not divide 'n_embd' \(c.dim)") }
        try require(
            "activation_function", [.string("gelu_new"), .string("gelu_pytorch_tanh")],
            "this lab's GPT uses the tanh GELU (\"gelu_new\")")
        if let eps = field("layer_norm_epsilon"), eps.double != layerNormEpsilon {
            throw ConfigProblem("'layer_norm_epsilon' is \(eps.compactText); this lab's layer norm uses 1e-05")
        }
        try require("n_inner", [.null, .number(String(4 * c.dim))], "this lab's MLP is 4 × n_embd = \(4 * c.dim) wide")
        try require("tie_word_embeddings", [.bool(true)], "this lab ties the language-model head to 'wte'")
        try require("scale_attn_weights", [.bool(true)], "this lab scales attention by 1/√(head width)")
        try require("scale_attn_by_inverse_layer_idx", [.bool(false)], "this lab does not scale by layer")
        return c
    }

    /// What is wrong with a `config.json`.
    struct ConfigProblem: Error {
        var text: String
        init(_ text: String) { self.text = text }
    }
}
