import Foundation
import Testing

@testable import Interop

/// The safetensors writer against the Python reference writer's bytes, round trips, and a table of malformed files.
struct SafetensorsTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The tensors `scripts/make_safetensors_fixture.py` gives the Python `safetensors` package, written here from
    /// the same literal values (all exact binary fractions), in a different order.
    static let fixtureTensors: [Safetensors.Tensor] = [
        .init(name: "b.bias", shape: [3], values: [0.5, -0.25, 1024]),
        .init(name: "é\"quoted\"\tname", shape: [1], values: [-1]),
        .init(name: "empty", shape: [0, 3], values: []),
        .init(name: "transformer.wte.weight", shape: [3, 4], values: (0..<12).map { (Float($0) - 5) / 8 }),
        .init(name: "a.cube", shape: [2, 2, 2], values: (0..<8).map { (Float($0) + 1) / 1024 }),
    ]

    @Test func writesWhatThePythonReferenceWrites() throws {
        let reference = [UInt8](try Data(contentsOf: Self.fixtures.appendingPathComponent("reference.safetensors")))
        let ours = try Safetensors(tensors: Self.fixtureTensors, metadata: [("format", "pt")]).encoded()
        #expect(ours.count == reference.count)
        #expect(ours == reference)
    }

    @Test func readsThePythonReference() throws {
        let file = try Safetensors(contentsOf: Self.fixtures.appendingPathComponent("reference.safetensors"))
        #expect(file.metadata.map(\.key) == ["format"] && file.metadata.map(\.value) == ["pt"])
        #expect(
            file.tensors.map(\.name) == ["a.cube", "b.bias", "empty", "transformer.wte.weight", "é\"quoted\"\tname"])
        for expected in Self.fixtureTensors {
            #expect(file.tensor(expected.name) == expected)
        }
    }

    /// Any values, NaN payloads and signed zeros included, come back bit for bit; the header length is a multiple
    /// of 8 and the file is exactly header + 4 bytes per value.
    @Test(arguments: [0, 1, 2, 3])
    func roundTripsBitwise(seed: Int) throws {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        func next() -> UInt32 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt32(truncatingIfNeeded: state >> 29)
        }
        let shapes: [[Int]] = [[5], [2, 3], [1, 1, 4], [0], [], [7, 1]]
        let tensors = shapes.enumerated().map { i, shape in
            Safetensors.Tensor(
                name: "t\(seed).\(i)", shape: shape,
                values: (0..<shape.reduce(1, *)).map { _ in Float(bitPattern: next()) })
        }
        let metadata = [("format", "pt"), ("rlhf.source", "1/lm@\(seed)"), ("ünïcode", "line\nbreak")]
        let bytes = try Safetensors(tensors: tensors.reversed(), metadata: metadata.reversed()).encoded()
        let headerLength = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect(headerLength % 8 == 0)
        #expect(bytes.count == 8 + headerLength + 4 * tensors.reduce(0) { $0 + $1.values.count })
        let back = try Safetensors(bytes: bytes)
        #expect(back.tensors.map(\.name) == tensors.map(\.name))
        #expect(back.tensors.map(\.shape) == tensors.map(\.shape))
        #expect(back.tensors.map { $0.values.map(\.bitPattern) } == tensors.map { $0.values.map(\.bitPattern) })
        #expect(back.metadata.map(\.key) == ["format", "rlhf.source", "ünïcode"])
        #expect(back.metadata.map(\.value) == ["pt", "1/lm@\(seed)", "line\nbreak"])
    }

    @Test func refusesToWriteDuplicatesOrShortValues() {
        #expect(throws: SafetensorsError.duplicateName("w")) {
            try Safetensors(tensors: [
                .init(name: "w", shape: [1], values: [1]), .init(name: "w", shape: [], values: [2]),
            ])
            .encoded()
        }
        #expect(throws: SafetensorsError.valueCount(name: "w", shape: [2, 2], values: 3)) {
            try Safetensors(tensors: [.init(name: "w", shape: [2, 2], values: [1, 2, 3])]).encoded()
        }
    }

    /// A file: the header length as 8 little-endian bytes (or `length` when given), the header, `data` zero bytes.
    static func file(_ header: String, data: Int, length: UInt64? = nil) -> [UInt8] {
        let h = Array(header.utf8)
        return withUnsafeBytes(of: (length ?? UInt64(h.count)).littleEndian) { Array($0) } + h
            + [UInt8](repeating: 0, count: data)
    }

    static func entry(_ name: String, _ dtype: String, _ shape: String, _ offsets: String) -> String {
        "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}"
    }

    /// Malformed files, each with the one line it is refused with.
    static let malformed: [(bytes: [UInt8], expected: String)] = [
        ([1, 2, 3], "the file is 3 bytes, too short for the 8-byte header length a safetensors file starts with"),
        (
            file("{}", data: 0, length: 1 << 40),
            "the header length 1099511627776 exceeds the 100000000 bytes a safetensors header may have"
        ),
        (file("{}", data: 0, length: 64), "the header length 64 runs past the end of the file (10 bytes)"),
        (file("[1]", data: 0), "the header is not a JSON object (it must start with '{')"),
        (file("{\"a\":", data: 0), "the header is not valid JSON: unexpected end of text at byte 5"),
        (file("{\"a\":{}} x", data: 0), "the header is not valid JSON: unexpected text after the JSON value at byte 9"),
        (
            file("{\"a\u{1}\":{}}", data: 0),
            "the header is not valid JSON: control character 0x1 inside a string at byte 3"
        ),
        (
            file("{\"a\":{}}", data: 0).enumerated().map { $0 == 10 ? 0xFF : $1 },
            "the header is not valid JSON: a string is not valid UTF-8 at byte 2"
        ),
        (
            file("{\"a\":" + String(repeating: "[", count: 70), data: 0),
            "the header is not valid JSON: nesting deeper than 64 levels at byte 68"
        ),
        (
            file("{\"__metadata__\":{\"format\":1}}", data: 0),
            "'__metadata__' must map strings to strings: \"format\" is a number"
        ),
        (file("{\"__metadata__\":[]}", data: 0), "'__metadata__' must map strings to strings: it is an array"),
        (
            file("{\(entry("w", "F32", "[1]", "[0,4]")),\(entry("w", "F32", "[1]", "[4,8]"))}", data: 8),
            "the header lists 'w' twice"
        ),
        (file("{\"w\":[0,4]}", data: 4), "the entry for 'w' is an array, not an object"),
        (file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", data: 4), "tensor 'w': no 'dtype'"),
        (
            file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"offset\":0}}", data: 4),
            "tensor 'w': unexpected field \"offset\""
        ),
        (file("{\(entry("w", "F33", "[1]", "[0,4]"))}", data: 4), "tensor 'w' has unknown dtype 'F33'"),
        (
            file("{\(entry("w", "F32", "[-1]", "[0,4]"))}", data: 4),
            "tensor 'w': 'shape' [-1] is not a list of non-negative integers"
        ),
        (
            file("{\(entry("w", "F32", "[1.5]", "[0,4]"))}", data: 4),
            "tensor 'w': 'shape' [1.5] is not a list of non-negative integers"
        ),
        (
            file("{\(entry("w", "F32", "[1]", "[8,4]"))}", data: 8),
            "tensor 'w': 'data_offsets' [8,4] is not [begin, end] with 0 ≤ begin ≤ end"
        ),
        (
            file("{\(entry("w", "F32", "[1]", "[0]"))}", data: 4),
            "tensor 'w': 'data_offsets' [0] is not [begin, end] with 0 ≤ begin ≤ end"
        ),
        (
            file("{\(entry("w", "F32", "[2]", "[0,4]"))}", data: 4),
            "tensor 'w' of shape [2] and dtype F32 needs 8 bytes, but its data_offsets span 4"
        ),
        (
            file("{\(entry("w", "F32", "[4611686018427387904,4]", "[0,4]"))}", data: 4),
            "tensor 'w' of shape [4611686018427387904, 4] and dtype F32 needs more than 2^63 bytes, "
                + "but its data_offsets span 4"
        ),
        (
            file("{\(entry("w", "F32", "[2]", "[0,8]"))}", data: 4),
            "tensor 'w' ends at byte 8, past the end of the data (4 bytes after the header)"
        ),
        (
            file("{\(entry("a", "F32", "[2]", "[0,8]")),\(entry("b", "F32", "[2]", "[4,12]"))}", data: 12),
            "tensor 'b' starts at byte 4, inside 'a' (which ends at 8)"
        ),
        (
            file("{\(entry("a", "F32", "[1]", "[0,4]")),\(entry("b", "F32", "[1]", "[8,12]"))}", data: 12),
            "tensor 'b' starts at byte 8, leaving a gap after byte 4 (tensors must be contiguous)"
        ),
        (
            file("{\(entry("a", "F32", "[1]", "[4,8]"))}", data: 8),
            "tensor 'a' starts at byte 4, leaving a gap after byte 0 (tensors must be contiguous)"
        ),
        (
            file("{\(entry("a", "F32", "[1]", "[0,4]"))}", data: 8),
            "the tensors cover 4 bytes but 8 follow the header (trailing bytes)"
        ),
        (file("{\(entry("h", "F16", "[2]", "[0,4]"))}", data: 4), "tensor 'h' is F16; only F32 tensors can be read"),
    ]

    @Test(arguments: malformed)
    func refusesMalformedFiles(bytes: [UInt8], expected: String) {
        do {
            _ = try Safetensors(bytes: bytes)
            Issue.record("accepted a malformed file; expected: \(expected)")
        } catch {
            #expect(error.description == expected)
        }
    }
}
