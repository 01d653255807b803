import Foundation
import Store

/// How numbers read wherever the lab shows them to a person: terminal tables, HTML reports and the web view.
public enum TextFormat {
    /// `512 B`, `52.1 KB`, `3.4 MB`.
    public static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        if n < 1024 * 1024 { return String(format: "%.1f KB", Double(n) / 1024) }
        return String(format: "%.1f MB", Double(n) / (1024 * 1024))
    }

    /// Six significant digits, scientific outside [1e-3, 1e6); `0` for zero.
    public static func number(_ x: Double) -> String {
        if x == 0 { return "0" }
        return formatted(x, abs(x) >= 1e-3 && abs(x) < 1e6 ? "%.6g" : "%.4e")
    }

    /// What `String(format: format, x)` gives for one number, from C's `vsnprintf` (which Foundation's formatting
    /// calls for numbers) without Foundation's parsing of the format: the same text in a fraction of the time, which
    /// matters for a table of a thousand runs.
    static func formatted(_ x: Double, _ format: String) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            let written = withVaList([x]) { arguments in
                format.withCString { vsnprintf(buffer.baseAddress, 64, $0, arguments) }
            }
            let bytes = UnsafeRawBufferPointer(start: buffer.baseAddress, count: Int(max(0, min(written, 63))))
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// `0.512 ± 0.031`; a single run's value alone; `-` when no run of the row logged it.
    public static func meanInterval(_ m: MeanInterval?) -> String {
        guard let m else { return "-" }
        return number(m.mean) + (m.halfWidth.map { " ± " + number($0) } ?? "")
    }
}
