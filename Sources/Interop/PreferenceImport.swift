import Store

/// Preference pairs read back from JSON Lines: what ``PreferenceExport`` writes, or TRL's standard preference format
/// (`prompt`, `chosen`, `rejected`) from elsewhere.
///
/// Every line is read and every bad one is named with its reason, so a user mends a file in one pass. A line is one
/// JSON object holding:
/// - `prompt`, `chosen` and `rejected`: three strings (a text pair), or a prompt index and two arrays of numbers of
///   one length (a vector pair; every vector line of a file has the same length). TRL's conversational form (lists of
///   messages) and its implicit-prompt form are refused with a reason.
/// - optionally `uid` (a positive integer, unique in the file; the line number otherwise), `annotator` (a string;
///   `imported` otherwise), `seed` (a decimal string or a non-negative integer below 2⁶⁴; 0 otherwise) and `version`
///   (an integer, which is where an exported row came from and is otherwise ignored).
/// - for a text pair, optionally `prompt_index`, `chosen_tokens`, `rejected_tokens` (token ids) and `sampling`, which
///   ``PreferenceExport`` writes so a dataset comes back with the same content hash. Without tokens a text pair's ids
///   are empty and a reward model encodes its words with its own tokenizer.
///
/// Other keys (a dataset's extra columns) are ignored. Blank lines are skipped.
public struct PreferenceImport: Sendable {
    /// A row read from a line, and the line's number (1-based).
    public struct Line: Sendable {
        public var number: Int
        public var row: FeedbackRow
    }

    /// A line that cannot be imported, and why.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var reason: String

        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }

        public var description: String { "line \(line): \(reason)" }
    }

    /// The good lines' rows, in file order.
    public var lines: [Line] = []
    /// The bad lines, in file order.
    public var problems: [Problem] = []

    /// The default annotator of a line that names none.
    public static let defaultAnnotator = "imported"

    /// Reads every line of `bytes`.
    public init(bytes: [UInt8]) {
        var firstKind: (line: Int, text: Bool, width: Int)?
        var uids: [Int64: Int] = [:]
        var number = 0
        for slice in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            var content = slice
            if content.last == UInt8(ascii: "\r") { content = content.dropLast() }
            if content.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            do {
                let row = try Self.row(Array(content), line: number)
                let width = row.text == nil ? row.chosen.count : -1
                if let first = firstKind {
                    if first.text != (row.text != nil) {
                        throw Self.failure(
                            "a \(row.text == nil ? "vector" : "text") pair, but line \(first.line) is a "
                                + "\(first.text ? "text" : "vector") pair; a dataset holds one kind")
                    }
                    if !first.text && width != first.width {
                        throw Self.failure(
                            "responses of \(width) numbers, but line \(first.line)'s have \(first.width); every "
                                + "vector pair of a dataset has one length")
                    }
                } else {
                    firstKind = (number, row.text != nil, width)
                }
                if let earlier = uids[row.uid] {
                    throw Self.failure("uid \(row.uid) is also line \(earlier)'s; uids are unique in a dataset")
                }
                uids[row.uid] = number
                lines.append(Line(number: number, row: row))
            } catch {
                problems.append(Problem(line: number, reason: error.reason))
            }
        }
    }

    /// Why a line is refused.
    struct Failure: Error {
        var reason: String
    }

    private static func failure(_ reason: String) -> Failure { Failure(reason: reason) }

    /// The row one line holds.
    private static func row(_ bytes: [UInt8], line: Int) throws -> FeedbackRow {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw failure("not UTF-8 text")
        }
        let value: JSONValue
        do { value = try JSONReader.parse(bytes) } catch { throw failure("not JSON: \(error)") }
        guard case let .object(members) = value else {
            throw failure("\(value.kindName), not a JSON object with prompt, chosen and rejected")
        }
        var fields: [String: JSONValue] = [:]
        for member in members {
            guard fields[member.key] == nil else { throw failure("key '\(member.key)' appears twice") }
            fields[member.key] = member.value
        }
        guard let prompt = fields["prompt"] else {
            throw failure(
                "no 'prompt' (TRL's implicit-prompt form is not read: give the prompt apart from the responses)")
        }
        guard let chosen = fields["chosen"] else { throw failure("no 'chosen'") }
        guard let rejected = fields["rejected"] else { throw failure("no 'rejected'") }
        if chosen.isMessages || rejected.isMessages {
            throw failure(
                "'chosen' and 'rejected' are lists of messages (TRL's conversational form); give their text, or "
                    + "arrays of numbers for a vector pair")
        }
        var row = FeedbackRow(
            uid: Int64(line), prompt: 0, chosen: [], rejected: [], annotator: defaultAnnotator, seed: 0)
        switch (prompt, chosen, rejected) {
        case let (.string(p), .string(c), .string(r)):
            row.text = FeedbackRow.Text(
                prompt: p, chosen: c, rejected: r, sampling: try optionalString(fields, "sampling"))
            row.prompt = try fields["prompt_index"].map { try index($0, "prompt_index") } ?? 0
            row.chosen = try fields["chosen_tokens"].map { try tokens($0, "chosen_tokens") } ?? []
            row.rejected = try fields["rejected_tokens"].map { try tokens($0, "rejected_tokens") } ?? []
            if fields["chosen_tokens"] == nil || fields["rejected_tokens"] == nil,
                let only = ["chosen_tokens", "rejected_tokens"].first(where: { fields[$0] != nil })
            {
                throw failure("'\(only)' without its pair: give both sides' token ids or neither")
            }
        case (.number, .array(let c), .array(let r)):
            row.prompt = try index(prompt, "prompt")
            row.chosen = try numbers(c, "chosen")
            row.rejected = try numbers(r, "rejected")
            guard row.chosen.count == row.rejected.count else {
                throw failure("'chosen' has \(row.chosen.count) numbers and 'rejected' \(row.rejected.count)")
            }
            guard !row.chosen.isEmpty else { throw failure("'chosen' and 'rejected' are empty") }
            for key in ["prompt_index", "chosen_tokens", "rejected_tokens", "sampling"] where fields[key] != nil {
                throw failure("'\(key)' belongs to a text pair, but this is a vector pair")
            }
        default:
            throw failure(
                "prompt, chosen and rejected are \(prompt.kindName), \(chosen.kindName) and \(rejected.kindName); a "
                    + "text pair has three strings, a vector pair a prompt index and two arrays of numbers")
        }
        if let uid = fields["uid"] {
            guard let value = uid.nonNegativeInteger, value > 0 else {
                throw failure("'uid' must be a positive integer, got \(uid.compactText)")
            }
            row.uid = Int64(value)
        }
        if let annotator = try optionalString(fields, "annotator") {
            guard !annotator.isEmpty else { throw failure("'annotator' is empty") }
            row.annotator = annotator
        }
        if let seed = fields["seed"] {
            let literal: String? =
                switch seed {
                case let .string(text): text
                case let .number(text): text
                default: nil
                }
            guard let literal, let value = UInt64(literal) else {
                throw failure(
                    "'seed' must be an integer in 0...\(UInt64.max) (or its decimal string), got \(seed.compactText)")
            }
            row.seed = value
        }
        if let version = fields["version"], version.nonNegativeInteger == nil {
            throw failure("'version' must be a non-negative integer, got \(version.compactText)")
        }
        return row
    }

    private static func optionalString(_ fields: [String: JSONValue], _ key: String) throws(Failure) -> String? {
        guard let value = fields[key] else { return nil }
        guard case let .string(text) = value else { throw failure("'\(key)' must be a string, got \(value.kindName)") }
        return text
    }

    private static func index(_ value: JSONValue, _ key: String) throws(Failure) -> Int {
        guard let index = value.nonNegativeInteger else {
            throw failure("'\(key)' must be a non-negative integer, got \(value.compactText)")
        }
        return index
    }

    /// Token ids: whole numbers in 0..<2²⁴, which a Float holds exactly.
    private static func tokens(_ value: JSONValue, _ key: String) throws(Failure) -> [Float] {
        guard case let .array(items) = value else { throw failure("'\(key)' must be an array of token ids") }
        var ids: [Float] = []
        ids.reserveCapacity(items.count)
        for (position, item) in items.enumerated() {
            guard let id = item.nonNegativeInteger, id < 1 << 24 else {
                throw failure("'\(key)'[\(position)] must be a token id in 0..<16777216, got \(item.compactText)")
            }
            ids.append(Float(id))
        }
        return ids
    }

    /// Finite numbers, each read as the nearest Float (the exported shortest form reads back exactly).
    private static func numbers(_ items: [JSONValue], _ key: String) throws(Failure) -> [Float] {
        var values: [Float] = []
        values.reserveCapacity(items.count)
        for (position, item) in items.enumerated() {
            guard case let .number(literal) = item, let value = Float(literal), value.isFinite else {
                let got = item.compactText
                throw failure(
                    "'\(key)'[\(position)] must be a finite number, got \(got)"
                        + (got == "null" ? " (an exported value that was not finite)" : ""))
            }
            values.append(value)
        }
        return values
    }
}

extension JSONValue {
    /// Whether this is TRL's conversational form: an array of objects (messages with role and content).
    fileprivate var isMessages: Bool {
        guard case let .array(items) = self, let first = items.first, case .object = first else { return false }
        return true
    }
}

extension Error {
    /// The reason of a ``PreferenceImport/Failure``; any other error's description.
    fileprivate var reason: String { (self as? PreferenceImport.Failure)?.reason ?? "\(self)" }
}
