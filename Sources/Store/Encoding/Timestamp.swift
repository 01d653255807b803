import Foundation

/// Store timestamps: ISO-8601 UTC with milliseconds, e.g. `2025-11-25T13:12:52.123Z`. Metadata only, never hashed.
public enum Timestamp {
    static func now() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    /// Milliseconds since 1970 of a stored timestamp (`2025-11-25T13:12:52.123Z` → 1764076372123), as MLflow and
    /// other trackers count time; nil for text that is not one (with or without the milliseconds).
    public static func milliseconds(_ text: String) -> Int64? {
        let date =
            (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(timeZone: .gmt)))
        return date.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }
}
