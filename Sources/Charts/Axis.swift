import Foundation

/// A linear axis with "nice" tick values (1, 2 or 5 times a power of ten), chosen as d3's `tickStep` does: the step
/// nearest, in ratio, to the span divided by the wanted number of intervals.
///
/// ```swift
/// let axis = Axis(covering: 0.124, 0.689, ticks: 5)   // ticks 0.1, 0.2, …, 0.7; domain 0.1...0.7
/// axis.fraction(0.4)                                    // 0.5
/// ```
public struct Axis: Sendable, Equatable {
    /// Values at which ticks are drawn, ascending.
    public let ticks: [Double]
    /// The range drawn, from the first to the last tick (or the fixed range).
    public let domain: ClosedRange<Double>
    /// Distance between ticks.
    public let step: Double

    /// Nice ticks whose range covers `low...high`, about `ticks` intervals apart.
    public init(covering low: Double, _ high: Double, ticks count: Int = 5) {
        var (lo, hi) = (min(low, high), max(low, high))
        if lo == hi {
            // A constant series still gets an axis: widen by one unit of its magnitude.
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            (lo, hi) = (lo - pad, hi + pad)
        }
        let step = Axis.tickStep(hi - lo, intervals: count)
        let first = (lo / step).rounded(.down)
        let last = (hi / step).rounded(.up)
        guard last - first <= Axis.maximumTicks else {
            // A span too wide for Double to step through (beyond ±1e307): just the ends.
            self.init(ticks: [lo, hi], domain: lo...hi, step: hi - lo)
            return
        }
        let ticks = stride(from: first, through: last, by: 1).map { Axis.clean($0 * step, step: step) }
        self.init(ticks: ticks, domain: (ticks.first ?? lo)...(ticks.last ?? hi), step: step)
    }

    /// More ticks than this means the span overflowed; no caller asks for more than a dozen.
    static let maximumTicks = 100.0

    private init(ticks: [Double], domain: ClosedRange<Double>, step: Double) {
        self.ticks = ticks
        self.domain = domain
        self.step = step
    }

    /// Ticks at nice values inside a range the caller fixed (like matplotlib's `ylim(0, 1)`).
    public init(fixed range: ClosedRange<Double>, ticks count: Int = 5) {
        let width = range.upperBound - range.lowerBound
        guard width > 0, width.isFinite else {
            self.init(covering: range.lowerBound, range.upperBound, ticks: count)
            return
        }
        let step = Axis.tickStep(width, intervals: count)
        let first = (range.lowerBound / step).rounded(.up)
        let last = (range.upperBound / step).rounded(.down)
        guard last - first <= Axis.maximumTicks else {
            self.init(ticks: [range.lowerBound, range.upperBound], domain: range, step: width)
            return
        }
        let ticks = stride(from: first, through: last, by: 1).map { Axis.clean($0 * step, step: step) }
        self.init(ticks: ticks, domain: range, step: step)
    }

    /// Where `value` falls on the axis: 0 at the domain's lower end, 1 at its upper end.
    public func fraction(_ value: Double) -> Double {
        Axis.fraction(value, from: domain.lowerBound, to: domain.upperBound)
    }

    /// Where `value` falls between `low` (0) and `high` (1); halves first so spans near ±Double.greatestFiniteMagnitude
    /// do not overflow to infinity.
    static func fraction(_ value: Double, from low: Double, to high: Double) -> Double {
        let width = high * 0.5 - low * 0.5
        guard width > 0, width.isFinite else { return 0.5 }
        return (value * 0.5 - low * 0.5) / width
    }

    /// `fraction` limited to 0…1, with NaN at 0, for drawing inside the plot.
    static func clamped(_ fraction: Double) -> Double {
        fraction.isNaN ? 0 : Swift.min(Swift.max(fraction, 0), 1)
    }

    /// A tick value as text, with just the decimals the step needs (`0.2`, `20`, `2.5e+06`).
    public func label(_ value: Double) -> String {
        Axis.format(value, step: step)
    }

    /// The nice step (1, 2 or 5 × 10ᵏ) for splitting `span` into about `intervals` parts: the raw step is rounded to
    /// the nice value nearest in ratio (thresholds √2, √10, √50).
    static func tickStep(_ span: Double, intervals: Int) -> Double {
        let raw = span / Double(max(intervals, 1))
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, log10(raw).rounded(.down))
        let error = raw / power
        let factor: Double =
            error >= 50.squareRoot() ? 10 : error >= 10.squareRoot() ? 5 : error >= 2.squareRoot() ? 2 : 1
        return factor * power
    }

    /// `value` rounded to the step's decimals, so 3 × 0.1 is 0.3 and not 0.30000000000000004.
    static func clean(_ value: Double, step: Double) -> Double {
        let digits = decimals(step)
        guard digits > 0, digits < 15 else { return value == 0 ? 0 : value }
        let scale = pow(10, Double(digits))
        let rounded = (value * scale).rounded() / scale
        return rounded == 0 ? 0 : rounded
    }

    static func decimals(_ step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        return max(0, Int((-log10(step)).rounded(.up)))
    }

    static func format(_ value: Double, step: Double) -> String {
        let magnitude = max(abs(value), step)
        if magnitude >= 1e6 || (magnitude < 1e-4 && value != 0) { return String(format: "%.2g", value) }
        return String(format: "%.\(decimals(step))f", value == 0 ? 0 : value)
    }
}
