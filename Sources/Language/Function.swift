/// A callable value: a built-in, a method bound to a native, or a user `fn`. All are called the same way —
/// arguments are bound to a signature first (the first overload that admits them), then its body runs.
public final class Function {
    /// The overloads a call tries, in order; a user function has one.
    public let overloads: [Builtin.Overload]

    /// Creates a function value from a signature and a body.
    ///
    /// ```swift
    /// let x = Param.positional("x", .number)
    /// let twice = Function(signature: BuiltinSignature(name: "twice", parameters: [x.parameter],
    ///                                                  doc: "Doubles a number.")) { args, _ in
    ///     .double(try x(args) * 2)
    /// }
    /// ```
    public convenience init(signature: BuiltinSignature, body: @escaping (Arguments, CallContext) throws -> Value) {
        self.init(overloads: [Builtin.Overload(signature: signature, body: body)])
    }

    /// Creates a function value trying `overloads` in order (at least one).
    public init(overloads: [Builtin.Overload]) {
        self.overloads = overloads
    }

    /// The declaration help shows first (the only one, unless overloaded).
    public var signature: BuiltinSignature { overloads[0].signature }

    /// The function's name as written in messages (`fit`, or `<lambda>`).
    public var name: String { signature.name }

    /// Binds `passed` to the first overload that admits them. When none does, the error is that of the overload that
    /// admitted the most arguments (the first such), so `compare(sampling, policyModel, …)` says which argument
    /// does not fit the overload the call was evidently meant for; a note lists every overload.
    func bind(_ passed: [Arguments.Passed], at location: SourceLocation?) throws
        -> (Arguments, (Arguments, CallContext) throws -> Value)
    {
        var closest: Arguments.Failure?
        for overload in overloads {
            do {
                return (try Arguments(checking: passed, against: overload.signature, at: location), overload.body)
            } catch let failure as Arguments.Failure {
                if failure.admitted > closest?.admitted ?? -2 { closest = failure }
            }
        }
        guard var error = closest?.error else { throw RuntimeError("\(name)() has no declaration", at: location) }
        if overloads.count > 1, error.note == nil {
            let lines = overloads.map { "    " + $0.signature.line }
            error.note = "\(name)() is declared as:\n" + lines.joined(separator: "\n")
        }
        throw error
    }
}
