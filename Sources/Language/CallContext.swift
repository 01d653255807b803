/// What a built-in's body may use besides its arguments: the interpreter (output, globals, calling back into
/// user functions) and the call's location for errors.
public struct CallContext {
    /// The interpreter running the call.
    public let interpreter: Interpreter
    /// The call site (its opening parenthesis).
    public let location: SourceLocation?

    /// Creates a context; the interpreter makes one per call.
    public init(interpreter: Interpreter, location: SourceLocation?) {
        self.interpreter = interpreter
        self.location = location
    }

    /// Writes a line to the interpreter's output sink.
    public func print(_ text: String) {
        interpreter.output(text)
    }

    /// Calls a function value (e.g. a user lambda passed to `map`) with positional and labelled arguments.
    public func call(_ function: Function, _ positional: [Value], labelled: [(String, Value)] = []) throws -> Value {
        let passed =
            positional.map { Arguments.Passed(label: nil, value: $0, location: location) }
            + labelled.map { Arguments.Passed(label: $0.0, value: $0.1, location: location) }
        return try interpreter.call(function, passing: passed, at: location)
    }

    /// A runtime error located at this call.
    public func error(_ message: String) -> RuntimeError {
        RuntimeError(message, at: location)
    }
}
