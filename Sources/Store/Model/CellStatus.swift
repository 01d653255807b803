/// Whether a cell committed (`ok`) or only left an error record (`failed`).
public enum CellStatus: String, Sendable, Codable, CaseIterable {
    case ok, failed
}
