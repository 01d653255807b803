import Testing

@testable import Charts

@Suite struct AxisTests {
    @Test(arguments: [
        (0.0, 100.0, [0.0, 20, 40, 60, 80, 100]),
        (0.0, 1.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (0.124, 0.689, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]),
        (-0.302, 2.344, [-0.5, 0, 0.5, 1, 1.5, 2, 2.5]),
        (60.0, 90.0, [60.0, 65, 70, 75, 80, 85, 90]),
        (-39853.6, 1495.88, [-40000.0, -30000, -20000, -10000, 0, 10000]),
    ])
    func niceTicksCoverTheData(low: Double, high: Double, expected: [Double]) {
        let axis = Axis(covering: low, high, ticks: 5)
        #expect(axis.ticks == expected)
        #expect(axis.domain.lowerBound <= low && axis.domain.upperBound >= high)
    }

    @Test func fixedRangeKeepsTheRangeAndPlacesTicksInside() {
        let axis = Axis(fixed: 0...1, ticks: 5)
        #expect(axis.domain == 0...1)
        #expect(axis.ticks == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
        let odd = Axis(fixed: 0.05...0.95, ticks: 5)
        #expect(odd.ticks == [0.2, 0.4, 0.6, 0.8])
    }

    @Test func spansBeyondDoubleRangeGetTheirEndsOnly() {
        let axis = Axis(covering: -1e308, 1e308)
        #expect(axis.ticks == [-1e308, 1e308])
        #expect(axis.fraction(0) == 0.5)
    }

    @Test func constantDataStillGetsAnAxis() {
        let axis = Axis(covering: 3, 3)
        #expect(axis.domain.lowerBound < 3 && axis.domain.upperBound > 3)
        #expect(axis.ticks.count >= 2)
    }

    @Test(arguments: [(0.0, 0.0), (50.0, 0.5), (100.0, 1.0), (25.0, 0.25), (-10.0, -0.1)])
    func scaleMapsDomainLinearly(value: Double, fraction: Double) {
        let axis = Axis(covering: 0, 100)
        #expect(abs(axis.fraction(value) - fraction) < 1e-12)
    }

    @Test(arguments: [
        (0.3, 0.1, "0.3"), (20.0, 20.0, "20"), (0.0, 0.05, "0.00"), (-0.5, 0.5, "-0.5"), (2.5e6, 5e5, "2.5e+06"),
    ])
    func labelsUseTheStepsDecimals(value: Double, step: Double, expected: String) {
        #expect(Axis.format(value, step: step) == expected)
    }

    @Test(arguments: [
        (100.0, 5, 20.0), (1.0, 5, 0.2), (0.565, 5, 0.1), (30.0, 5, 5.0), (2.646, 5, 0.5),
        (41349.48, 5, 10000.0), (7.0, 7, 1.0), (0.0, 5, 1.0),
    ])
    func tickStepIsTheNearestNiceStep(span: Double, intervals: Int, expected: Double) {
        #expect(abs(Axis.tickStep(span, intervals: intervals) - expected) < 1e-12)
    }
}
