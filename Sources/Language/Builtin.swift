/// A built-in function: one or more overloads, each a declaration and its Swift body. A call binds to the first
/// overload whose parameters admit its arguments; `:help` and `rlhf builtins` list every overload.
///
/// ```swift
/// let x = Param.positional("x", .number)
/// Builtin("sqrt", [x], doc: "Square root.") { args, _ in .double(try x(args).squareRoot()) }
/// ```
public struct Builtin {
    /// One declaration and the body that runs when a call binds to it.
    public struct Overload {
        /// Name, parameters and documentation.
        public var signature: BuiltinSignature
        /// Runs with arguments already bound to `signature` (so already checked against its types).
        public var body: (Arguments, CallContext) throws -> Value
    }

    /// The overloads, in the order calls try them.
    public private(set) var overloads: [Overload]

    /// Creates a built-in from a signature and a body.
    public init(signature: BuiltinSignature, body: @escaping (Arguments, CallContext) throws -> Value) {
        overloads = [Overload(signature: signature, body: body)]
    }

    /// Creates a built-in from its name, parameter declarations and doc line.
    public init(
        _ name: String, _ parameters: [any ParameterDeclaration], doc: String,
        body: @escaping (Arguments, CallContext) throws -> Value
    ) {
        let signature = BuiltinSignature(name: name, parameters: parameters.map(\.parameter), doc: doc)
        self.init(signature: signature, body: body)
    }

    /// One built-in whose overloads are those of `builtins`, in order (all must have the same name): `evaluate` of
    /// one policy, and `evaluate` of two.
    public static func overloaded(_ builtins: [Builtin]) -> Builtin {
        var merged = builtins[0]
        merged.overloads = builtins.flatMap(\.overloads)
        return merged
    }

    /// The first overload's signature (the only one, for most built-ins).
    public var signature: BuiltinSignature { overloads[0].signature }

    /// Every overload's signature, in order.
    public var signatures: [BuiltinSignature] { overloads.map(\.signature) }

    /// The built-in as a callable value.
    public var function: Function { Function(overloads: overloads) }
}
