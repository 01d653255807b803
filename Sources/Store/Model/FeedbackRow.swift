/// One pairwise preference. `uid` is unique within its dataset and stable across versions (a row keeps its uid forever).
///
/// Committing a dataset whose row with a known `uid` has different content records a relabel: the old row is
/// removed and the new one added in the same version.
public struct FeedbackRow: Sendable, Equatable, Codable {
    /// The words of a text preference: the prompt, both continuations, and how the policy sampled them.
    public struct Text: Sendable, Equatable, Codable {
        public var prompt: String
        public var chosen: String
        public var rejected: String
        /// The sampling settings, e.g. `"temperature: 1.0, top_k: 5"`; nil when not recorded.
        public var sampling: String?

        public init(prompt: String, chosen: String, rejected: String, sampling: String? = nil) {
            self.prompt = prompt
            self.chosen = chosen
            self.rejected = rejected
            self.sampling = sampling
        }
    }

    public var uid: Int64
    public var prompt: Int
    public var chosen: [Float]
    public var rejected: [Float]
    /// Who judged the pair, e.g. `"bradleyTerry(noise: 0.05)"`.
    public var annotator: String
    /// The RNG draw that decided this row (blame).
    public var seed: UInt64
    /// The text of a text preference (its `chosen`/`rejected` are then token ids); nil for vector responses, whose
    /// rows, hashes and JSON are exactly what they were before text existed.
    public var text: Text?

    public init(
        uid: Int64, prompt: Int, chosen: [Float], rejected: [Float], annotator: String, seed: UInt64, text: Text? = nil
    ) {
        self.uid = uid
        self.prompt = prompt
        self.chosen = chosen
        self.rejected = rejected
        self.annotator = annotator
        self.seed = seed
        self.text = text
    }
}
