import Testing

@testable import Engine

@Test func sameSeedSameStream() {
    var a = RNG(seed: 42), b = RNG(seed: 42)
    #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
}

@Test func differentSeedsDiffer() {
    var a = RNG(seed: 1), b = RNG(seed: 2)
    #expect(a.next() != b.next())
}

@Test func savedStateReproducesTheRest() {
    var a = RNG(seed: 9)
    _ = (0..<17).map { _ in a.next() }
    guard var b = RNG(state: a.state) else {
        Issue.record("a saved state must restore")
        return
    }
    #expect((0..<50).map { _ in a.normal() } == (0..<50).map { _ in b.normal() })
}

@Test(arguments: [[UInt64](), [0, 0, 0, 0], [1, 2, 3]])
func invalidStatesAreRefused(_ words: [UInt64]) {
    #expect(RNG(state: words) == nil)
}

@Test func normalHasUnitMomentsAndUniformStaysInRange() {
    var r = RNG(seed: 3)
    let xs = (0..<200_000).map { _ in Double(r.normal()) }
    let mean = xs.reduce(0, +) / Double(xs.count)
    let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count)
    #expect(abs(mean) < 0.01)
    #expect(abs(variance - 1) < 0.02)
    let us = (0..<10_000).map { _ in r.uniform() }
    #expect(us.allSatisfy { $0 >= 0 && $0 < 1 })
}

@Test(arguments: [1, 2, 7, 64])
func intBelowAndPermutationCoverTheRange(_ n: Int) {
    var r = RNG(seed: UInt64(n))
    #expect((0..<1000).allSatisfy { _ in (0..<n).contains(r.int(below: n)) })
    #expect(r.permutation(n).sorted() == Array(0..<n))
}
