import Foundation

/// Store timestamps: ISO-8601 UTC with milliseconds, e.g. `2025-11-25T13:12:52.123Z`. Metadata only, never hashed.
enum Timestamp {
    static func now() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }
}
