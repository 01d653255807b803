import Foundation

/// A run's recorded parameters (`runs.parameters`, a JSON object in the parameters cell's order) split into
/// name and value text, for columns: numbers as stored (`0.0003`), strings without quotes, lists and records as JSON.
public enum RunParameters {
    /// `{"kl":0.1,"label":"a, b","sizes":[1,2]}` → `[("kl", "0.1"), ("label", "a, b"), ("sizes", "[1,2]")]`.
    /// Text that is not a JSON object gives no parameters (a damaged row must not stop a listing).
    public static func split(_ json: String) -> [(name: String, value: String)] {
        let chars = Array(json.unicodeScalars)
        var i = 0
        func skipSpace() { while i < chars.count, chars[i].properties.isWhitespace { i += 1 } }
        /// The end (exclusive) of the JSON string starting at `start` (a quote).
        func stringEnd(_ start: Int) -> Int {
            var j = start + 1
            while j < chars.count, chars[j] != "\"" { j += chars[j] == "\\" ? 2 : 1 }
            return min(j + 1, chars.count)
        }
        func text(_ range: Range<Int>) -> String {
            var s = String.UnicodeScalarView()
            s.append(contentsOf: chars[range])
            return String(s)
        }
        skipSpace()
        guard i < chars.count, chars[i] == "{" else { return [] }
        i += 1
        var result: [(String, String)] = []
        while true {
            skipSpace()
            guard i < chars.count, chars[i] == "\"" else { return result }
            let keyEnd = stringEnd(i)
            let key = unquoted(text(i..<keyEnd)) ?? text(i + 1..<max(i + 1, keyEnd - 1))
            i = keyEnd
            skipSpace()
            guard i < chars.count, chars[i] == ":" else { return result }
            i += 1
            skipSpace()
            let start = i
            var depth = 0
            while i < chars.count {
                let c = chars[i]
                if c == "\"" {
                    i = stringEnd(i)
                    continue
                }
                if c == "[" || c == "{" { depth += 1 }
                if c == "]" || c == "}" {
                    if depth == 0 { break }
                    depth -= 1
                }
                if c == "," && depth == 0 { break }
                i += 1
            }
            let raw = text(start..<i).trimmingCharacters(in: .whitespaces)
            result.append((key, raw.hasPrefix("\"") ? unquoted(raw) ?? raw : raw))
            guard i < chars.count, chars[i] == "," else { return result }
            i += 1
        }
    }

    /// The parameter columns of a listing of runs (`rlhf runs --columns params`, the web view's runs table): every
    /// name in the order the runs first give it, and each run's values by name (the last of a repeated name).
    public static func columns(_ parameters: [String]) -> (names: [String], values: [[String: String]]) {
        var names: [String] = [], seen: Set<String> = []
        let values = parameters.map { json in
            let pairs = split(json)
            for (name, _) in pairs where seen.insert(name).inserted { names.append(name) }
            return Dictionary(pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        }
        return (names, values)
    }

    private static func unquoted(_ quoted: String) -> String? {
        try? JSONDecoder().decode(String.self, from: Data(quoted.utf8))
    }
}
