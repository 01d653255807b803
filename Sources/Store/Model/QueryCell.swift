/// One value of a ``QueryResult`` row, typed as SQLite stored it. Blobs are reported by size only.
public enum QueryCell: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    /// A blob of this many bytes.
    case blob(Int)
}
