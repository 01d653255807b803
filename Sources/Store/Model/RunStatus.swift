/// The lifecycle of a run: `running` until ``LabStore/finishRun(_:status:)`` records how it ended. `cancelled`: the
/// user stopped it (Ctrl-C, a signal, `--cell-timeout`); `interrupted`: its process died without saying how it ended.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    case running, succeeded, failed, interrupted, cancelled
}
