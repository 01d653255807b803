import Alignment
import Language

/// What a lab value can do, as Swift protocols. A built-in declares a parameter of a capability (`collect(_ task:
/// CandidateTask, …)`) and works with any value that conforms, so a new type gains every built-in of a capability by
/// conforming here — and the compiler lists what it must provide.
///
/// The cell language knows only the abstraction: `ArgumentType.candidateTask` is a native type whose matcher is
/// "conforms to `CandidateTaskValue`".

/// A task whose responses are a fixed set of candidates per prompt: a `SamplingPolicy` is built and trained over it
/// (`SamplingPolicy`, `rloo`, `ppo`, `dpo`, `expected_gold`), and `collect` asks annotators about pairs of its
/// responses.
protocol CandidateTaskValue: NativeValue {
    /// The task as the alignment code reads it.
    var candidateTask: any CandidateTask { get }
    /// Simulated feedback on this task's responses, for `collect` (see `Builtins/Feedback.swift`).
    func collectFeedback(_ request: FeedbackRequest, lab: LabState, context: CallContext) throws -> PreferenceDataset
}

extension TaskValue: CandidateTaskValue {
    var candidateTask: any CandidateTask { task }
}

extension ModerationTaskValue: CandidateTaskValue {
    var candidateTask: any CandidateTask { task }
}

extension SupportTaskValue: CandidateTaskValue {
    var candidateTask: any CandidateTask { task }
}
