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
        return JSONValue.fields([
            "prompt": prompt, "chosen": chosen, "rejected": rejected, "uid": .number(String(row.uid)),
            "annotator": .string(row.annotator), "seed": .string(String(row.seed)),
            "version": .number(String(version)),
        ]).compactText
    }

    private static func numbers(_ values: [Float]) -> JSONValue {
        .array(values.map { $0.isFinite ? .number("\($0)") : .null })
    }

    /// Writes the lines (each ending in a newline) to `path` (see ``OutputFile/write(_:to:)``).
    public static func write(_ lines: [String], to path: String) throws {
        try OutputFile.write(Data(lines.map { $0 + "\n" }.joined().utf8), to: path)
    }
}
