import Foundation

/// A safetensors file (https://github.com/huggingface/safetensors): an 8-byte little-endian header length `N`, `N`
/// bytes of JSON header, then the tensors' bytes. The header maps each tensor name to
/// `{"dtype":"F32","shape":[…],"data_offsets":[begin,end]}` (offsets relative to the end of the header) and may hold
/// `"__metadata__"`, a map of strings to strings.
///
/// This lab's tensors are Float32, so it writes and reads F32 (little-endian). ``encoded()`` writes what the
/// reference implementation writes for the same tensors, byte for byte: the header as compact JSON with
/// `__metadata__` first and tensors sorted by name (bytewise; all one dtype), padded with spaces to a multiple of 8
/// bytes, tensors contiguous in that order. ``init(bytes:)`` checks everything a hostile file could get wrong.
///
/// ```swift
/// let file = Safetensors(tensors: [.init(name: "w", shape: [2, 2], values: [1, 2, 3, 4])], metadata: [("format", "pt")])
/// let back = try Safetensors(bytes: try file.encoded())   // back == file
/// ```
public struct Safetensors: Sendable, Equatable {
    /// One named F32 tensor; `values` are row-major.
    public struct Tensor: Sendable, Equatable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]

        public init(name: String, shape: [Int], values: [Float]) {
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    /// The reference implementation's limit: a larger header length is refused before anything is allocated.
    public static let maximumHeaderBytes: UInt64 = 100_000_000

    /// The tensors, sorted by name (bytewise) when read.
    public var tensors: [Tensor]
    /// `__metadata__`, sorted by key when read; empty means the header has none.
    public var metadata: [(key: String, value: String)]

    public init(tensors: [Tensor], metadata: [(key: String, value: String)] = []) {
        self.tensors = tensors
        self.metadata = metadata
    }

    public static func == (a: Safetensors, b: Safetensors) -> Bool {
        a.tensors == b.tensors && a.metadata.elementsEqual(b.metadata) { $0 == $1 }
    }

    public func tensor(_ name: String) -> Tensor? { tensors.first { $0.name == name } }

    /// Bytes of each element per dtype the format defines (the sub-byte and complex types of newer versions are
    /// refused as unknown).
    static let dtypeBytes: [String: Int] = [
        "BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "I16": 2, "U16": 2, "F16": 2, "BF16": 2, "I32": 4,
        "U32": 4, "F32": 4, "F64": 8, "I64": 8, "U64": 8,
    ]

    /// The bytes a tensor of this shape and dtype occupies, or nil when a dimension is negative or it overflows.
    static func byteCount(shape: [Int], dtype: String) -> Int? {
        guard let element = dtypeBytes[dtype] else { return nil }
        var count = element
        for dim in shape {
            guard dim >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            if overflow { return nil }
            count = product
        }
        return count
    }

    /// Names compare as the reference implementation's Rust strings do: by UTF-8 bytes.
    static func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}

// MARK: - Writing

extension Safetensors {
    /// The file's bytes; throws when two tensors share a name or a tensor's values do not fill its shape.
    public func encoded() throws(SafetensorsError) -> [UInt8] {
        let sorted = tensors.sorted { Self.precedes($0.name, $1.name) }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.name == b.name { throw .duplicateName(a.name) }
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { Self.precedes($0.key, $1.key) }
            for (a, b) in zip(pairs, pairs.dropFirst()) where a.key == b.key { throw .duplicateName(a.key) }
            let members = pairs.map { JSONWriter.quoted($0.key) + ":" + JSONWriter.quoted($0.value) }
            entries.append("\"__metadata__\":{" + members.joined(separator: ",") + "}")
        }
        var offset = 0
        for t in sorted {
            guard let bytes = Self.byteCount(shape: t.shape, dtype: "F32"), bytes == 4 * t.values.count else {
                throw .valueCount(name: t.name, shape: t.shape, values: t.values.count)
            }
            let shape = t.shape.map(String.init).joined(separator: ",")
            entries.append(
                JSONWriter.quoted(t.name)
                    + ":{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out += $0 }
        out += header
        for t in sorted {
            for v in t.values { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } }
        }
        return out
    }
}

// MARK: - Reading

extension Safetensors {
    /// Reads a safetensors file, refusing with one ``SafetensorsError`` anything the format does not allow: a
    /// header length that is absurd or runs past the file, a header that is not a JSON object, metadata that is not
    /// strings, a name listed twice, an entry with a missing, extra or mistyped field, an unknown dtype, offsets whose
    /// span does not match shape × dtype, tensors that overlap, leave gaps, run past the data or leave bytes
    /// uncovered, and (being a Float32 lab) any dtype but F32.
    public init(bytes: [UInt8]) throws(SafetensorsError) {
        guard bytes.count >= 8 else { throw .tooShort(bytes: bytes.count) }
        let headerLength = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard headerLength <= Self.maximumHeaderBytes else { throw .headerTooLarge(headerLength) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw .headerPastEnd(headerBytes: headerLength, fileBytes: bytes.count)
        }
        let dataStart = 8 + Int(headerLength)
        let header = Array(bytes[8..<dataStart])
        guard header.first == UInt8(ascii: "{") else { throw .headerNotObject }
        let root: JSONValue
        do {
            root = try JSONReader.parse(header)
        } catch {
            throw .headerNotJSON(error.description)
        }
        guard case let .object(members) = root else { throw .headerNotObject }

        var seen: Set<String> = []
        var metadata: [(key: String, value: String)] = []
        var entries: [Entry] = []
        for member in members {
            let (name, value) = (member.key, member.value)
            guard seen.insert(name).inserted else { throw .duplicateName(name) }
            if name == "__metadata__" {
                metadata = try Self.metadata(value)
            } else {
                entries.append(try Entry(name: name, value))
            }
        }
        let dataBytes = bytes.count - dataStart
        try Self.checkLayout(entries, dataBytes: dataBytes)

        self.metadata = metadata.sorted { Self.precedes($0.key, $1.key) }
        var tensors: [Tensor] = []
        for e in entries.sorted(by: { Self.precedes($0.name, $1.name) }) {
            guard e.dtype == "F32" else { throw .unsupportedDtype(name: e.name, dtype: e.dtype) }
            let count = (e.end - e.begin) / 4
            var values = [Float](repeating: 0, count: count)
            let base = dataStart + e.begin
            for i in 0..<count {
                let p = base + 4 * i
                let bits =
                    UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16
                    | UInt32(bytes[p + 3]) << 24
                values[i] = Float(bitPattern: bits)
            }
            tensors.append(Tensor(name: e.name, shape: e.shape, values: values))
        }
        self.tensors = tensors
    }

    /// Reads the file at `url` (see ``init(bytes:)``); an unreadable file is a `CocoaError` the caller words.
    public init(contentsOf url: URL) throws {
        try self.init(bytes: [UInt8](try Data(contentsOf: url)))
    }

    /// One header entry, its fields checked but not yet its place among the others.
    private struct Entry {
        var name: String
        var dtype: String
        var shape: [Int]
        var begin: Int
        var end: Int

        init(name: String, _ value: JSONValue) throws(SafetensorsError) {
            guard case let .object(fields) = value else { throw .entryNotObject(name: name, kind: value.kindName) }
            if let extra = fields.first(where: { !["dtype", "shape", "data_offsets"].contains($0.key) }) {
                throw .entryField(name: name, problem: "unexpected field \(JSONWriter.quoted(extra.key))")
            }
            guard case let .string(dtype) = try Self.field("dtype", of: name, in: fields) else {
                throw .entryField(name: name, problem: "'dtype' is not a string")
            }
            guard Safetensors.dtypeBytes[dtype] != nil else { throw .unknownDtype(name: name, dtype: dtype) }
            let shapeValue = try Self.field("shape", of: name, in: fields)
            guard case let .array(dims) = shapeValue, let shape = Self.integers(dims) else {
                throw .entryField(
                    name: name, problem: "'shape' \(shapeValue.compactText) is not a list of non-negative integers")
            }
            let offsetsValue = try Self.field("data_offsets", of: name, in: fields)
            guard case let .array(pair) = offsetsValue, pair.count == 2, let offsets = Self.integers(pair),
                offsets[0] <= offsets[1]
            else {
                throw .entryField(
                    name: name,
                    problem: "'data_offsets' \(offsetsValue.compactText) is not [begin, end] with 0 ≤ begin ≤ end")
            }
            guard Safetensors.byteCount(shape: shape, dtype: dtype) == offsets[1] - offsets[0] else {
                throw .sizeMismatch(name: name, shape: shape, dtype: dtype, bytes: offsets[1] - offsets[0])
            }
            self.name = name
            self.dtype = dtype
            self.shape = shape
            begin = offsets[0]
            end = offsets[1]
        }

        private static func field(_ key: String, of name: String, in fields: [JSONMember])
            throws(SafetensorsError) -> JSONValue
        {
            let matches = fields.filter { $0.key == key }
            guard matches.count == 1 else {
                throw .entryField(name: name, problem: matches.isEmpty ? "no '\(key)'" : "'\(key)' given twice")
            }
            return matches[0].value
        }

        private static func integers(_ values: [JSONValue]) -> [Int]? {
            let ints = values.compactMap(\.nonNegativeInteger)
            return ints.count == values.count ? ints : nil
        }
    }

    private static func metadata(_ value: JSONValue) throws(SafetensorsError) -> [(key: String, value: String)] {
        guard case let .object(members) = value else { throw .metadataNotStrings("it is \(value.kindName)") }
        var seen: Set<String> = []
        var pairs: [(key: String, value: String)] = []
        for member in members {
            let (key, value) = (member.key, member.value)
            guard seen.insert(key).inserted else { throw .metadataNotStrings("\(JSONWriter.quoted(key)) given twice") }
            guard case let .string(text) = value else {
                throw .metadataNotStrings("\(JSONWriter.quoted(key)) is \(value.kindName)")
            }
            pairs.append((key, text))
        }
        return pairs
    }

    /// The tensors, in offset order, must tile the data exactly: the first starts at 0, each starts where the
    /// previous ends, none runs past the data and the last ends where the data does.
    private static func checkLayout(_ entries: [Entry], dataBytes: Int) throws(SafetensorsError) {
        let ordered = entries.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var expected = 0
        var previous: Entry?
        for e in ordered {
            guard e.end <= dataBytes else { throw .offsetsPastEnd(name: e.name, end: e.end, dataBytes: dataBytes) }
            if e.begin < expected, let previous {
                throw .offsetsOverlap(name: e.name, begin: e.begin, previous: previous.name, previousEnd: expected)
            }
            guard e.begin == expected else { throw .offsetsGap(name: e.name, begin: e.begin, expected: expected) }
            expected = e.end
            previous = e
        }
        guard expected == dataBytes else { throw .dataNotCovered(covered: expected, dataBytes: dataBytes) }
    }
}
