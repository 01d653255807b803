import Language

/// Encodes a `Codable` stored form as the exact JSON text the store has always written, so commit hashes do not
/// change: object keys sorted with Swift's `<`, no whitespace, numbers as Swift's `description` prints them (`1.0`,
/// `0.05`, `64`), strings quoted as `Value.quotedText` quotes them, and `UInt64` (seeds, generator words) as a decimal
/// string, which no JSON reader rounds. Foundation's `JSONEncoder` prints `Float` through `Double` and escapes `/`.
/// The encoder itself never throws: a non-finite number is written as Swift prints it (`inf`), exactly as the
/// hand-built strings before it did, and the reader then refuses that binding by name.
///
/// ```swift
/// try CanonicalJSONEncoder.encode(VectorTaskType.Parameters(...))  // {"candidates":64,"dim":8,...,"seed":"123",...}
/// ```
enum CanonicalJSONEncoder {
    static func encode(_ value: some Encodable) throws -> String {
        let root = JSONNode()
        try value.encode(to: NodeEncoder(node: root, codingPath: []))
        return root.text
    }

    /// `{"adam.step":500,"hidden":64}`: integer fields as `encode` writes them, for callers that cannot throw.
    static func object(integers fields: [(key: String, value: Int)]) -> String {
        let root = JSONNode()
        root.makeObject()
        for field in fields {
            let child = JSONNode()
            child.content = .scalar(field.value.description)
            root.set(field.key, child)
        }
        return root.text
    }
}

/// One JSON value being built. A class, so every container handed out for it writes into the same place.
private final class JSONNode {
    enum Content {
        case empty
        /// A number, `true`, `false`, `null` or an already quoted string.
        case scalar(String)
        case array([JSONNode])
        case object([String: JSONNode])
    }
    var content = Content.empty

    /// The JSON text; a value that encoded nothing is `null`.
    var text: String {
        switch content {
        case .empty:
            return "null"
        case let .scalar(text):
            return text
        case let .array(items):
            return "[" + items.map(\.text).joined(separator: ",") + "]"
        case let .object(fields):
            let pairs = fields.keys.sorted().map { key in
                Value.string(key).quotedText + ":" + (fields[key]?.text ?? "null")
            }
            return "{" + pairs.joined(separator: ",") + "}"
        }
    }

    /// Makes this node an object (keeping fields already written, so a wrapper can add `$type` to its payload's).
    func makeObject() {
        if case .object = content { return }
        content = .object([:])
    }

    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }

    func set(_ key: String, _ child: JSONNode) {
        guard case var .object(fields) = content else { return }
        fields[key] = child
        content = .object(fields)
    }

    func append(_ child: JSONNode) {
        guard case var .array(items) = content else { return }
        items.append(child)
        content = .array(items)
    }

    var count: Int {
        if case let .array(items) = content { return items.count }
        return 0
    }
}

private struct NodeEncoder: Encoder {
    let node: JSONNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedNodeContainer(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedNodeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleNodeContainer(node: node, codingPath: codingPath)
    }
}

/// An index key for error paths inside arrays.
private struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONNode
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { try encode(Optional<Int>.none, forKey: key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let child = JSONNode()
        try value.encode(to: NodeEncoder(node: child, codingPath: codingPath + [key]))
        node.set(key.stringValue, child)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = JSONNode()
        node.set(key.stringValue, child)
        return NodeEncoder(node: child, codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = JSONNode()
        node.set(key.stringValue, child)
        return NodeEncoder(node: child, codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { NodeEncoder(node: node, codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = JSONNode()
        node.set(key.stringValue, child)
        return NodeEncoder(node: child, codingPath: codingPath + [key])
    }
}

private struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let node: JSONNode
    let codingPath: [any CodingKey]
    var count: Int { node.count }

    private func nextChild() -> (JSONNode, [any CodingKey]) {
        let child = JSONNode()
        let path = codingPath + [IndexKey(intValue: node.count)]
        node.append(child)
        return (child, path)
    }

    mutating func encodeNil() throws { try encode(Optional<Int>.none) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let (child, path) = nextChild()
        try value.encode(to: NodeEncoder(node: child, codingPath: path))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let (child, path) = nextChild()
        return NodeEncoder(node: child, codingPath: path).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let (child, path) = nextChild()
        return NodeEncoder(node: child, codingPath: path).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let (child, path) = nextChild()
        return NodeEncoder(node: child, codingPath: path)
    }
}

private struct SingleNodeContainer: SingleValueEncodingContainer {
    let node: JSONNode
    let codingPath: [any CodingKey]

    private func put(_ text: String) { node.content = .scalar(text) }

    /// JSON has no NaN or infinity: a non-finite number comes out as Swift prints it (`inf`), which no reader
    /// accepts, as it always has; plain values that may be non-finite are written as `{"$double":"nan"}` instead.
    private func number<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F) { put(value.description) }

    mutating func encodeNil() throws { put("null") }
    mutating func encode(_ value: Bool) throws { put(value ? "true" : "false") }
    mutating func encode(_ value: String) throws { put(Value.string(value).quotedText) }
    mutating func encode(_ value: Double) throws { number(value) }
    mutating func encode(_ value: Float) throws { number(value) }
    mutating func encode(_ value: Int) throws { put(value.description) }
    mutating func encode(_ value: Int8) throws { put(value.description) }
    mutating func encode(_ value: Int16) throws { put(value.description) }
    mutating func encode(_ value: Int32) throws { put(value.description) }
    mutating func encode(_ value: Int64) throws { put(value.description) }
    mutating func encode(_ value: UInt) throws { put(value.description) }
    mutating func encode(_ value: UInt8) throws { put(value.description) }
    mutating func encode(_ value: UInt16) throws { put(value.description) }
    mutating func encode(_ value: UInt32) throws { put(value.description) }
    /// Seeds and generator words use all 64 bits, more than a double (and so many JSON readers) holds exactly.
    mutating func encode(_ value: UInt64) throws { put("\"\(value)\"") }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
    }
}
