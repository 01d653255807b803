import ArgumentParser
@preconcurrency import CReadline
import Foundation
import Language
import Notebook
import Store

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a notebook over a grid of parameter values × seeds, as the runs of one sweep.",
        discussion: """
            Each --param name=v1,v2,… lists one parameter's values (each must be what `rlhf run --param` accepts); \
            the sweep runs every combination, each once per seed (--seeds 10 for seeds 1–10, 11-20, or 3,7,9), as \
            `rlhf run FILE --param … --param run_seed=K`. The notebook's `# %% parameters` cell must declare every \
            parameter swept, and `run_seed` when --seeds is given (and call seed(run_seed)).

            Running the same command again (same notebook text and grid) resumes the sweep: runs that succeeded are \
            skipped, failed and cancelled ones are run again. --jobs N runs N runs at once, as separate processes \
            on the one store. Compare the results with `rlhf compare --sweep ID`.
            """)

    @OptionGroup var store: StoreOptions
    @ArgumentParser.Argument(help: ArgumentHelp("The notebook to run.", valueName: "file")) var file: String
    @Option(
        name: .customLong("param"),
        help: ArgumentHelp("A parameter and its values, comma-separated (repeatable).", valueName: "name=v1,v2"))
    var parameters: [String] = []
    @Option(help: ArgumentHelp("Seeds: a count (1…N), a range A-B or a list A,B,C.", valueName: "seeds"))
    var seeds: String?
    @Option(help: ArgumentHelp("Runs to run at once (1–64).", valueName: "n")) var jobs = 1

    func validate() throws {
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be 1 to 64, got '\(jobs)'") }
    }

    func run() throws {
        // Line-buffered even into a pipe or file, so every line printed before a signal reaches it.
        rlhf_line_buffer_stdout()
        let (text, parsed) = try readNotebook(file)
        let plan = try failing { try SweepPlan(parameters: parameters, seeds: seeds, notebook: parsed) }
        let lab = try store.open()
        let (id, created) = try failing { try lab.sweep(notebook: file, source: text, grid: plan.grid) }
        let detail = try failing { try lab.sweep(id) }
        let all = plan.grid.runs
        // Succeeded runs are done; a run still written by a live process belongs to another sweep command.
        let taken = Set(
            detail.runs.filter { $0.status == .succeeded || $0.status == .running }.map {
                "\($0.point):\($0.seed ?? -1)"
            })
        let todo = all.filter { !taken.contains("\($0.point):\($0.seed ?? -1)") }
        let points = plan.grid.points.count
        let shape =
            plan.grid.seeds.isEmpty
            ? "\(points) point\(points == 1 ? "" : "s")"
            : "\(points) point\(points == 1 ? "" : "s") × \(plan.grid.seeds.count) seeds"
        print(
            "\(created ? "sweep" : "resuming sweep") \(id) · \(file) · \(shape) = \(all.count) runs · "
                + "\(all.count - todo.count) done, \(todo.count) to run · store \(store.path)")
        let outcome = try SweepProcesses(store: store.path, file: file, sweep: id, plan: plan, jobs: jobs)
            .run(todo) { line in print(line) }
        let finished = try failing { try lab.sweep(id) }
        let succeeded = Set(finished.runs.filter { $0.status == .succeeded }.map { "\($0.point):\($0.seed ?? -1)" })
        print(
            "\nsweep \(id): \(succeeded.count) of \(all.count) runs succeeded; compare them with "
                + "`rlhf compare --sweep \(id)`")
        if let signal = outcome.cancelledExit { throw ExitCode(signal) }
        if outcome.failures > 0 { throw ExitCode.failure }
    }
}
