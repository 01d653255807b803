import Testing

@testable import Language

/// `SourceText.lines` walks Unicode scalars for speed; it must split exactly where splitting by `Character`
/// (the definition the lexer and diagnostics rely on) does.
@Suite struct SourceTextTests {
    /// The reference: split at every `Character` that is a newline, `\r\n` being one character.
    static func linesByCharacter(_ text: String) -> [String] {
        var lines: [String] = []
        var current = ""
        for character in text {
            if character.isNewline {
                lines.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    @Test(
        "splits where Character.isNewline does",
        arguments: [
            "", "a", "a\n", "a\nb", "\n\n", "a\r\nb", "a\rb", "a\r\r\nb", "\r\n\r\n", "a\n\r", "\r",
            "x\u{0B}y\u{0C}z", "nel\u{85}next", "ls\u{2028}ps\u{2029}end", "e\u{301}\nx", "\n\u{301}accent",
            "👩‍👩‍👧\n👍🏽", "tab\there\n  indented\n", "trailing\n\n", "é\r\n\u{2028}\r",
        ])
    func matchesCharacterSplit(_ text: String) {
        #expect(SourceText.lines(of: text) == Self.linesByCharacter(text))
    }
}
