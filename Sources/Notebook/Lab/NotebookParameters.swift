import Language

/// The parameters of a notebook run: the assignments of its parameters cell (`# %% parameters`), overridden by
/// `--param name=value` on the command line.
///
/// ```swift
/// let overrides = try NotebookParameters.parse(["lr=3e-4", "rounds=5"])
/// let (notebook, parameters) = try NotebookParameters(overrides).apply(to: file)
/// // the parameters cell now ends with `lr = 3e-4  # --param`; parameters.json == `{"lr": 0.0003, "rounds": 5}`
/// ```
///
/// An override is appended to the parameters cell as an assignment, so the cell the store records is the cell that
/// ran, and replaying a run from its recorded cells reproduces the overrides.
public struct NotebookParameters {
    /// One `--param name=value`: the literal's text as typed and its value.
    public struct Override {
        /// The parameter's variable name.
        public var name: String
        /// The value as typed, appended to the parameters cell as `name = literal`.
        public var literal: String
        /// The value it denotes.
        public var value: Value
    }

    /// A refused `--param` or parameters cell, as one `error: …` line.
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// The overrides, in command-line order (each name once).
    public var overrides: [Override]

    /// Creates parameters from parsed overrides (see ``parse(_:)``).
    public init(_ overrides: [Override] = []) { self.overrides = overrides }

    /// Parses `name=value` texts; each value must be a literal (number, string, bool, nil, or a list or record of
    /// literals), parsed with the language's own parser.
    public static func parse(_ texts: [String]) throws -> NotebookParameters {
        var overrides: [Override] = []
        for text in texts {
            guard let equals = text.firstIndex(of: "=") else {
                throw Problem(description: "--param '\(text)' is not name=value (e.g. --param lr=3e-4)")
            }
            let name = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
            let literal = String(text[text.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            guard let head = name.first, head.isLetter || head == "_",
                name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), Token.Keyword(rawValue: name) == nil
            else {
                throw Problem(description: "--param '\(text)': '\(name)' is not a variable name")
            }
            let expression: Expr
            do {
                expression = try Parser.parseExpression(source: literal, file: "--param \(name)")
            } catch {
                throw Problem(description: "--param \(name): '\(literal)' is not a literal: \(error)")
            }
            guard isLiteral(expression) else {
                throw Problem(
                    description: "--param \(name): '\(literal)' is not a literal (use a number, string, bool, nil, "
                        + "or a list or record of them; strings need quotes: --param name='\"text\"')")
            }
            let value = try Interpreter(output: { _ in }).evaluate(expression)
            if !isFinite(value) {
                throw Problem(
                    description: "--param \(name): '\(literal)' is not a finite number (the store and JSON cannot "
                        + "hold inf or nan; a literal beyond ±1.8e308 is inf)")
            }
            if let earlier = overrides.first(where: { $0.name == name }) {
                throw Problem(
                    description: "--param \(name) is given twice ('\(earlier.literal)' and '\(literal)'); "
                        + "give each parameter once")
            }
            overrides.append(Override(name: name, literal: literal, value: value))
        }
        return NotebookParameters(overrides)
    }

    /// Appends the overrides to the notebook's parameters cell and returns the notebook with the effective
    /// parameters as JSON (declaration order; a default that is not a literal is omitted unless overridden).
    ///
    /// Throws ``Problem`` for a name the parameters cell does not assign, or overrides without a parameters cell.
    public func apply(to notebook: CellFile) throws -> (notebook: CellFile, json: String) {
        guard let index = notebook.cells.firstIndex(where: \.isParameters) else {
            if let first = overrides.first {
                throw Problem(
                    description: "--param \(first.name): \(notebook.path) has no parameters cell "
                        + "(a cell whose marker line is `# %% parameters`)")
            }
            return (notebook, "{}")
        }
        var cell = notebook.cells[index]
        let statements = (try? cell.parse(file: notebook.path)) ?? []
        var declared: [(name: String, value: Value?)] = []
        for statement in statements {
            guard let name = statement.assignedName, case .assign(_, _, let expression) = statement.kind else {
                continue
            }
            let value = Self.isLiteral(expression) ? try? Interpreter(output: { _ in }).evaluate(expression) : nil
            if let existing = declared.firstIndex(where: { $0.name == name }) {
                declared[existing].value = value
            } else {
                declared.append((name, value))
            }
        }
        let names = declared.map(\.name)
        for override in overrides where !names.contains(override.name) {
            let known = names.isEmpty ? "assigns nothing" : "declares " + names.joined(separator: ", ")
            throw Problem(
                description: "unknown parameter '\(override.name)'"
                    + Diagnostic.didYouMean(override.name, among: names)
                    + " (the parameters cell at \(notebook.path):\(cell.firstLine) \(known))")
        }
        for override in overrides {
            guard let declaredValue = declared.first(where: { $0.name == override.name })?.value else { continue }
            if let mismatch = Self.typeMismatch(override.value, declared: declaredValue) {
                throw Problem(
                    description: "--param \(override.name): '\(override.literal)' is \(mismatch), but the parameters "
                        + "cell at \(notebook.path):\(cell.firstLine) sets \(override.name) to "
                        + "\(declaredValue.quotedText), \(Self.kind(declaredValue))")
            }
        }
        var effective = Record()
        for (name, value) in declared {
            if let override = overrides.first(where: { $0.name == name }) {
                effective[name] = override.value
            } else if let value {
                effective[name] = value
            }
        }
        if !overrides.isEmpty {
            let lines = overrides.map { "\($0.name) = \($0.literal)  # --param" }
            cell.source +=
                (cell.source.isEmpty || cell.source.hasSuffix("\n") ? "" : "\n") + lines.joined(separator: "\n")
        }
        var result = notebook
        result.cells[index] = cell
        return (result, Value.record(effective).toJSON() ?? "{}")
    }

    /// Nil when `value` may replace `declared`: the same kind of value (an int where a number is declared is fine;
    /// a fraction where an int is declared is not); anything may replace `nil`. Otherwise what `value` is instead.
    static func typeMismatch(_ value: Value, declared: Value) -> String? {
        switch (value, declared) {
        case (_, .nil), (.int, .int), (.int, .double), (.double, .double): return nil
        case (.double, .int): return "a fractional number"
        default: return value.typeName == declared.typeName ? nil : kind(value)
        }
    }

    /// `an int`, `a number`, `a string`…
    private static func kind(_ value: Value) -> String {
        if case .int = value { return "an int" }
        return "a \(value.typeName)"
    }

    /// False for a value holding an infinite or NaN number, at any depth.
    static func isFinite(_ value: Value) -> Bool {
        switch value {
        case .double(let number): number.isFinite
        case .list(let elements): elements.allSatisfy(isFinite)
        case .record(let record): record.fields.allSatisfy { isFinite($0.value) }
        default: true
        }
    }

    /// A value written out, with nothing to compute: numbers (optionally negated), strings without interpolation,
    /// bools, nil, and lists and records of literals.
    static func isLiteral(_ expression: Expr) -> Bool {
        switch expression.kind {
        case .int, .double, .string, .bool, .nil: return true
        case .negate(let inner):
            switch inner.kind {
            case .int, .double: return true
            default: return false
            }
        case .list(let elements): return elements.allSatisfy(isLiteral)
        case .record(let fields): return fields.allSatisfy { isLiteral($0.value) }
        default: return false
        }
    }
}
