/// The table of built-in functions an interpreter knows. Hosts register their own (models, tasks, training)
/// next to the core ones; `:help`, completion and argument errors all read from here.
///
/// ```swift
/// let registry = BuiltinRegistry()
/// registry.register(Builtin("seed", [Param.positional("n", .int)], doc: "Seeds the RNG.") { _, _ in .nil })
/// print(registry.help("round") ?? "")
/// ```
public final class BuiltinRegistry {
    private var table: [String: Builtin] = [:]
    private var functions: [String: Function] = [:]

    /// A registry holding the core built-ins (`print`, `range`, `len`, …) unless `includeCore` is false.
    public init(includeCore: Bool = true) {
        if includeCore {
            for builtin in Builtins.core { register(builtin) }
        }
    }

    /// Adds a built-in, replacing any with the same name (overloads are declared together: `Builtin.overloaded`).
    public func register(_ builtin: Builtin) {
        table[builtin.signature.name] = builtin
        functions[builtin.signature.name] = builtin.function
    }

    /// The built-in called `name`, if registered.
    public func lookup(_ name: String) -> Builtin? { table[name] }

    /// The built-in as a callable value (the same `Function` object each time).
    public func function(named name: String) -> Function? { functions[name] }

    /// All built-ins, sorted by name.
    public var all: [Builtin] { table.values.sorted { $0.signature.name < $1.signature.name } }

    /// All names, sorted.
    public var names: [String] { table.keys.sorted() }

    /// The signature line and doc of each overload of `name`, for `:help name`; nil if unknown.
    public func help(_ name: String) -> String? {
        guard let builtin = table[name] else { return nil }
        return builtin.signatures.map { $0.line + "\n    " + $0.doc }.joined(separator: "\n")
    }
}
