/// The values a numeric parameter accepts, declared with the parameter and checked when it binds, so an
/// infinite, NaN, negative or absurdly large argument is refused at the call with a message that quotes it:
/// `finetune(): argument 'lr' must be a finite number > 0 and ≤ 100, got inf`.
///
/// ```swift
/// ValidRange.number(above: 0, atMost: 100)     // a learning rate
/// ValidRange.integer(1...1_000_000)             // a step count
/// ```
public struct ValidRange: Sendable, CustomStringConvertible {
    /// The smallest accepted value and whether it is itself accepted; nil for no lower bound.
    public var lower: (value: Double, inclusive: Bool)?
    /// The largest accepted value and whether it is itself accepted; nil for no upper bound.
    public var upper: (value: Double, inclusive: Bool)?
    /// Whether only whole numbers are accepted.
    public var integer: Bool
    /// Whether NaN and the infinities are accepted (a metric may be NaN; a hyper-parameter never).
    public var allowsNonFinite = false

    /// A range with the given bounds (nil: unbounded on that side).
    public init(
        lower: (value: Double, inclusive: Bool)?, upper: (value: Double, inclusive: Bool)?, integer: Bool,
        allowsNonFinite: Bool = false
    ) {
        self.lower = lower
        self.upper = upper
        self.integer = integer
        self.allowsNonFinite = allowsNonFinite
    }

    /// Integers in `range`.
    public static func integer(_ range: ClosedRange<Int>) -> ValidRange {
        ValidRange(lower: (Double(range.lowerBound), true), upper: (Double(range.upperBound), true), integer: true)
    }

    /// Any integer (a seed).
    public static let anyInteger = ValidRange(lower: nil, upper: nil, integer: true)

    /// Any number, NaN and the infinities included (a metric value).
    public static let anyNumber = ValidRange(lower: nil, upper: nil, integer: false, allowsNonFinite: true)

    /// Finite numbers strictly above `lower` and at most `upper`.
    public static func number(above lower: Double, atMost upper: Double) -> ValidRange {
        ValidRange(lower: (lower, false), upper: (upper, true), integer: false)
    }

    /// Finite numbers from `lower` to `upper`, each included unless said otherwise.
    public static func number(from lower: Double, to upper: Double, includingUpper: Bool = true) -> ValidRange {
        ValidRange(lower: (lower, true), upper: (upper, includingUpper), integer: false)
    }

    /// Whether `value` is accepted.
    public func contains(_ value: Double) -> Bool {
        guard value.isFinite else { return allowsNonFinite }
        if integer && value.rounded() != value { return false }
        if let lower, lower.inclusive ? value < lower.value : value <= lower.value { return false }
        if let upper, upper.inclusive ? value > upper.value : value >= upper.value { return false }
        return true
    }

    /// `a finite number > 0 and ≤ 100`, `an integer between 1 and 1000000`, `a finite number between 0 and 1`.
    public var description: String {
        let what = integer ? "an integer" : allowsNonFinite ? "a number" : "a finite number"
        func text(_ x: Double) -> String { x.rounded() == x && abs(x) < 1e15 ? String(Int(x)) : "\(x)" }
        switch (lower, upper) {
        case let (lower?, upper?) where lower.inclusive && upper.inclusive:
            return "\(what) between \(text(lower.value)) and \(text(upper.value))"
        case let (lower?, upper?):
            return "\(what) \(lower.inclusive ? "≥" : ">") \(text(lower.value)) and "
                + "\(upper.inclusive ? "≤" : "<") \(text(upper.value))"
        case let (lower?, nil): return "\(what) \(lower.inclusive ? "≥" : ">") \(text(lower.value))"
        case let (nil, upper?): return "\(what) \(upper.inclusive ? "≤" : "<") \(text(upper.value))"
        case (nil, nil): return what
        }
    }
}
