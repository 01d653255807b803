/// One parameter of a built-in or user function, as declared once and used for binding, `:help` and completion.
public struct Parameter {
    /// The label callers write (`epochs` in `fit(m, epochs: 3)`); nil for a positional parameter.
    public var label: String?
    /// The name the body reads the value by (`args.int("epochs")`) and that messages quote.
    public var name: String
    /// The expected type, for documentation and help (`number`, `int`, `string`, `list`, `PolicyModel`, `any`).
    public var type: String
    /// The value used when the caller omits the argument; nil means the argument is required.
    /// (Use `.some(.nil)` for an optional parameter whose default is the language's `nil`.)
    public var defaultValue: Value?
    /// A variadic parameter collects all remaining positional arguments into a list (`print(values...)`).
    public var variadic: Bool
    /// An in-place parameter: the caller must pass a variable, and the value the body hands to
    /// `Arguments.update(_:_:)` is assigned back to it (`fit(rm, prefs)` trains `rm` itself).
    public var isInout: Bool = false

    /// Creates a parameter; see also `positional`, `labelled` and `variadic`.
    public init(label: String?, name: String, type: String, defaultValue: Value? = nil, variadic: Bool = false) {
        self.label = label
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.variadic = variadic
    }

    /// A positional parameter: `round(x)` → `.positional("x", type: "number")`.
    public static func positional(_ name: String, type: String, default defaultValue: Value? = nil) -> Parameter {
        Parameter(label: nil, name: name, type: type, defaultValue: defaultValue)
    }

    /// A labelled parameter whose label is its name: `round(x, digits: 0)` → `.labelled("digits", type: "int", default: 0)`.
    public static func labelled(_ name: String, type: String, default defaultValue: Value? = nil) -> Parameter {
        Parameter(label: name, name: name, type: type, defaultValue: defaultValue)
    }

    /// A positional parameter updated in place: the argument must be a variable, which receives the new value.
    public static func inPlace(_ name: String, type: String) -> Parameter {
        var p = Parameter(label: nil, name: name, type: type)
        p.isInout = true
        return p
    }

    /// A variadic positional parameter collecting the remaining positional arguments as a list.
    public static func variadic(_ name: String, type: String) -> Parameter {
        Parameter(label: nil, name: name, type: type, defaultValue: nil, variadic: true)
    }

    /// How help shows it: `_ x: number`, `digits: int = 0`, `_ values: any...`.
    public var helpText: String {
        var text = "\(label ?? "_ \(name)"): \(isInout ? "inout " : "")\(type)"
        if variadic { text += "..." }
        if let defaultValue { text += " = \(defaultValue.quotedText)" }
        return text
    }
}
