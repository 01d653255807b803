/// What a box plot draws of a sample: quartiles (linear interpolation between order statistics, numpy's default),
/// whiskers at the furthest observations within 1.5 IQR of the box (Tukey, as matplotlib), and the outliers beyond.
///
/// ```swift
/// let box = BoxStatistics([1, 2, 3, 4, 100])   // q1 2, median 3, q3 4; whiskers 1 and 4; outlier 100
/// ```
public struct BoxStatistics: Sendable, Equatable {
    public let count: Int
    public let q1: Double
    public let median: Double
    public let q3: Double
    /// Smallest observation ≥ q1 − 1.5 IQR.
    public let lowerWhisker: Double
    /// Largest observation ≤ q3 + 1.5 IQR.
    public let upperWhisker: Double
    /// Observations outside the whiskers, ascending.
    public let outliers: [Double]
    public let mean: Double

    /// Statistics of the finite values of `sample` (NaN and infinities are left out; an empty sample gives NaNs).
    public init(_ sample: [Double]) {
        let s = sample.filter(\.isFinite).sorted()
        count = s.count
        guard !s.isEmpty else {
            (q1, median, q3, lowerWhisker, upperWhisker, mean) = (.nan, .nan, .nan, .nan, .nan, .nan)
            outliers = []
            return
        }
        let (lower, upper) = (BoxStatistics.quantile(s, 0.25), BoxStatistics.quantile(s, 0.75))
        let (fenceLow, fenceHigh) = (lower - 1.5 * (upper - lower), upper + 1.5 * (upper - lower))
        let inside = s.filter { $0 >= fenceLow && $0 <= fenceHigh }
        q1 = lower
        median = BoxStatistics.quantile(s, 0.5)
        q3 = upper
        lowerWhisker = inside.first ?? lower
        upperWhisker = inside.last ?? upper
        outliers = s.filter { $0 < fenceLow || $0 > fenceHigh }
        mean = s.reduce(0, +) / Double(s.count)
    }

    /// The `p`-quantile of ascending values: position p·(n − 1), interpolated linearly.
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        let position = p * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }
}
