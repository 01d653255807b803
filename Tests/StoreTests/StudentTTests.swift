import Foundation
import Testing

@testable import Store

/// The t quantile and CDF behind `rlhf compare`'s intervals, against tabulated values, closed forms and SciPy.
///
/// The SciPy column was printed by (SciPy 1.17.1):
/// ```python
/// from scipy import stats
/// for p, df in [(0.975, 1), (0.975, 2), …]: print(p, df, repr(stats.t.ppf(p, df)))
/// for t, df in [(0.5, 3), …]: print(t, df, repr(stats.t.cdf(t, df)))
/// ```
@Suite struct StudentTTests {
    @Test(arguments: [
        (0.975, 1.0, 12.706204736174694), (0.975, 2.0, 4.302652729749462), (0.975, 3.0, 3.1824463052837078),
        (0.975, 4.0, 2.7764451051977934), (0.975, 9.0, 2.262157162798205), (0.975, 29.0, 2.045229642132703),
        (0.95, 10.0, 1.8124611228116756), (0.995, 5.0, 4.032142983555228), (0.975, 1000.0, 1.9623390808264083),
        (0.999, 3.0, 10.214531852407383), (0.6, 7.0, 0.2631668613520229), (0.025, 9.0, -2.2621571627982053),
    ])
    func quantilesMatchTheTables(p: Double, degrees: Double, expected: Double) {
        let t = StudentT(degrees: degrees).quantile(p)
        #expect(abs(t - expected) <= 1e-9 * max(1, abs(expected)), "t(\(p), \(degrees)) = \(t), want \(expected)")
    }

    /// The printed tables' six-figure value the issue names.
    @Test func theNineDegreeValueRoundsToTheTable() {
        #expect((StudentT(degrees: 9).quantile(0.975) * 1e6).rounded() / 1e6 == 2.262157)
    }

    @Test(arguments: [
        (0.5, 3.0, 0.6742760175759245), (1.0, 5.0, 0.8183912661754386), (2.0, 9.0, 0.9617235881146495),
        (-1.5, 4.0, 0.104), (3.0, 30.0, 0.9973050179671741), (0.0, 6.0, 0.5),
    ])
    func cdfMatchesSciPy(t: Double, degrees: Double, expected: Double) {
        #expect(abs(StudentT(degrees: degrees).cdf(t) - expected) <= 1e-12)
    }

    /// One degree of freedom is the Cauchy distribution, two has a closed form: quantiles against both.
    @Test(arguments: [0.51, 0.6, 0.75, 0.9, 0.975, 0.99, 0.2, 0.01])
    func closedFormsForOneAndTwoDegrees(p: Double) {
        let cauchy = tan(Double.pi * (p - 0.5))
        #expect(abs(StudentT(degrees: 1).quantile(p) - cauchy) <= 1e-9 * max(1, abs(cauchy)))
        let two = (2 * p - 1) / (2 * p * (1 - p)).squareRoot()
        #expect(abs(StudentT(degrees: 2).quantile(p) - two) <= 1e-9 * max(1, abs(two)))
    }

    /// mean ± t(0.975, n−1)·s/√n by hand: [1, 2, 3, 4, 5] has mean 3, s = √2.5, half-width
    /// 2.7764451051977934 · √2.5 / √5 = 1.963243…; [0.5, 0.7, 0.9] has s = 0.2, half-width 4.302652729749462 · 0.2 / √3.
    @Test(arguments: [
        ([1.0, 2, 3, 4, 5], 3.0, 2.5.squareRoot(), 2.7764451051977934 * 2.5.squareRoot() / 5.0.squareRoot()),
        ([0.5, 0.7, 0.9], 0.7, 0.2, 4.302652729749462 * 0.2 / 3.0.squareRoot()),
        ([2.0, 2.0], 2.0, 0.0, 0.0),
    ])
    func intervalsMatchHandComputation(values: [Double], mean: Double, sd: Double, halfWidth: Double) throws {
        let m = try #require(MeanInterval(values))
        #expect(m.n == values.count && m.missing == 0)
        #expect(abs(m.mean - mean) <= 1e-15 && abs((m.sd ?? .nan) - sd) <= 1e-15)
        #expect(abs((m.halfWidth ?? .nan) - halfWidth) <= 1e-9)
        #expect(m.low == m.mean - (m.halfWidth ?? 0) && m.high == m.mean + (m.halfWidth ?? 0))
    }

    @Test func oneValueHasNoIntervalAndNaNIsMissing() throws {
        let one = try #require(MeanInterval([4, .nan], missing: 1))
        #expect(one.n == 1 && one.mean == 4 && one.sd == nil && one.halfWidth == nil && one.missing == 2)
        #expect(MeanInterval([.nan]) == nil && MeanInterval([]) == nil)
    }
}
