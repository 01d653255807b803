/// What a run does after a cell that did not commit.
public enum FailurePolicy: Sendable, Equatable, CaseIterable {
    /// Stop at the first failed or cancelled cell (`rlhf run`, `--resume`, `--cells`, the shell's `:load`).
    case stopAtFirstFailure
    /// Record a failed or timed-out cell and run the rest; a signal still stops the run (`--continue-on-error`).
    case continueOnError
    /// Run every cell whatever befalls the others (a replay re-executes failed cells as they happened).
    case runEveryCell

    /// What becomes of the run after a cell ended with `outcome`.
    public enum Decision: Sendable, Equatable {
        /// The cell committed: go on.
        case next
        /// The cell did not commit; it counts as a failure of the run, which goes on.
        case recordAndContinue
        /// The run ends here.
        case stop
    }

    public func decision(after outcome: CellOutcome) -> Decision {
        switch (self, outcome) {
        case (_, .committed): .next
        case (.stopAtFirstFailure, _): .stop
        case (.continueOnError, .failed): .recordAndContinue
        // A timeout is the cell's fault; a signal is the user asking the whole run to stop.
        case (.continueOnError, .cancelled(_, let reason)): reason == .timeout ? .recordAndContinue : .stop
        case (.runEveryCell, _): .recordAndContinue
        }
    }
}
