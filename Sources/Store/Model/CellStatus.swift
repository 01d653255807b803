/// Whether a cell committed (`ok`) or only left an error record: `failed` by a fault in the cell, `cancelled` when the
/// user stopped it (Ctrl-C, a signal, `--cell-timeout`).
public enum CellStatus: String, Sendable, Codable, CaseIterable {
    case ok, failed, cancelled
}
