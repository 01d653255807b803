/// The declaration of a callable: its name, parameters and one-line documentation.
///
/// The same declaration drives argument binding, error messages, `:help` and completion.
public struct BuiltinSignature {
    /// The name it is called by (`fit`), or a method name for natives' members.
    public var name: String
    /// The parameters, in declaration order.
    public var parameters: [Parameter]
    /// A one-line description (more lines allowed) shown by `:help`.
    public var doc: String

    /// Creates a signature.
    public init(name: String, parameters: [Parameter], doc: String) {
        self.name = name
        self.parameters = parameters
        self.doc = doc
    }

    /// `round(_ x: number, digits: int = 0)`.
    public var line: String {
        "\(name)(" + parameters.map(\.helpText).joined(separator: ", ") + ")"
    }

    /// The labels callers may write, for completion and suggestions.
    public var labels: [String] { parameters.compactMap(\.label) }
}
