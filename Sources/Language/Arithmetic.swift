import Foundation

/// The language's operators on values. Errors are thrown without a location; the interpreter adds it.
/// Integer arithmetic never traps: overflow is reported as an error.
enum Arithmetic {
    /// Longest string or list `*` and `+` may build, so a typo cannot exhaust memory.
    static let maximumLength = 50_000_000

    static func apply(_ op: BinaryOperator, _ left: Value, _ right: Value, maximumLength: Int = maximumLength) throws
        -> Value
    {
        let checkLength = { (length: (partialValue: Int, overflow: Bool)) throws in
            if length.overflow || length.partialValue > maximumLength {
                throw RuntimeError("result too long (more than \(maximumLength) elements)")
            }
        }
        switch (op, left, right) {
        case (_, .int(let a), .int(let b)):
            return try integer(op, a, b)
        case (_, .int, .double), (_, .double, .int), (_, .double, .double):
            return try floating(op, left.doubleValue ?? 0, right.doubleValue ?? 0)
        case (.add, .string(let a), .string(let b)):
            try checkLength(a.utf8.count.addingReportingOverflow(b.utf8.count))
            return .string(a + b)
        case (.add, .list(let a), .list(let b)):
            try checkLength(a.count.addingReportingOverflow(b.count))
            return .list(a + b)
        case (.add, .record(var a), .record(let b)):
            for field in b { a[field.key] = field.value }
            return .record(a)
        case (.multiply, .string(let text), .int(let count)), (.multiply, .int(let count), .string(let text)):
            guard count >= 0 else { throw RuntimeError("cannot repeat a string a negative number of times (\(count))") }
            try checkLength(text.utf8.count.multipliedReportingOverflow(by: count))
            // `"" * 9223372036854775807` is empty, but building it would still loop that many times.
            if text.isEmpty || count == 0 { return .string("") }
            return .string(String(repeating: text, count: count))
        case (.multiply, .list(let elements), .int(let count)), (.multiply, .int(let count), .list(let elements)):
            guard count >= 0 else { throw RuntimeError("cannot repeat a list a negative number of times (\(count))") }
            try checkLength(elements.count.multipliedReportingOverflow(by: count))
            if elements.isEmpty || count == 0 { return .list([]) }
            var repeated: [Value] = []
            repeated.reserveCapacity(elements.count * count)
            for _ in 0..<count { repeated += elements }
            return .list(repeated)
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
    ///
    /// - Throws: when more than `budget` elements and fields would be compared (a list sharing another many times
    ///   over can be small in memory and still have billions of elements to walk).
    static func equal(_ left: Value, _ right: Value, budget: Int = maximumLength) throws -> Bool {
        var remaining = budget
        let result = equal(left, right, remaining: &remaining)
        if remaining < 0 { throw RuntimeError("comparison too large: more than \(budget) elements to compare") }
        return result
    }

    private static func equal(_ left: Value, _ right: Value, remaining: inout Int) -> Bool {
        remaining -= 1
        if remaining < 0 { return false }
        switch (left, right) {
        case (.int(let a), .int(let b)): return a == b
        case (.int, .double), (.double, .int), (.double, .double): return left.doubleValue == right.doubleValue
        case (.list(let a), .list(let b)):
            guard a.count == b.count else { return false }
            for (x, y) in zip(a, b) where !equal(x, y, remaining: &remaining) { return false }
            return true
        case (.record(let a), .record(let b)):
            guard a.count == b.count else { return false }
            for field in a {
                guard let other = b[field.key], equal(field.value, other, remaining: &remaining) else { return false }
            }
            return true
        default: return left == right
        }
    }

    static func compare(_ op: ComparisonOperator, _ left: Value, _ right: Value, budget: Int = maximumLength) throws
        -> Bool
    {
        switch op {
        case .equal: return try equal(left, right, budget: budget)
        case .notEqual: return !(try equal(left, right, budget: budget))
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
            if b < 0 {
                guard a != 0 else { throw RuntimeError("division by zero in \(a) ** \(b)") }
                return .double(pow(Double(a), Double(b)))
            }
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
        case .power:
            // pow(0, -1) is inf: a division by zero, reported as one like `1 / 0`.
            guard a != 0 || !(b < 0) else {
                throw RuntimeError("division by zero in \(Value.format(a)) ** \(Value.format(b))")
            }
            return .double(pow(a, b))
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

}
