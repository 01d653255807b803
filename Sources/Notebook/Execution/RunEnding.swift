import Store

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a sequence of cells ended, which decides the status the run is recorded with and the exit status of
/// `rlhf run`.
public enum RunEnding: Sendable, Equatable {
    /// Every planned cell ran; `failures` are those that did not commit (only under a policy that goes on).
    case finished(failures: [PlannedCell])
    /// A failed cell stopped the run.
    case stopped(at: PlannedCell)
    /// A cancel request stopped the run: at `cell` (it ran and was rolled back) or, when `started` is false,
    /// before it (the request arrived after the previous cell's last check point).
    case cancelled(at: PlannedCell, reason: CancelRequest.Reason, started: Bool)

    /// The status the run is finished with.
    public var status: RunStatus {
        switch self {
        case .finished(let failures): failures.isEmpty ? .succeeded : .failed
        case .stopped: .failed
        case .cancelled: .cancelled
        }
    }

    /// The exit status of `rlhf run`: 0, 1 for failed cells, 130 after SIGINT, 143 after SIGTERM, 124 after
    /// `--cell-timeout` (as timeout(1) uses).
    public var exitCode: Int32 {
        switch self {
        case .finished(let failures): failures.isEmpty ? 0 : 1
        case .stopped: 1
        case .cancelled(_, let reason, _): reason.exitCode
        }
    }
}

extension CancelRequest.Reason {
    /// Exit code of a run stopped by `--cell-timeout`.
    public static let timeoutExitCode: Int32 = 124

    /// 128 + the signal's number, as shells report a process a signal stopped; 124 for a timeout.
    public var exitCode: Int32 {
        switch self {
        case .interrupt: 128 + SIGINT
        case .terminate: 128 + SIGTERM
        case .timeout: Self.timeoutExitCode
        }
    }
}
