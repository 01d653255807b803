import Language

/// One cell a ``CellExecutor`` runs: a cell of a notebook file, a shell input, or a recorded cell being replayed.
public struct PlannedCell: Sendable, Equatable {
    /// Where the cell stands in what the caller shows: its number among the notebook's code cells (`[3/8]`), or
    /// its position in a replay.
    public var position: Int
    public var key: String
    public var title: String
    public var source: String
    /// The file line of the cell's first source line, so diagnostics point into the file.
    public var firstLine: Int
    /// The file diagnostics name when it is not the run's own (a notebook loaded into the shell with `:load`).
    public var file: String?
    /// Print the value of a final expression, as a shell does.
    public var echo: Bool
    /// The ordinal to record the cell under; nil for the run's next one. A replay records each cell under the
    /// ordinal it had the first time.
    public var ordinal: Int?

    public init(
        position: Int, key: String, title: String, source: String, firstLine: Int = 1, file: String? = nil,
        echo: Bool = false, ordinal: Int? = nil
    ) {
        self.position = position
        self.key = key
        self.title = title
        self.source = source
        self.firstLine = firstLine
        self.file = file
        self.echo = echo
        self.ordinal = ordinal
    }

    /// Code cell number `position` of a notebook file.
    public init(_ cell: Cell, position: Int) {
        self.init(position: position, key: cell.key, title: cell.title, source: cell.source, firstLine: cell.firstLine)
    }
}

/// What a ``CellExecutor`` does next: show prose, run a cell, or redo a recorded store event between cells.
public enum PlannedStep: Sendable, Equatable {
    /// A markdown cell's text, trimmed (`rlhf run` prints it between cells).
    case prose(String)
    case cell(PlannedCell)
    /// Make version `toVersion` of `object` current again, as a recorded rollback did at this point of the run.
    case rollback(object: String, toVersion: Int)

    /// The cell this step runs, if it runs one.
    public var cell: PlannedCell? {
        if case .cell(let cell) = self { cell } else { nil }
    }
}
