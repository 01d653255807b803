/// A word as VADER looks it up: its exact UTF-8 bytes. Python's dictionaries and `==` compare code points, while
/// Swift's `String` compares canonically equivalent texts as equal (U+037E GREEK QUESTION MARK equals `;`, so `;)`
/// typed with it would find the emoticon in the lexicon, where Python does not); bytes keep the port faithful.
struct VaderKey: Hashable, Sendable, ExpressibleByStringLiteral {
    var bytes: [UInt8]

    init(bytes: [UInt8]) { self.bytes = bytes }

    init<S: StringProtocol>(_ text: S) { bytes = Array(text.utf8) }

    init(stringLiteral value: String) { bytes = Array(value.utf8) }

    /// `"a b"`, the words joined by one space, as `"{0} {1}".format(a, b)` builds VADER's n-grams.
    init(joining words: VaderKey...) {
        bytes = []
        for (index, word) in words.enumerated() {
            if index > 0 { bytes.append(0x20) }
            bytes.append(contentsOf: word.bytes)
        }
    }

    /// Python's `needle in word` for strings: whether `needle` occurs as a run of code points (of bytes, in UTF-8).
    func contains(_ needle: VaderKey) -> Bool {
        let count = needle.bytes.count
        guard count <= bytes.count else { return false }
        for start in 0...(bytes.count - count) where bytes[start..<(start + count)].elementsEqual(needle.bytes) {
            return true
        }
        return false
    }
}
