/// Turns the bytes of a notebook or of piped input into source text, refusing what the lexer must never see: bytes
/// that are not UTF-8 (reported at the first bad byte, `nb.rlhf:3:7: error: invalid UTF-8 (byte 0xFF)`) and files too
/// large to parse in the memory a lab machine has.
public enum SourceBytes {
    /// Largest notebook file read, in bytes. Parsing needs about 100 bytes of memory per source byte at worst (a token
    /// per character), so each cell is also bounded by `Parser.maximumCellBytes`.
    public static let maximumFileBytes = 64 * 1024 * 1024

    /// The text of `bytes`, read from `file`.
    ///
    /// - Throws: `Diagnostic` located at the first byte that is not UTF-8, or at line 1 for a file over the limit.
    public static func text(of bytes: [UInt8], file: String) throws -> String {
        guard bytes.count <= maximumFileBytes else {
            throw Diagnostic(
                location: SourceLocation(file: file, line: 1, column: 1),
                message: "file is \(bytes.count) bytes; the limit is \(maximumFileBytes) (64 MB): split the notebook")
        }
        if let bad = firstInvalidByte(in: bytes) {
            throw Diagnostic(
                location: location(ofByte: bad, in: bytes, file: file),
                message: "invalid UTF-8 (byte 0x\(hex(bytes[bad]))); save the file as UTF-8")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The offset of the first byte of the first malformed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates,
    /// nothing above U+10FFFF, no sequence cut short), or nil if all of `bytes` is UTF-8.
    public static func firstInvalidByte(in bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            // The allowed range of the second byte depends on the lead byte (this rules out overlong forms,
            // surrogates and code points above U+10FFFF); the others are plain continuation bytes.
            let length: Int, second: ClosedRange<UInt8>
            switch lead {
            case 0xC2...0xDF: (length, second) = (2, 0x80...0xBF)
            case 0xE0: (length, second) = (3, 0xA0...0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, second) = (3, 0x80...0xBF)
            case 0xED: (length, second) = (3, 0x80...0x9F)
            case 0xF0: (length, second) = (4, 0x90...0xBF)
            case 0xF1...0xF3: (length, second) = (4, 0x80...0xBF)
            case 0xF4: (length, second) = (4, 0x80...0x8F)
            default: return index
            }
            for offset in 1..<length {
                let position = index + offset
                guard position < bytes.count else { return index }
                let allowed = offset == 1 ? second : 0x80...0xBF
                if !allowed.contains(bytes[position]) { return index }
            }
            index += length
        }
        return nil
    }

    /// Line and column (in characters, as the lexer counts them) of byte `offset`.
    public static func location(ofByte offset: Int, in bytes: [UInt8], file: String) -> SourceLocation {
        var line = 1
        var lineStart = 0
        var index = 0
        while index < offset {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                // `\r\n` is one line break.
                if byte == UInt8(ascii: "\r"), index + 1 < offset, bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        let before = String(decoding: bytes[lineStart..<offset], as: UTF8.self)
        return SourceLocation(file: file, line: line, column: before.count + 1)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
