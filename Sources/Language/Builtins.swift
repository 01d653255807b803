import Foundation

/// The one table of core, domain-free built-ins. Domain built-ins (models, tasks, training) are registered by
/// the host into a `BuiltinRegistry` the same way.
public enum Builtins {
    /// Largest list `range` will build.
    static let maximumRange = 10_000_000

    /// `print`, `range`, `len`, `str`, `int`, `float`, `round`, `min`, `max`, `sum`, `mean`, `abs`, `sqrt`, `exp`,
    /// `log`, `append`, `keys`, `type`, `map`, `filter`, `sorted`.
    public static var core: [Builtin] {
        [
            Builtin("print", [.variadic("values", type: "any"), .labelled("separator", type: "string", default: " ")],
                    doc: "Writes the values, separated by `separator`, as one line of output.") { args, context in
                let separator = try args.string("separator")
                let limit = context.interpreter.maximumLength
                context.print(try args.list("values").map { $0.displayText(limit: limit) }.joined(separator: separator))
                return .nil
            },
            Builtin("range", [.positional("start", type: "int"), .positional("end", type: "int", default: .some(.nil)),
                              .labelled("step", type: "int", default: 1)],
                    doc: "range(n) is [0, 1, …, n-1]; range(a, b) is [a, …, b-1]; `step` may be negative.") { args, context in
                var start = 0, end = try args.int("start")
                if try args.optional("end") != nil {
                    start = end
                    end = try args.int("end")
                }
                let step = try args.int("step")
                guard step != 0 else { throw args.error("step", "must not be zero") }
                let limit = min(maximumRange, context.interpreter.maximumLength)
                guard let count = rangeCount(from: start, to: end, by: step), count <= limit else {
                    let size = rangeCount(from: start, to: end, by: step).map(String.init) ?? "more than \(Int.max)"
                    throw RuntimeError("range(): \(size) elements is too many (at most \(limit))")
                }
                // Element i is start + i·step, which lies between start and end, so it cannot overflow.
                return .list((0..<count).map { .int(start + $0 * step) })
            },
            Builtin("len", [.positional("value", type: "string | list | record")],
                    doc: "Number of characters of a string, elements of a list, or fields of a record.") { args, _ in
                switch try args.value("value") {
                case .string(let text): return .int(text.count)
                case .list(let elements): return .int(elements.count)
                case .record(let record): return .int(record.count)
                case let other: throw args.error("value", "must be a string, list or record, got \(other.typeName)")
                }
            },
            Builtin("str", [.positional("value", type: "any")], doc: "The value as `print` shows it.") { args, context in
                .string(try args.value("value").displayText(limit: context.interpreter.maximumLength))
            },
            Builtin("int", [.positional("value", type: "number | string")],
                    doc: "Converts to an integer, truncating toward zero; parses strings.") { args, _ in
                switch try args.value("value") {
                case .int(let value): return .int(value)
                case .double(let value):
                    guard value.isFinite, abs(value) < 9.2e18 else { throw args.error("value", "\(value) does not fit an integer") }
                    return .int(Int(value))
                case .string(let text):
                    guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                        throw args.error("value", "\"\(text)\" is not an integer")
                    }
                    return .int(value)
                case let other: throw args.error("value", "must be a number or string, got \(other.typeName)")
                }
            },
            Builtin("float", [.positional("value", type: "number | string")],
                    doc: "Converts to a floating-point number; parses strings.") { args, _ in
                if case .string(let text) = try args.value("value") {
                    guard let value = Double(text.trimmingCharacters(in: .whitespaces)) else {
                        throw args.error("value", "\"\(text)\" is not a number")
                    }
                    return .double(value)
                }
                return .double(try args.double("value"))
            },
            Builtin("round", [.positional("x", type: "number"), .labelled("digits", type: "int", default: 0)],
                    doc: "Rounds half away from zero; with digits 0 the result is an integer.") { args, _ in
                let x = try args.double("x"), digits = try args.int("digits")
                guard (-308...308).contains(digits) else {
                    throw args.error("digits", "must be between -308 and 308, got \(digits)")
                }
                if digits == 0 {
                    let rounded = x.rounded()
                    guard rounded.isFinite, abs(rounded) < 9.2e18 else { return .double(rounded) }
                    return .int(Int(rounded))
                }
                let scale = pow(10.0, Double(digits))
                // Past 1e308 the scaled value is inf; a double has no digits that far right to round away.
                guard (x * scale).isFinite else { return .double(x) }
                return .double((x * scale).rounded() / scale)
            },
            Builtin("format", [.positional("x", type: "number"), .labelled("digits", type: "int", default: 3),
                               .labelled("width", type: "int", default: 0)],
                    doc: "The number with exactly `digits` decimals, right-aligned in `width` characters (for tables).") { args, _ in
                let x = try args.double("x"), digits = try args.int("digits"), width = try args.int("width")
                guard (0...17).contains(digits) else { throw args.error("digits", "must be between 0 and 17, got \(digits)") }
                guard (0...200).contains(width) else { throw args.error("width", "must be between 0 and 200, got \(width)") }
                let text = String(format: "%.\(digits)f", x)
                return .string(String(repeating: " ", count: max(0, width - text.count)) + text)
            },
            Builtin("min", [.variadic("values", type: "number | string")],
                    doc: "The smallest argument, or the smallest element of a single list argument.") { args, context in
                try extreme(args, context, .less)
            },
            Builtin("max", [.variadic("values", type: "number | string")],
                    doc: "The largest argument, or the largest element of a single list argument.") { args, context in
                try extreme(args, context, .greater)
            },
            Builtin("sum", [.positional("values", type: "list")],
                    doc: "The sum of a list of numbers (0 for an empty list).") { args, _ in
                var total: Value = .int(0)
                for element in try args.list("values") {
                    guard element.doubleValue != nil else { throw args.error("values", "must hold numbers, found \(element.typeName)") }
                    total = try Arithmetic.apply(.add, total, element)
                }
                return total
            },
            Builtin("mean", [.positional("values", type: "list")], doc: "The arithmetic mean of a non-empty list of numbers.") { args, _ in
                let elements = try args.list("values")
                guard !elements.isEmpty else { throw args.error("values", "must not be empty") }
                var total = 0.0
                for element in elements {
                    guard let number = element.doubleValue else {
                        throw args.error("values", "must hold numbers, found \(element.typeName)")
                    }
                    total += number
                }
                return .double(total / Double(elements.count))
            },
            Builtin("abs", [.positional("x", type: "number")], doc: "Absolute value (integers stay integers).") { args, _ in
                if case .int(let value) = try args.value("x") {
                    guard value != .min else { throw RuntimeError("integer overflow in abs(\(value))") }
                    return .int(abs(value))
                }
                return .double(abs(try args.double("x")))
            },
            Builtin("sqrt", [.positional("x", type: "number")], doc: "Square root of a non-negative number.") { args, _ in
                let x = try args.double("x")
                guard x >= 0 else { throw args.error("x", "must not be negative, got \(Value.double(x).displayText)") }
                return .double(x.squareRoot())
            },
            Builtin("exp", [.positional("x", type: "number")], doc: "e raised to the power x.") { args, _ in
                .double(Foundation.exp(try args.double("x")))
            },
            Builtin("log", [.positional("x", type: "number")], doc: "Natural logarithm of a positive number.") { args, _ in
                let x = try args.double("x")
                guard x > 0 else { throw args.error("x", "must be positive, got \(Value.double(x).displayText)") }
                return .double(Foundation.log(x))
            },
            Builtin("append", [.positional("list", type: "list"), .positional("value", type: "any")],
                    doc: "A new list with `value` added at the end (the original is unchanged).") { args, context in
                let list = try args.list("list")
                guard list.count < context.interpreter.maximumLength else {
                    throw args.error("list", "already holds \(list.count) elements, the most a list may have")
                }
                return .list(list + [try args.value("value")])
            },
            Builtin("keys", [.positional("record", type: "record")], doc: "The field names of a record, in order.") { args, _ in
                .list(try args.record("record").keys.map(Value.string))
            },
            Builtin("type", [.positional("value", type: "any")],
                    doc: "The type name: number, string, bool, nil, list, record, function, or a native type.") { args, _ in
                .string(try args.value("value").typeName)
            },
            Builtin("map", [.positional("list", type: "list"), .positional("transform", type: "function")],
                    doc: "A new list with `transform` applied to each element: map(xs, fn(x) { x * 2 }).") { args, context in
                let transform = try args.function("transform")
                return .list(try args.list("list").map { try context.call(transform, [$0]) })
            },
            Builtin("filter", [.positional("list", type: "list"), .positional("keep", type: "function")],
                    doc: "The elements for which `keep` returns true: filter(xs, fn(x) { x > 1 }).") { args, context in
                let keep = try args.function("keep")
                return .list(try args.list("list").filter { element in
                    guard let flag = try context.call(keep, [element]).boolValue else {
                        throw args.error("keep", "must return a bool")
                    }
                    return flag
                })
            },
            Builtin("sorted", [.positional("list", type: "list")],
                    doc: "A new list of the numbers or strings in ascending order.") { args, _ in
                var failure: RuntimeError?
                let sorted = try args.list("list").sorted { a, b in
                    do { return try Arithmetic.compare(.less, a, b) } catch {
                        failure = error as? RuntimeError
                        return false
                    }
                }
                if let failure { throw args.error("list", "must hold comparable values: \(failure.message)") }
                return .list(sorted)
            },
        ]
    }

    /// How many elements `range(start, end, step:)` has, or nil if more than `Int.max` (the subtraction overflows).
    static func rangeCount(from start: Int, to end: Int, by step: Int) -> Int? {
        guard step > 0 ? end > start : start > end else { return 0 }
        let (distance, overflow) = step > 0 ? end.subtractingReportingOverflow(start) : start.subtractingReportingOverflow(end)
        guard !overflow else { return nil }
        // ⌈distance / |step|⌉ without computing distance + |step| - 1, which could overflow.
        let magnitude = step.magnitude
        return Int((UInt(distance) - 1) / magnitude + 1)
    }

    /// `min`/`max`: of two or more numbers or strings, or of the elements of one list of them.
    private static func extreme(_ args: Arguments, _ context: CallContext, _ op: ComparisonOperator) throws -> Value {
        var values = try args.list("values")
        if values.count == 1 {
            guard let elements = values[0].listValue else {
                throw args.error("values", "must be a list or two or more numbers or strings, got one \(values[0].typeName)")
            }
            values = elements
        }
        guard var best = values.first else {
            throw args.error("values", "must not be empty")
        }
        for value in values {
            switch value {
            case .int, .double, .string: continue
            default: throw args.error("values", "must be numbers or strings, found \(value.typeName)")
            }
        }
        for value in values.dropFirst() {
            do {
                if try Arithmetic.compare(op, value, best) { best = value }
            } catch let error as RuntimeError {
                throw args.error("values", "must be comparable: \(error.message)")
            }
        }
        return best
    }
}
