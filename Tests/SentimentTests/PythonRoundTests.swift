import Testing

@testable import Sentiment

/// `round(x, n)` against CPython 3.11's own answers (`python3 -c "print(repr(round(x, n)))"` for each row), ties to
/// even on the exact binary value: 0.03125 = 1/32 is exactly halfway between 0.0312 and 0.0313, while 5e-05 is a little
/// above its half (its double is 5.000000000000000409e-05) and 0.00015 a little below.
@Suite struct PythonRoundTests {
    @Test(arguments: [
        (0.03125, 4, 0.0312), (0.09375, 4, 0.0938), (-0.03125, 4, -0.0312), (0.0625, 3, 0.062),
        (0.1875, 3, 0.188), (0.6875, 3, 0.688), (0.5, 0, 0.0), (1.5, 0, 2.0), (2.5, 0, 2.0),
        (0.00005, 4, 0.0001), (0.00015, 4, 0.0001), (0.44043, 4, 0.4404), (-0.96875, 4, -0.9688),
        (0.84375, 4, 0.8438), (0.12345, 4, 0.1235), (0.99995, 4, 1.0), (1e-20, 4, 0.0),
    ])
    func roundsAsPython(value: Double, digits: Int, expected: Double) {
        #expect(PythonRound.round(value, digits: digits) == expected)
    }

    /// Python keeps the sign of a value that rounds to zero: `round(-4e-05, 4)` and `round(-1e-20, 4)` are -0.0.
    @Test(arguments: [-0.00004, -1e-20])
    func negativeValuesRoundToNegativeZero(value: Double) {
        let rounded = PythonRound.round(value, digits: 4)
        #expect(rounded == 0 && rounded.sign == .minus)
    }
}
