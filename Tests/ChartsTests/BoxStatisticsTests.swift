import Testing

@testable import Charts

@Suite struct BoxStatisticsTests {
    @Test func quartilesInterpolateLikeNumpy() {
        // numpy.percentile([1, 2, 3, 4], [25, 50, 75]) == [1.75, 2.5, 3.25]
        let box = BoxStatistics([4, 1, 3, 2])
        #expect(box.q1 == 1.75)
        #expect(box.median == 2.5)
        #expect(box.q3 == 3.25)
        #expect(box.mean == 2.5)
        #expect(box.outliers.isEmpty)
        #expect(box.lowerWhisker == 1 && box.upperWhisker == 4)
    }

    @Test func whiskersStopAtTheLastPointWithinOneAndAHalfIQR() {
        // q1 2, q3 4, IQR 2: fences at -1 and 7. 7 is inside (whisker), 7.5 and -2 are outliers.
        let box = BoxStatistics([-2, 1, 2, 2, 3, 4, 4, 7, 7.5])
        #expect(box.q1 == 2)
        #expect(box.median == 3)
        #expect(box.q3 == 4)
        #expect(box.lowerWhisker == 1)
        #expect(box.upperWhisker == 7)
        #expect(box.outliers == [-2, 7.5])
    }

    @Test func nonFiniteValuesAreLeftOutAndEmptyIsNaN() {
        let box = BoxStatistics([1, .nan, 3, .infinity])
        #expect(box.count == 2)
        #expect(box.median == 2)
        let empty = BoxStatistics([])
        #expect(empty.count == 0 && empty.median.isNaN && empty.outliers.isEmpty)
    }

    @Test func singleValue() {
        let box = BoxStatistics([5])
        #expect(box.q1 == 5 && box.median == 5 && box.q3 == 5 && box.lowerWhisker == 5 && box.upperWhisker == 5)
    }
}
