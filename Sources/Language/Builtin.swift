/// A built-in function: its declaration and its Swift body.
///
/// ```swift
/// Builtin("sqrt", [.positional("x", type: "number")], doc: "Square root.") { args, _ in
///     .double(try args.double("x").squareRoot())
/// }
/// ```
public struct Builtin {
    /// Name, parameters and documentation.
    public var signature: BuiltinSignature
    /// Runs the built-in with arguments already bound to `signature`.
    public var body: (Arguments, CallContext) throws -> Value

    /// Creates a built-in from a signature and a body.
    public init(signature: BuiltinSignature, body: @escaping (Arguments, CallContext) throws -> Value) {
        self.signature = signature
        self.body = body
    }

    /// Creates a built-in from its name, parameters and doc line.
    public init(_ name: String, _ parameters: [Parameter], doc: String,
                body: @escaping (Arguments, CallContext) throws -> Value) {
        self.init(signature: BuiltinSignature(name: name, parameters: parameters, doc: doc), body: body)
    }

    /// The built-in as a callable value.
    public var function: Function { Function(signature: signature, body: body) }
}
