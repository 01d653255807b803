/// Why an alignment step could not run; each case says what to change.
public enum AlignmentError: Error, CustomStringConvertible, Equatable {
    case invalidArgument(String)
    case shapeMismatch(String)
    case emptyDataset(String)
    case cancelled
    /// Training produced a NaN or infinite loss or tensor (the message names it and the step).
    case nonFinite(String)

    public var description: String {
        switch self {
        case let .invalidArgument(m), let .shapeMismatch(m), let .emptyDataset(m), let .nonFinite(m): m
        case .cancelled: "cancelled"
        }
    }
}

/// Lets a long built-in report progress and stop early when the user cancels.
public struct TrainingControl {
    public var isCancelled: () -> Bool
    public var progress: (_ done: Int, _ total: Int) -> Void

    public init(isCancelled: @escaping () -> Bool = { false }, progress: @escaping (Int, Int) -> Void = { _, _ in }) {
        self.isCancelled = isCancelled
        self.progress = progress
    }

    func checkpoint(_ done: Int, of total: Int) throws {
        if isCancelled() { throw AlignmentError.cancelled }
        progress(done, total)
    }
}

/// One point of a metric series, with the step counted from the start of the call that produced it.
public struct Metric: Sendable, Equatable {
    public var name: String
    public var step: Int
    public var value: Double

    public init(_ name: String, step: Int, _ value: Double) {
        self.name = name
        self.step = step
        self.value = value
    }
}
