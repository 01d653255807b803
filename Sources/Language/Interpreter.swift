/// Runs cell-language programs (tree-walking interpreter).
///
/// ```swift
/// let interpreter = Interpreter(output: { lines.append($0) })
/// try interpreter.run(source: "x = 2\nprint(x ** 10)", file: "<repl>")   // prints 1024
/// interpreter.globals["x"]                                              // .int(2)
/// ```
/// Variables assigned at top level live in `globals`. Inside a function, assignment updates a variable of
/// the function or of an enclosing function (closures), and otherwise creates a local: functions never
/// rebind globals. Conditions must be bools. Integer overflow, division by zero, deep recursion and
/// cancellation are runtime errors, never crashes.
public final class Interpreter {
    /// The session's variables.
    public var globals: [String: Value] = [:]
    /// Receives each line `print` writes (without the newline).
    public var output: (String) -> Void
    /// The built-ins visible to programs (after globals, so a variable may shadow one).
    public let builtins: BuiltinRegistry
    /// Resolves `name@version` (`policy@3`, `policy@-1`); unset, version references are an error.
    public var resolveVersion: ((_ name: String, _ version: Int, _ at: SourceLocation) throws -> Value)?
    /// Polled at every loop iteration and call; when it returns true the program stops with a "cancelled" error.
    public var isCancelled: () -> Bool = { false }
    /// The notebook cell being run (its key and first file line), so runtime errors say where they happened in
    /// the cell's own terms: `… at cell 'train' line 4`. Nil outside notebooks.
    public var currentCell: (key: String, firstLine: Int)?
    /// Deepest allowed nesting of calls.
    public var maximumCallDepth = 200
    /// How deeply lists and records may nest in a variable. Printing, comparing, storing and freeing a value all walk
    /// it recursively; this keeps every such walk far from the end of the stack.
    public static let maximumNesting = 1_000

    /// Most evaluation steps (expressions and statements) one `run` may take; nil for no limit. A fuzzer or a host
    /// running untrusted cells sets it so that `while true {}` ends with a located error.
    public var maximumSteps: Int?
    /// Longest string or list an operator or core built-in may build (`*`, `+`, `range`, interpolation), so that a
    /// typo cannot exhaust memory.
    public var maximumLength = Arithmetic.maximumLength

    private var callDepth = 0
    private var steps = 0
    /// Source lines seen by `run(source:file:firstLine:)`, so runtime errors can quote them.
    private var sourceLines: [String: [Int: String]] = [:]

    /// Creates an interpreter with the given built-ins (by default the core ones) and output sink
    /// (by default standard output).
    public init(builtins: BuiltinRegistry = BuiltinRegistry(), output: @escaping (String) -> Void = { Swift.print($0) })
    {
        self.builtins = builtins
        self.output = output
    }

    // MARK: - Entry points

    /// Parses and runs `source`, whose first line is line `firstLine` of `file`.
    ///
    /// - Returns: the value of the last statement if it is an expression (for a REPL to echo), else nil.
    /// - Throws: `DiagnosticList` — every syntax error, or the one runtime error, with the source line quoted.
    @discardableResult
    public func run(source: String, file: String, firstLine: Int = 1) throws -> Value? {
        var lines = sourceLines[file] ?? [:]
        for (offset, line) in SourceText.lines(of: source).enumerated() { lines[firstLine + offset] = line }
        sourceLines[file] = lines
        let program = try Parser.parse(source: source, file: file, firstLine: firstLine)
        do {
            return try run(program)
        } catch let error as RuntimeError {
            var located = diagnostic(for: error)
            let line = located.location.line - firstLine + 1
            // Only for an error inside this cell (a function defined in an earlier cell reports its own line).
            if let cell = currentCell, error.location?.file == file, !error.isCancellation,
                line >= 1, line <= SourceText.lines(of: source).count
            {
                let place = " at cell '\(cell.key)' line \(line)"
                // Before a suggestion, so the message still ends with its question: `…; did you mean 'epochs'?`.
                if let suggestion = located.message.range(of: "; did you mean ") {
                    located.message.insert(contentsOf: place, at: suggestion.lowerBound)
                } else {
                    located.message += place
                }
            }
            throw DiagnosticList([located])
        }
    }

    /// Runs parsed statements at top level.
    ///
    /// - Returns: the value of the last statement if it is an expression, else nil.
    /// - Throws: `RuntimeError`.
    @discardableResult
    public func run(_ program: [Stmt]) throws -> Value? {
        steps = 0
        switch try execute(program, in: nil) {
        case .normal(let value): return value
        case .returned(let value): return value
        case .broke, .continued: return nil
        }
    }

    /// Evaluates one expression at top level (globals and built-ins in scope).
    ///
    /// - Throws: `RuntimeError`.
    public func evaluate(_ expr: Expr) throws -> Value {
        try evaluate(expr, in: nil)
    }

    /// Calls a function value with already-evaluated arguments (used by `CallContext.call`).
    public func call(_ function: Function, passing arguments: [Arguments.Passed], at location: SourceLocation?) throws
        -> Value
    {
        try invoke(function, passing: arguments, at: location).value
    }

    /// Calls a function and returns, with its result, the new values of its in-place parameters by caller variable.
    private func invoke(_ function: Function, passing arguments: [Arguments.Passed], at location: SourceLocation?)
        throws
        -> (value: Value, updates: [(variable: String, value: Value)])
    {
        if isCancelled() { throw RuntimeError(RuntimeError.cancelledMessage, at: location) }
        guard callDepth < maximumCallDepth else {
            throw RuntimeError(
                "maximum call depth (\(maximumCallDepth)) exceeded in \(function.name)(); is the recursion infinite?",
                at: location)
        }
        callDepth += 1
        defer { callDepth -= 1 }
        let (bound, body) = try function.bind(arguments, at: location)
        do {
            let value = try body(bound, CallContext(interpreter: self, location: location))
            let updates = bound.updates.values.compactMap { update in
                bound.variableName(update.parameter).map { (variable: $0, value: update.value) }
            }
            return (value, updates)
        } catch var error as RuntimeError {
            if error.location == nil { error.location = location }
            throw error
        } catch let list as DiagnosticList {
            throw RuntimeError(
                "\(function.name)(): \(list.diagnostics.map(\.message).joined(separator: "; "))", at: location)
        } catch {
            throw RuntimeError("\(function.name)(): \(error)", at: location)
        }
    }

    /// A runtime error as a diagnostic, quoting its source line when this interpreter has seen it.
    public func diagnostic(for error: RuntimeError) -> Diagnostic {
        let line = error.location.flatMap { sourceLines[$0.file]?[$0.line] }
        return error.diagnostic(sourceLine: line)
    }

    /// Every name a program can read right now: globals and built-ins (for completion and suggestions).
    public var visibleNames: [String] { Array(globals.keys) + builtins.names }

    // MARK: - Statements

    private enum Completion {
        /// Ran to the end; carries the value of a final expression statement.
        case normal(Value?)
        case returned(Value)
        case broke
        case continued
    }

    private func execute(_ statements: [Stmt], in scope: Scope?) throws -> Completion {
        var last: Value?
        for statement in statements {
            switch try execute(statement, in: scope) {
            case .normal(let value): last = value
            case let other: return other
            }
        }
        return .normal(last)
    }

    private func execute(_ statement: Stmt, in scope: Scope?) throws -> Completion {
        try checkStack(at: statement.location, length: statement.length)
        try countStep(at: statement.location, length: statement.length)
        switch statement.kind {
        case .expression(let expr):
            return .normal(try evaluate(expr, in: scope))
        case .assign(let target, let op, let valueExpr):
            try assign(target, op: op, valueExpr, at: statement, in: scope)
        case .function(let declaration):
            let function = try makeFunction(declaration, in: scope)
            define(declaration.name ?? "<fn>", .function(function), in: scope)
        case .forIn(let variable, let sequenceExpr, let body):
            let sequence = try evaluate(sequenceExpr, in: scope)
            for element in try elements(of: sequence, at: sequenceExpr) {
                try checkCancelled(at: statement)
                define(variable, element, in: scope)
                switch try execute(body, in: scope) {
                case .returned(let value): return .returned(value)
                case .broke: return .normal(nil)
                case .normal, .continued: continue
                }
            }
        case .while(let conditionExpr, let body):
            while try condition(conditionExpr, in: scope, context: "condition") {
                try checkCancelled(at: statement)
                switch try execute(body, in: scope) {
                case .returned(let value): return .returned(value)
                case .broke: return .normal(nil)
                case .normal, .continued: continue
                }
            }
        case .if(let conditionExpr, let then, let otherwise):
            if try condition(conditionExpr, in: scope, context: "condition") {
                return try execute(then, in: scope)
            } else if let otherwise {
                return try execute(otherwise, in: scope)
            }
        case .return(let expr):
            return .returned(try expr.map { try evaluate($0, in: scope) } ?? .nil)
        case .break:
            return .broke
        case .continue:
            return .continued
        }
        return .normal(nil)
    }

    /// Stops a program whose calls and expressions nest so deeply that the stack is nearly used up (each on its own is
    /// bounded by `maximumCallDepth` and `Parser.maximumNesting`; this bounds them together).
    private func checkStack(at location: SourceLocation, length: Int) throws {
        guard StackGuard.isExhausted else { return }
        throw RuntimeError(
            "nested too deeply: \(callDepth) nested calls and the expressions inside them would overflow the stack",
            at: location, length: length)
    }

    private func countStep(at location: SourceLocation, length: Int) throws {
        guard let maximumSteps else { return }
        steps += 1
        if steps > maximumSteps {
            throw RuntimeError(
                "step budget exceeded: the program took more than \(maximumSteps) steps",
                at: location, length: length)
        }
    }

    /// Refuses a string or list longer than `maximumLength`.
    private func checkLength(_ length: Int, at expr: Expr) throws {
        guard length > maximumLength else { return }
        throw RuntimeError(
            "result too long (more than \(maximumLength) elements)", at: expr.location, length: expr.length)
    }

    private func checkCancelled(at statement: Stmt) throws {
        if isCancelled() {
            throw RuntimeError(RuntimeError.cancelledMessage, at: statement.location, length: statement.length)
        }
    }

    private func condition(_ expr: Expr, in scope: Scope?, context: String) throws -> Bool {
        let value = try evaluate(expr, in: scope)
        guard let flag = value.boolValue else {
            throw RuntimeError("\(context) must be bool, got \(value.typeName)", at: expr.location, length: expr.length)
        }
        return flag
    }

    private func elements(of sequence: Value, at expr: Expr) throws -> [Value] {
        switch sequence {
        case .list(let elements): return elements
        case .string(let text): return text.map { .string(String($0)) }
        case .record(let record): return record.keys.map(Value.string)
        default:
            throw RuntimeError(
                "cannot iterate over \(sequence.typeName); 'for' needs a list, string or record",
                at: expr.location, length: expr.length)
        }
    }

    // MARK: - Variables

    /// Binds `name` in the innermost scope (or globals at top level) — used for definitions and loop variables.
    private func define(_ name: String, _ value: Value, in scope: Scope?) {
        if let scope { scope.values[name] = value } else { globals[name] = value }
    }

    /// Assignment: update the enclosing function scope that has `name`, else define it here.
    private func setVariable(_ name: String, _ value: Value, in scope: Scope?) {
        if let owner = scope?.owner(of: name) { owner.values[name] = value } else { define(name, value, in: scope) }
    }

    private func lookup(_ name: String, at expr: Expr, in scope: Scope?) throws -> Value {
        if let value = scope?.owner(of: name)?.values[name] ?? globals[name] { return value }
        if let function = builtins.function(named: name) { return .function(function) }
        let candidates = (scope?.allNames ?? []) + visibleNames
        throw RuntimeError(
            "undefined variable '\(name)'" + Diagnostic.didYouMean(name, among: candidates),
            at: expr.location, length: expr.length)
    }

    private func assign(_ target: Expr, op: BinaryOperator?, _ valueExpr: Expr, at statement: Stmt, in scope: Scope?)
        throws
    {
        if case .variable(let name) = target.kind, op == nil {
            let value = try evaluate(valueExpr, in: scope)
            try checkNesting(value, below: 0, at: statement)
            setVariable(name, value, in: scope)
            return
        }
        let value = try evaluate(valueExpr, in: scope)
        let path = pathLength(target)
        try update(target, in: scope, creating: op == nil) { current in
            guard let op else {
                try checkNesting(value, below: path, at: statement)
                current = value
                return
            }
            do {
                let result = try Arithmetic.apply(op, current, value, maximumLength: maximumLength)
                try checkNesting(result, below: path, at: statement)
                current = result
            } catch var error as RuntimeError {
                error.location = statement.location
                error.length = statement.length
                throw error
            }
        }
    }

    /// Refuses a value that, stored `path` fields or elements below a variable, would nest lists and records deeper
    /// than `maximumNesting`.
    private func checkNesting(_ value: Value, below path: Int, at statement: Stmt) throws {
        let limit = Self.maximumNesting - path
        var budget = maximumLength
        let depth = value.nestingDepth(upTo: limit, budget: &budget)
        if budget < 0 {
            throw RuntimeError(
                "value too large: more than \(maximumLength) elements in its lists and records, counting a shared list "
                    + "once per place it appears", at: statement.location, length: statement.length)
        }
        guard depth > limit else { return }
        throw RuntimeError(
            "lists and records may nest at most \(Self.maximumNesting) deep; this assignment nests deeper",
            at: statement.location, length: statement.length)
    }

    /// How many fields or elements below its variable an assignment target is (`x` 0, `x.a[2]` 2).
    private func pathLength(_ target: Expr) -> Int {
        switch target.kind {
        case .member(let base, _), .index(let base, _): 1 + pathLength(base)
        default: 0
        }
    }

    /// Applies `change` to the storage `target` denotes (variable, record field or list element), writing the
    /// changed value back up the path. `creating` allows a new record field. Each level empties its slot while
    /// the change runs, so lists and records are mutated in place rather than copied; `change` assigns only on
    /// success, and the slots are refilled even when it throws.
    private func update(_ target: Expr, in scope: Scope?, creating: Bool, _ change: (inout Value) throws -> Void) throws
    {
        switch target.kind {
        case .variable(let name):
            var value = try lookup(name, at: target, in: scope)
            let owner = scope?.owner(of: name)
            let isTopLevelGlobal = scope == nil && globals[name] != nil
            if let owner { owner.values[name] = Value.nil } else if isTopLevelGlobal { globals[name] = Value.nil }
            defer {
                // Inside a function, a changed global becomes a local copy: functions never rebind globals.
                if let owner { owner.values[name] = value } else if isTopLevelGlobal { globals[name] = value }
            }
            try change(&value)
            if owner == nil && !isTopLevelGlobal { define(name, value, in: scope) }
        case .member(let baseExpr, let name):
            try update(baseExpr, in: scope, creating: false) { base in
                guard case .record(var record) = base else {
                    throw RuntimeError(
                        "cannot assign to member '\(name)' of a value of type \(base.typeName)",
                        at: target.location, length: target.length)
                }
                guard var field = record[name] ?? (creating ? Value.nil : nil) else {
                    throw noMember(name, of: base, at: target)
                }
                try changeField(&base, &record, key: name, &field, change)
            }
        case .index(let baseExpr, let indexExpr):
            let index = try evaluate(indexExpr, in: scope)
            try update(baseExpr, in: scope, creating: false) { base in
                switch (base, index) {
                case (.list(var elements), _):
                    let position = try listIndex(index, count: elements.count, at: indexExpr)
                    base = Value.nil
                    defer { base = .list(elements) }
                    try change(&elements[position])
                case (.record(var record), .string(let key)):
                    guard var field = record[key] ?? (creating ? Value.nil : nil) else {
                        throw noKey(key, in: record, at: indexExpr)
                    }
                    try changeField(&base, &record, key: key, &field, change)
                default:
                    throw RuntimeError(
                        "cannot assign to an element of \(base.typeName) indexed by \(index.typeName)",
                        at: target.location, length: target.length)
                }
            }
        default:
            throw RuntimeError("cannot assign to this expression", at: target.location, length: target.length)
        }
    }

    private func changeField(
        _ base: inout Value, _ record: inout Record, key: String, _ field: inout Value,
        _ change: (inout Value) throws -> Void
    ) throws {
        base = Value.nil
        if record[key] != nil { record[key] = Value.nil }
        defer {
            record[key] = field
            base = .record(record)
        }
        try change(&field)
    }

    // MARK: - Expressions

    /// Evaluates `expr`. Each kind of node has its own function, so that the frame this recursion repeats stays small
    /// (an unoptimised build would otherwise reserve room for every case's locals at every level).
    private func evaluate(_ expr: Expr, in scope: Scope?) throws -> Value {
        try checkStack(at: expr.location, length: expr.length)
        try countStep(at: expr.location, length: expr.length)
        switch expr.kind {
        case .int(let value): return .int(value)
        case .double(let value): return .double(value)
        case .string(let text): return .string(text)
        case .bool(let flag): return .bool(flag)
        case .nil: return .nil
        case .interpolated(let parts): return try interpolate(parts, at: expr, in: scope)
        case .variable(let name): return try lookup(name, at: expr, in: scope)
        case .version(let name, let version): return try versionValue(name, version, at: expr)
        case .list(let elements): return try listValue(elements, in: scope)
        case .record(let fields): return try recordValue(fields, in: scope)
        case .negate(let operand): return try negate(operand, at: expr, in: scope)
        case .not(let operand): return .bool(!(try condition(operand, in: scope, context: "operand of 'not'")))
        case .and(let left, let right): return try and(left, right, in: scope)
        case .or(let left, let right): return try or(left, right, in: scope)
        case .binary(let op, let left, let right): return try binary(op, left, right, at: expr, in: scope)
        case .comparison(let first, let terms): return try comparison(first, terms, in: scope)
        case .call(let callee, let arguments): return try call(callee, arguments, at: expr, in: scope)
        case .member(let base, let name): return try memberValue(name, of: base, at: expr, in: scope)
        case .index(let base, let index): return try indexValue(base, index, at: expr, in: scope)
        case .slice(let base, let lower, let upper): return try sliceValue(base, lower, upper, at: expr, in: scope)
        case .lambda(let declaration): return .function(try makeFunction(declaration, in: scope))
        }
    }

    private func interpolate(_ parts: [StringPart], at expr: Expr, in scope: Scope?) throws -> Value {
        var text = ""
        for part in parts {
            switch part {
            case .text(let literal): text += literal
            case .expression(let inner): text += try evaluate(inner, in: scope).displayText(limit: maximumLength)
            }
            try checkLength(text.utf8.count, at: expr)
        }
        return .string(text)
    }

    private func versionValue(_ name: String, _ version: Int, at expr: Expr) throws -> Value {
        guard let resolveVersion else {
            throw RuntimeError(
                "version references like '\(name)@\(version)' are not available here",
                at: expr.location, length: expr.length)
        }
        do {
            return try resolveVersion(name, version, expr.location)
        } catch var error as RuntimeError {
            if error.location == nil { error.location = expr.location }
            throw error
        } catch {
            throw RuntimeError("\(name)@\(version): \(error)", at: expr.location, length: expr.length)
        }
    }

    private func listValue(_ elements: [Expr], in scope: Scope?) throws -> Value {
        .list(try elements.map { try evaluate($0, in: scope) })
    }

    private func recordValue(_ fields: [RecordField], in scope: Scope?) throws -> Value {
        var record = Record()
        for field in fields { record[field.key] = try evaluate(field.value, in: scope) }
        return .record(record)
    }

    private func negate(_ operand: Expr, at expr: Expr, in scope: Scope?) throws -> Value {
        let value = try evaluate(operand, in: scope)
        return try located(expr) { try Arithmetic.negate(value) }
    }

    private func and(_ left: Expr, _ right: Expr, in scope: Scope?) throws -> Value {
        guard try condition(left, in: scope, context: "left operand of 'and'") else { return .bool(false) }
        return .bool(try condition(right, in: scope, context: "right operand of 'and'"))
    }

    private func or(_ left: Expr, _ right: Expr, in scope: Scope?) throws -> Value {
        if try condition(left, in: scope, context: "left operand of 'or'") { return .bool(true) }
        return .bool(try condition(right, in: scope, context: "right operand of 'or'"))
    }

    private func binary(_ op: BinaryOperator, _ leftExpr: Expr, _ rightExpr: Expr, at expr: Expr, in scope: Scope?)
        throws
        -> Value
    {
        let left = try evaluate(leftExpr, in: scope)
        let right = try evaluate(rightExpr, in: scope)
        return try located(expr) { try Arithmetic.apply(op, left, right, maximumLength: maximumLength) }
    }

    private func comparison(_ firstExpr: Expr, _ terms: [ComparisonTerm], in scope: Scope?) throws -> Value {
        var left = try evaluate(firstExpr, in: scope)
        for term in terms {
            let right = try evaluate(term.operand, in: scope)
            let holds = try located(term.location, term.op.rawValue.count) {
                try Arithmetic.compare(term.op, left, right, budget: maximumLength)
            }
            if !holds { return .bool(false) }
            left = right
        }
        return .bool(true)
    }

    private func call(_ calleeExpr: Expr, _ argumentExprs: [Argument], at expr: Expr, in scope: Scope?) throws -> Value
    {
        var receiver: [Arguments.Passed] = []
        let callee: Value
        if case .member(let baseExpr, let name) = calleeExpr.kind {
            (callee, receiver) = try method(name, of: baseExpr, at: calleeExpr, in: scope)
        } else {
            callee = try evaluate(calleeExpr, in: scope)
        }
        guard case .function(let function) = callee else {
            throw RuntimeError(
                "cannot call a value of type \(callee.typeName)", at: calleeExpr.location,
                length: calleeExpr.length)
        }
        var targets: [String: Expr] = [:]
        let passed =
            try receiver
            + argumentExprs.map { argument in
                var variable: String?
                if case .variable(let name) = argument.value.kind { variable = name }
                let value = try evaluate(argument.value, in: scope)
                let path = variable == nil ? elementPath(argument.value, in: scope) : nil
                if let path { targets[path] = argument.value }
                return Arguments.Passed(
                    label: argument.label, value: value, location: argument.location, length: argument.length,
                    variable: variable, path: path)
            }
        let result = try invoke(function, passing: passed, at: expr.location)
        for update in result.updates {
            if let target = targets[update.variable] {
                try self.update(target, in: scope, creating: false) { $0 = update.value }
            } else {
                setVariable(update.variable, update.value, in: scope)
            }
        }
        return result.value
    }

    /// The element an argument names below a variable, `ps[0]` or `runs.best` (a negative index as its position),
    /// so an in-place parameter can update it there; nil for anything else. Indices must be literals or variables,
    /// (`-1` included), so naming the element runs nothing a second time; a record key must be a name, so the path
    /// reads back.
    private func elementPath(_ expr: Expr, in scope: Scope?) -> String? {
        func path(_ expr: Expr) -> String? {
            switch expr.kind {
            case .variable(let name): return name
            case .member(let baseExpr, let field):
                guard let prefix = path(baseExpr), case .record? = try? evaluate(baseExpr, in: scope) else {
                    return nil
                }
                return prefix + "." + field
            case .index(let baseExpr, let indexExpr):
                switch indexExpr.kind {
                case .int, .string, .variable: break
                case .negate(let operand):
                    guard case .int = operand.kind else { return nil }
                default: return nil
                }
                guard let prefix = path(baseExpr), let base = try? evaluate(baseExpr, in: scope),
                    let index = try? evaluate(indexExpr, in: scope)
                else { return nil }
                switch (base, index) {
                case (.list(let items), .int):
                    return (try? listIndex(index, count: items.count, at: indexExpr)).map { prefix + "[\($0)]" }
                case (.record, .string(let key)) where Self.isName(key):
                    return prefix + "." + key
                default: return nil
                }
            default: return nil
            }
        }
        guard case .variable = expr.kind else { return path(expr) }
        return nil
    }

    private static func isName(_ text: String) -> Bool {
        guard let head = text.first, head.isLetter || head == "_" else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    private func memberValue(_ name: String, of baseExpr: Expr, at expr: Expr, in scope: Scope?) throws -> Value {
        try member(name, of: try evaluate(baseExpr, in: scope), at: expr)
    }

    private func indexValue(_ baseExpr: Expr, _ indexExpr: Expr, at expr: Expr, in scope: Scope?) throws -> Value {
        let base = try evaluate(baseExpr, in: scope)
        let index = try evaluate(indexExpr, in: scope)
        return try subscriptValue(base, index, at: expr, indexExpr: indexExpr)
    }

    private func sliceValue(_ baseExpr: Expr, _ lowerExpr: Expr?, _ upperExpr: Expr?, at expr: Expr, in scope: Scope?)
        throws
        -> Value
    {
        let base = try evaluate(baseExpr, in: scope)
        let lower = try lowerExpr.map { try evaluate($0, in: scope) }
        let upper = try upperExpr.map { try evaluate($0, in: scope) }
        return try slice(base, lower, upper, at: expr)
    }

    /// Runs `body`, giving any location-less runtime error the location of `expr`.
    private func located<T>(_ expr: Expr, _ body: () throws -> T) throws -> T {
        try located(expr.location, expr.length, body)
    }

    private func located<T>(_ location: SourceLocation, _ length: Int, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as RuntimeError {
            if error.location == nil {
                error.location = location
                error.length = length
            }
            throw error
        }
    }

    /// `x.name(args)`: the member `name` of x, or, when a native has no such member, the built-in `name` with x as
    /// its first argument (`prefs.remove(where: f)` is `remove(prefs, where: f)`, updating `prefs` in place).
    private func method(_ name: String, of baseExpr: Expr, at expr: Expr, in scope: Scope?) throws
        -> (Value, [Arguments.Passed])
    {
        let base = try evaluate(baseExpr, in: scope)
        if case .native(let native) = base, native.member(name) == nil, let builtin = builtins.function(named: name),
            builtin.overloads.contains(where: { $0.signature.parameters.first?.label == nil })
        {
            var variable: String?
            if case .variable(let name) = baseExpr.kind { variable = name }
            let passed = Arguments.Passed(
                label: nil, value: base, location: baseExpr.location, length: baseExpr.length, variable: variable)
            return (.function(builtin), [passed])
        }
        return (try member(name, of: base, at: expr), [])
    }

    private func member(_ name: String, of base: Value, at expr: Expr) throws -> Value {
        switch base {
        case .record(let record):
            if let value = record[name] { return value }
        case .native(let native):
            if let value = native.member(name) { return value }
        case .function(let function):
            // A built-in namespace: `plot.line` is the built-in registered as "plot.line".
            if let method = builtins.function(named: function.name + "." + name) { return .function(method) }
        default:
            break
        }
        throw noMember(name, of: base, at: expr)
    }

    private func noMember(_ name: String, of base: Value, at expr: Expr) -> RuntimeError {
        var candidates: [String] = []
        if case .record(let record) = base { candidates = record.keys }
        if case .native(let native) = base { candidates = native.memberNames }
        if case .function(let function) = base {
            candidates = builtins.names.filter { $0.hasPrefix(function.name + ".") }.map {
                String($0.dropFirst(function.name.count + 1))
            }
        }
        return RuntimeError(
            "value of type \(base.typeName) has no member '\(name)'" + Diagnostic.didYouMean(name, among: candidates),
            at: expr.location, length: expr.length)
    }

    private func noKey(_ key: String, in record: Record, at expr: Expr) -> RuntimeError {
        RuntimeError(
            "record has no key \(Value.quote(key))" + Diagnostic.didYouMean(key, among: record.keys),
            at: expr.location, length: expr.length)
    }

    private func subscriptValue(_ base: Value, _ index: Value, at expr: Expr, indexExpr: Expr) throws -> Value {
        switch (base, index) {
        case (.list(let elements), _):
            return elements[try listIndex(index, count: elements.count, at: indexExpr)]
        case (.string(let text), _):
            let characters = Array(text)
            let position = try listIndex(index, count: characters.count, at: indexExpr, kind: "string")
            return .string(String(characters[position]))
        case (.record(let record), .string(let key)):
            guard let value = record[key] else { throw noKey(key, in: record, at: indexExpr) }
            return value
        default:
            throw RuntimeError(
                "cannot index a value of type \(base.typeName) with \(index.typeName)",
                at: expr.location, length: expr.length)
        }
    }

    /// A valid array position for `index` (negative counts from the end), or a located error.
    private func listIndex(_ index: Value, count: Int, at expr: Expr, kind: String = "list") throws -> Int {
        guard case .int(let raw) = index else {
            throw RuntimeError(
                "\(kind) index must be an integer, got \(index.typeName)", at: expr.location, length: expr.length)
        }
        let position = raw < 0 ? count + raw : raw
        guard position >= 0 && position < count else {
            throw RuntimeError(
                "index \(raw) out of range for \(kind) of \(count)", at: expr.location, length: expr.length)
        }
        return position
    }

    private func slice(_ base: Value, _ lower: Value?, _ upper: Value?, at expr: Expr) throws -> Value {
        func bound(_ value: Value?, _ count: Int, _ fallback: Int) throws -> Int {
            guard let value, !value.isNil else { return fallback }
            guard case .int(let raw) = value else {
                throw RuntimeError(
                    "slice bounds must be integers, got \(value.typeName)", at: expr.location, length: expr.length)
            }
            return min(max(raw < 0 ? count + raw : raw, 0), count)
        }
        switch base {
        case .list(let elements):
            let from = try bound(lower, elements.count, 0), to = try bound(upper, elements.count, elements.count)
            return .list(from < to ? Array(elements[from..<to]) : [])
        case .string(let text):
            let characters = Array(text)
            let from = try bound(lower, characters.count, 0), to = try bound(upper, characters.count, characters.count)
            return .string(from < to ? String(characters[from..<to]) : "")
        default:
            throw RuntimeError("cannot slice a value of type \(base.typeName)", at: expr.location, length: expr.length)
        }
    }

    // MARK: - Functions

    /// A user function: parameters without a default are positional, those with one are passed by label.
    /// Defaults are evaluated once, when the function is defined.
    private func makeFunction(_ declaration: FunctionDecl, in scope: Scope?) throws -> Function {
        let parameters = try declaration.parameters.map { parameter in
            guard let defaultExpr = parameter.defaultValue else {
                return Parameter.positional(parameter.name, type: .any)
            }
            return Parameter.labelled(parameter.name, type: .any, default: try evaluate(defaultExpr, in: scope))
        }
        let signature = BuiltinSignature(name: declaration.name ?? "<lambda>", parameters: parameters, doc: "")
        return Function(signature: signature) { arguments, context in
            try context.interpreter.runBody(of: declaration, arguments: arguments, closure: scope)
        }
    }

    private func runBody(of declaration: FunctionDecl, arguments: Arguments, closure: Scope?) throws -> Value {
        let local = Scope(parent: closure)
        for parameter in declaration.parameters { local.values[parameter.name] = try arguments.value(parameter.name) }
        switch try execute(declaration.body, in: local) {
        case .returned(let value): return value
        case .normal(let value): return value ?? .nil
        case .broke, .continued: return .nil
        }
    }
}
