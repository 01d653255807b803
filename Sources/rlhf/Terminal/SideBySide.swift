/// Two texts in two columns, `left │ right`, each line wrapped to its column: how `rlhf diff` shows two language
/// models' samples for the same seed and prompt.
enum SideBySide {
    /// The lines of `left` and `right` side by side in `width` columns (at least 2 × 8 + 3).
    static func lines(_ left: String, _ right: String, width: Int) -> [String] {
        let column = max(8, (width - 3) / 2)
        let (a, b) = (wrap(left, column), wrap(right, column))
        return (0..<max(a.count, b.count)).map { i in
            let l = i < a.count ? a[i] : ""
            let r = i < b.count ? b[i] : ""
            return l + String(repeating: " ", count: column - l.count) + " │ " + r
        }
    }

    /// The line between the labels and the texts: `────┼────`.
    static func rule(width: Int) -> String {
        let column = max(8, (width - 3) / 2)
        return String(repeating: "─", count: column + 1) + "┼" + String(repeating: "─", count: column + 1)
    }

    /// `text`'s lines, each cut into pieces of at most `width` characters (an empty line stays one empty line).
    static func wrap(_ text: String, _ width: Int) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line -> [String] in
            guard !line.isEmpty else { return [""] }
            var pieces: [String] = []
            var rest = Substring(line)
            while !rest.isEmpty {
                pieces.append(String(rest.prefix(width)))
                rest = rest.dropFirst(width)
            }
            return pieces
        }
    }
}
