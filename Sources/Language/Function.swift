/// A callable value: a built-in, a method bound to a native, or a user `fn`. All are called the same way —
/// arguments are bound to `signature` first, then `body` runs.
public final class Function {
    /// The declaration that arguments are bound against (and that `:help` shows).
    public let signature: BuiltinSignature
    let body: (Arguments, CallContext) throws -> Value

    /// Creates a function value from a signature and a body.
    ///
    /// ```swift
    /// let twice = Function(signature: BuiltinSignature(name: "twice", parameters: [.positional("x", type: "number")],
    ///                                                  doc: "Doubles a number.")) { args, _ in
    ///     .double(try args.double("x") * 2)
    /// }
    /// ```
    public init(signature: BuiltinSignature, body: @escaping (Arguments, CallContext) throws -> Value) {
        self.signature = signature
        self.body = body
    }

    /// The function's name as written in messages (`fit`, or `<lambda>`).
    public var name: String { signature.name }
}
