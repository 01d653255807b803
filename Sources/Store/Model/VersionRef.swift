import Foundation

/// Points at one version of one object of one run: `"12/policy@3"`, or `"12/policy"` for the latest version.
///
/// ```swift
/// let ref = try VersionRef(parsing: "12/policy@3")   // run 12, object "policy", version 3
/// ```
public struct VersionRef: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var run: Int64
    public var object: String
    /// Nil means the latest version.
    public var version: Int?

    public init(run: Int64, object: String, version: Int? = nil) {
        self.run = run
        self.object = object
        self.version = version
    }

    /// Parses `RUN/OBJECT[@VERSION]`; bad text throws ``StoreError/badReference(_:reason:)`` quoting it.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let expected = "expected RUN/OBJECT or RUN/OBJECT@VERSION, e.g. 12/policy@3"
        guard let slash = trimmed.firstIndex(of: "/") else {
            throw StoreError.badReference(text, reason: "no '/' between run and object; \(expected)")
        }
        let runText = trimmed[..<slash]
        var objectText = trimmed[trimmed.index(after: slash)...]
        guard let run = Int64(runText), run > 0 else {
            throw StoreError.badReference(text, reason: "run '\(runText)' is not a positive number; \(expected)")
        }
        var version: Int?
        if let at = objectText.firstIndex(of: "@") {
            let versionText = objectText[objectText.index(after: at)...]
            guard let number = Int(versionText), number > 0 else {
                throw StoreError.badReference(
                    text, reason: "version '\(versionText)' is not a positive number (versions start at 1)")
            }
            version = number
            objectText = objectText[..<at]
        }
        guard !objectText.isEmpty else {
            throw StoreError.badReference(text, reason: "the object name is empty; \(expected)")
        }
        if let bad = objectText.first(where: { $0 == "/" || $0 == "@" || $0.isWhitespace }) {
            throw StoreError.badReference(text, reason: "object name '\(objectText)' contains '\(bad)'")
        }
        self.init(run: run, object: String(objectText), version: version)
    }

    /// `"12/policy@3"` or `"12/policy"`.
    public var description: String {
        version.map { "\(run)/\(object)@\($0)" } ?? "\(run)/\(object)"
    }
}
