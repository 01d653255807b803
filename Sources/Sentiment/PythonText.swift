/// The few pieces of Python's `str` that VADER's rules read, on Unicode scalars (Python's code points), so a port
/// agrees with `vaderSentiment` on any text, not only ASCII: Swift's `String` compares and splits by grapheme cluster
/// and canonical equivalence, Python by code point.
enum PythonText {
    /// `str.isspace()` for one code point: the characters `str.split()` and `str.strip()` treat as whitespace
    /// (bidirectional class WS, B or S, or category Zs).
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// `str.strip()`: without leading and trailing whitespace.
    static func strip(_ text: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        var lower = text.startIndex
        var upper = text.endIndex
        while lower < upper, isSpace(text[lower]) { lower += 1 }
        while upper > lower, isSpace(text[upper - 1]) { upper -= 1 }
        return text[lower..<upper]
    }

    /// `str.split()` with no separator: the runs of non-whitespace, empty ones dropped.
    static func split(_ text: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
        var words: [ArraySlice<Unicode.Scalar>] = []
        var start: Int? = nil
        for index in text.indices {
            if isSpace(text[index]) {
                if let first = start { words.append(text[first..<index]) }
                start = nil
            } else if start == nil {
                start = index
            }
        }
        if let first = start { words.append(text[first..<text.endIndex]) }
        return words
    }

    /// `string.punctuation`: the 32 ASCII punctuation characters.
    static func isASCIIPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return true
        default: return false
        }
    }

    /// `str.strip(string.punctuation)`.
    static func stripPunctuation(_ word: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        var lower = word.startIndex
        var upper = word.endIndex
        while lower < upper, isASCIIPunctuation(word[lower]) { lower += 1 }
        while upper > lower, isASCIIPunctuation(word[upper - 1]) { upper -= 1 }
        return word[lower..<upper]
    }

    /// `str.isupper()`: no lowercase or titlecase code point, and at least one uppercase one (Python's flags are the
    /// Unicode properties Lowercase and Uppercase and the category Lt).
    static func isUpper(_ word: ArraySlice<Unicode.Scalar>) -> Bool {
        var cased = false
        for scalar in word {
            if scalar.isASCII {
                if scalar.value >= 0x61 && scalar.value <= 0x7A { return false }
                if scalar.value >= 0x41 && scalar.value <= 0x5A { cased = true }
                continue
            }
            let properties = scalar.properties
            if properties.isLowercase || properties.generalCategory == .titlecaseLetter { return false }
            if properties.isUppercase { cased = true }
        }
        return cased
    }

    /// `str.lower()` as UTF-8 bytes: the full lowercase mapping of each code point.
    ///
    /// Python also lowers a capital sigma at the end of a word to a final sigma (ς); that is left out because VADER
    /// only ever compares a lowered word with ASCII words (and the two lexicon entries `:Þ`, `:-Þ`, which no lowered
    /// word can equal, Þ being uppercase), and σ and ς are equally far from those.
    static func lower(_ word: ArraySlice<Unicode.Scalar>) -> VaderKey {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(word.count)
        for scalar in word {
            if scalar.isASCII {
                let value = UInt8(scalar.value)
                bytes.append(value >= 0x41 && value <= 0x5A ? value + 0x20 : value)
            } else {
                bytes.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            }
        }
        return VaderKey(bytes: bytes)
    }
}
