/// A dense, row-major Float32 tensor. A value type: copies are cheap (copy-on-write) and never alias.
///
/// ```swift
/// let x = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
/// x[1, 2]  // 6
/// ```
public struct Tensor: Sendable, Equatable, CustomStringConvertible {
    public var shape: [Int]
    public var data: [Float]

    /// Creates a tensor; `data.count` must equal the product of `shape` (an internal invariant, checked).
    public init(shape: [Int], data: [Float]) {
        precondition(shape.reduce(1, *) == data.count, "Tensor: \(data.count) values do not fill shape \(shape)")
        self.shape = shape
        self.data = data
    }

    public init(zeros shape: [Int]) {
        self.init(shape: shape, data: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    public init(scalar: Float) {
        self.init(shape: [1], data: [scalar])
    }

    public var count: Int { data.count }
    /// Rows of a matrix (first dimension); 1 for a vector.
    public var rows: Int { shape.count >= 2 ? shape[0] : 1 }
    /// Columns of a matrix (last dimension).
    public var columns: Int { shape.last ?? 1 }

    public subscript(row: Int, column: Int) -> Float {
        get { data[row * columns + column] }
        set { data[row * columns + column] = newValue }
    }

    /// Row `i` of a matrix as a 1-row tensor.
    public func row(_ i: Int) -> Tensor {
        let n = columns
        return Tensor(shape: [1, n], data: Array(data[(i * n)..<(i * n + n)]))
    }

    /// The values of row `i` of a matrix, without copying.
    public func rowSlice(_ i: Int) -> ArraySlice<Float> {
        let n = columns
        return data[(i * n)..<(i * n + n)]
    }

    /// Rows at the given indices, stacked in that order: `[indices.count, columns]`.
    public func gatherRows(_ indices: [Int]) -> Tensor {
        let n = columns
        var out = [Float](repeating: 0, count: indices.count * n)
        data.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (r, i) in indices.enumerated() {
                    for j in 0..<n { dst[r * n + j] = src[i * n + j] }
                }
            }
        }
        return Tensor(shape: [indices.count, n], data: out)
    }

    /// Stacks 1-row tensors (or flat vectors of equal length) into a matrix.
    public static func stack(rows: [[Float]]) -> Tensor {
        let n = rows.first?.count ?? 0
        return Tensor(shape: [rows.count, n], data: rows.flatMap { $0 })
    }

    public var description: String { "Tensor(shape: \(shape))" }
}
