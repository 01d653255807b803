/// The closed set of primitive ops a `Tape` records; `Tape+Primitives.swift` writes each one's forward computation
/// and gradient rule side by side. Every case has a finite-difference gradient test (`GradientTests`).
enum Primitive: String, CaseIterable, Sendable {
    case matmul  // [m,k] · [k,n] → [m,n]
    case linear  // x[m,in] · w[out,in]ᵀ + b[1,out] → [m,out], then ReLU if asked
    case add  // same shape, or b a row broadcast over a's rows
    case sub
    case mul
    case minimum  // elementwise min of two same-shape tensors
    case scale
    case neg
    case relu
    case logSigmoid
    case softplus
    case exp
    case log  // natural log of positive inputs
    case clamp  // elementwise clamp to [lo, hi]
    case logSoftmax  // per row: x − log Σ_j e^{x_j}
    case pick  // [n, k], one column per row → [n, 1]
    case sumRows  // [n, k] → [n, 1]
    case rows  // [n, k] → [hi − lo, k], rows lo..<hi
    case sum  // → [1]
    case mean  // → [1]
}
