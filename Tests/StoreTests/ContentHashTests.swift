import Foundation
import Testing

@testable import Store

@Suite struct ContentHashTests {
    @Test func checkpointHashIgnoresTensorOrder() throws {
        let ordered = policy()
        var shuffled = ordered
        shuffled.tensors.reverse()
        let a = try PreparedCheckpoint(name: "p", checkpoint: ordered)
        let b = try PreparedCheckpoint(name: "p", checkpoint: shuffled)
        #expect(a.contentHash == b.contentHash)
        #expect(a.contentHash.count == 64)
    }

    @Test func checkpointHashIsTheCanonicalManifestHash() throws {
        let checkpoint = policy()
        let manifest = checkpoint.tensors.map { t in
            (name: t.name, shape: t.shape, blobHash: ContentHash.blob(FloatBytes.encode(t.values)))
        }
        let prepared = try PreparedCheckpoint(name: "p", checkpoint: checkpoint)
        #expect(
            prepared.contentHash
                == ContentHash.checkpoint(kind: "policy", config: checkpoint.config, manifest: manifest))
        #expect(prepared.tensors.map(\.name) == checkpoint.tensors.map(\.name).sorted())
    }

    /// Each field of the content changes the hash.
    @Test(arguments: ["kind", "config", "name", "shape", "value"])
    func everyFieldMatters(field: String) throws {
        let base = policy()
        var changed = base
        switch field {
        case "kind": changed.kind = "reward"
        case "config": changed.config = #"{"hidden":5}"#
        case "name": changed.tensors[0].name = "fc0.weight"
        case "shape": changed.tensors[0].shape = [3, 4]
        default: changed.tensors[0].values[5] += 1
        }
        let a = try PreparedCheckpoint(name: "p", checkpoint: base)
        let b = try PreparedCheckpoint(name: "p", checkpoint: changed)
        #expect(a.contentHash != b.contentHash)
    }

    @Test func blobHashIsSHA256OfLittleEndianBytes() {
        // SHA-256 of the empty string, a published constant.
        #expect(ContentHash.blob(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let bytes = FloatBytes.encode([1.0, -0.0])
        #expect(Array(bytes) == [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x80])
    }

    @Test func floatBytesRoundTripBitExactly() {
        let values: [Float] = [
            0, -0.0, 1.5, .infinity, -.infinity, .leastNonzeroMagnitude, Float(bitPattern: 0x7FC0_1234),
        ]
        let decoded = FloatBytes.decode(FloatBytes.encode(values)) ?? []
        #expect(decoded.map(\.bitPattern) == values.map(\.bitPattern))
        #expect(FloatBytes.decode(Data([1, 2, 3])) == nil)
    }

    @Test func datasetHashIgnoresRowOrderButNotContent() throws {
        let rows = (1...5).map { row($0) }
        let a = try PreparedDataset(name: "d", kind: "preferences", config: "{}", rows: rows, cell: 1)
        let b = try PreparedDataset(name: "d", kind: "preferences", config: "{}", rows: rows.reversed(), cell: 1)
        var relabelled = rows
        relabelled[2].annotator = "oracle"
        let c = try PreparedDataset(name: "d", kind: "preferences", config: "{}", rows: relabelled, cell: 1)
        #expect(a.contentHash == b.contentHash)
        #expect(a.contentHash != c.contentHash)
    }

    /// The canonical stream, fed through the buffer in blocks, hashes exactly as the stream built whole: fields of
    /// every size (empty, across a block boundary, larger than a block), and integers and bit patterns written
    /// without making their strings are the fields their strings would be.
    @Test func canonicalHashIsTheHashOfTheWholeStream() {
        var generator = SystemRandomNumberGenerator()
        var canonical = ContentHash.Canonical(tag: "test-v1")
        var stream = Data("7:test-v1\n".utf8)
        func add(_ text: String) { stream += Data("\(text.utf8.count):\(text)\n".utf8) }
        let integers: [Int64] = [0, 9, 10, -1, -10, 1234, .max, .min]
        let patterns: [UInt64] = [
            0, 1, 0xf, 0x10, 0xabc, 0x8000_0000_0000_0000, .max, (-0.0).bitPattern, 1.5.bitPattern,
        ]
        for round in 0..<2_000 {
            let size = round % 500 == 7 ? 70_000 : [0, 1, 13, 300][round % 4]
            let bytes = Data((0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) })
            canonical.field(bytes)
            stream += Data("\(size):".utf8) + bytes + Data("\n".utf8)
            let integer = integers[round % integers.count]
            canonical.field(decimal: integer)
            add(String(integer))
            let bits = round < patterns.count ? patterns[round] : UInt64.random(in: 0...(.max), using: &generator)
            canonical.field(hex: bits)
            add(String(bits, radix: 16))
        }
        for size in [65_535, 65_536, 65_537, 200_000] {
            let bytes = Data(repeating: UInt8(size % 251), count: size)
            canonical.field(bytes)
            stream += Data("\(size):".utf8) + bytes + Data("\n".utf8)
        }
        #expect(canonical.hash == ContentHash.blob(stream))
        // Reading the hash does not end the stream: more fields still count.
        canonical.field("more")
        add("more")
        #expect(canonical.hash == ContentHash.blob(stream))
    }
}
