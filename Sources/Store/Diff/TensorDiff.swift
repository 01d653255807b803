/// How one named tensor differs between versions `a` and `b` of a checkpoint.
///
/// `status` is one of `"unchanged"`, `"changed"`, `"added"` (only in b), `"removed"` (only in a) or `"reshaped"`.
/// `l2` is the Euclidean norm of b − a, `maxAbs` the largest |b − a|, `changedFraction` the share of entries whose
/// bits differ. An added or removed tensor is compared with zeros (fraction 1 when it has entries); a reshaped one
/// has no entry-wise difference (l2 and maxAbs 0, fraction 1).
public struct TensorDiff: Sendable, Codable, Equatable {
    public var name: String
    public var status: String
    public var shapeA: [Int]?
    public var shapeB: [Int]?
    public var l2: Double
    public var maxAbs: Double
    public var changedFraction: Double
    /// Cosine similarity of a and b as vectors; nil when either is missing, reshaped or all zeros.
    public var cosine: Double?

    public init(
        name: String, status: String, shapeA: [Int]?, shapeB: [Int]?, l2: Double, maxAbs: Double,
        changedFraction: Double, cosine: Double? = nil
    ) {
        self.name = name
        self.status = status
        self.shapeA = shapeA
        self.shapeB = shapeB
        self.l2 = l2
        self.maxAbs = maxAbs
        self.changedFraction = changedFraction
        self.cosine = cosine
    }

    /// Compares the tensor named `name` in a and b; at least one of them is present.
    init(name: String, a: StoredTensor?, b: StoredTensor?) {
        switch (a, b) {
        case let (a?, b?) where a.shape != b.shape:
            self.init(
                name: name, status: "reshaped", shapeA: a.shape, shapeB: b.shape, l2: 0, maxAbs: 0, changedFraction: 1)
        case let (a?, b?):
            let delta = Self.delta(a.values, b.values)
            self.init(
                name: name, status: delta.changed == 0 ? "unchanged" : "changed", shapeA: a.shape, shapeB: b.shape,
                l2: delta.l2, maxAbs: delta.maxAbs, changedFraction: delta.fraction,
                cosine: Self.cosine(a.values, b.values))
        case let (a?, nil):
            let delta = Self.delta(a.values, [Float](repeating: 0, count: a.values.count))
            self.init(
                name: name, status: "removed", shapeA: a.shape, shapeB: nil, l2: delta.l2, maxAbs: delta.maxAbs,
                changedFraction: a.values.isEmpty ? 0 : 1)
        case let (nil, b?):
            let delta = Self.delta([Float](repeating: 0, count: b.values.count), b.values)
            self.init(
                name: name, status: "added", shapeA: nil, shapeB: b.shape, l2: delta.l2, maxAbs: delta.maxAbs,
                changedFraction: b.values.isEmpty ? 0 : 1)
        case (nil, nil):
            self.init(name: name, status: "unchanged", shapeA: nil, shapeB: nil, l2: 0, maxAbs: 0, changedFraction: 0)
        }
    }

    /// a·b / (‖a‖‖b‖), accumulated in index order; nil for a zero vector.
    private static func cosine(_ a: [Float], _ b: [Float]) -> Double? {
        var dot = 0.0, normA = 0.0, normB = 0.0
        for index in a.indices {
            dot += Double(a[index]) * Double(b[index])
            normA += Double(a[index]) * Double(a[index])
            normB += Double(b[index]) * Double(b[index])
        }
        guard normA > 0, normB > 0 else { return nil }
        return dot / (normA.squareRoot() * normB.squareRoot())
    }

    /// Entry-wise b − a of equally long arrays, summed in index order (so results are reproducible).
    private static func delta(_ a: [Float], _ b: [Float]) -> (
        l2: Double, maxAbs: Double, changed: Int, fraction: Double
    ) {
        var sumSquares = 0.0
        var maxAbs = 0.0
        var changed = 0
        for index in a.indices {
            if a[index].bitPattern != b[index].bitPattern { changed += 1 }
            let difference = Double(b[index]) - Double(a[index])
            sumSquares += difference * difference
            maxAbs = max(maxAbs, abs(difference))
        }
        let fraction = a.isEmpty ? 0 : Double(changed) / Double(a.count)
        return (sumSquares.squareRoot(), maxAbs, changed, fraction)
    }
}
