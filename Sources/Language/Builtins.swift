import Foundation

/// The one table of core, domain-free built-ins. Domain built-ins (models, tasks, training) are registered by
/// the host into a `BuiltinRegistry` the same way.
public enum Builtins {
    /// Largest list `range` will build.
    static let maximumRange = 10_000_000

    /// `print`, `str`, `type`; `len`, `int`, `float`; `round`, `format`, `min`, `max`, `abs`, `sqrt`, `exp`, `log`;
    /// `range`, `sum`, `mean`, `append`, `keys`, `map`, `filter`, `sorted`, `interpolate`. Each parameter is a typed
    /// `Param`: the binder has checked every argument before a body reads it.
    public static var core: [Builtin] {
        output + conversions + arithmetic + lists
    }

    private static var output: [Builtin] {
        let values = Param.variadic("values", .any), separator = Param.labelled("separator", .string, default: " ")
        let value = Param.positional("value", .any)
        return [
            Builtin(
                "print", [values, separator],
                doc: "Writes the values, separated by `separator`, as one line of output."
            ) { args, context in
                let limit = context.interpreter.maximumLength
                context.print(try values(args).map { $0.displayText(limit: limit) }.joined(separator: separator(args)))
                return .nil
            },
            Builtin("str", [value], doc: "The value as `print` shows it.") { args, context in
                .string(try value(args).displayText(limit: context.interpreter.maximumLength))
            },
            Builtin(
                "type", [value],
                doc: "The type name: number, string, bool, nil, list, record, function, or a native type."
            ) { args, _ in
                .string(try value(args).typeName)
            },
        ]
    }

    private static var conversions: [Builtin] {
        let numberOrString = Param.positional("value", .union(ArgumentType.number.type, ArgumentType.string.type))
        let sized = Param.positional(
            "value", .union(ArgumentType.string.type, ArgumentType.list.type, ArgumentType.record.type))
        return [
            Builtin(
                "len", [sized],
                doc: "Number of characters of a string, elements of a list, or fields of a record."
            ) { args, _ in
                switch try sized(args) {
                case .string(let text): return .int(text.count)
                case .list(let elements): return .int(elements.count)
                case .record(let record): return .int(record.count)
                case let other: throw sized.error(args, "must be a string, list or record, got \(other.typeName)")
                }
            },
            Builtin(
                "int", [numberOrString],
                doc: "Converts to an integer, truncating toward zero; parses strings."
            ) { args, _ in
                switch try numberOrString(args) {
                case .int(let value): return .int(value)
                case .double(let value):
                    guard value.isFinite, abs(value) < 9.2e18 else {
                        throw numberOrString.error(args, "\(value) does not fit an integer")
                    }
                    return .int(Int(value))
                case .string(let text):
                    guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                        throw numberOrString.error(args, "\"\(text)\" is not an integer")
                    }
                    return .int(value)
                case let other: throw numberOrString.error(args, "must be a number or string, got \(other.typeName)")
                }
            },
            Builtin(
                "float", [numberOrString],
                doc: "Converts to a floating-point number; parses strings."
            ) { args, _ in
                let value = try numberOrString(args)
                if case .string(let text) = value {
                    guard let number = Double(text.trimmingCharacters(in: .whitespaces)) else {
                        throw numberOrString.error(args, "\"\(text)\" is not a number")
                    }
                    return .double(number)
                }
                guard let number = value.doubleValue else {
                    throw numberOrString.error(args, "must be a number or string, got \(value.typeName)")
                }
                return .double(number)
            },
        ]
    }

    private static var arithmetic: [Builtin] {
        let x = Param.positional("x", .number)
        let roundDigits = Param.labelled("digits", .int, default: 0)
        let formatDigits = Param.labelled("digits", .int, default: 3), width = Param.labelled("width", .int, default: 0)
        let comparable = ArgumentType<Value>.union(
            ArgumentType.number.type, ArgumentType.string.type, ArgumentType.list.type)
        let extremes = Param.variadic("values", comparable)
        return [
            Builtin(
                "round", [x, roundDigits],
                doc: "Rounds half away from zero; with digits 0 the result is an integer."
            ) { args, _ in
                let number = try x(args), digits = try roundDigits(args)
                guard (-308...308).contains(digits) else {
                    throw roundDigits.error(args, "must be between -308 and 308, got \(digits)")
                }
                if digits == 0 {
                    let rounded = number.rounded()
                    guard rounded.isFinite, abs(rounded) < 9.2e18 else { return .double(rounded) }
                    return .int(Int(rounded))
                }
                let scale = pow(10.0, Double(digits))
                // Past 1e308 the scaled value is inf; a double has no digits that far right to round away.
                guard (number * scale).isFinite else { return .double(number) }
                return .double((number * scale).rounded() / scale)
            },
            Builtin(
                "format", [x, formatDigits, width],
                doc: "The number with exactly `digits` decimals, right-aligned in `width` characters (for tables)."
            ) { args, _ in
                let number = try x(args), digits = try formatDigits(args), columns = try width(args)
                guard (0...17).contains(digits) else {
                    throw formatDigits.error(args, "must be between 0 and 17, got \(digits)")
                }
                guard (0...200).contains(columns) else {
                    throw width.error(args, "must be between 0 and 200, got \(columns)")
                }
                let text = String(format: "%.\(digits)f", number)
                return .string(String(repeating: " ", count: max(0, columns - text.count)) + text)
            },
            Builtin(
                "min", [extremes],
                doc: "The smallest argument, or the smallest element of a single list argument."
            ) { args, _ in
                try extreme(try extremes(args), extremes, args, .less)
            },
            Builtin(
                "max", [extremes],
                doc: "The largest argument, or the largest element of a single list argument."
            ) { args, _ in
                try extreme(try extremes(args), extremes, args, .greater)
            },
            Builtin("abs", [x], doc: "Absolute value (integers stay integers).") { args, _ in
                if case .int(let value) = try args.value(x.name) {
                    guard value != .min else { throw RuntimeError("integer overflow in abs(\(value))") }
                    return .int(abs(value))
                }
                return .double(abs(try x(args)))
            },
            Builtin("sqrt", [x], doc: "Square root of a non-negative number.") { args, _ in
                let number = try x(args)
                guard number >= 0 else {
                    throw x.error(args, "must not be negative, got \(Value.double(number).displayText)")
                }
                return .double(number.squareRoot())
            },
            Builtin("exp", [x], doc: "e raised to the power x.") { args, _ in
                .double(Foundation.exp(try x(args)))
            },
            Builtin("log", [x], doc: "Natural logarithm of a positive number.") { args, _ in
                let number = try x(args)
                guard number > 0 else {
                    throw x.error(args, "must be positive, got \(Value.double(number).displayText)")
                }
                return .double(Foundation.log(number))
            },
        ]
    }

    private static var lists: [Builtin] {
        let start = Param.positional("start", .int), end = Param.optional("end", .int, positional: true)
        let step = Param.labelled("step", .int, default: 1)
        let numbers = Param.positional("values", .list)
        let list = Param.positional("list", .list), value = Param.positional("value", .any)
        let record = Param.positional("record", .record)
        let transform = Param.positional("transform", .function), keep = Param.positional("keep", .function)
        return [
            Builtin(
                "range", [start, end, step],
                doc: "range(n) is [0, 1, …, n-1]; range(a, b) is [a, …, b-1]; `step` may be negative."
            ) { args, context in
                var first = 0, last = try start(args)
                if let end = try end(args) {
                    first = last
                    last = end
                }
                let stride = try step(args)
                guard stride != 0 else { throw step.error(args, "must not be zero") }
                let limit = min(maximumRange, context.interpreter.maximumLength)
                guard let count = rangeCount(from: first, to: last, by: stride), count <= limit else {
                    let size = rangeCount(from: first, to: last, by: stride).map(String.init) ?? "more than \(Int.max)"
                    throw RuntimeError("range(): \(size) elements is too many (at most \(limit))")
                }
                // Element i is start + i·step, which lies between start and end, so it cannot overflow.
                return .list((0..<count).map { .int(first + $0 * stride) })
            },
            Builtin("sum", [numbers], doc: "The sum of a list of numbers (0 for an empty list).") { args, _ in
                var total: Value = .int(0)
                for element in try numbers(args) {
                    guard element.doubleValue != nil else {
                        throw numbers.error(args, "must hold numbers, found \(element.typeName)")
                    }
                    total = try Arithmetic.apply(.add, total, element)
                }
                return total
            },
            Builtin("mean", [numbers], doc: "The arithmetic mean of a non-empty list of numbers.") { args, _ in
                let elements = try numbers(args)
                guard !elements.isEmpty else { throw numbers.error(args, "must not be empty") }
                var total = 0.0
                for element in elements {
                    guard let number = element.doubleValue else {
                        throw numbers.error(args, "must hold numbers, found \(element.typeName)")
                    }
                    total += number
                }
                return .double(total / Double(elements.count))
            },
            Builtin(
                "append", [list, value],
                doc: "A new list with `value` added at the end (the original is unchanged)."
            ) { args, context in
                let elements = try list(args)
                guard elements.count < context.interpreter.maximumLength else {
                    throw list.error(args, "already holds \(elements.count) elements, the most a list may have")
                }
                return .list(elements + [try value(args)])
            },
            Builtin("keys", [record], doc: "The field names of a record, in order.") { args, _ in
                .list(try record(args).keys.map(Value.string))
            },
            Builtin(
                "map", [list, transform],
                doc: "A new list with `transform` applied to each element: map(xs, fn(x) { x * 2 })."
            ) { args, context in
                let function = try transform(args)
                return .list(try list(args).map { try context.call(function, [$0]) })
            },
            Builtin(
                "filter", [list, keep],
                doc: "The elements for which `keep` returns true: filter(xs, fn(x) { x > 1 })."
            ) { args, context in
                let test = try keep(args)
                return .list(
                    try list(args).filter { element in
                        guard let flag = try context.call(test, [element]).boolValue else {
                            throw keep.error(args, "must return a bool")
                        }
                        return flag
                    })
            },
            Builtin(
                "sorted", [list],
                doc: "A new list of the numbers or strings in ascending order."
            ) { args, _ in
                var failure: RuntimeError?
                let sorted = try list(args).sorted { a, b in
                    do { return try Arithmetic.compare(.less, a, b) } catch {
                        failure = error as? RuntimeError
                        return false
                    }
                }
                if let failure { throw list.error(args, "must hold comparable values: \(failure.message)") }
                return .list(sorted)
            },
            interpolate,
        ]
    }

    /// `interpolate(xs, ys, at: x)`: see `Interpolation.linear`.
    private static var interpolate: Builtin {
        let xs = Param.positional("xs", .list), ys = Param.positional("ys", .list)
        let at = Param.labelled("at", .number)
        return Builtin(
            "interpolate", [xs, ys, at],
            doc:
                "y at x on the straight segments through the points (xs[i], ys[i]) taken in ascending x; nil outside [min(xs), max(xs)] (no extrapolation): interpolate(kls, golds, at: 2)."
        ) { args, _ in
            func finite(_ param: Param<[Value]>) throws -> [Double] {
                try param(args).map { element in
                    guard let number = element.doubleValue, number.isFinite else {
                        throw param.error(args, "must hold finite numbers, found \(element.displayText(limit: 40))")
                    }
                    return number
                }
            }
            let (x, y) = (try finite(xs), try finite(ys))
            guard !x.isEmpty else { throw xs.error(args, "must not be empty") }
            guard x.count == y.count else {
                throw ys.error(args, "must have as many elements as xs (\(x.count)), found \(y.count)")
            }
            let point = try at(args)
            guard point.isFinite else { throw at.error(args, "must be a finite number") }
            return Interpolation.linear(xs: x, ys: y, at: point).map(Value.double) ?? .nil
        }
    }

    /// How many elements `range(start, end, step:)` has, or nil if more than `Int.max` (the subtraction overflows).
    static func rangeCount(from start: Int, to end: Int, by step: Int) -> Int? {
        guard step > 0 ? end > start : start > end else { return 0 }
        let (distance, overflow) =
            step > 0 ? end.subtractingReportingOverflow(start) : start.subtractingReportingOverflow(end)
        guard !overflow else { return nil }
        // ⌈distance / |step|⌉ without computing distance + |step| - 1, which could overflow.
        let magnitude = step.magnitude
        return Int((UInt(distance) - 1) / magnitude + 1)
    }

    /// `min`/`max`: of two or more numbers or strings, or of the elements of one list of them.
    private static func extreme(
        _ values: [Value], _ parameter: Param<[Value]>, _ args: Arguments,
        _ op: ComparisonOperator
    ) throws -> Value {
        var values = values
        if values.count == 1 {
            guard let elements = values[0].listValue else {
                throw parameter.error(
                    args, "must be a list or two or more numbers or strings, got one \(values[0].typeName)")
            }
            values = elements
        }
        guard var best = values.first else {
            throw parameter.error(args, "must not be empty")
        }
        for value in values {
            switch value {
            case .int, .double, .string: continue
            default: throw parameter.error(args, "must be numbers or strings, found \(value.typeName)")
            }
        }
        for value in values.dropFirst() {
            do {
                if try Arithmetic.compare(op, value, best) { best = value }
            } catch let error as RuntimeError {
                throw parameter.error(args, "must be comparable: \(error.message)")
            }
        }
        return best
    }
}
