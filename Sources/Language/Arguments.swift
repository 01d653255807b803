/// The arguments of one call, bound to the callee's parameters by name. Binding checks every argument against its
/// parameter's declared type and range before the body runs, with errors that name the function, the argument and
/// what was passed: `fit(): argument 'epochs' must be an integer, got string`. Bodies read arguments through their
/// typed `Param` declarations.
public struct Arguments {
    /// One argument as written at the call site, before binding.
    public struct Passed {
        public var label: String?
        public var value: Value
        public var location: SourceLocation?
        public var length: Int
        /// The variable the caller wrote, when the argument is a bare variable (needed for in-place parameters).
        public var variable: String?
        /// The element the caller wrote, when the argument is a list element or record field of a variable
        /// (`ps[0]`, `runs.best`): an in-place parameter updates it there, and is named by it.
        public var path: String?
        public init(
            label: String?, value: Value, location: SourceLocation? = nil, length: Int = 1, variable: String? = nil,
            path: String? = nil
        ) {
            self.label = label
            self.value = value
            self.location = location
            self.length = length
            self.variable = variable
            self.path = path
        }
    }

    /// New values of in-place parameters, set by the body and assigned back to the caller's variables.
    final class Updates {
        var values: [(parameter: String, value: Value)] = []
    }

    /// Why arguments did not bind to one signature, and how far they got: among overloads, the error of the one
    /// that admitted the most arguments is the one reported.
    struct Failure: Error {
        var error: RuntimeError
        /// Parameters whose arguments were admitted before the failure; -1 when the call's shape (labels, count)
        /// did not fit, before any type was checked.
        var admitted: Int
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
    /// in order (a variadic parameter takes all the rest), then defaults; then checks each argument against its
    /// parameter's type and range.
    ///
    /// - Throws: `RuntimeError` for an unknown label (with a suggestion), a missing required argument, too many
    ///   positional arguments, an in-place argument that is not a variable, or an argument its parameter does not
    ///   admit.
    public init(binding passed: [Passed], to signature: BuiltinSignature, at callLocation: SourceLocation?) throws {
        do {
            try self.init(checking: passed, against: signature, at: callLocation)
        } catch let failure as Failure {
            throw failure.error
        }
    }

    /// Like `init(binding:to:at:)`, throwing a `Failure` that says how far binding got.
    init(checking passed: [Passed], against signature: BuiltinSignature, at callLocation: SourceLocation?) throws {
        self.signature = signature
        self.callLocation = callLocation
        do {
            try bindShape(passed)
            try checkInoutArguments()
        } catch let error as RuntimeError {
            throw Failure(error: error, admitted: -1)
        }
        try checkTypes()
    }

    private mutating func bindShape(_ passed: [Passed]) throws {
        let callee = "\(signature.name)()"
        let positionalParameters = signature.parameters.filter { $0.label == nil }
        var nextPositional = 0
        var variadicValues: [Value]?
        for argument in passed {
            if let label = argument.label {
                guard let parameter = signature.parameters.first(where: { $0.label == label }) else {
                    if signature.parameters.contains(where: { $0.label == nil && $0.name == label }) {
                        throw RuntimeError(
                            "argument '\(label)' of \(callee) is positional; pass it without a label",
                            at: argument.location, length: argument.length)
                    }
                    throw RuntimeError(
                        "unknown argument '\(label)' to \(callee)"
                            + Diagnostic.didYouMean(label, among: signature.labels),
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
                throw RuntimeError(
                    "missing argument '\(parameter.name)'\(how) in call to \(callee)",
                    at: callLocation, note: signature.line)
            }
        }
    }

    /// Refuses, in declaration order, the first argument its parameter does not admit (a variadic parameter checks
    /// each value it collected). Defaults are the declaration's own and are not checked here.
    private func checkTypes() throws {
        for (index, parameter) in signature.parameters.enumerated() where explicitlyPassed.contains(parameter.name) {
            let value = values[parameter.name] ?? .nil
            for element in parameter.variadic ? value.listValue ?? [] : [value] {
                if let complaint = parameter.complaint(about: element) {
                    throw Failure(error: error(parameter.name, complaint), admitted: index)
                }
            }
        }
    }

    private mutating func bind(_ name: String, _ argument: Passed) {
        values[name] = argument.value
        explicitlyPassed.insert(name)
        if let location = argument.location { locations[name] = (location, argument.length) }
        if let variable = argument.variable {
            variables[name] = variable
        } else if let path = argument.path, signature.parameters.contains(where: { $0.name == name && $0.isInout }) {
            // Only an in-place parameter is named by an element path: other parameters read as before.
            variables[name] = path
        }
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

    /// An error located at argument `name` (or the call): `fit(): argument 'epochs' must be positive`.
    public func error(_ name: String, _ message: String) -> RuntimeError {
        let site = locations[name]
        return RuntimeError(
            "\(signature.name)(): argument '\(name)' \(message)", at: site?.0 ?? callLocation,
            length: site?.1 ?? 1)
    }

}
