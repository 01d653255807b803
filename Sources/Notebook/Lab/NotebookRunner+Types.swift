import Language

/// The lab types as the shell presents them: `:help TYPE` and completion after `x.`.
extension NotebookRunner {
    /// The members of a lab type with their docs (`:help PolicyModel`), nil if `name` is no lab type.
    public func typeHelp(_ name: String) -> String? { LabTypeID(named: name)?.help }

    /// Every lab type's name, in registry order.
    public static var typeNames: [String] { LabTypeID.allCases.map(\.rawValue) }

    /// `p.trained_steps`, `task.dim`, …: each member of each variable holding a lab value, so Tab completes `p.tr`.
    var memberCompletions: [String] {
        interpreter.globals.keys.sorted().flatMap { name -> [String] in
            guard case let .native(native)? = interpreter.globals[name] else { return [] }
            return native.memberNames.map { name + "." + $0 }
        }
    }
}
