/// A cell as the notebook saw it: its position, stable key (`id=` option or its ordinal), title and source text.
public struct CellRecord: Sendable, Equatable, Codable {
    public var ordinal: Int
    public var key: String
    public var title: String
    public var source: String

    public init(ordinal: Int, key: String, title: String, source: String) {
        self.ordinal = ordinal
        self.key = key
        self.title = title
        self.source = source
    }
}
