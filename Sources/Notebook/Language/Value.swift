import Foundation

/// A value of the cell language. Plain values (numbers, strings, bools, nil, lists, records) have value
/// semantics — assigning a list copies it; functions and natives (models, datasets, tasks) are shared.
///
/// ```swift
/// let config: Value = ["lr": 1e-3, "steps": 10]   // {lr: 0.001, steps: 10}
/// ```
public indirect enum Value {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)
    case `nil`
    case list([Value])
    case record(Record)
    case function(Function)
    case native(any NativeValue)

    /// How deeply lists and records nest in this value (0 for anything else), counted no further than `limit + 1`:
    /// the result exceeds `limit` exactly when the nesting does, and the walk never goes deeper than that.
    public func nestingDepth(upTo limit: Int) -> Int {
        let children: [Value]
        switch self {
        case .list(let elements): children = elements
        case .record(let record): children = record.fields.map(\.value)
        default: return 0
        }
        guard limit > 0 else { return 1 }
        var deepest = 0
        for child in children where deepest < limit {
            deepest = Swift.max(deepest, child.nestingDepth(upTo: limit - 1))
        }
        return 1 + deepest
    }

    /// The type's name as messages show it: `number`, `string`, `bool`, `nil`, `list`, `record`, `function`,
    /// or the native's own `typeName` (`PolicyModel`).
    public var typeName: String {
        switch self {
        case .int, .double: return "number"
        case .string: return "string"
        case .bool: return "bool"
        case .nil: return "nil"
        case .list: return "list"
        case .record: return "record"
        case .function: return "function"
        case .native(let native): return native.typeName
        }
    }

    /// How `print` shows the value: strings raw, doubles to 6 significant digits (`0.693147`, `1.0`, `1e-07`).
    public var displayText: String {
        switch self {
        case .string(let text): return text
        default: return quotedText
        }
    }

    /// Like `displayText`, but strings are quoted and escaped — the form used inside lists and records.
    public var quotedText: String { quoted(depth: 0) }

    /// Nesting deeper than this prints as `[…]` / `{…}` rather than recursing without bound.
    static let maximumDisplayDepth = 100

    private func quoted(depth: Int) -> String {
        switch self {
        case .int(let value): return String(value)
        case .double(let value): return Value.format(value)
        case .string(let text): return Value.quote(text)
        case .bool(let value): return value ? "true" : "false"
        case .nil: return "nil"
        case .list(let elements):
            if depth >= Value.maximumDisplayDepth { return "[…]" }
            return "[" + elements.map { $0.quoted(depth: depth + 1) }.joined(separator: ", ") + "]"
        case .record(let record):
            if depth >= Value.maximumDisplayDepth { return "{…}" }
            let fields = record.fields.map {
                "\(Value.isPlainKey($0.key) ? $0.key : Value.quote($0.key)): \($0.value.quoted(depth: depth + 1))"
            }
            return "{" + fields.joined(separator: ", ") + "}"
        case .function(let function): return "<fn \(function.name)>"
        case .native(let native): return native.displayText
        }
    }

    /// A double as `%g` with 6 significant digits, keeping a `.0` on whole numbers so they read as doubles.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        var text = String(format: "%g", value)
        if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "n" || $0 == "i" }) { text += ".0" }
        return text
    }

    static func quote(_ text: String) -> String {
        var quoted = "\""
        for character in text {
            switch character {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            case "\r": quoted += "\\r"
            default: quoted.append(character)
            }
        }
        return quoted + "\""
    }

    static func isPlainKey(_ key: String) -> Bool {
        guard let first = key.first, first.isLetter || first == "_" else { return false }
        return key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && Token.Keyword(rawValue: key) == nil
    }

    // MARK: - Typed views

    /// The number as a Double (ints convert), or nil for other types.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The int, or a double with an exact integer value; nil otherwise.
    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9.2e18: return Int(value)
        default: return nil
        }
    }

    /// The string, or nil for other types.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The bool, or nil for other types.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements of a list, or nil for other types.
    public var listValue: [Value]? {
        if case .list(let elements) = self { return elements }
        return nil
    }

    /// The record, or nil for other types.
    public var recordValue: Record? {
        if case .record(let record) = self { return record }
        return nil
    }

    /// True for `nil`.
    public var isNil: Bool {
        if case .nil = self { return true }
        return false
    }
}

extension Value: CustomStringConvertible {
    /// Same as `displayText`.
    public var description: String { displayText }
}

extension Value: Equatable {
    /// Structural equality: `.int(1) != .double(1.0)` here (the language's `==` compares numbers by value);
    /// functions and natives are equal only to themselves.
    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b || (a.isNaN && b.isNaN)
        case (.string(let a), .string(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.nil, .nil): return true
        case (.list(let a), .list(let b)): return a == b
        case (.record(let a), .record(let b)): return a == b
        case (.function(let a), .function(let b)): return a === b
        case (.native(let a), .native(let b)): return a.isSame(as: b)
        default: return false
        }
    }
}

extension Value: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) { self = .record(Record(elements)) }
}
