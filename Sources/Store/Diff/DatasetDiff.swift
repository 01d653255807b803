import Foundation

/// The rows alive at `b` but not at `a` (added) and alive at `a` but not at `b` (removed), ordered by uid.
/// Rows are matched by uid and content, so a relabelled uid appears in both lists.
public struct DatasetDiff: Sendable, Codable {
    public var a: VersionInfo
    public var b: VersionInfo
    public var added: [FeedbackRow]
    public var removed: [FeedbackRow]
    public var addedCount: Int
    public var removedCount: Int
    /// Uids both removed and added: rows relabelled (a relabel is a removal and an addition with the same uid).
    public var relabelledCount: Int

    init(a: VersionInfo, b: VersionInfo, rowsA: [FeedbackRow], rowsB: [FeedbackRow]) {
        let keysA = Set(rowsA.map(Self.key))
        let keysB = Set(rowsB.map(Self.key))
        self.a = a
        self.b = b
        self.added = rowsB.filter { !keysA.contains(Self.key($0)) }
        self.removed = rowsA.filter { !keysB.contains(Self.key($0)) }
        self.addedCount = added.count
        self.removedCount = removed.count
        let removedUIDs = Set(removed.map(\.uid))
        self.relabelledCount = Set(added.map(\.uid)).filter { removedUIDs.contains($0) }.count
    }

    /// Identity of a row across versions and runs: its uid and the hash of its content (bit-exact).
    private static func key(_ row: FeedbackRow) -> String {
        "\(row.uid):\(ContentHash.row(row))"
    }
}
