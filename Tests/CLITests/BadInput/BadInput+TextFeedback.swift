/// Text RLHF's built-ins given what they cannot use (a policy whose context cannot hold a prompt and its continuation,
/// an unknown objective, a corpus the policy cannot read or without word boundaries, a policy of another vocabulary)
/// and `rlhf export --format jsonl` given what it cannot write. Each is one error line, and nothing is committed.
extension BadInputCorpus {
    static var textFeedback: [BadInputCase] { textCalls + jsonlExport }

    /// (name, call after the setup, error after `nb.rlhf:6:`); the setup binds a text task over `t.txt`.
    static let textCalls: [BadInputCase] = [
        (
            "text-task-context", "x = TextTask(c, policy: lm, prompt_chars: 3, continuation: 2)",
            "46: error: TextTask(): argument 'continuation' with prompt_chars 3 needs a context of 5 tokens; the "
                + "policy's is 4"
        ),
        (
            "text-task-objective",
            "x = TextTask(c, policy: lm, prompt_chars: 2, continuation: 2, objective: \"happy\")",
            "63: error: TextTask(): argument 'objective' must be \"positive\" or \"negative\", got \"happy\""
        ),
        (
            "text-task-unreadable",
            "x = TextTask(Corpus(file: \"other.txt\"), policy: lm, prompt_chars: 1, continuation: 1)",
            "20: error: TextTask(): argument 'corpus' holds text the policy cannot read: character 'é' (U+00E9) at "
                + "offset 1 is not in the tokenizer's vocabulary"
        ),
        (
            "text-task-no-boundary",
            "x = TextTask(Corpus(file: \"nospace.txt\"), policy: lm, prompt_chars: 2, continuation: 2)",
            "13: error: the corpus's train half has no word ending after 2 characters"
        ),
        (
            "text-collect-other-policy",
            "x = collect(task, policy: GPT(vocab: Corpus(file: \"other.txt\"), layers: 1, heads: 1, dim: 4, context: 4), "
                + "annotator: Oracle(), pairs: 2)",
            "19: error: collect(): argument 'policy' reads another vocabulary than the task's: the task was made for "
                + "another GPT"
        ),
        (
            "text-collect-temperature", "x = collect(task, policy: lm, annotator: Oracle(), pairs: 2, temperature: -1)",
            "62: error: collect(): argument 'temperature' must be a finite number between 0 and 100, got -1"
        ),
        (
            "text-label-agreement-vector",
            "x = label_agreement(collect(VectorTask(dim: 2, prompts: 4, candidates: 2, test_prompts: 2, contextual: false), "
                + "annotator: Oracle(), pairs: 2), task)",
            "20: error: preference uid 1 holds vector responses, not text: a TextTask judges "
                + "continuations"
        ),
    ].map { name, call, error in
        var c = BadInputCase.notebook(
            "text/\(name)",
            """
            # %% bad id=bad
            \(languageModelSetup)
            task = TextTask(c, policy: lm, prompt_chars: 2, continuation: 2, prompts: 4, test_prompts: 2)
            \(call)

            """, error: "nb.rlhf:6:\(error)")
        c.files.merge([
            "t.txt": languageModelText, "other.txt": Array("té".utf8), "nospace.txt": Array("tobeornottobe".utf8),
        ]) { $1 }
        return c
    }

    static let jsonlExport: [BadInputCase] = [
        .cli(
            "text/export-jsonl-checkpoint", ["export", "1/policy", "--format", "jsonl"],
            error: "1/policy"),
        .cli(
            "text/export-jsonl-unwritable", ["export", "1/prefs", "--format", "jsonl", "-o", "{dir}/no/such/p.jsonl"],
            error: "cannot write '{dir}/no/such/p.jsonl'"),
        .cli(
            "text/export-jsonl-empty-output", ["export", "1/prefs", "--format", "jsonl", "-o", ""],
            error: "-o needs the path of a file to write into; it is empty"),
        .cli(
            "text/export-hf-without-output", ["export", "1/policy", "--format", "hf"],
            error: "--format hf needs -o DIR, the directory to write into"),
    ]
}
