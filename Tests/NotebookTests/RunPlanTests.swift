import Foundation
import Store
import Testing

@testable import Language
@testable import Notebook

/// Four code cells (ids a, b, train, d) with prose before the first and between b and train.
private let planNotebook = CellFile.parse(
    path: "plan.rlhf",
    text: """
        # %% [markdown]
        Intro.
        # %% id=a
        x = 1
        # %% id=b
        x += 1
        # %% [markdown]
        Between.
        # %% train id=train
        x += 10
        # %% id=d
        print(x)
        """)

/// `--cells` as typed -> the code cells it selects, or the error it gets.
@Test(
    arguments: [
        ("2", [2], nil),
        ("1,3", [1, 3], nil),
        ("train, 2", [2, 3], nil),
        ("3,3,2", [2, 3], nil),
        ("d,a", [1, 4], nil),
        ("9", nil, RunPlanError.unknownCell("9", file: "plan.rlhf", cells: ["a", "b", "train", "d"])),
        ("0", nil, RunPlanError.unknownCell("0", file: "plan.rlhf", cells: ["a", "b", "train", "d"])),
        ("a,nope", nil, RunPlanError.unknownCell("nope", file: "plan.rlhf", cells: ["a", "b", "train", "d"])),
        ("", nil, RunPlanError.noCellsSelected),
        (",", nil, RunPlanError.noCellsSelected),
    ] as [(String, [Int]?, RunPlanError?)])
func cellsOptionSelectsCodeCells(option: String, selected: [Int]?, error: RunPlanError?) throws {
    do {
        let plan = try RunPlan(notebook: planNotebook, cells: option, latestRun: { 7 })
        #expect(error == nil, "planned \(plan.selected ?? []) for '\(option)'")
        #expect(plan.selected == selected)
        #expect(plan.startCell == selected?.first)
        // From cell 1 nothing is restored; from a later cell the latest run of the notebook holds the state.
        #expect(plan.parent == (selected?.first == 1 ? nil : 7))
    } catch let thrown as RunPlanError {
        #expect(thrown == error)
    }
}

/// `--resume` / `--from-cell` / `--cells` combinations -> the parent run and the start cell, or the error.
@Test(
    arguments: [
        (nil, nil, nil, Int64?(5), nil, nil, nil),
        (Int64?(3), nil, nil, nil, Int64?(3), nil, nil),
        (3, "2", nil, nil, 3, 2, nil),
        (3, "train", nil, nil, 3, 3, nil),
        (3, "12", nil, nil, 3, 12, nil),
        (3, nil, "3", nil, 3, 3, nil),
        (nil, nil, "1,4", nil, nil, 1, nil),
        (nil, "2", nil, nil, nil, nil, RunPlanError.fromCellNeedsResume),
        (3, "2", "3", nil, nil, nil, RunPlanError.cellsAndFromCell),
        (
            3, "zz", nil, nil, nil, nil,
            RunPlanError.unknownCellID("zz", file: "plan.rlhf", cells: ["a", "b", "train", "d"])
        ),
        (nil, nil, "b", nil, nil, nil, RunPlanError.noEarlierRun(file: "plan.rlhf", before: 2)),
    ] as [(Int64?, String?, String?, Int64?, Int64?, Int?, RunPlanError?)])
func resumePlanning(
    resume: Int64?, fromCell: String?, cells: String?, latest: Int64?, parent: Int64?, start: Int?,
    error: RunPlanError?
) throws {
    var asked = false
    do {
        let plan = try RunPlan(
            notebook: planNotebook, cells: cells, resume: resume, fromCell: fromCell,
            latestRun: {
                asked = true
                return latest
            })
        #expect(error == nil)
        #expect(plan.parent == parent)
        #expect(plan.startCell == start)
        #expect(plan.resume == resume)
        // Only `--cells` from the middle without `--resume` looks for an earlier run.
        #expect(asked == (resume == nil && (plan.selected?.first ?? 1) > 1))
    } catch let thrown as RunPlanError {
        #expect(thrown == error)
    }
}

/// The steps of a plan: prose from the cell before the start cell on, and the code cells it runs, recorded under
/// their own numbers.
@Test(
    arguments: [
        (nil, 1, ["Intro.", "1", "2", "Between.", "3", "4"]),
        (nil, 3, ["Between.", "3", "4"]),
        (nil, 4, ["4"]),
        (nil, 5, []),
        ("1,4", 1, ["Intro.", "1", "Between.", "4"]),
        ("2,4", 2, ["2", "Between.", "4"]),
    ] as [(String?, Int, [String])])
func stepsFollowTheSelection(cells: String?, first: Int, expected: [String]) throws {
    let plan = try RunPlan(notebook: planNotebook, cells: cells, latestRun: { 1 })
    let steps = plan.steps(planNotebook, firstCell: first)
    let described = steps.map { step -> String in
        switch step {
        case .prose(let text): text
        case .cell(let cell): "\(cell.position)"
        case .rollback: "rollback"
        }
    }
    #expect(described == expected)
    for cell in steps.compactMap(\.cell) {
        #expect(cell.ordinal == cell.position && cell.key == planNotebook.codeCells[cell.position - 1].key)
    }
}

@Test(arguments: [(false, FailurePolicy.stopAtFirstFailure), (true, .continueOnError)])
func continueOnErrorChoosesThePolicy(flag: Bool, policy: FailurePolicy) throws {
    #expect(try RunPlan(notebook: planNotebook, continueOnError: flag).onFailure == policy)
}

/// What a run does after each kind of cell that did not commit, under each policy.
@Test(
    arguments: [
        (FailurePolicy.stopAtFirstFailure, CellOutcome.failed("e"), FailurePolicy.Decision.stop),
        (.stopAtFirstFailure, .cancelled("e", .timeout), .stop),
        (.stopAtFirstFailure, .cancelled("e", .interrupt), .stop),
        (.continueOnError, .failed("e"), .recordAndContinue),
        (.continueOnError, .cancelled("e", .timeout), .recordAndContinue),
        (.continueOnError, .cancelled("e", .interrupt), .stop),
        (.continueOnError, .cancelled("e", .terminate), .stop),
        (.runEveryCell, .failed("e"), .recordAndContinue),
        (.runEveryCell, .cancelled("e", .interrupt), .recordAndContinue),
    ] as [(FailurePolicy, CellOutcome, FailurePolicy.Decision)])
func failurePolicyDecides(policy: FailurePolicy, outcome: CellOutcome, decision: FailurePolicy.Decision) {
    #expect(policy.decision(after: outcome) == decision)
}

private let someCell = PlannedCell(position: 2, key: "b", title: "", source: "x")

/// How a run ended -> the status it is recorded with and `rlhf run`'s exit status.
@Test(
    arguments: [
        (RunEnding.finished(failures: []), RunStatus.succeeded, Int32(0)),
        (.finished(failures: [someCell]), .failed, 1),
        (.stopped(at: someCell), .failed, 1),
        (.cancelled(at: someCell, reason: .interrupt, started: true), .cancelled, 130),
        (.cancelled(at: someCell, reason: .terminate, started: false), .cancelled, 143),
        (.cancelled(at: someCell, reason: .timeout, started: true), .cancelled, 124),
    ] as [(RunEnding, RunStatus, Int32)])
func endingDecidesStatusAndExitCode(ending: RunEnding, status: RunStatus, exitCode: Int32) {
    #expect(ending.status == status)
    #expect(ending.exitCode == exitCode)
}
