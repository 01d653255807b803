/// The arguments of one call, bound to the callee's parameters by name, with typed accessors whose errors
/// name the function, the argument and what was passed:
/// `fit(): argument 'epochs' must be a number, got string`.
public struct Arguments {
    /// One argument as written at the call site, before binding.
    public struct Passed {
        public var label: String?
        public var value: Value
        public var location: SourceLocation?
        public var length: Int
        /// The variable the caller wrote, when the argument is a bare variable (needed for in-place parameters).
        public var variable: String?
        public init(label: String?, value: Value, location: SourceLocation? = nil, length: Int = 1, variable: String? = nil) {
            self.label = label
            self.value = value
            self.location = location
            self.length = length
            self.variable = variable
        }
    }

    /// New values of in-place parameters, set by the body and assigned back to the caller's variables.
    final class Updates {
        var values: [(parameter: String, value: Value)] = []
    }

    /// The signature the arguments were bound to.
    public let signature: BuiltinSignature
    /// Where the call is (the opening parenthesis).
    public let callLocation: SourceLocation?
    private var values: [String: Value] = [:]
    private var locations: [String: (SourceLocation, Int)] = [:]
    private var explicitlyPassed: Set<String> = []
    private var variables: [String: String] = [:]
    let updates = Updates()

    /// Binds `passed` to `signature`: labelled arguments by label, positional ones to the unlabelled parameters
    /// in order (a variadic parameter takes all the rest), then defaults.
    ///
    /// - Throws: `RuntimeError` for an unknown label (with a suggestion), a missing required argument, or too
    ///   many positional arguments.
    public init(binding passed: [Passed], to signature: BuiltinSignature, at callLocation: SourceLocation?) throws {
        self.signature = signature
        self.callLocation = callLocation
        let callee = "\(signature.name)()"
        let positionalParameters = signature.parameters.filter { $0.label == nil }
        var nextPositional = 0
        var variadicValues: [Value]?
        for argument in passed {
            if let label = argument.label {
                guard let parameter = signature.parameters.first(where: { $0.label == label }) else {
                    if signature.parameters.contains(where: { $0.label == nil && $0.name == label }) {
                        throw RuntimeError("argument '\(label)' of \(callee) is positional; pass it without a label",
                                           at: argument.location, length: argument.length)
                    }
                    throw RuntimeError(
                        "unknown argument '\(label)' to \(callee)" + Diagnostic.didYouMean(label, among: signature.labels),
                        at: argument.location, length: argument.length,
                        note: signature.labels.isEmpty ? nil : "\(signature.line)")
                }
                bind(parameter.name, argument)
                continue
            }
            guard nextPositional < positionalParameters.count else {
                let expected = positionalParameters.count
                let given = passed.filter { $0.label == nil }.count
                throw RuntimeError(
                    "too many arguments to \(callee): expected \(expected) positional, got \(given)",
                    at: argument.location, length: argument.length, note: signature.line)
            }
            let parameter = positionalParameters[nextPositional]
            if parameter.variadic {
                if variadicValues == nil { bind(parameter.name, argument) }
                variadicValues = (variadicValues ?? []) + [argument.value]
                values[parameter.name] = .list(variadicValues ?? [])
            } else {
                bind(parameter.name, argument)
                nextPositional += 1
            }
        }
        for parameter in signature.parameters where values[parameter.name] == nil {
            if parameter.variadic {
                values[parameter.name] = .list([])
            } else if let defaultValue = parameter.defaultValue {
                values[parameter.name] = defaultValue
            } else {
                let how = parameter.label == nil ? "" : " (label '\(parameter.label ?? "")')"
                throw RuntimeError("missing argument '\(parameter.name)'\(how) in call to \(callee)",
                                   at: callLocation, note: signature.line)
            }
        }
        try checkInoutArguments()
    }

    private mutating func bind(_ name: String, _ argument: Passed) {
        values[name] = argument.value
        explicitlyPassed.insert(name)
        if let location = argument.location { locations[name] = (location, argument.length) }
        if let variable = argument.variable { variables[name] = variable }
    }

    /// Refuses an in-place parameter whose argument is not a variable, before the body does any work.
    private func checkInoutArguments() throws {
        for parameter in signature.parameters where parameter.isInout && variables[parameter.name] == nil {
            let at = locations[parameter.name]
            throw RuntimeError(
                "argument '\(parameter.name)' of \(signature.name)() must be a variable: \(signature.name)() updates it in place",
                at: at?.0 ?? callLocation, length: at?.1 ?? 1)
        }
    }

    /// The variable the caller passed for parameter `name`, if it was a bare variable.
    public func variableName(_ name: String) -> String? { variables[name] }

    /// Hands back the new value of an in-place parameter; the interpreter assigns it to the caller's variable
    /// when the call returns.
    public func update(_ name: String, _ value: Value) {
        updates.values.append((name, value))
    }

    // MARK: - Accessors

    /// Whether the caller wrote this argument (rather than getting the default).
    public func isPassed(_ name: String) -> Bool { explicitlyPassed.contains(name) }

    /// The bound value of parameter `name` (after defaults).
    public func value(_ name: String) throws -> Value {
        guard let value = values[name] else {
            throw RuntimeError("\(signature.name)() has no parameter '\(name)'", at: callLocation)
        }
        return value
    }

    /// The value, or nil if it is the language's `nil` (for optional parameters).
    public func optional(_ name: String) throws -> Value? {
        let value = try value(name)
        return value.isNil ? nil : value
    }

    /// A number (ints convert).
    public func double(_ name: String) throws -> Double { try typed(name, "a number") { $0.doubleValue } }

    /// An integer (a double with an integral value is accepted).
    public func int(_ name: String) throws -> Int { try typed(name, "an integer") { $0.intValue } }

    /// A string.
    public func string(_ name: String) throws -> String { try typed(name, "a string") { $0.stringValue } }

    /// A bool.
    public func bool(_ name: String) throws -> Bool { try typed(name, "a bool") { $0.boolValue } }

    /// A list (for a variadic parameter: all the values it collected).
    public func list(_ name: String) throws -> [Value] { try typed(name, "a list") { $0.listValue } }

    /// A record.
    public func record(_ name: String) throws -> Record { try typed(name, "a record") { $0.recordValue } }

    /// A function value (built-in, method or `fn`).
    public func function(_ name: String) throws -> Function {
        try typed(name, "a function") { if case .function(let f) = $0 { f } else { nil } }
    }

    /// The argument `name` as what `extract` finds in it, or an error saying it must be `what`.
    private func typed<T>(_ name: String, _ what: String, _ extract: (Value) -> T?) throws -> T {
        let value = try value(name)
        guard let typed = extract(value) else { throw mismatch(name, what, value) }
        return typed
    }

    /// A native value of Swift type `T`: `try args.native("model", as: PolicyModel.self)`.
    public func native<T>(_ name: String, as type: T.Type, typeName: String? = nil) throws -> T {
        let value = try value(name)
        guard case .native(let native) = value, let typed = native as? T else {
            let type = typeName ?? String(describing: T.self)
            throw mismatch(name, ("AEIOU".contains(type.prefix(1)) ? "an " : "a ") + type, value)
        }
        return typed
    }

    /// An error located at argument `name` (or the call): `fit(): argument 'epochs' must be positive`.
    public func error(_ name: String, _ message: String) -> RuntimeError {
        let site = locations[name]
        return RuntimeError("\(signature.name)(): argument '\(name)' \(message)", at: site?.0 ?? callLocation,
                            length: site?.1 ?? 1)
    }

    private func mismatch(_ name: String, _ expected: String, _ value: Value) -> RuntimeError {
        var got = value.typeName
        if case .double = value, expected == "an integer" { got = "\(value.displayText)" }
        return error(name, "must be \(expected), got \(got)")
    }
}
