import Language

/// The reference of every built-in a notebook can call, generated from the one built-in table: `rlhf builtins`
/// prints it, and the README's table is its Markdown form (a test keeps the two equal).
public enum BuiltinReference {
    /// One built-in: its signature line (`fit(_ rm: inout RewardModel, …)`) and its doc line.
    public struct Entry: Equatable, Sendable {
        public var name: String
        public var signature: String
        public var doc: String
    }

    /// The lab's built-ins in the order the lab declares them, then the core built-ins a lab built-in does not
    /// replace, in their declared order; an overloaded built-in has one entry per overload.
    public static var sections: [(title: String, entries: [Entry])] {
        let lab = LabBuiltins.all(LabState(seed: 0)).flatMap(entries)
        let labNames = Set(lab.map(\.name))
        let core = Builtins.core.flatMap(entries).filter { !labNames.contains($0.name) }
        return [("Lab", lab), ("Core", core)]
    }

    /// Each overload's signature line, rendered from its declaration (the one the binder checks arguments against).
    static func entries(_ builtin: Builtin) -> [Entry] {
        builtin.signatures.map { Entry(name: $0.name, signature: $0.line, doc: $0.doc) }
    }

    /// Markdown tables, one per section, for the README.
    public static var markdown: String {
        sections.map { section in
            "| \(section.title.lowercased()) built-in | what it does |\n|---|---|\n"
                + section.entries.map { "| `\(escape($0.signature))` | \(escape($0.doc)) |" }.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    /// Plain text for a terminal: each signature, its doc indented below it.
    public static var text: String {
        sections.map { section in
            "\(section.title) built-ins:\n"
                + section.entries.map { "  \($0.signature)\n      \($0.doc)" }.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    /// A `|` inside a table cell must be escaped, even inside a code span.
    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }
}
