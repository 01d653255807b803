import Testing

@testable import Language
@testable import Notebook

/// `--param` input edges, each refused with one clear line, and where the parameters cell stands in a partial run.
@Suite struct ParameterEdgeTests {
    static let notebook = CellFile.parse(
        path: "p.rlhf",
        text: """
            # %% setup
            seed(1)
            # %% parameters
            steps = 10
            lr = 1e-3
            name = "a"
            flag = true
            sizes = [1, 2]
            config = {depth: 2}
            anything = nil
            computed = steps * 2
            # %% sweep id=sweep
            print(steps)
            """)

    @Test(arguments: [
        (["steps=1", "steps=2"], "--param steps is given twice ('1' and '2'); give each parameter once"),
        (["lr=1e999"], "--param lr: '1e999' is not a finite number"),
        (["lr=-1e999"], "--param lr: '-1e999' is not a finite number"),
        (["sizes=[1, 1e999]"], "--param sizes: '[1, 1e999]' is not a finite number"),
        (["config={depth: -1e400}"], "--param config: '{depth: -1e400}' is not a finite number"),
        (["lr=inf"], "--param lr: 'inf' is not a literal"),
        (["lr=nan"], "--param lr: 'nan' is not a literal"),
        (["lr=1/0"], "--param lr: '1/0' is not a literal"),
        (
            ["steps=\"ten\""],
            "--param steps: '\"ten\"' is a string, but the parameters cell at p.rlhf:4 sets steps to 10, an int"
        ),
        (
            ["steps=2.5"],
            "--param steps: '2.5' is a fractional number, but the parameters cell at p.rlhf:4 sets steps to 10, an int"
        ),
        (["steps=1e3"], "--param steps: '1e3' is a fractional number, but"),
        (
            ["lr=\"fast\""],
            "--param lr: '\"fast\"' is a string, but the parameters cell at p.rlhf:4 sets lr to 0.001, a number"
        ),
        (["name=3"], "--param name: '3' is an int, but the parameters cell at p.rlhf:4 sets name to \"a\", a string"),
        (["flag=1"], "--param flag: '1' is an int, but the parameters cell at p.rlhf:4 sets flag to true, a bool"),
        (["sizes={a: 1}"], "--param sizes: '{a: 1}' is a record, but"),
        (["config=[1]"], "--param config: '[1]' is a list, but"),
        (["flag=nil"], "--param flag: 'nil' is a nil, but"),
        (["step=3"], "unknown parameter 'step'; did you mean 'steps'?"),
        (["Steps=3"], "unknown parameter 'Steps'"),
        (["seed=3"], "unknown parameter 'seed'"),
        (["=3"], "--param '=3': '' is not a variable name"),
        (["steps"], "--param 'steps' is not name=value"),
        (["steps="], "--param steps: '' is not a literal"),
        (["for=1"], "--param 'for=1': 'for' is not a variable name"),
        (["a-b=1"], "--param 'a-b=1': 'a-b' is not a variable name"),
        (["steps=steps"], "--param steps: 'steps' is not a literal"),
        (["steps=print(1)"], "--param steps: 'print(1)' is not a literal"),
        (["name=\"a\\(steps)\""], "--param name: '\"a\\(steps)\"' is not a literal"),
    ])
    func badOverridesAreRefusedWithOneClearLine(overrides: [String], message: String) {
        #expect {
            try NotebookParameters.parse(overrides).apply(to: Self.notebook)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix(message) && !text.contains("\n")
        }
    }

    /// Values of the declared kind are taken: an int where a number is declared, anything where nil is, and any
    /// value for a parameter whose default is computed.
    @Test(arguments: [
        ["lr=1"], ["steps=-3"], ["anything=\"x\""], ["anything=[1]"], ["computed=\"x\""],
        ["sizes=[]"], ["config={}"], ["flag=false"], ["lr=-0.5", "steps=7"],
    ])
    func overridesOfTheDeclaredKindAreTaken(overrides: [String]) throws {
        let (_, json) = try NotebookParameters.parse(overrides).apply(to: Self.notebook)
        #expect(json.hasPrefix("{\"steps\": "))
    }

    /// The parameters cell is code cell 2: a run from cell 1 runs it, one resumed after it restores it, and
    /// `--cells` that leaves it out skips it (or restores it when it comes before the first cell run).
    @Test(
        arguments: [
            (1, nil, NotebookParameters.Standing.runs),
            (2, nil, .runs),
            (3, nil, .restored(cell: 2)),
            (1, [1, 3], .skipped(cell: 2)),
            (1, [1, 2, 3], .runs),
            (2, [2, 3], .runs),
            (3, [3], .restored(cell: 2)),
        ] as [(Int, [Int]?, NotebookParameters.Standing)])
    func theParametersCellStandsWhereTheRunStarts(first: Int, selected: [Int]?, standing: NotebookParameters.Standing)
        throws
    {
        #expect(NotebookParameters.standing(in: Self.notebook, first: first, selected: selected) == standing)
        let overrides = try NotebookParameters.parse(["steps=5"])
        if standing == .runs {
            try overrides.requireEffect(standing, how: "--cells x")
        } else {
            #expect(throws: NotebookParameters.Problem.self) { try overrides.requireEffect(standing, how: "--cells x") }
        }
        try NotebookParameters().requireEffect(standing, how: "--cells x")
    }
}
