import Language
import Store
import Testing

@testable import Notebook

/// `rlhf sweep`'s grid and seeds: parsed as typed, checked against the notebook's parameters cell before anything
/// runs, and turned into each run's `--param` arguments.
@Suite struct SweepPlanTests {
    static let notebook = CellFile.parse(
        path: "nb.rlhf",
        text: """
            # %% parameters
            kl = 0.1
            lr = 0.001
            sizes = [1, 2]
            label = "a"
            run_seed = 1
            # %% run
            seed(run_seed)
            """)

    @Test func theGridAndSeedsExpandIntoRunArguments() throws {
        let plan = try SweepPlan(
            parameters: ["kl=0,0.1,0.3", "sizes=[1,2],[3, 4]", #"label="x,y","z""#], seeds: "11-12",
            notebook: Self.notebook)
        #expect(plan.grid.axes.map(\.literals) == [["0", "0.1", "0.3"], ["[1,2]", "[3, 4]"], [#""x,y""#, #""z""#]])
        #expect(plan.grid.seeds == [11, 12])
        #expect(plan.grid.runs.count == 24)
        #expect(
            plan.arguments(point: 5, seed: 12) == [
                "--param", "kl=0.1", "--param", "sizes=[1,2]", "--param", #"label="z""#, "--param", "run_seed=12",
            ])
        #expect(plan.label(point: 0, seed: 11) == #"kl=0 sizes=[1,2] label="x,y" seed 11"#)
    }

    @Test(arguments: [("10", Array(1...10)), ("3,7,9", [3, 7, 9]), ("0-2", [0, 1, 2]), ("1", [1])])
    func seedsAreACountARangeOrAList(text: String, expected: [Int]) throws {
        #expect(try SweepPlan.seeds(text) == expected)
    }

    @Test(arguments: [
        (["kl=0,x"], nil as String?, "--param kl: 'x' is not a literal"),
        (["kl"], nil, "--param 'kl' is not name=value,value,…"),
        (["kl=0,,1"], nil, "--param 'kl=0,,1': value 2 is empty"),
        (["kl=0", "kl=1"], nil, "--param kl is given twice"),
        (["kl=0,0"], nil, "--param kl lists '0' twice"),
        (["beta=1"], nil, "unknown parameter 'beta'"),
        (["kl=\"a\""], nil, "--param kl: '\"a\"' is a string, but the parameters cell"),
        ([], "0", "--seeds '0': the count must be 1 to 100000"),
        ([], "x", "--seeds 'x': 'x' is not a seed"),
        ([], "5-2", "--seeds '5-2' is not a range"),
        ([], "1,1", "--seeds '1,1' lists 1 twice"),
        ([], "1000001", "--seeds '1000001': the count must be 1 to 100000"),
        (["run_seed=1,2"], "3", "--param run_seed=… and --seeds both set the seed"),
    ])
    func badGridsAreRefusedBeforeAnythingRuns(parameters: [String], seeds: String?, message: String) {
        do {
            _ = try SweepPlan(parameters: parameters, seeds: seeds, notebook: Self.notebook)
            Issue.record("accepted \(parameters) \(seeds ?? "")")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    @Test func seedsNeedASeedParameter() {
        let without = CellFile.parse(path: "nb.rlhf", text: "# %% parameters\nkl = 0.1\n# %% run\nprint(kl)\n")
        #expect(throws: (any Error).self) { try SweepPlan(parameters: [], seeds: "2", notebook: without) }
        do {
            _ = try SweepPlan(parameters: ["kl=0,1"], seeds: "2", notebook: without)
        } catch {
            #expect("\(error)".hasPrefix("--seeds: nb.rlhf has no `run_seed` parameter to set"), "\(error)")
        }
    }
}
