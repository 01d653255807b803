import Testing

@testable import Language

/// `interpolate(xs, ys, at:)`: piecewise-linear through the points in ascending x, nil outside their range. Expected
/// values are worked by hand: between (a, ya) and (b, yb), y = ya + (yb − ya)·(x − a)/(b − a).
struct InterpolateTests {
    @Test(
        arguments: [
            ([0.0, 1, 2], [0.0, 10, 40], 0.5, 5.0),  // 0 + 10·0.5
            ([0.0, 1, 2], [0.0, 10, 40], 1.5, 25.0),  // 10 + 30·0.5
            ([2.0, 0, 1], [40.0, 0, 10], 1.5, 25.0),  // the same points given out of order
            ([0.0, 1, 2], [0.0, 10, 40], 1.0, 10.0),  // exactly on a point
            ([0.0, 1, 2], [0.0, 10, 40], 0.0, 0.0),  // the ends are inside
            ([0.0, 1, 2], [0.0, 10, 40], 2.0, 40.0),
            ([3.0], [7.0], 3.0, 7.0),  // one point: only its own x
            ([1.0, 1, 3], [2.0, 4, 8], 1.0, 2.0),  // equal xs: the first given
            ([1.0, 1, 3], [2.0, 4, 8], 2.0, 6.0),  // then the segment from the last of them: 4 + 4·0.5
            ([0.5, 4], [1.0, -2], 1.25, 1.0 - 3.0 * 0.75 / 3.5),  // 0.357142857…
        ] as [([Double], [Double], Double, Double)])
    func interpolatesBetweenNeighbours(xs: [Double], ys: [Double], x: Double, expected: Double) throws {
        let y = try #require(Interpolation.linear(xs: xs, ys: ys, at: x))
        #expect(abs(y - expected) < 1e-12)
    }

    @Test(
        arguments: [
            ([0.0, 1, 2], -0.1), ([0.0, 1, 2], 2.1), ([3.0], 3.5), ([2.0, 0, 1], -1e-9),
        ] as [([Double], Double)])
    func givesNilOutsideThePoints(xs: [Double], x: Double) {
        #expect(Interpolation.linear(xs: xs, ys: xs.map { $0 * 2 }, at: x) == nil)
    }

    @Test(arguments: [
        ("print(interpolate([2, 0, 1], [40, 0, 10], at: 1.5))", "25"),
        ("print(interpolate([0.5, 4], [1, -2], at: 4))", "-2"),
        ("print(interpolate([0, 1], [0, 1], at: 5) == nil)", "true"),
    ])
    func runsInTheLanguage(source: String, printed: String) {
        let result = runOnMainSizedStack(source)
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.output.first.map { Double($0) == Double(printed) || $0 == printed } == true, "\(result.output)")
    }

    @Test(arguments: [
        ("interpolate([], [], at: 1)", "interpolate(): argument 'xs' must not be empty"),
        (
            "interpolate([1, 2], [1], at: 1)",
            "interpolate(): argument 'ys' must have as many elements as xs (2), found 1"
        ),
        ("interpolate([1, \"a\"], [1, 2], at: 1)", "interpolate(): argument 'xs' must hold finite numbers, found"),
        ("interpolate([1, 2], [1, nil], at: 1)", "interpolate(): argument 'ys' must hold finite numbers, found nil"),
        ("interpolate([1, 2], [1, 2], at: \"x\")", "interpolate(): argument 'at' must be a number, got string"),
        ("interpolate([1, 2], [1, 2])", "missing argument 'at' (label 'at') in call to interpolate()"),
    ])
    func refusesBadArguments(call: String, message: String) {
        let result = runOnMainSizedStack("x = \(call)")
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.hasPrefix(message) == true, "\(result.errors)")
    }
}
