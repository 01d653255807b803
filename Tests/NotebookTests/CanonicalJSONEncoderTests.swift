import Testing

@testable import Language
@testable import Notebook

/// What the canonical encoder writes, field kind by field kind: sorted keys, no spaces, Swift's `description` for
/// numbers (Foundation's `JSONEncoder` writes `Float(0.1)` as `0.10000000149011612` and `/` as `\/`), strings as
/// `Value.quotedText`, `UInt64` as a decimal string. Each row also decodes back to the value it encoded.
struct CanonicalSample: Codable, Equatable {
    var zeta: String = "a/b"
    var alpha: Float = 0.1
    var big: Float = 3.4028235e38
    var tiny: Double = 1e-07
    var whole: Double = 1
    var min: Int = .min
    var seed: UInt64 = .max
    var flag = true
    var none: Int? = nil
    var list: [UInt64] = [0, 1]
    var nested: [String: [Int]] = ["b": [2], "a": []]
}

@Test(arguments: [
    (
        CanonicalSample(),
        #"{"alpha":0.1,"big":3.4028235e+38,"flag":true,"list":["0","1"],"min":-9223372036854775808,"#
            + #""nested":{"a":[],"b":[2]},"seed":"18446744073709551615","tiny":1e-07,"whole":1.0,"zeta":"a/b"}"#
    ),
    (
        CanonicalSample(zeta: "quote \" back \\ nl \n tab \t é", alpha: -0.0, none: 3, nested: [:]),
        #"{"alpha":-0.0,"big":3.4028235e+38,"flag":true,"list":["0","1"],"min":-9223372036854775808,"nested":{},"#
            + #""none":3,"seed":"18446744073709551615","tiny":1e-07,"whole":1.0,"zeta":"quote \" back \\ nl \n tab \t é"}"#
    ),
])
func canonicalEncodingIsByteExactAndRoundTrips(_ sample: CanonicalSample, _ expected: String) throws {
    let json = try CanonicalJSONEncoder.encode(sample)
    #expect(json == expected)
    #expect(try StoredValueDecoder.decode(CanonicalSample.self, json: json) == sample)
}

/// Strings are quoted exactly as `Value.quotedText` quotes them, whatever they hold.
@Test(arguments: ["", "plain", "a/b", "\"", "\\", "\r\n", "\u{1}", "emoji 🙂", "tab\there"])
func stringsAreQuotedAsValueQuotesThem(_ text: String) throws {
    #expect(try CanonicalJSONEncoder.encode([text]) == "[" + Value.string(text).quotedText + "]")
}

/// The stored forms' own structs round-trip: decode(encode(x)) == x.
@Test func storedFormStructsRoundTrip() throws {
    let vector = VectorTaskType.Parameters(candidates: 64, dim: 8, noise: 1, prompts: 256, seed: 123, testPrompts: 200)
    #expect(
        try CanonicalJSONEncoder.encode(TypedBinding(type: "VectorTask", payload: vector))
            == #"{"$type":"VectorTask","candidates":64,"dim":8,"noise":1.0,"prompts":256,"seed":"123","test_prompts":200}"#
    )
    #expect(
        try StoredValueDecoder.decode(VectorTaskType.Parameters.self, json: try CanonicalJSONEncoder.encode(vector))
            == vector)
    let moderation = ModerationTaskType.Parameters(dim: 6, items: 40, noise: 0.25, seed: 7, testItems: 30)
    let moderationJSON = try CanonicalJSONEncoder.encode(moderation)
    #expect(try StoredValueDecoder.decode(ModerationTaskType.Parameters.self, json: moderationJSON) == moderation)
    let support = SupportTaskType.Parameters(conversations: 20, dim: 5, noise: 1e-3, seed: 9, testConversations: 10)
    let supportJSON = try CanonicalJSONEncoder.encode(support)
    #expect(try StoredValueDecoder.decode(SupportTaskType.Parameters.self, json: supportJSON) == support)
    let config = IntegerFields([("members", 2), ("input", 3), ("hidden", 2), ("member0.adam.step", 2)])
    #expect(try CanonicalJSONEncoder.encode(config) == config.json)
    #expect(config.json == #"{"hidden":2,"input":3,"member0.adam.step":2,"members":2}"#)
}
