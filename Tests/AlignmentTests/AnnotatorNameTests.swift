import Testing

@testable import Alignment

/// `Annotator.name` is the canonical form stored on every row and in notebooks' bindings; `init(name:)` reads it back.
@Test(arguments: [
    Annotator.coin, .oracle, .bradleyTerry(noise: 0.05), .bradleyTerry(noise: 0.1, temperature: 2),
    .bradleyTerry(noise: 0, temperature: 0.25), .bradleyTerry(noise: 1e-07), .biased(toward: "length", weight: 0.5),
    .biased(toward: "length", weight: -0.75), .biased(toward: "length", weight: 1e-07),
    .panel([.oracle, .bradleyTerry(noise: 0.2), .biased(toward: "length", weight: 1)]),
    .panel([
        .oracle, .panel([.coin, .bradleyTerry(noise: 0.2, temperature: 3)]), .biased(toward: "length", weight: 1e-07),
    ]),
    .panel([.panel([.coin, .oracle]), .panel([.panel([.coin, .coin]), .oracle])]),
])
func annotatorsAreRebuiltFromTheirCanonicalNames(annotator: Annotator) throws {
    #expect(try Annotator(name: annotator.name) == annotator)
    #expect(try Annotator(name: annotator.name).name == annotator.name)
}

/// Names as stores written them before the canonical form was Alignment's (read from a store of commit 4daa65d).
@Test(arguments: [
    ("bradleyTerry(noise: 0.1)", Annotator.bradleyTerry(noise: 0.1)),
    ("bradleyTerry(noise: 0.05, temperature: 2.5)", .bradleyTerry(noise: 0.05, temperature: 2.5)),
    ("biased(toward: length, weight: -0.75)", .biased(toward: "length", weight: -0.75)),
    (
        "panel(oracle, panel(coin, bradleyTerry(noise: 0.2)), biased(toward: length, weight: 1e-07))",
        .panel([.oracle, .panel([.coin, .bradleyTerry(noise: 0.2)]), .biased(toward: "length", weight: 1e-07)])
    ),
])
func storedNamesStillRead(name: String, annotator: Annotator) throws {
    #expect(try Annotator(name: name) == annotator)
}

/// Anything else is refused with the name quoted, or with the constructor's own complaint.
@Test(arguments: [
    ("", "unknown annotator ''"),
    ("Coin", "unknown annotator 'Coin'"),
    ("bradleyTerry(noise: x)", "unknown annotator 'bradleyTerry(noise: x)'"),
    ("bradleyTerry(noise: 0.1, speed: 2.0)", "unknown annotator 'bradleyTerry(noise: 0.1, speed: 2.0)'"),
    ("bradleyTerry(noise: 2.0)", "BradleyTerry noise must be between 0 and 1, got 2.0"),
    ("biased(toward: colour, weight: 1.0)", "Biased annotators know the feature \"length\", got \"colour\""),
    ("panel(coin)", "a panel needs at least 2 annotators, got 1"),
    ("panel(coin,oracle)", "a panel needs at least 2 annotators, got 0"),
    ("panel(coin, nobody)", "unknown annotator 'nobody'"),
    ("oracle(", "unknown annotator 'oracle('"),
])
func unknownNamesAreRefused(name: String, message: String) {
    #expect(throws: AlignmentError.invalidArgument(message)) { try Annotator(name: name) }
}

/// A row's annotator column records a panel's split, and the disagreement read back from it has the judgement's bits
/// (so a dataset restored from the store keeps its `disagreement`); a single annotator's column reads as 0.
@Test(arguments: [(3, 3), (2, 3), (1, 3), (0, 3), (4, 7), (1, 2)])
func aPanelsSplitIsReadBackFromItsLabel(agreeing: Int, judges: Int) {
    let panel = Annotator.panel([.oracle, .bradleyTerry(noise: 0.1), .biased(toward: "length", weight: 1)])
    let verdict = Judgement(prefersFirst: false, agreeing: agreeing, judges: judges)
    let label = verdict.label(of: panel)
    #expect(label == panel.name + ": \(agreeing) of \(judges)")
    #expect(Judgement.disagreement(label: label).bitPattern == verdict.disagreement.bitPattern)
}

@Test(arguments: [
    Annotator.oracle.name, Annotator.bradleyTerry(noise: 0.1).name, "panel(oracle, coin): x of 3", "a: 4 of 3", "",
])
func aLabelWithoutASplitReadsAsNoDisagreement(label: String) {
    #expect(Judgement.disagreement(label: label) == 0)
    #expect(Judgement(prefersFirst: true, agreeing: 1, judges: 1).label(of: .oracle) == "oracle")
}
