import Foundation

/// A dataset whose rows are encoded and hashed, sorted by uid.
struct PreparedDataset: Sendable {
    struct Row: Sendable {
        var uid: Int64
        var prompt: Int
        var chosen: Data
        var rejected: Data
        var annotator: String
        var seed: UInt64
        var text: FeedbackRow.Text?
        var rowHash: String
    }

    var name: String
    var kind: String
    var config: String
    var rows: [Row]
    var contentHash: String

    init(
        name: String, kind: String, config: String, rows: [FeedbackRow], cell: Int,
        progress: CommitProgress? = nil
    ) throws {
        var seen = Set<Int64>()
        var prepared: [Row] = []
        prepared.reserveCapacity(rows.count)
        for row in rows {
            guard seen.insert(row.uid).inserted else {
                throw StoreError.badCommit(cell: cell, reason: "dataset '\(name)' has two rows with uid \(row.uid)")
            }
            let chosen = FloatBytes.encode(row.chosen)
            let rejected = FloatBytes.encode(row.rejected)
            let hash = ContentHash.row(
                prompt: row.prompt, chosen: chosen, rejected: rejected, annotator: row.annotator, seed: row.seed,
                text: row.text)
            prepared.append(
                Row(
                    uid: row.uid, prompt: row.prompt, chosen: chosen, rejected: rejected, annotator: row.annotator,
                    seed: row.seed, text: row.text, rowHash: hash))
            progress?.advance()
        }
        prepared.sort { $0.uid < $1.uid }
        self.name = name
        self.kind = kind
        self.config = config
        self.rows = prepared
        self.contentHash = ContentHash.dataset(kind: kind, config: config, rows: prepared.map { ($0.uid, $0.rowHash) })
    }
}
