/// Line splitting shared by the cell-file reader, the lexer and diagnostics.
public enum SourceText {
    /// The lines of `text`, without terminators; `\n`, `\r\n`, `\r` and the other characters Swift counts as
    /// newlines (`Character.isNewline`: VT, FF, NEL, U+2028, U+2029) all end a line. A trailing terminator does not
    /// produce an extra empty line.
    ///
    /// Walks Unicode scalars rather than characters: a newline is always a grapheme cluster of its own (or `\r\n`),
    /// so the split is the same, and it costs a fraction of grapheme breaking (which dominated parsing short cells).
    public static func lines(of text: String) -> [String] {
        let scalars = text.unicodeScalars
        var lines: [String] = []
        var start = scalars.startIndex
        var index = start
        while index < scalars.endIndex {
            let scalar = scalars[index]
            guard isNewline(scalar) else {
                scalars.formIndex(after: &index)
                continue
            }
            lines.append(String(scalars[start..<index]))
            scalars.formIndex(after: &index)
            if scalar == "\r", index < scalars.endIndex, scalars[index] == "\n" { scalars.formIndex(after: &index) }
            start = index
        }
        if start < scalars.endIndex { lines.append(String(scalars[start...])) }
        return lines
    }

    private static func isNewline(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }
}
