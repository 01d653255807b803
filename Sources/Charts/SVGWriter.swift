/// Builds SVG text element by element, escaping attribute values and text, with attributes in a fixed order so the
/// same chart always gives the same bytes (and the same content hash).
struct SVGWriter {
    private var text: String
    private var depth = 1

    init(width: Double, height: Double) {
        let (w, h) = (SVGChart.n(width), SVGChart.n(height))
        text =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" "
            + "font-family=\"Helvetica, Arial, sans-serif\" role=\"img\">\n"
    }

    /// A self-closing element.
    mutating func element(_ name: String, _ attributes: [String: String]) {
        line("<\(name)\(SVGWriter.attributes(attributes))/>")
    }

    /// An element with text content, or with one child element holding text (a `<title>` tooltip).
    mutating func open(
        _ name: String, _ attributes: [String: String], text content: String? = nil,
        child: (name: String, text: String)? = nil
    ) {
        var inner = content.map(SVGWriter.escape) ?? ""
        if let child { inner += "<\(child.name)>\(SVGWriter.escape(child.text))</\(child.name)>" }
        line("<\(name)\(SVGWriter.attributes(attributes))>\(inner)</\(name)>")
    }

    mutating func begin(_ name: String, _ attributes: [String: String]) {
        line("<\(name)\(SVGWriter.attributes(attributes))>")
        depth += 1
    }

    mutating func end(_ name: String) {
        depth -= 1
        line("</\(name)>")
    }

    func finish() -> String { text + "</svg>\n" }

    private mutating func line(_ content: String) {
        text += String(repeating: "  ", count: depth) + content + "\n"
    }

    /// Attributes sorted by name: dictionary order differs between processes and must not reach the bytes.
    static func attributes(_ attributes: [String: String]) -> String {
        attributes.keys.sorted().map { " \($0)=\"\(escape(attributes[$0] ?? ""))\"" }.joined()
    }

    static func escape(_ text: String) -> String { xmlEscaped(text) }
}

/// `text` with the characters XML and HTML give meaning to (`& < > "`) written as entities.
public func xmlEscaped(_ text: String) -> String {
    var out = ""
    for ch in text {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(ch)
        }
    }
    return out
}
