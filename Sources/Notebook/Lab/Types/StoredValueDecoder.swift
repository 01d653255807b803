import Language

/// Decodes a `Codable` stored form from JSON read by `Value(json:)` (the reader that keeps record order and tells
/// `1` from `1.0`). It reads what `CanonicalJSONEncoder` writes: `UInt64` from a decimal string, `Float` through
/// `Double` (as the store's readers always have, so a restored task is bitwise the task that was stored), and it
/// ignores keys a form does not declare, such as `$type`.
///
/// ```swift
/// let task = try StoredValueDecoder.decode(VectorTaskType.Parameters.self, from: Value(json: text)!)
/// ```
enum StoredValueDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from value: Value) throws -> T {
        try T(from: ValueDecoder(value: value, codingPath: []))
    }

    /// Decodes JSON text; a text that is not JSON is a `DecodingError.dataCorrupted`.
    static func decode<T: Decodable>(_ type: T.Type, json: String) throws -> T {
        guard let value = Value(json: json) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not JSON: \(json)"))
        }
        return try decode(type, from: value)
    }
}

/// The key of a field whose name is only known when decoding (a checkpoint's config).
struct FieldKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

private struct ValueDecoder: Decoder {
    let value: Value
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case let .record(record) = value else { throw mismatch(Record.self, "an object", value, codingPath) }
        return KeyedDecodingContainer(KeyedValueContainer(record: record, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case let .list(items) = value else { throw mismatch([Value].self, "a list", value, codingPath) }
        return UnkeyedValueContainer(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(value: value, codingPath: codingPath)
    }
}

/// `typeMismatch` naming what was expected and what the JSON held.
private func mismatch(_ type: Any.Type, _ expected: String, _ value: Value, _ path: [any CodingKey]) -> DecodingError {
    .typeMismatch(type, .init(codingPath: path, debugDescription: "expected \(expected), found \(value.quotedText)"))
}

private struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

private struct KeyedValueContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let record: Record
    let codingPath: [any CodingKey]

    /// In the order the JSON lists them.
    var allKeys: [Key] { record.fields.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { record.fields.contains { $0.key == key.stringValue } }

    private func field(_ key: Key) throws -> Value {
        guard let value = record.fields.first(where: { $0.key == key.stringValue })?.value else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "no '\(key.stringValue)'"))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .nil = try field(key) { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try T(from: ValueDecoder(value: try field(key), codingPath: codingPath + [key]))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try ValueDecoder(value: try field(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(value: try field(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { ValueDecoder(value: .record(record), codingPath: codingPath) }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: try field(key), codingPath: codingPath + [key])
    }
}

private struct UnkeyedValueContainer: UnkeyedDecodingContainer {
    let items: [Value]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(items: [Value], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> ValueDecoder {
        let path = codingPath + [IndexKey(intValue: currentIndex)]
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Value.self, .init(codingPath: path, debugDescription: "list too short"))
        }
        defer { currentIndex += 1 }
        return ValueDecoder(value: items[currentIndex], codingPath: path)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, case .nil = items[currentIndex] else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: try next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let value: Value
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool {
        if case .nil = value { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case let .bool(flag) = value else { throw mismatch(type, "true or false", value, codingPath) }
        return flag
    }

    func decode(_ type: String.Type) throws -> String {
        guard case let .string(text) = value else { throw mismatch(type, "a string", value, codingPath) }
        return text
    }

    func decode(_ type: Double.Type) throws -> Double {
        guard let number = value.doubleValue else { throw mismatch(type, "a number", value, codingPath) }
        return number
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    private func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        guard case let .int(n) = value, let exact = I(exactly: n) else {
            throw mismatch(type, "an integer", value, codingPath)
        }
        return exact
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }

    /// The encoder writes `UInt64` as a decimal string.
    func decode(_ type: UInt64.Type) throws -> UInt64 {
        guard case let .string(text) = value, let number = UInt64(text) else {
            throw mismatch(type, "a decimal string", value, codingPath)
        }
        return number
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: ValueDecoder(value: value, codingPath: codingPath))
    }
}
