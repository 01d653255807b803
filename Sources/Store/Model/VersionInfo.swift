/// One version of one object, as listed by `rlhf log 12/policy`.
public struct VersionInfo: Sendable, Equatable, Codable {
    public var run: Int64
    public var object: String
    /// The state's kind label, e.g. `"policy"` or `"preferences"`.
    public var kind: String
    public var version: Int
    public var commit: Int64
    /// The committing cell; nil for a CLI rollback commit.
    public var cellOrdinal: Int?
    public var cellKey: String?
    /// Hex SHA-256 of the canonical content (see `ContentHash`).
    public var contentHash: String
    /// New bytes this version added to the store: blob bytes for checkpoints (0 when every tensor already existed),
    /// chosen/rejected vector bytes of inserted rows for datasets.
    public var bytesWritten: Int
    /// Datasets: rows alive at this version. Nil for checkpoints.
    public var rows: Int?
    /// E.g. `"rollback to v1"`.
    public var note: String?
    /// ISO-8601 UTC time of the commit.
    public var createdAt: String

    public init(
        run: Int64, object: String, kind: String, version: Int, commit: Int64, cellOrdinal: Int?, cellKey: String?,
        contentHash: String, bytesWritten: Int, rows: Int?, note: String?, createdAt: String
    ) {
        self.run = run
        self.object = object
        self.kind = kind
        self.version = version
        self.commit = commit
        self.cellOrdinal = cellOrdinal
        self.cellKey = cellKey
        self.contentHash = contentHash
        self.bytesWritten = bytesWritten
        self.rows = rows
        self.note = note
        self.createdAt = createdAt
    }

    /// `"12/policy@3"`.
    public var reference: String { "\(run)/\(object)@\(version)" }
}
