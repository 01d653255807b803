/// What a parameter admits, as one value: the name help prints (`int`, `number | string`, `CandidateTask`), the noun
/// messages use (`an integer`), and the check the binder runs on every argument before a body sees it. Because help
/// text and check come from the same value, a printed signature cannot disagree with what a built-in accepts.
///
/// Typed declarations (`ArgumentType<Int>.int`) carry one of these; a host adds its own for its native values,
/// including capabilities (`CandidateTask`: any native conforming to a host protocol), without this module knowing
/// anything about them.
public struct ParameterType: Sendable, CustomStringConvertible {
    /// As signatures show it: `int`, `number | string`, `list of strings`, `PolicyModel`.
    public let name: String
    /// As messages say it: `an integer`, `a number or string`.
    public let noun: String
    /// Nil when `value` is admitted; otherwise what is wrong, as the end of `fit(): argument 'epochs' …`.
    private let complaint: @Sendable (Value) -> String?

    /// A type named `name` whose check is `complaint` (nil: admitted).
    public init(name: String, noun: String, complaint: @escaping @Sendable (Value) -> String?) {
        self.name = name
        self.noun = noun
        self.complaint = complaint
    }

    /// Nil when `value` is admitted, else the message: `must be an integer, got string`.
    public func complaint(about value: Value) -> String? { complaint(value) }

    /// Whether `value` is admitted.
    public func admits(_ value: Value) -> Bool { complaint(value) == nil }

    public var description: String { name }

    /// The message for a value of the wrong type: `must be an integer, got string` (a fractional number is quoted, so
    /// `2.5` reads as the reason it is not an integer).
    public static func mismatch(_ noun: String, _ value: Value) -> String {
        var got = value.typeName
        if case .double = value, noun == "an integer" { got = value.displayText }
        return "must be \(noun), got \(got)"
    }

    /// `a` or `an` before `word`, as messages need it (`an Annotator`, `a PolicyModel`).
    public static func article(_ word: String) -> String {
        ("AEIOUaeiou".contains(word.prefix(1)) ? "an " : "a ") + word
    }

    /// Admits any value.
    public static let any = ParameterType(name: "any", noun: "any value") { _ in nil }

    /// Admits what any of `types` admits: `number | string`, said `a number or string`.
    public static func union(_ types: [ParameterType]) -> ParameterType {
        let nouns = types.enumerated().map { i, type in i == 0 ? type.noun : withoutArticle(type.noun) }
        let noun =
            nouns.count < 2
            ? nouns.joined() : nouns.dropLast().joined(separator: ", ") + " or " + nouns[nouns.count - 1]
        return ParameterType(name: types.map(\.name).joined(separator: " | "), noun: noun) { value in
            types.contains { $0.admits(value) } ? nil : mismatch(noun, value)
        }
    }

    private static func withoutArticle(_ noun: String) -> String {
        for article in ["a ", "an "] where noun.hasPrefix(article) { return String(noun.dropFirst(article.count)) }
        return noun
    }
}
