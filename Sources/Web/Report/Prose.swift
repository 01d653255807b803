import Charts
import Foundation

/// The markdown of a notebook's prose cells as HTML, for the run report: headings, paragraphs, bullet lists, `code`
/// and **bold**. Everything else is shown as the text it is, escaped.
enum Prose {
    static func html(_ markdown: String) -> String {
        var out = ""
        var paragraph: [String] = [], items: [String] = []
        func flush() {
            if !paragraph.isEmpty { out += "<p>\(inline(paragraph.joined(separator: " ")))</p>\n" }
            if !items.isEmpty { out += "<ul>\(items.map { "<li>\(inline($0))</li>" }.joined())</ul>\n" }
            paragraph = []
            items = []
        }
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let hashes = line.prefix { $0 == "#" }.count
            if line.isEmpty {
                flush()
            } else if (1...6).contains(hashes), line.dropFirst(hashes).first == " " {
                flush()
                // Below the report's own h1 and h2: a notebook's top heading becomes an h3.
                let level = min(hashes + 2, 6)
                out += "<h\(level)>\(inline(String(line.dropFirst(hashes + 1))))</h\(level)>\n"
            } else if line.hasPrefix("- ") || line.hasPrefix("* ") {
                if !paragraph.isEmpty { flush() }
                items.append(String(line.dropFirst(2)))
            } else if !items.isEmpty && raw.hasPrefix(" ") {
                items[items.count - 1] += " " + line  // a list item continued on an indented line
            } else {
                if !items.isEmpty { flush() }
                paragraph.append(line)
            }
        }
        flush()
        return out
    }

    /// Escapes the text, then turns `code` and **bold** spans into elements.
    static func inline(_ text: String) -> String {
        var out = ""
        var rest = Substring(xmlEscaped(text))
        while let tick = rest.firstIndex(of: "`"), let close = rest[rest.index(after: tick)...].firstIndex(of: "`") {
            out += bold(rest[..<tick]) + "<code>" + rest[rest.index(after: tick)..<close] + "</code>"
            rest = rest[rest.index(after: close)...]
        }
        return out + bold(rest)
    }

    private static func bold(_ text: Substring) -> String {
        let parts = text.components(separatedBy: "**")
        guard parts.count >= 3 else { return String(text) }
        // Pairs of ** become <strong>; an odd one left over stays as typed.
        var out = parts[0]
        var i = 1
        while i + 1 < parts.count {
            out += "<strong>\(parts[i])</strong>\(parts[i + 1])"
            i += 2
        }
        if i < parts.count { out += "**" + parts[i] }
        return out
    }
}
