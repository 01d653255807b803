extension Lexer {
    /// The cell-language string literal whose value is `text`: the inverse of the escapes `tokenize` reads (`\\`,
    /// `\"`, `\n`, `\t`, `\r`, `\0`), so a program that writes cells for the user (`rlhf import` writing
    /// `lm = load_hf("…")`) quotes any path or text without letting it end the string or start an interpolation.
    public static func stringLiteral(_ text: String) -> String {
        var out = "\""
        for c in text.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\0": out += "\\0"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
