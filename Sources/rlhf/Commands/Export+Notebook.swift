import ArgumentParser
import Interop
import Store

/// `rlhf export RUN --format ipynb`: a whole run as a Jupyter notebook (``JupyterNotebook``).
extension Export {
    /// The argument of `--format ipynb` is a run id (`1`), not RUN/NAME: read here instead of by `parseReference`, as
    /// a reference to the run with no object.
    static func runReference(_ text: String) throws -> VersionRef {
        guard let run = Int64(text), run > 0 else {
            printError(
                "error: '\(text)' is not a run id; --format ipynb exports a whole run, e.g. rlhf export 1 --format "
                    + "ipynb -o run.ipynb")
            throw ExitCode.failure
        }
        return VersionRef(run: run, object: "")
    }

    /// Writes run `id` as a notebook to `-o`, or to standard output without it.
    func exportNotebook(run id: Int64) throws {
        let notebook = try failing { try JupyterNotebook(store: store.openReadOnly(), run: id) }
        guard let out else { return print(notebook.json, terminator: "") }
        try failing { try notebook.write(to: out) }
        let charts = notebook.cells.flatMap(\.outputs).filter { if case .chart = $0 { true } else { false } }.count
        print("\(out) · \(counted(notebook.run.cells.count, "cell")), \(counted(charts, "chart")) of run \(id)")
    }
}
