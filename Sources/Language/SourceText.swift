/// Line splitting shared by the cell-file reader, the lexer and diagnostics.
public enum SourceText {
    /// The lines of `text`, without terminators; `\n`, `\r\n` and `\r` all end a line.
    /// A trailing terminator does not produce an extra empty line.
    public static func lines(of text: String) -> [String] {
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
}
