/// Writes JSON the way the Python side of the ecosystem does, so exported files read like the ones `transformers`
/// and `safetensors` write: strings escaped as `serde_json` and Python's `json.dumps(ensure_ascii=False)` escape
/// them, and `pretty` laid out as `json.dumps(indent=2)`.
enum JSONWriter {
    /// `s` in quotes: `"` and `\` escaped, `\n \r \t \b \f` by name, other controls as `\u00xx`, the rest as is.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The value indented by `indent` spaces per level, members in the order given, as Python's
    /// `json.dumps(indent=2)` (Jupyter writes notebooks with `indent=1`).
    static func pretty(_ value: JSONValue, indent: Int = 2, level: Int = 0) -> String {
        let inner = String(repeating: " ", count: indent * (level + 1))
        let outer = String(repeating: " ", count: indent * level)
        switch value {
        case let .array(items) where !items.isEmpty:
            let lines = items.map { inner + pretty($0, indent: indent, level: level + 1) }
            return "[\n" + lines.joined(separator: ",\n") + "\n\(outer)]"
        case let .object(members) where !members.isEmpty:
            let lines = members.map {
                inner + quoted($0.key) + ": " + pretty($0.value, indent: indent, level: level + 1)
            }
            return "{\n" + lines.joined(separator: ",\n") + "\n\(outer)}"
        default:
            return value.compactText
        }
    }
}
