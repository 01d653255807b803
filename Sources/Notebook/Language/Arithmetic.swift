import Foundation

/// The language's operators on values. Errors are thrown without a location; the interpreter adds it.
/// Integer arithmetic never traps: overflow is reported as an error.
enum Arithmetic {
    /// Longest string or list `*` and `+` may build, so a typo cannot exhaust memory.
    static let maximumLength = 50_000_000

    static func apply(_ op: BinaryOperator, _ left: Value, _ right: Value) throws -> Value {
        switch (op, left, right) {
        case (_, .int(let a), .int(let b)):
            return try integer(op, a, b)
        case (_, .int, .double), (_, .double, .int), (_, .double, .double):
            return try floating(op, left.doubleValue ?? 0, right.doubleValue ?? 0)
        case (.add, .string(let a), .string(let b)):
            return .string(try checkedLength(a + b))
        case (.add, .list(let a), .list(let b)):
            try checkLength(a.count + b.count)
            return .list(a + b)
        case (.add, .record(var a), .record(let b)):
            for field in b { a[field.key] = field.value }
            return .record(a)
        case (.multiply, .string(let text), .int(let count)), (.multiply, .int(let count), .string(let text)):
            guard count >= 0 else { throw RuntimeError("cannot repeat a string a negative number of times (\(count))") }
            try checkLength(text.count.multipliedReportingOverflow(by: count))
            return .string(String(repeating: text, count: count))
        case (.multiply, .list(let elements), .int(let count)), (.multiply, .int(let count), .list(let elements)):
            guard count >= 0 else { throw RuntimeError("cannot repeat a list a negative number of times (\(count))") }
            try checkLength(elements.count.multipliedReportingOverflow(by: count))
            return .list(Array(repeating: elements, count: count).flatMap { $0 })
        default:
            throw RuntimeError(mismatch(op, left, right))
        }
    }

    static func negate(_ value: Value) throws -> Value {
        switch value {
        case .int(let a):
            let (result, overflow) = Int(0).subtractingReportingOverflow(a)
            if overflow { throw RuntimeError("integer overflow in -(\(a))") }
            return .int(result)
        case .double(let a):
            return .double(-a)
        default:
            throw RuntimeError("cannot negate \(value.typeName)")
        }
    }

    /// The language's `==`: numbers by value (`1 == 1.0`), lists element-wise, records by key regardless of
    /// order, functions and natives by identity; values of different types are unequal.
    static func equal(_ left: Value, _ right: Value) -> Bool {
        switch (left, right) {
        case (.int(let a), .int(let b)): return a == b
        case (.int, .double), (.double, .int), (.double, .double): return left.doubleValue == right.doubleValue
        case (.list(let a), .list(let b)): return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.record(let a), .record(let b)):
            return a.count == b.count && a.allSatisfy { field in b[field.key].map { equal(field.value, $0) } ?? false }
        default: return left == right
        }
    }

    static func compare(_ op: ComparisonOperator, _ left: Value, _ right: Value) throws -> Bool {
        switch op {
        case .equal: return equal(left, right)
        case .notEqual: return !equal(left, right)
        default: break
        }
        let ordering: Int
        switch (left, right) {
        case (.int(let a), .int(let b)): ordering = a < b ? -1 : a == b ? 0 : 1
        case (.int, .double), (.double, .int), (.double, .double):
            let a = left.doubleValue ?? 0, b = right.doubleValue ?? 0
            if a.isNaN || b.isNaN { return false }
            ordering = a < b ? -1 : a == b ? 0 : 1
        case (.string(let a), .string(let b)): ordering = a < b ? -1 : a == b ? 0 : 1
        default:
            throw RuntimeError("cannot compare \(left.typeName) and \(right.typeName) with '\(op.rawValue)'")
        }
        switch op {
        case .less: return ordering < 0
        case .lessEqual: return ordering <= 0
        case .greater: return ordering > 0
        default: return ordering >= 0
        }
    }

    // MARK: - Numbers

    private static func integer(_ op: BinaryOperator, _ a: Int, _ b: Int) throws -> Value {
        let result: (partialValue: Int, overflow: Bool)
        switch op {
        case .add: result = a.addingReportingOverflow(b)
        case .subtract: result = a.subtractingReportingOverflow(b)
        case .multiply: result = a.multipliedReportingOverflow(by: b)
        case .divide:
            guard b != 0 else { throw RuntimeError("division by zero") }
            return .double(Double(a) / Double(b))
        case .remainder:
            guard b != 0 else { throw RuntimeError("division by zero in remainder") }
            result = a.remainderReportingOverflow(dividingBy: b)
        case .power:
            if b < 0 { return .double(pow(Double(a), Double(b))) }
            result = power(a, b)
        }
        if result.overflow { throw RuntimeError("integer overflow in \(a) \(op.rawValue) \(b)") }
        return .int(result.partialValue)
    }

    private static func power(_ base: Int, _ exponent: Int) -> (partialValue: Int, overflow: Bool) {
        var result = 1, factor = base, remaining = exponent
        while remaining > 0 {
            if remaining & 1 == 1 {
                let product = result.multipliedReportingOverflow(by: factor)
                if product.overflow { return (0, true) }
                result = product.partialValue
            }
            remaining >>= 1
            if remaining > 0 {
                let square = factor.multipliedReportingOverflow(by: factor)
                if square.overflow { return (0, true) }
                factor = square.partialValue
            }
        }
        return (result, false)
    }

    private static func floating(_ op: BinaryOperator, _ a: Double, _ b: Double) throws -> Value {
        switch op {
        case .add: return .double(a + b)
        case .subtract: return .double(a - b)
        case .multiply: return .double(a * b)
        case .divide:
            guard b != 0 else { throw RuntimeError("division by zero") }
            return .double(a / b)
        case .remainder:
            guard b != 0 else { throw RuntimeError("division by zero in remainder") }
            return .double(a.truncatingRemainder(dividingBy: b))
        case .power: return .double(pow(a, b))
        }
    }

    // MARK: - Messages

    private static func mismatch(_ op: BinaryOperator, _ left: Value, _ right: Value) -> String {
        let a = left.typeName, b = right.typeName
        switch op {
        case .add: return "cannot add \(a) and \(b)"
        case .subtract: return "cannot subtract \(b) from \(a)"
        case .multiply: return "cannot multiply \(a) by \(b)"
        case .divide: return "cannot divide \(a) by \(b)"
        case .remainder: return "cannot take the remainder of \(a) divided by \(b)"
        case .power: return "cannot raise \(a) to the power of \(b)"
        }
    }

    private static func checkLength(_ length: (partialValue: Int, overflow: Bool)) throws {
        if length.overflow || length.partialValue > maximumLength {
            throw RuntimeError("result too long (more than \(maximumLength) elements)")
        }
    }

    private static func checkLength(_ length: Int) throws { try checkLength((length, false)) }

    private static func checkedLength(_ text: String) throws -> String {
        try checkLength(text.utf8.count)
        return text
    }
}
