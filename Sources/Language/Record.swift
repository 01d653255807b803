/// The fields of a record value, in insertion order (`{lr: 0.001, steps: 10}` prints in that order).
public struct Record: Equatable, Sequence {
    /// One `key: value` pair.
    public struct Field: Equatable {
        public var key: String
        public var value: Value
        public init(key: String, value: Value) {
            self.key = key
            self.value = value
        }
    }

    /// The fields, in insertion order.
    public private(set) var fields: [Field]

    /// An empty record.
    public init() { fields = [] }

    /// A record with these pairs in order; a repeated key keeps its first position and its last value.
    public init(_ pairs: [(String, Value)]) {
        fields = []
        for (key, value) in pairs { self[key] = value }
    }

    /// The keys, in insertion order.
    public var keys: [String] { fields.map(\.key) }
    /// Number of fields.
    public var count: Int { fields.count }

    /// The value for `key`; assigning replaces it in place or appends a new field, assigning nil removes it.
    public subscript(key: String) -> Value? {
        get { fields.first(where: { $0.key == key })?.value }
        set {
            if let index = fields.firstIndex(where: { $0.key == key }) {
                if let newValue { fields[index].value = newValue } else { fields.remove(at: index) }
            } else if let newValue {
                fields.append(Field(key: key, value: newValue))
            }
        }
    }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }
}
