import Engine
import Models

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The seed's Slide 10: a customer-service chatbot choosing its reply, with hidden gold customer satisfaction.
///
/// Each conversation opens with an issue in one of four categories, of a hidden difficulty d ∈ [0, 1). The policy sees
/// only a feature vector (the category's hidden prototype, plus d along a hidden direction, plus noise). It answers
/// with one of eight replies: four strategies, each polite or curt.
/// - **fix**: solves the issue at once, if d is below the category's `fixable` threshold.
/// - **clarify**: asks a question first, then solves it, if d is below `clarifiable` (one more turn).
/// - **escalate**: hands over to a human, who always solves it (three more turns).
/// - **deflect**: points to the FAQ and never solves it.
///
/// Gold satisfaction, on the seed's 1–5 scale, is 1.5 + 2.5 · solved + 1 · polite − 0.3 · (turns − 1), clamped to
/// [1, 5]. A response vector, which is what the reward model reads and a preference row stores, is the conversation's
/// features followed by the reply one-hot.
public struct SupportTask: Sendable, Equatable {
    public static let categories = ["billing", "technical", "shipping", "account"]
    public static let strategies = ["fix", "clarify", "escalate", "deflect"]
    /// Reply k is strategy k / 2, polite when k is even.
    public static let replies = strategies.flatMap { ["\($0), polite", "\($0), curt"] }
    /// Per category, the difficulty below which a direct fix works and below which asking first works.
    public static let thresholds: [(fixable: Float, clarifiable: Float)] = [
        (0.6, 0.9), (0.25, 0.6), (0.5, 0.85), (0.4, 0.7),
    ]
    /// Turns a conversation takes with each strategy.
    static let turns: [Float] = [1, 2, 4, 1]

    public let dim: Int
    public let seed: UInt64
    /// Spread of the features around their category's prototype; with `dim`, the counts and `seed` it rebuilds the
    /// task exactly.
    public let noise: Float
    public let prompts: Tensor  // [conversations, dim]
    public let testPrompts: Tensor  // [testConversations, dim]
    /// Hidden: category and difficulty of each training and held-out conversation.
    let category: [Int], testCategory: [Int]
    let difficulty: [Float], testDifficulty: [Float]

    public init(dim: Int, conversations: Int = 500, testConversations: Int = 500, noise: Float = 0.3, seed: UInt64)
        throws
    {
        try CategoryFeatures.check(
            "SupportTask", dim: dim, counts: (conversations, testConversations), of: "conversation", noise: noise)
        self.dim = dim
        self.seed = seed
        self.noise = noise
        var rng = RNG(seed: seed)
        let features = CategoryFeatures(categories: Self.categories.count, dim: dim, noise: noise, rng: &rng)
        (prompts, category, difficulty) = features.draw(conversations, rng: &rng)
        (testPrompts, testCategory, testDifficulty) = features.draw(testConversations, rng: &rng)
    }

    /// What reply `k` does to an issue of category `c` and difficulty `d`.
    public struct Outcome: Sendable, Equatable {
        public var solved: Bool
        public var polite: Bool
        public var turns: Float
        /// Appropriate: polite, and not pointing the customer elsewhere.
        public var appropriate: Bool { polite && !deflects }
        var deflects: Bool
        /// Gold satisfaction on the 1–5 scale.
        public var satisfaction: Float {
            min(5, max(1, 1.5 + (solved ? 2.5 : 0) + (polite ? 1 : 0) - 0.3 * (turns - 1)))
        }
    }

    public static func outcome(category c: Int, difficulty d: Float, reply k: Int) -> Outcome {
        let strategy = k / 2
        let solved =
            switch strategy {
            case 0: d < thresholds[c].fixable
            case 1: d < thresholds[c].clarifiable
            case 2: true
            default: false
            }
        return Outcome(solved: solved, polite: k % 2 == 0, turns: turns[strategy], deflects: strategy == 3)
    }

    func outcome(_ i: Int, test: Bool, reply k: Int) -> Outcome {
        test
            ? Self.outcome(category: testCategory[i], difficulty: testDifficulty[i], reply: k)
            : Self.outcome(category: category[i], difficulty: difficulty[i], reply: k)
    }

    /// Slide 10's four measures of a policy over the held-out conversations, as expectations under its reply
    /// probabilities (exact, no sampling).
    public struct Scorecard: Sendable, Equatable {
        /// Mean gold satisfaction, 1–5.
        public var satisfaction: Double
        /// Fraction of issues solved.
        public var resolutionRate: Double
        /// Fraction of replies that are polite and do not deflect.
        public var appropriateness: Double
        /// Mean number of turns.
        public var turns: Double
    }

    public func scorecard(_ policy: SamplingPolicy) throws -> Scorecard {
        try check(samplingPolicy: policy)
        let logp = policy.logProbabilities(testPrompts)  // [test, replies]
        let k = candidateCount
        return scorecard { i in (0..<k).map { exp(Double(logp.data[i * k + $0])) } }
    }

    /// The ceiling: the scorecard of always giving each held-out conversation its gold-best reply (the first of
    /// equals).
    public func optimalScorecard() -> Scorecard {
        let k = candidateCount
        return scorecard { i in
            var best = 0
            for r in 1..<k
            where outcome(i, test: true, reply: r).satisfaction > outcome(i, test: true, reply: best).satisfaction {
                best = r
            }
            return (0..<k).map { $0 == best ? 1 : 0 }
        }
    }

    /// Expected measures when conversation i gets reply r with probability `probabilities(i)[r]`.
    private func scorecard(_ probabilities: (Int) -> [Double]) -> Scorecard {
        var sums = [Double](repeating: 0, count: 4)
        for i in 0..<testPrompts.rows {
            for (r, p) in probabilities(i).enumerated() {
                let o = outcome(i, test: true, reply: r)
                sums[0] += p * Double(o.satisfaction)
                sums[1] += o.solved ? p : 0
                sums[2] += o.appropriate ? p : 0
                sums[3] += p * Double(o.turns)
            }
        }
        let n = Double(testPrompts.rows)
        return Scorecard(
            satisfaction: sums[0] / n, resolutionRate: sums[1] / n, appropriateness: sums[2] / n, turns: sums[3] / n)
    }
}

extension SupportTask: CandidateTask {
    public var candidateCount: Int { Self.replies.count }
    public var responseDim: Int { dim + Self.replies.count }

    public func response(prompt i: Int, test: Bool, candidate k: Int) -> [Float] {
        let x = test ? testPrompts : prompts
        return Array(x.data[(i * dim)..<(i * dim + dim)]) + (0..<Self.replies.count).map { $0 == k ? 1 : 0 }
    }

    public func gold(prompt i: Int, test: Bool, candidate k: Int) -> Float {
        outcome(i, test: test, reply: k).satisfaction
    }

    public func candidateIndices(_ data: PreferenceDataset) throws -> (chosen: [Int], rejected: [Int]) {
        try oneHotIndices(data, features: dim, kind: "support reply")
    }
}
