import Engine

/// A simulated human who compares two responses.
public enum Annotator: Sendable, Equatable {
    /// The seed's Slide 4: a fair coin, blind to the responses.
    case coin
    /// Always prefers the response of higher gold reward (a coin only on exact ties).
    case oracle
    /// Christiano et al. (2017): P(prefer a) = ε/2 + (1 − ε)·σ((gold(a) − gold(b)) / T), ε the chance of a random answer
    /// and T the temperature (how much a gold difference of 1 sways the judgement).
    case bradleyTerry(noise: Double, temperature: Double = 1)
    /// The verbosity bias Stiennon et al. (2020) report: judges by gold(y) + weight·‖y‖ (the length of a vector
    /// response is its norm, of a text continuation its number of words), Bradley–Terry style:
    /// P(prefer a) = σ(u(a) − u(b)).
    case biased(toward: String, weight: Double)
    /// Several annotators vote independently; the majority wins (a coin breaks even splits). Each row records how many
    /// members agreed with the verdict.
    case panel([Annotator])

    public init(bradleyTerryNoise noise: Double, temperature: Double = 1) throws {
        guard (0...1).contains(noise) else {
            throw AlignmentError.invalidArgument("BradleyTerry noise must be between 0 and 1, got \(noise)")
        }
        guard temperature > 0, temperature.isFinite else {
            throw AlignmentError.invalidArgument("BradleyTerry temperature must be > 0, got \(temperature)")
        }
        self = .bradleyTerry(noise: noise, temperature: temperature)
    }

    /// A biased annotator; only `"length"` bias exists for vector responses.
    public init(biasedToward feature: String, weight: Double) throws {
        guard feature == "length" else {
            throw AlignmentError.invalidArgument("Biased annotators know the feature \"length\", got \"\(feature)\"")
        }
        guard weight.isFinite else {
            throw AlignmentError.invalidArgument("Biased weight must be finite, got \(weight)")
        }
        self = .biased(toward: feature, weight: weight)
    }

    /// A panel of at least two members.
    public init(panel members: [Annotator]) throws {
        guard members.count >= 2 else {
            throw AlignmentError.invalidArgument("a panel needs at least 2 annotators, got \(members.count)")
        }
        self = .panel(members)
    }

    /// Probability that this annotator prefers a response of gold `a` over one of gold `b` (annotators that look only
    /// at gold; a biased one is judged with lengths equal, a panel by the chance its majority says a).
    public func probabilityPrefers(gold a: Float, over b: Float) -> Double {
        probabilityPrefers(gold: a, length: 0, over: b, length: 0)
    }

    /// Probability that this annotator prefers response a (gold `ga`, length `la`) over b.
    public func probabilityPrefers(gold ga: Float, length la: Float, over gb: Float, length lb: Float) -> Double {
        switch self {
        case .coin: return 0.5
        case .oracle: return ga > gb ? 1 : (ga < gb ? 0 : 0.5)
        case let .bradleyTerry(noise, temperature):
            return noise / 2 + (1 - noise) * Double(sigmoid(Float(Double(ga - gb) / temperature)))
        case let .biased(_, weight):
            return Double(sigmoid(Float(Double(ga - gb) + weight * Double(la - lb))))
        case let .panel(members):
            // P(majority says a): convolve the members' independent votes; an even split is a fair coin.
            var dist = [1.0]  // dist[k] = P(k members say a)
            for m in members {
                let p = m.probabilityPrefers(gold: ga, length: la, over: gb, length: lb)
                var next = [Double](repeating: 0, count: dist.count + 1)
                for (k, q) in dist.enumerated() {
                    next[k] += q * (1 - p)
                    next[k + 1] += q * p
                }
                dist = next
            }
            let n = members.count
            var total = 0.0
            for (k, q) in dist.enumerated() {
                if 2 * k > n { total += q } else if 2 * k == n { total += q / 2 }
            }
            return total
        }
    }

    /// One judgement, drawn from `rng`.
    public func prefersFirst(gold a: Float, over b: Float, rng: inout RNG) -> Bool {
        rng.uniform() < probabilityPrefers(gold: a, over: b)
    }

    /// One judgement of two responses: whether `a` is preferred and how many judges agreed with that verdict
    /// (1 of 1 for a single annotator).
    public func judge(
        _ a: ArraySlice<Float>, _ b: ArraySlice<Float>, gold: (ArraySlice<Float>) -> Float,
        rng: inout RNG
    ) -> Judgement {
        let (ga, gb) = (gold(a), gold(b))
        return judge(gold: ga, length: Self.length(a), over: gb, length: Self.length(b), rng: &rng)
    }

    func judge(gold ga: Float, length la: Float, over gb: Float, length lb: Float, rng: inout RNG) -> Judgement {
        guard case let .panel(members) = self else {
            let first = rng.uniform() < probabilityPrefers(gold: ga, length: la, over: gb, length: lb)
            return Judgement(prefersFirst: first, agreeing: 1, judges: 1)
        }
        var forA = 0
        for m in members where m.judge(gold: ga, length: la, over: gb, length: lb, rng: &rng).prefersFirst { forA += 1 }
        let n = members.count
        let first = 2 * forA == n ? rng.uniform() < 0.5 : 2 * forA > n
        return Judgement(prefersFirst: first, agreeing: first ? forA : n - forA, judges: n)
    }

    /// Euclidean norm: the "length" of a vector response.
    static func length(_ y: ArraySlice<Float>) -> Float {
        var s: Float = 0
        for v in y { s += v * v }
        return s.squareRoot()
    }

    /// The annotator's canonical name: how it is recorded on every row it labels and stored in a notebook's bindings,
    /// and what `init(name:)` reads back. Numbers are Swift's shortest round-trip `Double` text:
    /// `coin`, `oracle`, `bradleyTerry(noise: 0.05)`, `bradleyTerry(noise: 0.1, temperature: 2.0)` (temperature only
    /// when not 1), `biased(toward: length, weight: 0.5)`, `panel(NAME, NAME, …)` with members' names nested.
    public var name: String {
        switch self {
        case .coin: "coin"
        case .oracle: "oracle"
        case let .bradleyTerry(noise, temperature):
            temperature == 1
                ? "bradleyTerry(noise: \(noise))" : "bradleyTerry(noise: \(noise), temperature: \(temperature))"
        case let .biased(feature, weight): "biased(toward: \(feature), weight: \(weight))"
        case let .panel(members): "panel(" + members.map(\.name).joined(separator: ", ") + ")"
        }
    }

    /// The annotator whose canonical `name` is `name`, checked as the notebook constructors check it; an
    /// `AlignmentError` quoting `name` if it is not one.
    public init(name: String) throws {
        func unknown() -> AlignmentError { .invalidArgument("unknown annotator '\(name)'") }
        switch name {
        case "coin": self = .coin
        case "oracle": self = .oracle
        default:
            guard let open = name.firstIndex(of: "("), name.hasSuffix(")") else { throw unknown() }
            let head = name[..<open]
            let parts = Self.topLevelParts(name[name.index(after: open)..<name.index(before: name.endIndex)])
            func labelled(_ label: String) -> String? {
                parts.first { $0.hasPrefix(label + ": ") }.map { String($0.dropFirst(label.count + 2)) }
            }
            func number(_ label: String) throws -> Double {
                guard let text = labelled(label), let value = Double(text) else { throw unknown() }
                return value
            }
            switch head {
            case "bradleyTerry":
                guard parts.count == (labelled("temperature") == nil ? 1 : 2) else { throw unknown() }
                let temperature = labelled("temperature") == nil ? 1 : try number("temperature")
                self = try Annotator(bradleyTerryNoise: try number("noise"), temperature: temperature)
            case "biased":
                guard parts.count == 2, let feature = labelled("toward") else { throw unknown() }
                self = try Annotator(biasedToward: feature, weight: try number("weight"))
            case "panel":
                self = try Annotator(panel: try parts.map { try Annotator(name: $0) })
            default:
                throw unknown()
            }
        }
    }

    /// Splits `a, b(c, d), e` at the `, ` outside brackets (the separator `name` writes).
    private static func topLevelParts(_ text: Substring) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var characters = text.makeIterator()
        while let character = characters.next() {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character == ",", depth == 0 {
                parts.append(current)
                current = ""
                guard characters.next() == " " else { return [] }
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }
}

/// The outcome of one comparison.
public struct Judgement: Sendable, Equatable {
    public var prefersFirst: Bool
    /// Judges who voted for the verdict, out of `judges`.
    public var agreeing: Int
    public var judges: Int

    /// Fraction of judges who voted against the verdict (0 when all agreed).
    public var disagreement: Double { Double(judges - agreeing) / Double(judges) }

    /// The annotator column of the row this judgement labels: the annotator's name, and for a panel how its judges
    /// split (`panel(…): 2 of 3`).
    public func label(of annotator: Annotator) -> String {
        judges > 1 ? "\(annotator.name): \(agreeing) of \(judges)" : annotator.name
    }

    /// The disagreement a row's annotator column records: a panel's split read back from `label(of:)` (the same bits
    /// as `disagreement`), 0 for a single annotator. The store keeps the column, not the number.
    public static func disagreement(label: String) -> Double {
        guard let colon = label.lastIndex(of: ":") else { return 0 }
        let words = label[label.index(after: colon)...].split(separator: " ")
        guard words.count == 3, words[1] == "of", let agreeing = Int(words[0]), let judges = Int(words[2]),
            judges > 1, (0...judges).contains(agreeing)
        else { return 0 }
        return Judgement(prefersFirst: true, agreeing: agreeing, judges: judges).disagreement
    }
}
