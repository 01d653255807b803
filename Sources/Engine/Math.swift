#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Scalar functions from the C library, named once so the rest of the engine does not care which platform it is on.
@inline(__always) func _log(_ x: Double) -> Double { log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { cos(x) }
@inline(__always) func _expf(_ x: Float) -> Float { expf(x) }
@inline(__always) func _logf(_ x: Float) -> Float { logf(x) }
@inline(__always) func _log1pf(_ x: Float) -> Float { log1pf(x) }

/// log σ(x), computed without overflow for large |x|.
@inline(__always) func logSigmoid(_ x: Float) -> Float { min(x, 0) - _log1pf(_expf(-abs(x))) }
/// softplus(x) = log(1 + eˣ), computed without overflow.
@inline(__always) func softplus(_ x: Float) -> Float { max(x, 0) + _log1pf(_expf(-abs(x))) }
/// σ(x), computed without overflow.
@inline(__always) public func sigmoid(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + _expf(-x)) }
    let e = _expf(x)
    return e / (1 + e)
}
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
