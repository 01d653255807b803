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
}
