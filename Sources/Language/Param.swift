/// Anything a signature lists as a parameter: a typed `Param` or an erased `Parameter`.
public protocol ParameterDeclaration {
    /// The erased declaration binding, messages and help read.
    var parameter: Parameter { get }
}

extension Parameter: ParameterDeclaration {
    public var parameter: Parameter { self }
}

/// A built-in's parameter declared once, in the spirit of swift-argument-parser: the declaration is the signature's
/// entry (name, label, type, default, range — what `:help` and `rlhf builtins` print), the binder's check, and the
/// typed accessor the body reads it with.
///
/// ```swift
/// let epochs = Param.labelled("epochs", .int, default: 10, in: .integer(1...100_000))
/// Builtin("fit", [rm, prefs, epochs], doc: "…") { args, _ in
///     let n = try epochs(args)        // an Int: the binder has refused anything else, and anything out of range
///     …
/// }
/// ```
public struct Param<Output>: ParameterDeclaration {
    public let parameter: Parameter
    private let read: (Value) -> ArgumentType<Output>.Conversion

    private init(_ parameter: Parameter, read: @escaping (Value) -> ArgumentType<Output>.Conversion) {
        self.parameter = parameter
        self.read = read
    }

    private init(_ parameter: Parameter, _ type: ArgumentType<Output>) {
        self.init(parameter) { type.convert($0) }
    }

    /// The parameter's name, as bodies and messages use it.
    public var name: String { parameter.name }

    /// The bound argument, as `Output`. Binding has already checked it, so this fails only if a host hands `Arguments`
    /// bound to another signature.
    public func callAsFunction(_ args: Arguments) throws -> Output {
        let value = try args.value(parameter.name)
        switch read(value) {
        case .admitted(let output): return output
        case .refused(let message):
            throw args.error(parameter.name, message ?? ParameterType.mismatch(parameter.type.noun, value))
        }
    }

    /// An error located at this argument: `fit(): argument 'epochs' must be positive`.
    public func error(_ args: Arguments, _ message: String) -> RuntimeError { args.error(parameter.name, message) }

    /// Whether the caller wrote this argument (rather than getting the default).
    public func isPassed(_ args: Arguments) -> Bool { args.isPassed(parameter.name) }

    /// The variable the caller passed, if the argument was a bare variable (`rm` in `fit(rm, prefs)`).
    public func variable(_ args: Arguments) -> String? { args.variableName(parameter.name) }

    // MARK: - Declarations

    /// A positional parameter: `sqrt(x)` → `.positional("x", .number)`.
    public static func positional(
        _ name: String, _ type: ArgumentType<Output>, default defaultValue: Value? = nil,
        in range: ValidRange? = nil
    ) -> Param {
        Param(Parameter(label: nil, name: name, type: type.type, defaultValue: defaultValue, range: range), type)
    }

    /// A labelled parameter whose label is its name: `fit(…, epochs: 3)` →
    /// `.labelled("epochs", .int, default: 10)`.
    public static func labelled(
        _ name: String, _ type: ArgumentType<Output>, default defaultValue: Value? = nil,
        in range: ValidRange? = nil
    ) -> Param {
        Param(Parameter(label: name, name: name, type: type.type, defaultValue: defaultValue, range: range), type)
    }

    /// A positional parameter updated in place: the caller must pass a variable, which `assign` sets when the call
    /// returns (`fit(rm, prefs)` trains `rm` itself).
    public static func inPlace(_ name: String, _ type: ArgumentType<Output>) -> Param {
        var parameter = Parameter(label: nil, name: name, type: type.type)
        parameter.isInout = true
        return Param(parameter, type)
    }

    /// Hands back the new value of this in-place parameter; the interpreter assigns it to the caller's variable.
    public func assign(_ value: Value, in args: Arguments) {
        args.update(parameter.name, value)
    }

    /// An optional labelled parameter (default `nil`): `policy: PolicyModel = nil` reads as a `PolicyModel?`.
    public static func optional<Wrapped>(
        _ name: String, _ type: ArgumentType<Wrapped>, positional: Bool = false,
        in range: ValidRange? = nil
    ) -> Param where Output == Wrapped? {
        let parameter = Parameter(
            label: positional ? nil : name, name: name, type: type.type, defaultValue: .nil, range: range)
        return Param(parameter) { value in
            if value.isNil { return .admitted(nil) }
            switch type.convert(value) {
            case .admitted(let wrapped): return .admitted(wrapped)
            case .refused(let message): return .refused(message)
            }
        }
    }

    /// A variadic positional parameter collecting the remaining positional arguments, each of `type`.
    public static func variadic<Element>(_ name: String, _ type: ArgumentType<Element>) -> Param
    where Output == [Element] {
        let parameter = Parameter(label: nil, name: name, type: type.type, defaultValue: nil, variadic: true)
        return Param(parameter) { value in
            var elements: [Element] = []
            for element in value.listValue ?? [] {
                switch type.convert(element) {
                case .admitted(let converted): elements.append(converted)
                case .refused(let message): return .refused(message)
                }
            }
            return .admitted(elements)
        }
    }
}
