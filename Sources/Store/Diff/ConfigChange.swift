import Foundation

/// One key of a JSON config (a checkpoint's config, a run's parameters) whose value differs between two versions.
public struct ConfigChange: Sendable, Codable, Equatable {
    public var key: String
    /// The value in a, as JSON text; nil when a lacks the key.
    public var a: String?
    /// The value in b, as JSON text; nil when b lacks the key.
    public var b: String?

    public init(key: String, a: String?, b: String?) {
        self.key = key
        self.a = a
        self.b = b
    }

    /// The differing top-level keys of two JSON objects, sorted; text that is not a JSON object counts as one
    /// value under the key `""`.
    static func between(_ a: String, _ b: String) -> [ConfigChange] {
        let (fieldsA, fieldsB) = (fields(a), fields(b))
        return Set(fieldsA.keys).union(fieldsB.keys).sorted().compactMap { key in
            fieldsA[key] == fieldsB[key] ? nil : ConfigChange(key: key, a: fieldsA[key], b: fieldsB[key])
        }
    }

    private static func fields(_ text: String) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            return ["": text]
        }
        var fields: [String: String] = [:]
        for (key, value) in object {
            if let data = try? JSONSerialization.data(
                withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
            {
                fields[key] = String(decoding: data, as: UTF8.self)
            }
        }
        return fields
    }
}
