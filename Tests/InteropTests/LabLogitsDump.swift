import Foundation
import Models
import Testing

@testable import Interop

/// The lab's side of `scripts/hf_logits.py`: with `RLHF_LAB_LOGITS_DIR=DIR RLHF_LAB_LOGITS_OUT=FILE`, reads the
/// Hugging Face directory DIR as `rlhf import` does and writes the logits `GPT.logits` gives on a prompt to FILE as
/// `{"prompt": …, "tokens": […], "logits": [[…], …]}`, for the script to compare with `transformers`. Skipped
/// otherwise (it needs a directory from outside the test). The prompt is `RLHF_LAB_LOGITS_PROMPT`, or a line of
/// Shakespeare when the vocabulary has its characters, or the vocabulary cycled; cut to the context.
@Test(.enabled(if: ProcessInfo.processInfo.environment["RLHF_LAB_LOGITS_DIR"] != nil))
func dumpLabLogitsForHFComparison() throws {
    let environment = ProcessInfo.processInfo.environment
    let dir = try #require(environment["RLHF_LAB_LOGITS_DIR"])
    let out = try #require(environment["RLHF_LAB_LOGITS_OUT"], "set RLHF_LAB_LOGITS_OUT to the file to write")
    let (model, tokenizer) = try GPT2Directory.read(from: dir)
    let line = environment["RLHF_LAB_LOGITS_PROMPT"] ?? "ROMEO:\nBut, soft! what light through yonder window breaks?"
    var tokens = (try? tokenizer.encode(line)) ?? (0..<model.config.context).map { $0 % tokenizer.count }
    tokens = Array(tokens.prefix(model.config.context))
    let logits = model.logits(tokens: tokens, batch: 1, time: tokens.count)
    let vocab = model.config.vocab
    let rows = (0..<tokens.count).map { t in
        "[" + logits.data[t * vocab..<(t + 1) * vocab].map { "\($0)" }.joined(separator: ",") + "]"
    }
    let json =
        "{\"prompt\":\(JSONWriter.quoted(tokenizer.decode(tokens))),\"tokens\":[\(tokens.map(String.init).joined(separator: ","))],"
        + "\"logits\":[\(rows.joined(separator: ",\n"))]}\n"
    try json.write(toFile: out, atomically: true, encoding: .utf8)
}
