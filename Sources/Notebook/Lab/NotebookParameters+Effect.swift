import Language

extension NotebookParameters {
    /// Where the parameters cell stands in a run that executes only some of a notebook's code cells, which decides
    /// whether `--param` can take effect and what the run may record as its parameters.
    public enum Standing: Equatable, Sendable {
        /// The run executes the parameters cell (or the notebook has none): overrides take effect, and the run records
        /// the effective values.
        case runs
        /// The parameters cell (this code cell) comes before the run's first cell: its values are restored from the
        /// parent run's commits, so the run records the parent's parameters and no override can take effect.
        case restored(cell: Int)
        /// `--cells` leaves out the parameters cell (this code cell), which comes after the first cell run: nothing
        /// it assigns is in effect, so the run records no parameters and no override can take effect.
        case skipped(cell: Int)
    }

    /// The standing of `notebook`'s parameters cell in a run whose first executed code cell is `first` and that, with
    /// `--cells`, executes only the code cells `selected` (ordinals).
    public static func standing(in notebook: CellFile, first: Int, selected: [Int]?) -> Standing {
        guard let index = notebook.codeCells.firstIndex(where: \.isParameters) else { return .runs }
        let cell = index + 1
        if cell < first { return .restored(cell: cell) }
        if let selected, !selected.contains(cell) { return .skipped(cell: cell) }
        return .runs
    }

    /// Refuses the overrides when the parameters cell does not run, so a run never records a value that did not
    /// take effect. `how` names what left the cell out, as the user typed it (`--cells sweep`, `--resume 3`).
    public func requireEffect(_ standing: Standing, how: String) throws {
        guard !overrides.isEmpty else { return }
        let names = overrides.map(\.name).joined(separator: ", ")
        switch standing {
        case .runs:
            return
        case .restored(let cell):
            throw Problem(
                description: "--param \(names) cannot take effect: \(how) starts after the parameters cell "
                    + "(cell \(cell)), whose values are restored from the earlier run's commits; start at cell \(cell) or drop --param"
            )
        case .skipped(let cell):
            throw Problem(
                description: "--param \(names) cannot take effect: \(how) does not run the parameters cell "
                    + "(cell \(cell)); add it to --cells or drop --param")
        }
    }
}
