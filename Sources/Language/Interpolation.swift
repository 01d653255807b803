/// Piecewise-linear interpolation through points given in any order. Its use is reading runs made at several
/// settings at one fixed x — gold reward at a fixed KL along each method's frontier — so that two methods are
/// compared at equal x rather than at equal knob values.
enum Interpolation {
    /// y at `x` on the polyline through the points taken in ascending x (equal xs keep their given order; a point
    /// exactly at `x` gives its own y, the first such point if several), or nil when `x` lies outside
    /// [min xs, max xs]: nothing is extrapolated. `xs` and `ys` have the same, non-zero length.
    static func linear(xs: [Double], ys: [Double], at x: Double) -> Double? {
        let points = zip(xs, ys).enumerated()
            .sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
            .map(\.element)
        guard let first = points.first, let last = points.last, first.0 <= x, x <= last.0 else { return nil }
        if let exact = points.first(where: { $0.0 == x }) { return exact.1 }
        for (a, b) in zip(points, points.dropFirst()) where a.0 < x && x < b.0 {
            return a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0)
        }
        return nil  // unreachable: x lies strictly inside [first, last] and is no point's x
    }
}
