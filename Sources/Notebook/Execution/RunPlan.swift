import Foundation
import Language
import Store

/// What `rlhf run` will do, decided from its options before anything runs: which code cells (`--cells`), the run it
/// continues (`--resume`, or for `--cells` the latest run of the notebook), the cell it starts at (`--from-cell`) and
/// what a failing cell does (`--continue-on-error`). A value, so tests build and check it without a terminal.
///
/// ```swift
/// let plan = try RunPlan(notebook: file, cells: "2,train") {
///     try store.runs().last { $0.notebook == file.path }?.id
/// }
/// plan.selected   // [2, 5]: cell 2 and the cell with id=train
/// plan.parent     // the latest run of the notebook, whose commits hold the state before cell 2
/// ```
public struct RunPlan: Sendable, Equatable {
    /// The notebook's path, as typed.
    public var file: String
    /// `--cells` as typed (for messages), nil to run every cell from the start cell on.
    public var cellsOption: String?
    /// The code cells to run (ordinals, sorted, each once); nil for every cell from the start cell on.
    public var selected: [Int]?
    /// The run given with `--resume`.
    public var resume: Int64?
    /// `--from-cell` as an ordinal (its range is checked against the resumed run by the store).
    public var fromCell: Int?
    /// The run whose commits hold the state this run starts from; nil for a fresh run from cell 1.
    public var parent: Int64?
    public var onFailure: FailurePolicy

    /// Plans a run of `notebook`. `latestRun` gives the id of the latest run of the notebook; it is asked only when
    /// `--cells` starts after cell 1 without `--resume`.
    public init(
        notebook: CellFile, cells: String? = nil, resume: Int64? = nil, fromCell: String? = nil,
        continueOnError: Bool = false, latestRun: () throws -> Int64? = { nil }
    ) throws {
        file = notebook.path
        cellsOption = cells
        self.resume = resume
        onFailure = continueOnError ? .continueOnError : .stopAtFirstFailure
        let keys = notebook.codeCells.map(\.key)
        if let cells {
            guard fromCell == nil else { throw RunPlanError.cellsAndFromCell }
            selected = try Self.select(cells, keys: keys, file: notebook.path)
        } else if let fromCell {
            guard resume != nil else { throw RunPlanError.fromCellNeedsResume }
            guard let number = Int(fromCell) else {
                guard let index = keys.firstIndex(of: fromCell) else {
                    throw RunPlanError.unknownCellID(fromCell, file: notebook.path, cells: keys)
                }
                self.fromCell = index + 1
                parent = resume
                return
            }
            self.fromCell = number
        }
        parent = resume
        // Running some cells from the middle needs the state before them: the latest run of this notebook holds it.
        if resume == nil, let first = selected?.first, first > 1 {
            guard let latest = try latestRun() else { throw RunPlanError.noEarlierRun(file: file, before: first) }
            parent = latest
        }
    }

    /// `--cells a,b` as sorted ordinals; each entry an `id=` or a number of a code cell.
    static func select(_ option: String, keys: [String], file: String) throws -> [Int] {
        let ordinals = try option.split(separator: ",").map { part -> Int in
            let entry = part.trimmingCharacters(in: .whitespaces)
            if let number = Int(entry), number >= 1, number <= keys.count { return number }
            guard let index = keys.firstIndex(of: entry) else {
                throw RunPlanError.unknownCell(entry, file: file, cells: keys)
            }
            return index + 1
        }
        guard !ordinals.isEmpty else { throw RunPlanError.noCellsSelected }
        return Array(Set(ordinals)).sorted()
    }

    /// The cell the run asks to start at: the first of `--cells`, or `--from-cell`; nil lets the store choose (the
    /// failed or interrupted cell of the resumed run).
    public var startCell: Int? { selected?.first ?? fromCell }

    /// Where the run continues its parent, read from the store; nil for a fresh run.
    public func resumePoint(in store: LabStore) throws -> ResumePoint? {
        try parent.map { try store.resumePoint(run: $0, fromCell: startCell) }
    }

    /// The steps of the run that starts at code cell `first`: the code cells it runs (all from `first` on, or those
    /// of `--cells`), and the markdown cells from the one before `first` on.
    public func steps(_ notebook: CellFile, firstCell first: Int) -> [PlannedStep] {
        var steps: [PlannedStep] = []
        var index = 0
        for cell in notebook.cells {
            if cell.kind == .markdown {
                let text = cell.markdownText.trimmingCharacters(in: .whitespacesAndNewlines)
                if index + 1 >= first { steps.append(.prose(text)) }
                continue
            }
            index += 1
            if index < first || selected.map({ !$0.contains(index) }) == true { continue }
            var planned = PlannedCell(cell, position: index)
            planned.ordinal = index
            steps.append(.cell(planned))
        }
        return steps
    }

    /// How many cells a run that starts at `first` commits when it succeeds.
    public func cellsToRun(codeCells total: Int, firstCell first: Int) -> Int {
        selected?.count ?? (total - first + 1)
    }

    /// The parameters this run records: the effective ones when it runs the parameters cell, the parent's when it
    /// restores that cell's values, none when it skips it; `--param` that cannot take effect is refused.
    public func recordedParameters(
        _ overrides: NotebookParameters, effective: String, notebook: CellFile, point: ResumePoint?, store: LabStore
    ) throws -> String {
        let standing = NotebookParameters.standing(in: notebook, first: point?.cell ?? 1, selected: selected)
        let how = cellsOption.map { "--cells \($0)" } ?? "--resume \(point?.parent ?? 0) at cell \(point?.cell ?? 1)"
        try overrides.requireEffect(standing, how: how)
        switch standing {
        case .runs: return effective
        case .restored: return try point.map { try store.run($0.parent).run.parameters } ?? "{}"
        case .skipped: return "{}"
        }
    }

    /// A run is resumed with the notebook it ran: restoring one notebook's state under another's cells would record
    /// a history no notebook produced. Paths are compared as typed, then as the files they resolve to.
    public func requireSameNotebook(_ store: LabStore) throws {
        guard let resume else { return }
        let ran = try store.run(resume).run.notebook
        func resolved(_ path: String) -> String {
            URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
        }
        if let ran, ran == file || resolved(ran) == resolved(file) { return }
        let what = ran.map { "ran '\($0)'" } ?? "ran in the shell"
        throw StoreError.cannotResume(resume, reason: "it \(what), not '\(file)'; resume it with its own notebook")
    }
}
