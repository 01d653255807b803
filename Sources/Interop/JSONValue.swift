/// A JSON value as read by ``JSONReader``: numbers keep the literal as written (so a 64-bit offset is read exactly,
/// not through a Double) and objects keep their members in document order, duplicates included, so a caller can
/// name a key that appears twice instead of silently keeping one of them.
indirect enum JSONValue {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// An object from literal pairs, in order: `.fields(["a": .null, "b": .bool(true)])`.
    static func fields(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(pairs.map { JSONMember(key: $0.key, value: $0.value) })
    }

    /// What the value is, for an error message: `a string`, `an array`.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value as a non-negative integer that fits an `Int`, or nil (fractions, exponents and signs are refused).
    var nonNegativeInteger: Int? {
        guard case let .number(literal) = self, !literal.isEmpty, literal.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 })
        else { return nil }
        return Int(literal)
    }

    /// The value as a Double (integers included), or nil.
    var double: Double? {
        guard case let .number(literal) = self else { return nil }
        return Double(literal)
    }

    /// The value as written back in JSON text, compactly (used to quote a value in an error message).
    var compactText: String {
        switch self {
        case .null: "null"
        case let .bool(b): b ? "true" : "false"
        case let .number(literal): literal
        case let .string(s): JSONWriter.quoted(s)
        case let .array(items): "[" + items.map(\.compactText).joined(separator: ",") + "]"
        case let .object(members):
            "{" + members.map { JSONWriter.quoted($0.key) + ":" + $0.value.compactText }.joined(separator: ",") + "}"
        }
    }
}

/// One member of a JSON object.
struct JSONMember {
    var key: String
    var value: JSONValue
}
