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
    struct Canonical {
        private var hasher = SHA256()

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
            // 20 digits hold any Int; the colon follows them.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 21) { prefix in
                var digits = 0
                var count = bytes.count
                repeat {
                    prefix[20 - 1 - digits] = UInt8(ascii: "0") + UInt8(count % 10)
                    count /= 10
                    digits += 1
                } while count > 0
                prefix[20] = UInt8(ascii: ":")
                hasher.update(
                    bufferPointer: UnsafeRawBufferPointer(
                        UnsafeMutableBufferPointer(rebasing: prefix[(20 - digits)...])))
            }
            hasher.update(bufferPointer: bytes)
            withUnsafeBytes(of: UInt8(ascii: "\n")) { hasher.update(bufferPointer: $0) }
        }

        var hash: String { ContentHash.hex(hasher.finalize()) }
    }
}
