/// The gradients produced by `Tape.backward`.
public struct Gradients {
    let storage: [Tensor?]
    /// ∂root/∂v, or nil when v does not influence the root.
    public subscript(_ v: Var) -> Tensor? { storage[v.id] }

    /// The gradients of one backward pass while the rules add to them.
    struct Accumulator {
        /// The tape's `needsGrad`: a value that needs no gradient is given none.
        let needsGrad: [Bool]
        var storage: [Tensor?]

        init(needsGrad: [Bool]) {
            self.needsGrad = needsGrad
            storage = [Tensor?](repeating: nil, count: needsGrad.count)
        }

        /// Adds `g` to v's gradient (the first share is kept as it is).
        mutating func add(_ g: Tensor, to v: Var) {
            guard needsGrad[v.id] else { return }
            guard var existing = storage[v.id] else {
                storage[v.id] = g
                return
            }
            storage[v.id] = nil  // so `existing` is the only reference and is added to in place
            existing.data.withUnsafeMutableBufferPointer { e in
                g.data.withUnsafeBufferPointer { pg in
                    for i in 0..<e.count { e[i] += pg[i] }
                }
            }
            storage[v.id] = existing
        }

        /// Lets `body` add into v's gradient in place (zeros of `shape` if it has none yet).
        mutating func add(to v: Var, shape: [Int], _ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
            guard needsGrad[v.id] else { return }
            var t = storage[v.id] ?? Tensor(zeros: shape)
            storage[v.id] = nil
            t.data.withUnsafeMutableBufferPointer { body($0) }
            storage[v.id] = t
        }
    }
}
