import Foundation
import Store

/// A dataset version as JSON Lines in TRL's preference format: one object per row, in uid order, with TRL's
/// `prompt`, `chosen` and `rejected` first, then where the row came from (`uid`, `annotator`, `seed`, `version`).
///
/// ```
/// {"prompt":"ROMEO:\nWhat say","chosen":" you, my lord?","rejected":" the","uid":1,"annotator":"oracle","seed":"1234","version":2}
/// ```
///
/// A text row's fields are its strings (TRL's `DPOTrainer` and `RewardTrainer` read them as they are). A vector row's
/// `chosen` and `rejected` are arrays of numbers (Float32 values in their shortest round-trip form; a non-finite
/// value is `null`, which JSON lacks) and its `prompt` is the task's prompt index. `seed` is a decimal string, as in
/// every stored form, because a 64-bit seed does not fit the signed 64-bit integers Arrow reads JSON numbers into.
/// A text row then carries what the store keeps beside its words, so ``PreferenceImport`` brings back the same
/// content: `prompt_index`, `chosen_tokens` and `rejected_tokens` (token ids) and, when recorded, `sampling`.
public enum PreferenceExport {
    /// One line per row, sorted by uid, without newlines.
    public static func jsonLines(_ rows: [FeedbackRow], version: Int) -> [String] {
        rows.sorted { $0.uid < $1.uid }.map { line($0, version: version) }
    }

    static func line(_ row: FeedbackRow, version: Int) -> String {
        let (prompt, chosen, rejected): (JSONValue, JSONValue, JSONValue) =
            if let text = row.text {
                (.string(text.prompt), .string(text.chosen), .string(text.rejected))
            } else {
                (.number(String(row.prompt)), numbers(row.chosen), numbers(row.rejected))
            }
        var members: [JSONMember] = [
            JSONMember(key: "prompt", value: prompt), JSONMember(key: "chosen", value: chosen),
            JSONMember(key: "rejected", value: rejected), JSONMember(key: "uid", value: .number(String(row.uid))),
            JSONMember(key: "annotator", value: .string(row.annotator)),
            JSONMember(key: "seed", value: .string(String(row.seed))),
            JSONMember(key: "version", value: .number(String(version))),
        ]
        if let text = row.text {
            members += [
                JSONMember(key: "prompt_index", value: .number(String(row.prompt))),
                JSONMember(key: "chosen_tokens", value: tokens(row.chosen)),
                JSONMember(key: "rejected_tokens", value: tokens(row.rejected)),
            ]
            if let sampling = text.sampling { members.append(JSONMember(key: "sampling", value: .string(sampling))) }
        }
        return JSONValue.object(members).compactText
    }

    /// Token ids (whole numbers the store keeps as Floats) as integers; anything else, which no tokenizer made, as
    /// `null`.
    private static func tokens(_ ids: [Float]) -> JSONValue {
        .array(ids.map { $0 >= 0 && $0 < 0x100_0000 && $0 == $0.rounded() ? .number(String(Int($0))) : .null })
    }

    private static func numbers(_ values: [Float]) -> JSONValue {
        .array(values.map { $0.isFinite ? .number("\($0)") : .null })
    }

    /// Writes the lines (each ending in a newline) to `path` (see ``OutputFile/write(_:to:)``).
    public static func write(_ lines: [String], to path: String) throws {
        try OutputFile.write(Data(lines.map { $0 + "\n" }.joined().utf8), to: path)
    }
}
