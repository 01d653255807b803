// The syntax tree the parser builds and the interpreter walks. Every node carries the location of the
// token a user would blame for it (an operator, a name, an opening bracket) and that token's length.

/// An expression: something that produces a value.
public struct Expr: Sendable, Equatable {
    /// What kind of expression this is, with its sub-expressions.
    public indirect enum Kind: Sendable, Equatable {
        case int(Int)
        case double(Double)
        case string(String)
        /// `"loss \(x)"`: text and embedded expressions, in order.
        case interpolated([StringPart])
        case bool(Bool)
        case `nil`
        case variable(String)
        /// `policy@3`, `policy@-1`: a version of a named object, resolved by the host.
        case version(name: String, version: Int)
        case list([Expr])
        /// `{lr: 1e-3, steps: 10}`; fields keep the order written.
        case record([RecordField])
        /// `-x`
        case negate(Expr)
        /// `not x`
        case not(Expr)
        case binary(BinaryOperator, Expr, Expr)
        /// `a and b` (short-circuit).
        case and(Expr, Expr)
        /// `a or b` (short-circuit).
        case or(Expr, Expr)
        /// `a < b <= c` means `a < b and b <= c`, with `b` evaluated once.
        case comparison(Expr, [ComparisonTerm])
        case call(Expr, [Argument])
        case member(Expr, String)
        case index(Expr, Expr)
        /// `xs[a:b]`, either bound optional.
        case slice(Expr, lower: Expr?, upper: Expr?)
        /// `fn(r) { r.x > 1 }`
        case lambda(FunctionDecl)
    }

    public private(set) var kind: Kind
    public var location: SourceLocation
    /// Characters to underline when this expression is blamed.
    public var length: Int
    /// Levels of nodes from this one down to its deepest leaf (1 for a leaf). Every walk of the tree (evaluating,
    /// comparing, freeing it) recurses this deep, so the parser refuses trees taller than `Parser.maximumNesting`.
    public private(set) var height: Int

    /// Creates an expression node.
    public init(_ kind: Kind, at location: SourceLocation, length: Int = 1) {
        self.kind = kind
        self.location = location
        self.length = length
        self.height = 1 + kind.childHeight
    }
}

extension Expr.Kind {
    /// The height of the tallest sub-expression (0 for a leaf).
    var childHeight: Int {
        switch self {
        case .int, .double, .string, .bool, .nil, .variable, .version: return 0
        case .interpolated(let parts):
            return parts.reduce(0) { deepest, part in
                if case .expression(let inner) = part { return max(deepest, inner.height) }
                return deepest
            }
        case .list(let elements): return elements.reduce(0) { max($0, $1.height) }
        case .record(let fields): return fields.reduce(0) { max($0, $1.value.height) }
        case .negate(let operand), .not(let operand), .member(let operand, _): return operand.height
        case .binary(_, let left, let right), .and(let left, let right), .or(let left, let right),
            .index(let left, let right):
            return max(left.height, right.height)
        case .comparison(let first, let terms): return terms.reduce(first.height) { max($0, $1.operand.height) }
        case .call(let callee, let arguments): return arguments.reduce(callee.height) { max($0, $1.value.height) }
        case .slice(let base, let lower, let upper):
            return max(base.height, lower?.height ?? 0, upper?.height ?? 0)
        case .lambda(let declaration): return declaration.height
        }
    }
}

/// A piece of an interpolated string.
public enum StringPart: Sendable, Equatable {
    case text(String)
    case expression(Expr)
}

/// `key: value` in a record literal.
public struct RecordField: Sendable, Equatable {
    public var key: String
    public var value: Expr
    public var location: SourceLocation
    public init(key: String, value: Expr, location: SourceLocation) {
        self.key = key
        self.value = value
        self.location = location
    }
}

/// One `op operand` step of a comparison chain.
public struct ComparisonTerm: Sendable, Equatable {
    public var op: ComparisonOperator
    public var operand: Expr
    public var location: SourceLocation
    public init(op: ComparisonOperator, operand: Expr, location: SourceLocation) {
        self.op = op
        self.operand = operand
        self.location = location
    }
}

/// An argument of a call: positional (`label == nil`) or labelled (`steps: 10`).
public struct Argument: Sendable, Equatable {
    public var label: String?
    public var value: Expr
    /// The label's location if labelled, else the value's.
    public var location: SourceLocation
    public var length: Int
    public init(label: String?, value: Expr, location: SourceLocation, length: Int) {
        self.label = label
        self.value = value
        self.location = location
        self.length = length
    }
}

/// Arithmetic operators.
public enum BinaryOperator: String, Sendable, Equatable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case remainder = "%"
    case power = "**"
}

/// Comparison operators (all one precedence level, chainable).
public enum ComparisonOperator: String, Sendable, Equatable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
}

/// A parameter of a user function: `a` (positional, required) or `b: 1` (labelled, with a default).
public struct ParameterDecl: Sendable, Equatable {
    public var name: String
    public var defaultValue: Expr?
    public var location: SourceLocation
    public init(name: String, defaultValue: Expr?, location: SourceLocation) {
        self.name = name
        self.defaultValue = defaultValue
        self.location = location
    }
}

/// A function: named (`fn f(a) { … }`) or a lambda (`fn(r) { … }`, `name == nil`).
/// The value of a call is the `return`ed value, or the value of the body's last statement if it is an
/// expression, or nil.
public struct FunctionDecl: Sendable, Equatable {
    public var name: String?
    public var parameters: [ParameterDecl]
    public var body: [Stmt]
    public var location: SourceLocation
    public init(name: String?, parameters: [ParameterDecl], body: [Stmt], location: SourceLocation) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.location = location
    }

    /// The height of the tallest parameter default or body statement (the node holding the function adds its level).
    public var height: Int {
        let defaults = parameters.reduce(0) { max($0, $1.defaultValue?.height ?? 0) }
        return max(defaults, Stmt.height(of: body))
    }
}

/// A statement: something executed for its effect.
public struct Stmt: Sendable, Equatable {
    /// What kind of statement this is.
    public indirect enum Kind: Sendable, Equatable {
        case expression(Expr)
        /// `target = value`, or `target op= value` when `op` is set. The target is a variable, member or index.
        case assign(target: Expr, op: BinaryOperator?, value: Expr)
        case function(FunctionDecl)
        case forIn(variable: String, sequence: Expr, body: [Stmt])
        case `while`(condition: Expr, body: [Stmt])
        /// `else if` chains nest an `if` statement as the sole statement of `otherwise`.
        case `if`(condition: Expr, then: [Stmt], otherwise: [Stmt]?)
        case `return`(Expr?)
        case `break`
        case `continue`
    }

    public private(set) var kind: Kind
    public var location: SourceLocation
    public var length: Int
    /// Levels of nodes from this statement down to its deepest leaf, blocks and expressions included (see
    /// `Expr.height`).
    public private(set) var height: Int

    /// Creates a statement node.
    public init(_ kind: Kind, at location: SourceLocation, length: Int = 1) {
        self.kind = kind
        self.location = location
        self.length = length
        self.height = 1 + kind.childHeight
    }

    /// The height of the tallest statement of a block (0 for an empty one).
    static func height(of block: [Stmt]) -> Int { block.reduce(0) { max($0, $1.height) } }

    /// For `name = value` statements: the name assigned (used to find parameters in a parameters cell).
    public var assignedName: String? {
        if case .assign(let target, nil, _) = kind, case .variable(let name) = target.kind { return name }
        return nil
    }
}

extension Stmt.Kind {
    /// The height of the tallest expression or block below the statement (0 for none).
    var childHeight: Int {
        switch self {
        case .expression(let expr): return expr.height
        case .assign(let target, _, let value): return max(target.height, value.height)
        case .function(let declaration): return declaration.height
        // A block is one level with the statement that owns it: `if a { if b { … } }` is two levels deep.
        case .forIn(_, let sequence, let body): return max(sequence.height, Stmt.height(of: body))
        case .while(let condition, let body): return max(condition.height, Stmt.height(of: body))
        case .if(let condition, let then, let otherwise):
            return max(condition.height, Stmt.height(of: then), Stmt.height(of: otherwise ?? []))
        case .return(let value): return value?.height ?? 0
        case .break, .continue: return 0
        }
    }
}
