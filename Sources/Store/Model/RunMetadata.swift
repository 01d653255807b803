/// What the user says about a run (`rlhf run --name N --tag T --note TEXT`) and what rlhf records about where it ran.
///
/// ```swift
/// let run = try store.beginRun(
///     notebook: "nb.rlhf", source: text, parameters: "{}",
///     metadata: RunMetadata(name: "kl-0.1", tags: ["sweep"], environment: .init(...)))
/// ```
public struct RunMetadata: Sendable, Codable, Equatable {
    /// Unique among the store's runs; see ``checkName(_:)``.
    public var name: String?
    public var note: String?
    /// Sorted, each once.
    public var tags: [String]
    public var environment: RunEnvironment?
    /// The sweep point the run belongs to (`rlhf sweep` starts it so); nil otherwise.
    public var sweep: SweepMembership?
    /// The run this one replays (`rlhf replay`); nil for a run of its own.
    public var replayOf: Int64?

    public init(
        name: String? = nil, note: String? = nil, tags: [String] = [], environment: RunEnvironment? = nil,
        sweep: SweepMembership? = nil, replayOf: Int64? = nil
    ) {
        self.name = name
        self.note = note
        self.tags = Array(Set(tags)).sorted()
        self.environment = environment
        self.sweep = sweep
        self.replayOf = replayOf
    }

    static let maximumLength = 100

    /// Refuses a name a run cannot have: it must start with a letter (so it never reads as a run id) and hold only
    /// letters, digits, `-`, `_` and `.` (so it never reads as a `RUN/NAME@V` reference), at most 100 characters.
    public static func checkName(_ name: String) throws {
        if let reason = problem(name, what: "run name") { throw StoreError.badRunName(name, reason: reason) }
    }

    /// Refuses a tag: the same characters as a name (a tag may start with a digit), at most 100 characters.
    public static func checkTag(_ tag: String) throws {
        if let reason = problem(tag, what: "tag") { throw StoreError.badTag(tag, reason: reason) }
    }

    private static func problem(_ text: String, what: String) -> String? {
        guard let first = text.first else { return "a \(what) cannot be empty" }
        if text.count > maximumLength { return "longer than \(maximumLength) characters" }
        if what == "run name", !(first.isASCII && first.isLetter) { return "a run name starts with a letter" }
        if let bad = text.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber)) && !"-_.".contains($0) }) {
            return "contains '\(bad)' (use letters, digits, '-', '_' and '.')"
        }
        return nil
    }
}
