/// The result of ``LabStore/query(_:)``: column names and rows of typed cells.
public struct QueryResult: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[QueryCell]]
}
