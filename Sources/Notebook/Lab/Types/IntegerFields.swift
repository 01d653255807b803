/// A JSON object of integers in a fixed order, `{"adam.step":500,"hidden":64}`: a checkpoint's config (architecture
/// and optimiser counters) and a dataset's (`{"dim":8}`). `Codable`; written with sorted keys like every stored form.
struct IntegerFields: Codable, Equatable {
    var fields: [(key: String, value: Int)]

    init(_ fields: [(key: String, value: Int)]) { self.fields = fields }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: FieldKey.self)
        for field in fields { try container.encode(field.value, forKey: FieldKey(field.key)) }
    }

    /// Fields in the order the JSON lists them; a field that is not an integer is a `DecodingError`.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: FieldKey.self)
        fields = try container.allKeys.map { ($0.stringValue, try container.decode(Int.self, forKey: $0)) }
    }

    /// What `CanonicalJSONEncoder.encode(self)` writes, for callers that cannot throw.
    var json: String { CanonicalJSONEncoder.object(integers: fields) }

    static func == (a: IntegerFields, b: IntegerFields) -> Bool { a.fields.elementsEqual(b.fields) { $0 == $1 } }
}
