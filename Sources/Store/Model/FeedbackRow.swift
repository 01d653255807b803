/// One pairwise preference. `uid` is unique within its dataset and stable across versions (a row keeps its uid forever).
///
/// Committing a dataset whose row with a known `uid` has different content records a relabel: the old row is
/// removed and the new one added in the same version.
public struct FeedbackRow: Sendable, Equatable, Codable {
    public var uid: Int64
    public var prompt: Int
    public var chosen: [Float]
    public var rejected: [Float]
    /// Who judged the pair, e.g. `"bradleyTerry(noise: 0.05)"`.
    public var annotator: String
    /// The RNG draw that decided this row (blame).
    public var seed: UInt64

    public init(uid: Int64, prompt: Int, chosen: [Float], rejected: [Float], annotator: String, seed: UInt64) {
        self.uid = uid
        self.prompt = prompt
        self.chosen = chosen
        self.rejected = rejected
        self.annotator = annotator
        self.seed = seed
    }
}
