/// Why `rlhf run`'s options do not make a run: each case quotes what the user typed.
public enum RunPlanError: Error, CustomStringConvertible, Equatable {
    /// `--cells` together with `--from-cell`.
    case cellsAndFromCell
    /// `--cells` that names no cell.
    case noCellsSelected
    /// `--from-cell` without `--resume`.
    case fromCellNeedsResume
    /// An entry of `--cells` that is neither a cell's number nor its id: the entry, the notebook, its cell ids.
    case unknownCell(String, file: String, cells: [String])
    /// A `--from-cell` id no code cell has: the id, the notebook, its cell ids.
    case unknownCellID(String, file: String, cells: [String])
    /// `--cells` starting after cell 1 with no earlier run of the notebook to take the state from.
    case noEarlierRun(file: String, before: Int)

    /// A misuse of the options (shown with the usage), rather than a notebook or store that does not fit them.
    public var isUsage: Bool {
        switch self {
        case .cellsAndFromCell, .noCellsSelected, .fromCellNeedsResume: true
        case .unknownCell, .unknownCellID, .noEarlierRun: false
        }
    }

    public var description: String {
        switch self {
        case .cellsAndFromCell: "use either --cells or --from-cell"
        case .noCellsSelected: "--cells needs at least one cell"
        case .fromCellNeedsResume: "--from-cell needs --resume RUN"
        case let .unknownCell(entry, file, cells):
            "no cell '\(entry)' in \(file) (cells: \(cells.joined(separator: ", ")))"
        case let .unknownCellID(id, file, cells):
            "no cell with id '\(id)' in \(file) (cells: \(cells.joined(separator: ", ")))"
        case let .noEarlierRun(file, first):
            "no earlier run of \(file) holds the state before cell \(first); run it once first"
        }
    }
}
