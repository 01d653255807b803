// JSON for plain values, used to save session bindings in the store and restore them.
// Records keep their field order; doubles are written in shortest round-trip form and always carry a `.`
// or an exponent, so `1.0` comes back as a double and `1` as an int.

extension Value {
    /// The value as JSON (`{"lr": 0.001, "steps": 10}`); nil if it holds a function, a native, or a
    /// non-finite double, none of which JSON can carry.
    public func toJSON() -> String? {
        var text = ""
        return write(into: &text) ? text : nil
    }

    private func write(into text: inout String) -> Bool {
        switch self {
        case .int(let value): text += String(value)
        case .double(let value):
            guard value.isFinite else { return false }
            text += value.description  // shortest representation that reads back exactly
        case .string(let string): text += Value.jsonString(string)
        case .bool(let flag): text += flag ? "true" : "false"
        case .nil: text += "null"
        case .list(let elements):
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += ", " }
                guard element.write(into: &text) else { return false }
            }
            text += "]"
        case .record(let record):
            text += "{"
            for (index, field) in record.fields.enumerated() {
                if index > 0 { text += ", " }
                text += Value.jsonString(field.key) + ": "
                guard field.value.write(into: &text) else { return false }
            }
            text += "}"
        case .function, .native:
            return false
        }
        return true
    }

    /// `string` as a JSON string: quote, backslash and control characters escaped (`\n \r \t` by name, the rest as
    /// `\u00xx`), everything else as is. The one escaper of stored values and `rlhf query --json`, so both print a
    /// text the same way.
    public static func jsonString(_ string: String) -> String {
        var quoted = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                quoted += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    /// Reads a value written by `toJSON()` (or any JSON: objects become records in document order, numbers
    /// without `.`/exponent become ints). Nil if `json` is not valid JSON.
    public init?(json: String) {
        var reader = JSONReader(scalars: Array(json.unicodeScalars))
        guard let value = reader.readDocument() else { return nil }
        self = value
    }
}

/// A small order-preserving JSON reader (Foundation's loses record order and the int/double distinction).
private struct JSONReader {
    let scalars: [Unicode.Scalar]
    var position = 0
    var depth = 0

    init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

    mutating func readDocument() -> Value? {
        guard let value = readValue() else { return nil }
        skipWhitespace()
        return position == scalars.count ? value : nil
    }

    private var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func skipWhitespace() {
        while let c = peek, c == " " || c == "\n" || c == "\r" || c == "\t" { position += 1 }
    }

    private mutating func expect(_ literal: String) -> Bool {
        for scalar in literal.unicodeScalars {
            guard peek == scalar else { return false }
            position += 1
        }
        return true
    }

    private mutating func readValue() -> Value? {
        skipWhitespace()
        guard let c = peek else { return nil }
        switch c {
        case "{": return readObject()
        case "[": return readArray()
        case "\"": return readString().map(Value.string)
        case "t": return expect("true") ? .bool(true) : nil
        case "f": return expect("false") ? .bool(false) : nil
        case "n": return expect("null") ? .nil : nil
        default: return readNumber()
        }
    }

    private mutating func nested(_ body: (inout JSONReader) -> Value?) -> Value? {
        depth += 1
        defer { depth -= 1 }
        guard depth <= 500 else { return nil }
        return body(&self)
    }

    private mutating func readObject() -> Value? {
        nested { reader in
            reader.position += 1
            var record = Record()
            reader.skipWhitespace()
            if reader.peek == "}" {
                reader.position += 1
                return .record(record)
            }
            while true {
                reader.skipWhitespace()
                guard reader.peek == "\"", let key = reader.readString() else { return nil }
                reader.skipWhitespace()
                guard reader.expect(":"), let value = reader.readValue() else { return nil }
                record[key] = value
                reader.skipWhitespace()
                if reader.expect(",") { continue }
                return reader.expect("}") ? .record(record) : nil
            }
        }
    }

    private mutating func readArray() -> Value? {
        nested { reader in
            reader.position += 1
            var elements: [Value] = []
            reader.skipWhitespace()
            if reader.peek == "]" {
                reader.position += 1
                return .list(elements)
            }
            while true {
                guard let value = reader.readValue() else { return nil }
                elements.append(value)
                reader.skipWhitespace()
                if reader.expect(",") { continue }
                return reader.expect("]") ? .list(elements) : nil
            }
        }
    }

    private mutating func readString() -> String? {
        position += 1
        var scalars = String.UnicodeScalarView()
        while let c = peek {
            position += 1
            switch c {
            case "\"": return String(scalars)
            case "\\":
                guard let escape = peek else { return nil }
                position += 1
                switch escape {
                case "\"": scalars.append("\"")
                case "\\": scalars.append("\\")
                case "/": scalars.append("/")
                case "n": scalars.append("\n")
                case "r": scalars.append("\r")
                case "t": scalars.append("\t")
                case "b": scalars.append("\u{8}")
                case "f": scalars.append("\u{C}")
                case "u":
                    guard var code = readHex4() else { return nil }
                    if (0xD800..<0xDC00).contains(code) {
                        guard expect("\\u"), let low = readHex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { return nil }
                    scalars.append(scalar)
                default: return nil
                }
            default:
                scalars.append(c)
            }
        }
        return nil
    }

    private mutating func readHex4() -> UInt32? {
        guard position + 4 <= scalars.count else { return nil }
        let hex = String(String.UnicodeScalarView(scalars[position..<position + 4]))
        position += 4
        return UInt32(hex, radix: 16)
    }

    private mutating func readNumber() -> Value? {
        let start = position
        var isDouble = false
        while let c = peek, "+-0123456789.eE".unicodeScalars.contains(c) {
            if c == "." || c == "e" || c == "E" { isDouble = true }
            position += 1
        }
        let text = String(String.UnicodeScalarView(scalars[start..<position]))
        guard !text.isEmpty else { return nil }
        if !isDouble, let int = Int(text) { return .int(int) }
        return Double(text).map(Value.double)
    }
}
