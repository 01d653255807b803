/// A located error message, printed the way compilers print them:
///
/// ```
/// quickstart.rlhf:14:9: error: unknown argument 'lr' to fit(); did you mean 'learningRate'?
/// fit(rm, lr: 3e-4)
///         ^~
/// ```
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the offending token starts.
    public var location: SourceLocation
    /// What went wrong, quoting the input (`expected ')' after arguments, got '}'`).
    public var message: String
    /// The full source line the location points into, if known; printed under the message with a caret.
    public var sourceLine: String?
    /// How many characters the caret span covers (at least 1).
    public var length: Int
    /// An optional extra line (`note: …`) printed after the caret.
    public var note: String?

    /// Longest part of a source line quoted under a message.
    static let quotedWidth = 160

    /// Creates a diagnostic; `length` is the number of characters to underline.
    public init(
        location: SourceLocation, message: String, sourceLine: String? = nil, length: Int = 1, note: String? = nil
    ) {
        self.location = location
        self.message = message
        self.sourceLine = sourceLine
        self.length = max(1, length)
        self.note = note
    }

    /// `file:line:col: error: message`, then the source line and a `^~~~` caret under the token, then the note.
    public var description: String {
        var text = "\(location): error: \(message)"
        if let sourceLine {
            // A long line is quoted as a window around the column, so that an error in a 1 MB line prints one screen.
            // (Counting characters walks the whole line, so each count is taken once.)
            var line = Substring(sourceLine)
            var lineCount = line.count
            var column = location.column
            if lineCount > Diagnostic.quotedWidth {
                let start = max(0, min(column - 1 - Diagnostic.quotedWidth / 2, lineCount - Diagnostic.quotedWidth))
                let window = line.dropFirst(start).prefix(Diagnostic.quotedWidth)
                let windowCount = window.count
                let before = start > 0 ? 1 : 0
                let after = start + windowCount < lineCount ? 1 : 0
                line = (before == 1 ? "…" : "") + window + (after == 1 ? "…" : "")
                lineCount = before + windowCount + after
                column = column - start + before
            }
            let indent = String(repeating: " ", count: max(0, column - 1))
            let available = max(1, lineCount - (column - 1))
            let span = min(length, available)
            text += "\n" + line + "\n" + indent + "^" + String(repeating: "~", count: max(0, span - 1))
        }
        if let note { text += "\nnote: " + note }
        return text
    }

    /// The closest name to `name` among `candidates` by edit distance, if it is close enough to be a likely typo.
    ///
    /// ```swift
    /// Diagnostic.suggestion(for: "epoch", among: ["epochs", "lr"])  // "epochs"
    /// ```
    public static func suggestion(for name: String, among candidates: [String]) -> String? {
        // Edit distance is quadratic: a name no one would type by hand gets no suggestion rather than minutes of work.
        guard name.utf8.count <= 100 else { return nil }
        let lowered = name.lowercased()
        let others = candidates.sorted().filter { $0 != name }
        if let sameLetters = others.first(where: { $0.lowercased() == lowered }) { return sameLetters }
        // `lr` for `learningRate`, `kl_coef` → initials of camelCase or snake_case words.
        if lowered.count >= 2, let acronym = others.first(where: { initials(of: $0) == lowered }) { return acronym }
        let limit = max(1, min(3, name.count / 3 + 1))
        var best: (name: String, distance: Int)?
        for candidate in others where candidate.utf8.count <= 100 {
            let distance = levenshtein(lowered, candidate.lowercased())
            if distance <= limit, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        if let best { return best.name }
        // A typed prefix: `learn` for `learningRate`.
        if lowered.count >= 3 { return others.first { $0.lowercased().hasPrefix(lowered) } }
        return nil
    }

    /// Lower-cased first letters of the words of a camelCase or snake_case name.
    static func initials(of name: String) -> String {
        var letters = ""
        var previous: Character?
        for character in name {
            if character != "_"
                && (previous == nil || previous == "_" || (character.isUppercase && previous?.isLowercase == true))
            {
                letters.append(character)
            }
            previous = character
        }
        return letters.lowercased()
    }

    /// `"; did you mean 'x'?"` when a suggestion exists, otherwise the empty string — for appending to a message.
    public static func didYouMean(_ name: String, among candidates: [String]) -> String {
        guard let suggestion = suggestion(for: name, among: candidates) else { return "" }
        return "; did you mean '\(suggestion)'?"
    }

    /// Edit distance (insertions, deletions, substitutions) between two strings.
    static func levenshtein(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
