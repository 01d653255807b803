/// Reports how far a commit of large datasets has got: each row is counted once when it is hashed and once when it
/// is written, so `total` is twice the rows of the commit's datasets. Small commits report nothing.
final class CommitProgress {
    /// Commits of fewer dataset rows finish too fast for progress to say anything.
    static let threshold = 10_000
    /// Rows between two reports.
    static let stride = 1_024

    private let report: ((Int, Int) -> Void)?
    let total: Int
    private(set) var done = 0

    init(rows: Int, report: ((Int, Int) -> Void)?) {
        self.report = rows >= Self.threshold ? report : nil
        total = 2 * rows
    }

    /// Counts one row hashed or written.
    func advance() {
        done += 1
        if done % Self.stride == 0 { report?(done, total) }
    }

    /// Counts `rows` rows that needed no work (unchanged rows, not written).
    func skip(_ rows: Int) {
        done += rows
    }

    /// The last report: everything done.
    func finish() {
        report?(total, total)
    }
}
