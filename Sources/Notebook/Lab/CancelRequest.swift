import Language
import Synchronization

/// A request to stop the running cell, made on another thread (the Ctrl-C watcher, a signal watcher) and read by the
/// cell's thread at every check point: each loop iteration and call of the interpreter, each step, epoch or batch of
/// a long built-in.
///
/// An atomic rather than a plain `var`: the optimiser may keep a plain variable in a register for a whole loop, and a
/// cross-thread write to it is a data race, so a request made while the loop ran might never be seen.
public final class CancelRequest: Sendable {
    /// Why the cell was stopped; the first reason given wins.
    public enum Reason: Int, Sendable {
        /// Ctrl-C in the shell, or SIGINT during `rlhf run`.
        case interrupt = 1
        /// SIGTERM during `rlhf run`.
        case terminate
        /// The cell ran past `--cell-timeout`.
        case timeout
    }

    private let state = Atomic<Int>(0)

    public init() {}

    /// Asks the running cell to stop at its next check point (safe from any thread).
    public func request(_ reason: Reason) {
        _ = state.compareExchange(expected: 0, desired: reason.rawValue, ordering: .relaxed)
    }

    /// The pending request's reason, nil when none is pending.
    public var reason: Reason? { Reason(rawValue: state.load(ordering: .relaxed)) }

    public var isRequested: Bool { state.load(ordering: .relaxed) != 0 }

    /// Drops a pending request (one that arrived after the cell's last check must not stop the next cell).
    public func clear() { state.store(0, ordering: .relaxed) }
}
