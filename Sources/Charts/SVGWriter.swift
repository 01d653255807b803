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

/// `text` with the characters XML and HTML give meaning to (`& < > "`) written as entities. The bytes are looked at,
/// not the characters: a quote followed by a combining mark is one `Character` that is not `"`, yet a browser still
/// reads the quote; and a text needing nothing comes back as it is, after one pass over its bytes.
public func xmlEscaped(_ text: String) -> String {
    func special(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "\"")
    }
    guard text.utf8.contains(where: special) else { return text }
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count + 32)
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
        case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
        case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
        case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
        default: out.append(byte)
        }
    }
    return String(decoding: out, as: UTF8.self)
}
