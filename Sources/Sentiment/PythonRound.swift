/// Python's `round(x, n)` for a float: the double nearest to the decimal that `x`'s exact binary value rounds to at
/// `n` places, ties to even (`round(0.03125, 4)` is 0.0312, `round(0.09375, 4)` is 0.0938), sign kept on zero.
///
/// CPython gets there through a correctly rounded decimal string (`_Py_dg_dtoa` mode 3, then `_Py_dg_strtod`); this
/// does the same arithmetic on the binary value exactly: x = m·2^k, so x·10^n = m·10^n / 2^−k is split into its whole
/// part and a remainder compared with one half, in 128-bit integers.
enum PythonRound {
    static func round(_ x: Double, digits: Int) -> Double {
        guard x.isFinite, x != 0, (0...6).contains(digits) else { return x }
        let magnitude = x.magnitude
        var power: UInt64 = 1
        for _ in 0..<digits { power *= 10 }
        // Whole numbers are their own rounding; so, too, is anything too large for the exact path below (VADER only
        // rounds figures in [−1, 1]).
        guard magnitude < 0x1p52 / Double(power) else { return x }
        guard magnitude.isNormal, Int(magnitude.exponent) - 52 >= -100 else { return 0 * x }  // far below 10^−n
        let shift = 52 - Int(magnitude.exponent)
        if shift <= 0 { return x }
        let mantissa = UInt128(magnitude.significandBitPattern | (1 << 52))
        let scaled = mantissa * UInt128(power)  // x·10^n·2^shift, exactly
        var whole = scaled >> shift
        let remainder = scaled & ((1 << shift) - 1)
        let half = UInt128(1) << (shift - 1)
        if remainder > half || (remainder == half && whole & 1 == 1) { whole += 1 }
        // whole < 2^53 and 10^n are exact doubles, so one correctly rounded division gives the nearest double.
        let rounded = Double(whole) / Double(power)
        return x < 0 ? -rounded : rounded
    }
}
