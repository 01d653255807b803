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
        if abs(x) >= 1e-3 && abs(x) < 1e6 { return String(format: "%.6g", x) }
        return String(format: "%.4e", x)
    }

    /// `0.512 ± 0.031`; a single run's value alone; `-` when no run of the row logged it.
    public static func meanInterval(_ m: MeanInterval?) -> String {
        guard let m else { return "-" }
        return number(m.mean) + (m.halfWidth.map { " ± " + number($0) } ?? "")
    }
}
