/// The language-model built-ins given what they cannot use: a corpus file that is missing, a folder, not UTF-8 or
/// empty; model sizes out of range or inconsistent; text the model's vocabulary lacks; hyper-parameters outside their
/// ranges; `rlhf diff`'s sampling options out of range. Each is one located error, and nothing is committed.
extension BadInputCorpus {
    static var languageModels: [BadInputCase] { corpusFiles + languageModelCalls + diffSampling }

    /// A corpus and a model over its 12 characters, built in the failing cell so the failure commits nothing.
    static let languageModelSetup = """
        seed(1)
        c = Corpus(file: "t.txt", split: 0.5)
        lm = GPT(vocab: c, layers: 1, heads: 2, dim: 4, context: 4)
        """

    /// "to be or not to be, that is the question" (its 12 distinct characters, 2 × 20 tokens).
    static let languageModelText = Array("to be or not to be that is the question: to be or not to be".utf8)

    private static func lmCase(
        _ name: String, _ source: String, files: [String: [UInt8]] = [:], error: String
    ) -> BadInputCase {
        var c = BadInputCase.notebook("lm/\(name)", "# %% bad id=bad\n\(source)\n", error: error)
        c.files.merge(files) { $1 }
        return c
    }

    static let corpusFiles: [BadInputCase] = [
        lmCase(
            "corpus-missing", "c = Corpus(file: \"nope.txt\")",
            error: "nb.rlhf:2:12: error: Corpus(): argument 'file' cannot be read: '{dir}/nope.txt': no such file"),
        lmCase(
            "corpus-folder", "c = Corpus(file: \".\")",
            error: "nb.rlhf:2:12: error: Corpus(): argument 'file' cannot be read: '{dir}': it is a directory"),
        lmCase(
            "corpus-not-utf8", "c = Corpus(file: \"bad.txt\")", files: ["bad.txt": [0x61, 0x0A, 0x62, 0xC3, 0x28]],
            error:
                "nb.rlhf:2:12: error: Corpus(): argument 'file' cannot be read: '{dir}/bad.txt': it is not UTF-8 "
                + "(byte 0xC3 at line 2, column 2)"),
        lmCase(
            "corpus-empty", "c = Corpus(file: \"empty.txt\")", files: ["empty.txt": []],
            error:
                "nb.rlhf:2:12: error: Corpus(): argument 'file' cannot be a corpus: '{dir}/empty.txt': the text is empty"
        ),
        lmCase(
            "corpus-empty-path", "c = Corpus(file: \"\")",
            error: "nb.rlhf:2:12: error: Corpus(): argument 'file' must name a file, got an empty path"),
        lmCase(
            "corpus-split-1", "c = Corpus(file: \"t.txt\", split: 1)", files: ["t.txt": languageModelText],
            error: "nb.rlhf:2:27: error: Corpus(): argument 'split' must be a finite number > 0 and < 1, got 1"),
        lmCase(
            "corpus-split-0", "c = Corpus(file: \"t.txt\", split: 0)", files: ["t.txt": languageModelText],
            error: "nb.rlhf:2:27: error: Corpus(): argument 'split' must be a finite number > 0 and < 1, got 0"),
        lmCase(
            "corpus-split-nan", "c = Corpus(file: \"t.txt\", split: float(\"nan\"))",
            files: ["t.txt": languageModelText],
            error: "nb.rlhf:2:27: error: Corpus(): argument 'split' must be a finite number > 0 and < 1, got nan"),
    ]

    /// (name, call after the setup, error after `nb.rlhf:5:COL: error: `); the column is the call's own.
    static let languageModelCalls: [BadInputCase] = [
        (
            "gpt-vocab-number", "x = GPT(vocab: 65, layers: 1, heads: 1, dim: 4, context: 4)",
            "9: error: GPT(): argument 'vocab' must be a Corpus, got number"
        ),
        (
            "gpt-heads-divide", "x = GPT(vocab: c, layers: 1, heads: 3, dim: 4, context: 4)",
            "40: error: GPT(): argument 'dim' must be a multiple of heads (3), got 4"
        ),
        (
            "gpt-layers-0", "x = GPT(vocab: c, layers: 0, heads: 1, dim: 4, context: 4)",
            "19: error: GPT(): argument 'layers' must be an integer between 1 and 64, got 0"
        ),
        (
            "gpt-context-huge", "x = GPT(vocab: c, layers: 1, heads: 1, dim: 4, context: 100000)",
            "48: error: GPT(): argument 'context' must be an integer between 1 and 8192, got 100000"
        ),
        (
            "gpt-too-big", "x = GPT(vocab: c, layers: 64, heads: 64, dim: 8192, context: 8)",
            "42: error: GPT(): argument 'dim' asks for 65 × 805412864 values; the limit is 100000000"
        ),
        (
            "pretrain-lr-inf", "pretrain(lm, c, iters: 1, lr: float(\"inf\"))",
            "27: error: pretrain(): argument 'lr' must be a finite number > 0 and ≤ 100, got inf"
        ),
        (
            "pretrain-beta2-1", "pretrain(lm, c, iters: 1, beta2: 1)",
            "27: error: pretrain(): argument 'beta2' must be a finite number ≥ 0 and < 1, got 1"
        ),
        (
            "pretrain-eval-every-0", "pretrain(lm, c, iters: 1, eval_every: 0)",
            "27: error: pretrain(): argument 'eval_every' must be an integer between 1 and 1000000, got 0"
        ),
        (
            "pretrain-clip-negative", "pretrain(lm, c, iters: 1, clip: -1)",
            "27: error: pretrain(): argument 'clip' must be a finite number between 0 and 1000000, got -1"
        ),
        (
            "pretrain-not-in-place", "pretrain(GPT(vocab: c, layers: 1, heads: 1, dim: 4, context: 4), c, iters: 1)",
            "13: error: argument 'lm' of pretrain() must be a variable: pretrain() updates it in place"
        ),
        (
            "pretrain-short-half", "pretrain(lm, Corpus(file: \"short.txt\"), iters: 1)",
            "9: error: pretrain(): the corpus's validation half has 2 tokens; a window of the model's context (4) "
                + "needs at least 5"
        ),
        (
            "pretrain-unknown-character", "pretrain(lm, Corpus(file: \"other.txt\"), iters: 1)",
            "20: error: pretrain(): argument 'corpus' holds text the model cannot read: character 'é' (U+00E9) at "
                + "offset 1 is not in the tokenizer's vocabulary"
        ),
        (
            "sample-unknown-character", "sample(lm, prompt: \"tÉ\")",
            "12: error: sample(): argument 'prompt' cannot be read by the model: character 'É' (U+00C9) at offset 1 "
                + "is not in the tokenizer's vocabulary"
        ),
        (
            "sample-empty-prompt", "sample(lm, prompt: \"\")",
            "12: error: sample(): argument 'prompt' is empty: sampling continues at least one character"
        ),
        (
            "sample-temperature", "sample(lm, temperature: -1)",
            "12: error: sample(): argument 'temperature' must be a finite number between 0 and 100, got -1"
        ),
        (
            "sample-top-k", "sample(lm, top_k: 0)",
            "12: error: sample(): argument 'top_k' must be an integer between 1 and 1000000, got 0"
        ),
        (
            "sample-n", "sample(lm, n: 5000)",
            "12: error: sample(): argument 'n' must be an integer between 1 and 1000, got 5000"
        ),
        (
            "perplexity-unknown-character", "perplexity(lm, \"to be\\tor\")",
            "16: error: perplexity(): argument 'text' cannot be read by the model: character U+0009 at offset 5 is "
                + "not in the tokenizer's vocabulary"
        ),
        (
            "perplexity-one-character", "perplexity(lm, \"t\")",
            "16: error: perplexity(): argument 'text' has 1 character; perplexity needs 2"
        ),
    ].map { name, call, error in
        lmCase(
            name, "\(languageModelSetup)\n\(call)",
            files: [
                "t.txt": languageModelText, "other.txt": Array("té".utf8),
                "short.txt": Array("to be or not to b".utf8),
            ], error: "nb.rlhf:5:\(error)")
    }

    /// `rlhf diff`'s sampling options, refused before the store is read.
    static let diffSampling: [BadInputCase] = [
        .cli(
            "lm/diff-tokens-0", ["diff", "1/policy@1", "1/policy@2", "--tokens", "0"], exit: 64,
            error: "--tokens must be 1–10000, got 0"),
        .cli(
            "lm/diff-samples-big", ["diff", "1/policy@1", "1/policy@2", "--samples", "17"], exit: 64,
            error: "--samples must be 1–16, got 17"),
    ]
}
