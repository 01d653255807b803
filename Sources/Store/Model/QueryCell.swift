import Foundation

/// One value of a ``QueryResult`` row, typed as SQLite stored it. Blobs are reported by size only, unless the query
/// was asked to read their bytes.
public enum QueryCell: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    /// A blob of this many bytes.
    case blob(Int)
    /// A blob with its bytes, from a query that reads them (`readsBlobs: true`).
    case bytes(Data)
}
