/// One Float32 tensor of a checkpoint. Store knows nothing of autograd; values are row-major.
///
/// ```swift
/// let w = StoredTensor(name: "fc1.weight", shape: [64, 100], values: weights)
/// ```
/// `values.count` must equal the product of `shape` (an empty shape is a scalar holding one value),
/// otherwise committing it throws ``StoreError/badTensor(object:tensor:reason:)``.
public struct StoredTensor: Sendable, Equatable, Codable {
    public var name: String
    public var shape: [Int]
    public var values: [Float]

    public init(name: String, shape: [Int], values: [Float]) {
        self.name = name
        self.shape = shape
        self.values = values
    }

    /// The number of values `shape` calls for, or nil when a dimension is negative or the product overflows.
    var expectedCount: Int? {
        var count = 1
        for dim in shape {
            guard dim >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            if overflow { return nil }
            count = product
        }
        return count
    }
}
