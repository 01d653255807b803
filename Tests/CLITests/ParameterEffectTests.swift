import Foundation
import Testing

/// `rlhf run --param` with `--cells` and `--resume`: a run records only the parameters that took effect, and an
/// override that cannot take effect is refused before anything is written.
@Suite struct ParameterEffectTests {
    static let notebook = """
        # %% parameters id=params
        steps = 10
        # %% setup id=setup
        doubled = steps * 2
        # %% sweep id=sweep
        print(steps)
        # %% report id=report
        print(doubled)
        """

    private func parameters(_ cli: CLI, run: Int) throws -> String {
        try cli.scalar("SELECT parameters FROM runs WHERE id = \(run)")
    }

    @Test func aRunRecordsOnlyTheParametersThatTookEffect() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write("p.rlhf", Self.notebook)
        let first = try cli("run", nb, "--param", "steps=5", "-q")
        #expect(first.stdout == "5\n10\n")
        #expect(try parameters(cli, run: 1) == #""{""steps"": 5}""#)

        // --cells without the parameters cell: the override cannot take effect; refused, nothing written.
        let runs = try cli.scalar("SELECT count(*) FROM runs")
        let refused = try cli("run", nb, "--cells", "sweep", "--param", "steps=50", "-q")
        #expect(refused.status == 1 && refused.stdout.isEmpty)
        #expect(
            refused.stderr == "error: --param steps cannot take effect: --cells sweep starts after the parameters "
                + "cell (cell 1), whose values are restored from the earlier run's commits; start at cell 1 or drop --param\n"
        )
        #expect(try cli.scalar("SELECT count(*) FROM runs") == runs)

        // Without --param, the run records what is in effect: run 1's values, restored with its state.
        let subset = try cli("run", nb, "--cells", "sweep", "-q")
        #expect(subset.stdout == "5\n")
        #expect(try parameters(cli, run: 2) == #""{""steps"": 5}""#)

        // --cells including the parameters cell: the override takes effect and is recorded.
        let with = try cli("run", nb, "--cells", "params,sweep", "--param", "steps=50", "-q")
        #expect(with.status == 0 && with.stdout == "50\n", "\(with.stderr)")
        #expect(try parameters(cli, run: 3) == #""{""steps"": 50}""#)

        // --resume at the parameters cell applies the override; after it, it is refused.
        let at = try cli("run", nb, "--resume", "1", "--from-cell", "params", "--param", "steps=7", "-q")
        #expect(at.status == 0, "\(at.stderr)")
        #expect(at.stdout == "7\n14\n")
        let atRun = try cli.scalar("SELECT max(id) FROM runs")
        #expect(try cli.scalar("SELECT parameters FROM runs WHERE id = \(atRun)") == #""{""steps"": 7}""#)
        let after = try cli("run", nb, "--resume", "1", "--from-cell", "sweep", "--param", "steps=7", "-q")
        #expect(after.status == 1)
        #expect(
            after.stderr.hasPrefix(
                "error: --param steps cannot take effect: --resume 1 at cell 3 starts after "
                    + "the parameters cell (cell 1)"))
        #expect(try cli.scalar("SELECT max(id) FROM runs") == atRun)
        let resumed = try cli("run", nb, "--resume", Int(atRun).map(String.init) ?? "", "--from-cell", "sweep", "-q")
        #expect(resumed.stdout == "7\n14\n")
        #expect(try cli.scalar("SELECT parameters FROM runs ORDER BY id DESC LIMIT 1") == #""{""steps"": 7}""#)
    }

    /// `--cells` that runs a cell before the parameters cell but not the parameters cell itself: nothing it assigns
    /// is in effect, so the run records no parameters, and an override is refused.
    @Test func cellsThatSkipTheParametersCellRecordNone() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write(
            "q.rlhf", "# %% one id=one\nx = 1\n# %% parameters id=params\nsteps = 3\n# %% two id=two\nprint(x)\n")
        #expect(try cli("run", nb, "-q").status == 0)
        let skipped = try cli("run", nb, "--cells", "one,two", "-q")
        #expect(skipped.status == 0 && skipped.stdout == "1\n", "\(skipped.stderr)")
        #expect(try parameters(cli, run: 2) == "{}")
        let refused = try cli("run", nb, "--cells", "one,two", "--param", "steps=4")
        #expect(
            refused.stderr == "error: --param steps cannot take effect: --cells one,two does not run the parameters "
                + "cell (cell 2); add it to --cells or drop --param\n")
    }
}
