import Foundation
import Testing

@testable import Web

/// `TextFormat.number` formats through C's `vsnprintf` directly; its text must be `String(format:)`'s, byte for byte.
@Suite struct TextFormatTests {
    @Test(arguments: ["%.6g", "%.4e"])
    func formattingMatchesFoundation(format: String) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var mismatches: [String] = []
        let special: [Double] = [
            0, -0.0, 1, -1, 0.001, 0.000_999_999_9, 999_999.5, 1e6, 123_456.789, .nan, .infinity, -.infinity,
            .ulpOfOne, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e-300, -2.5e17,
        ]
        for i in 0..<(200_000 + special.count) {
            let x: Double
            if i < special.count {
                x = special[i]
            } else {
                // xorshift64*: random bits as a double (any sign, exponent and mantissa), NaNs replaced.
                state ^= state >> 12
                state ^= state << 25
                state ^= state >> 27
                let bits = state &* 0x2545_F491_4F6C_DD1D
                let raw = Double(bitPattern: bits)
                // Half the values in the range people log (1e-6 … 1e8), half anywhere.
                x = i.isMultiple(of: 2) ? (raw.isNaN ? 1 : raw) : Double(bits % 100_000_000) / Double(1 + bits >> 40)
            }
            let ours = TextFormat.formatted(x, format), foundation = String(format: format, x)
            if ours != foundation && mismatches.count < 5 { mismatches.append("\(x): \(ours) vs \(foundation)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test(arguments: [
        (0.0, "0"), (1.5, "1.5"), (-0.25, "-0.25"), (123_456.789, "123457"), (0.000_5, "5.0000e-04"),
        (2.5e6, "2.5000e+06"), (Double.nan, "nan"),
    ])
    func numbersReadAsBefore(value: Double, text: String) {
        #expect(TextFormat.number(value) == text)
    }
}
