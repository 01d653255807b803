/// The local variables of one function call. Top-level code has no scope: it reads and writes the
/// interpreter's `globals`. A function's scope's parent is the scope it was defined in, so closures see
/// (and may update) the variables of enclosing calls.
final class Scope {
    var values: [String: Value]
    let parent: Scope?

    init(parent: Scope?, values: [String: Value] = [:]) {
        self.parent = parent
        self.values = values
    }

    /// The scope in this chain that defines `name`, if any.
    func owner(of name: String) -> Scope? {
        var scope: Scope? = self
        while let current = scope {
            if current.values[name] != nil { return current }
            scope = current.parent
        }
        return nil
    }

    /// All names visible in this chain (for suggestions).
    var allNames: [String] {
        var names: [String] = []
        var scope: Scope? = self
        while let current = scope {
            names += current.values.keys
            scope = current.parent
        }
        return names
    }
}
