/// One parameter of a built-in or user function, as declared once and used for binding, `:help` and completion.
/// Built-ins declare theirs as typed `Param`s, whose `parameter` this is.
public struct Parameter {
    /// The label callers write (`epochs` in `fit(m, epochs: 3)`); nil for a positional parameter.
    public var label: String?
    /// The name messages quote and the body reads the value by.
    public var name: String
    /// What the parameter admits: checked against every argument before the body runs, and printed by help.
    public var type: ParameterType
    /// The value used when the caller omits the argument; nil means the argument is required.
    /// (Use `.some(.nil)` for an optional parameter whose default is the language's `nil`, which is then admitted.)
    public var defaultValue: Value?
    /// A variadic parameter collects all remaining positional arguments into a list (`print(values...)`); `type` is
    /// each element's.
    public var variadic: Bool
    /// An in-place parameter: the caller must pass a variable, and the value the body hands to
    /// `Arguments.update(_:_:)` is assigned back to it (`fit(rm, prefs)` trains `rm` itself).
    public var isInout: Bool = false
    /// For a numeric parameter, the values it accepts; checked at binding (a number outside it is
    /// refused in the range's words, even where the type would refuse it too).
    public var range: ValidRange?

    /// Creates a parameter; see also `positional`, `labelled` and the typed `Param`.
    public init(
        label: String?, name: String, type: ParameterType, defaultValue: Value? = nil, variadic: Bool = false,
        range: ValidRange? = nil
    ) {
        self.label = label
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.variadic = variadic
        self.range = range
    }

    /// A positional parameter: a user function's `fn f(x)` → `.positional("x", type: .any)`.
    public static func positional(_ name: String, type: ParameterType, default defaultValue: Value? = nil)
        -> Parameter
    {
        Parameter(label: nil, name: name, type: type, defaultValue: defaultValue)
    }

    /// A labelled parameter whose label is its name: `fn f(x, digits: 0)` →
    /// `.labelled("digits", type: .any, default: 0)`.
    public static func labelled(_ name: String, type: ParameterType, default defaultValue: Value? = nil) -> Parameter {
        Parameter(label: name, name: name, type: type, defaultValue: defaultValue)
    }

    /// Nil when `value` may be bound to this parameter (its type admits it, or it is the `nil` of an optional
    /// parameter; a number lies in `range`); otherwise what is wrong: `must be an integer between 1 and 100, got 0`.
    public func complaint(about value: Value) -> String? {
        if value.isNil, defaultValue?.isNil == true { return nil }
        // A number outside the range is refused in the range's words (`an integer between 1 and 100, got 2.5`).
        if let range, let number = value.doubleValue, !range.contains(number) {
            return "must be \(range), got \(value.displayText)"
        }
        return type.complaint(about: value)
    }

    /// How help shows it: `_ x: number`, `digits: int = 0`, `_ values: any...`.
    public var helpText: String {
        var text = "\(label ?? "_ \(name)"): \(isInout ? "inout " : "")\(type.name)"
        if variadic { text += "..." }
        if let defaultValue { text += " = \(defaultValue.quotedText)" }
        return text
    }
}
