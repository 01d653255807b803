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
        var budget = Int.max
        return nestingDepth(upTo: limit, budget: &budget)
    }

    /// Like `nestingDepth(upTo:)`, visiting at most `budget` elements and fields (all levels together, a value shared
    /// by several elements counted at each); `budget` ends negative when the value has more. A list holding itself
    /// twice, 40 times over (`x = [x, x]` in a loop), is small in memory but has 2⁴⁰ elements to print, compare or
    /// store: the budget stops the walk before it does that work.
    public func nestingDepth(upTo limit: Int, budget: inout Int) -> Int {
        let children: [Value]
        switch self {
        case .list(let elements): children = elements
        case .record(let record): children = record.fields.map(\.value)
        default: return 0
        }
        budget -= children.count
        guard limit > 0 else { return 1 }
        var deepest = 0
        for child in children where deepest < limit && budget >= 0 {
            deepest = Swift.max(deepest, child.nestingDepth(upTo: limit - 1, budget: &budget))
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
    public var displayText: String { displayText(limit: Value.maximumDisplayLength) }

    /// Like `displayText`, but strings are quoted and escaped — the form used inside lists and records.
    public var quotedText: String { quotedText(limit: Value.maximumDisplayLength) }

    /// `displayText`, cut to about `limit` characters (ending in `…`) when longer.
    public func displayText(limit: Int) -> String {
        if case .string(let text) = self { return text }
        return quotedText(limit: limit)
    }

    /// `quotedText`, cut to about `limit` characters (ending in `…`) when longer: the walk stops there, so showing a
    /// value that shares one list many times costs no more than the text shown.
    public func quotedText(limit: Int) -> String {
        var text = ""
        quoted(depth: 0, into: &text, limit: limit)
        return text
    }

    /// Longest text `displayText` and `quotedText` produce.
    public static let maximumDisplayLength = 50_000_000

    /// Nesting deeper than this prints as `[…]` / `{…}` rather than recursing without bound.
    static let maximumDisplayDepth = 100

    /// Appends the quoted form to `text`; once `text` is longer than `limit`, appends `…` and stops.
    private func quoted(depth: Int, into text: inout String, limit: Int) {
        if text.utf8.count > limit { return }
        switch self {
        case .int(let value): text += String(value)
        case .double(let value): text += Value.format(value)
        case .string(let string): text += Value.quote(string)
        case .bool(let value): text += value ? "true" : "false"
        case .nil: text += "nil"
        case .list(let elements):
            if depth >= Value.maximumDisplayDepth {
                text += "[…]"
                return
            }
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += ", " }
                element.quoted(depth: depth + 1, into: &text, limit: limit)
                if text.utf8.count > limit { break }
            }
            text += "]"
        case .record(let record):
            if depth >= Value.maximumDisplayDepth {
                text += "{…}"
                return
            }
            text += "{"
            for (index, field) in record.fields.enumerated() {
                if index > 0 { text += ", " }
                text += (Value.isPlainKey(field.key) ? field.key : Value.quote(field.key)) + ": "
                field.value.quoted(depth: depth + 1, into: &text, limit: limit)
                if text.utf8.count > limit { break }
            }
            text += "}"
        case .function(let function): text += "<fn \(function.name)>"
        case .native(let native): text += native.displayText
        }
        if depth == 0 && text.utf8.count > limit {
            text = String(text.utf8.prefix(limit)) ?? String(text.prefix(limit))
            text += "…"
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
