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
    case concatColumns  // [n, a] and [n, b] → [n, a + b], each row a's then b's
    case sum  // → [1]
    case mean  // → [1]
    // The transformer's ops (Tape+Transformer.swift)
    case affine  // x[m,in] · w[in,out] + b[out] → [m,out] (GPT-2's Conv1D)
    case matmulTransposed  // a[m,k] · b[n,k]ᵀ → [m,n]
    case embedding  // rows of a table [rows, dim] by id → [ids, dim]
    case layerNorm  // over the last dimension, weight and bias [dim]
    case gelu  // tanh form (gelu_new)
    case causalAttention  // qkv[B·T, 3D] → [B·T, D], heads of D/H columns, position i sees j ≤ i
    case crossEntropy  // logits [n, vocab] and one target per row → mean loss [1]
}
