import Crypto
import Foundation

/// SHA-256 content hashes, in lowercase hex. What is hashed is a canonical byte string, so equal content always gives
/// an equal hash, in any process, whatever order the caller listed tensors or rows in.
///
/// Every field is written length-prefixed (`<byte count>:<bytes>\n`), so no choice of names, kinds or config text can
/// make two different contents serialise to the same bytes. Timestamps and ids are never hashed.
enum ContentHash {
    /// The hash of a tensor's raw little-endian f32 bytes; it is also the key of `blobs`.
    static func blob(_ bytes: Data) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// A checkpoint: kind, config, then for each tensor sorted by name: name, shape, dtype, blob hash.
    static func checkpoint(kind: String, config: String, manifest: [(name: String, shape: [Int], blobHash: String)])
        -> String
    {
        var text = Canonical(tag: "rlhf-checkpoint-v1")
        text.field(kind)
        text.field(config)
        for entry in manifest.sorted(by: { $0.name < $1.name }) {
            text.field(entry.name)
            text.field(TensorShape.encode(entry.shape))
            text.field("f32")
            text.field(entry.blobHash)
        }
        return text.hash
    }

    /// One feedback row's content (everything but its uid). A text row's words follow, after the field `text`: a
    /// row without text hashes exactly as every row did before text existed, and length-prefixed fields keep the two
    /// forms apart. A missing `sampling` is the field `none`, a recorded one `some` and its text.
    static func row(
        prompt: Int, chosen: Data, rejected: Data, annotator: String, seed: UInt64, text: FeedbackRow.Text? = nil
    ) -> String {
        var canonical = Canonical(tag: "rlhf-feedback-row-v1")
        canonical.field(String(prompt))
        canonical.field(chosen)
        canonical.field(rejected)
        canonical.field(annotator)
        canonical.field(String(seed))
        if let text {
            canonical.field("text")
            canonical.field(text.prompt)
            canonical.field(text.chosen)
            canonical.field(text.rejected)
            if let sampling = text.sampling {
                canonical.field("some")
                canonical.field(sampling)
            } else {
                canonical.field("none")
            }
        }
        return canonical.hash
    }

    /// The hash of a row as the store keeps it.
    static func row(_ row: FeedbackRow) -> String {
        ContentHash.row(
            prompt: row.prompt, chosen: FloatBytes.encode(row.chosen), rejected: FloatBytes.encode(row.rejected),
            annotator: row.annotator, seed: row.seed, text: row.text)
    }

    /// A dataset version: kind, config and the (uid, row hash) pairs of its alive rows sorted by uid.
    static func dataset(kind: String, config: String, rows: [(uid: Int64, rowHash: String)]) -> String {
        var text = Canonical(tag: "rlhf-dataset-v1")
        text.field(kind)
        text.field(config)
        for row in rows.sorted(by: { ($0.uid, $0.rowHash) < ($1.uid, $1.rowHash) }) {
            text.field(String(row.uid))
            text.field(row.rowHash)
        }
        return text.hash
    }

    /// Lowercase hex, two digits a byte (written into one buffer: a commit of many rows makes many of these).
    static func hex(_ digest: SHA256.Digest) -> String {
        digest.withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: bytes.count * 2) { text in
                for (index, byte) in bytes.enumerated() {
                    text[2 * index] = hexDigits[Int(byte >> 4)]
                    text[2 * index + 1] = hexDigits[Int(byte & 0x0f)]
                }
                return bytes.count * 2
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Feeds length-prefixed fields to SHA-256.
    ///
    /// Fields are gathered in a buffer and handed to the hasher a block of bytes at a time: a commit of a million
    /// metric points hashes six small fields each, and one `SHA256.update` per field cost more than the hashing.
    /// SHA-256 of a stream does not depend on how it is cut, so the digests are those of feeding each field alone.
    struct Canonical {
        private var hasher = SHA256()
        private var buffer: [UInt8] = []

        /// Bytes gathered before they are hashed; a larger field goes to the hasher directly.
        private static let blockBytes = 1 << 16

        init(tag: String) {
            field(tag)
        }

        mutating func field(_ text: String) {
            var text = text
            text.withUTF8 { field(UnsafeRawBufferPointer($0)) }
        }

        mutating func field(_ bytes: Data) {
            bytes.withUnsafeBytes { field($0) }
        }

        /// `<byte count>:<bytes>\n`, the count in decimal ASCII. Fed without building any intermediate `Data`:
        /// committing a large dataset hashes several fields of every row.
        mutating func field(_ bytes: UnsafeRawBufferPointer) {
            appendDecimal(UInt64(bytes.count))
            buffer.append(UInt8(ascii: ":"))
            if bytes.count > Self.blockBytes {
                flush()
                hasher.update(bufferPointer: bytes)
            } else {
                buffer.append(contentsOf: bytes)
            }
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= Self.blockBytes { flush() }
        }

        /// The field `String(integer)`, without making the string.
        mutating func field(decimal integer: Int64) {
            let negative = integer < 0
            let digits = Self.digitCount(integer.magnitude) + (negative ? 1 : 0)
            appendDecimal(UInt64(digits))
            buffer.append(UInt8(ascii: ":"))
            if negative { buffer.append(UInt8(ascii: "-")) }
            appendDecimal(integer.magnitude)
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= Self.blockBytes { flush() }
        }

        /// The field `String(bits, radix: 16)` (lowercase, no leading zeros), without making the string.
        mutating func field(hex bits: UInt64) {
            let digits = bits == 0 ? 1 : (67 - bits.leadingZeroBitCount) / 4
            appendDecimal(UInt64(digits))
            buffer.append(UInt8(ascii: ":"))
            for shift in stride(from: 4 * (digits - 1), through: 0, by: -4) {
                buffer.append(ContentHash.hexDigits[Int((bits >> UInt64(shift)) & 0xf)])
            }
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= Self.blockBytes { flush() }
        }

        private static func digitCount(_ value: UInt64) -> Int {
            var (count, rest) = (1, value / 10)
            while rest > 0 { (count, rest) = (count + 1, rest / 10) }
            return count
        }

        private mutating func appendDecimal(_ value: UInt64) {
            if value < 10 {
                buffer.append(UInt8(ascii: "0") + UInt8(value))
                return
            }
            // 20 digits hold any UInt64, written from the right.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
                var (first, rest) = (20, value)
                repeat {
                    first -= 1
                    digits[first] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                } while rest > 0
                buffer.append(contentsOf: UnsafeMutableBufferPointer(rebasing: digits[first...]))
            }
        }

        private mutating func flush() {
            guard !buffer.isEmpty else { return }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            buffer.removeAll(keepingCapacity: true)
        }

        var hash: String {
            var hasher = hasher
            buffer.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            return ContentHash.hex(hasher.finalize())
        }
    }
}
