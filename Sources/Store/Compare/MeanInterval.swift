/// The mean of one metric over seeds with its 95% confidence interval: mean ± t(0.975, n−1) · s/√n, with s the
/// sample standard deviation (n−1 in the denominator). One value has a mean and no interval.
public struct MeanInterval: Sendable, Codable, Equatable {
    /// Values that entered (NaN values are left out, and counted in ``missing``).
    public var n: Int
    public var mean: Double
    /// Sample standard deviation; nil for n < 2.
    public var sd: Double?
    /// t(0.975, n−1) · sd / √n; nil for n < 2.
    public var halfWidth: Double?
    /// Runs of the group whose value was NaN or that lacked the metric.
    public var missing: Int

    public var low: Double? { halfWidth.map { mean - $0 } }
    public var high: Double? { halfWidth.map { mean + $0 } }

    /// Summarises `values` in order (one fixed summation order, so the same values give the same bits); nil when
    /// none is a number.
    public init?(_ values: [Double], missing extra: Int = 0, level: Double = 0.95) {
        let finite = values.filter { !$0.isNaN }
        missing = values.count - finite.count + extra
        n = finite.count
        guard n > 0 else { return nil }
        var sum = 0.0
        for v in finite { sum += v }
        mean = sum / Double(n)
        guard n > 1 else { return }
        var squares = 0.0
        for v in finite { squares += (v - mean) * (v - mean) }
        let s = (squares / Double(n - 1)).squareRoot()
        sd = s
        halfWidth = StudentT(degrees: Double(n - 1)).quantile(1 - (1 - level) / 2) * s / Double(n).squareRoot()
    }
}
