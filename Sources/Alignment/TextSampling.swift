/// How a policy drew the continuations of a text preference: its temperature and top-k cut. Stored with every text
/// feedback row, so the row can be drawn again from its seed, the policy and the task.
///
/// ```swift
/// let s = try TextSampling(temperature: 0.8, topK: 10)
/// s.name                          // "temperature: 0.8, top_k: 10"
/// try TextSampling(name: s.name)  // == s
/// ```
public struct TextSampling: Sendable, Equatable, Hashable {
    /// Softmax temperature; 0 is greedy.
    public let temperature: Double
    /// Keep only the k likeliest tokens; nil keeps them all.
    public let topK: Int?

    /// Refuses a negative or non-finite temperature and a top-k below 1, as `GPT.sample` would.
    public init(temperature: Double = 1, topK: Int? = nil) throws {
        guard temperature >= 0, temperature.isFinite else {
            throw AlignmentError.invalidArgument("sampling temperature must be finite and ≥ 0, got \(temperature)")
        }
        if let k = topK, k < 1 { throw AlignmentError.invalidArgument("sampling top_k must be ≥ 1, got \(k)") }
        self.temperature = temperature
        self.topK = topK
    }

    /// The canonical text stored with each row: `temperature: 1.0` or `temperature: 0.7, top_k: 5` (Swift's shortest
    /// round-trip `Double` text, top_k only when set).
    public var name: String {
        "temperature: \(temperature)" + (topK.map { ", top_k: \($0)" } ?? "")
    }

    /// The settings whose `name` is `name`; an `AlignmentError` quoting it otherwise.
    public init(name: String) throws {
        let parts = name.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingPrefix(" ")
        }
        func value(_ part: Substring, _ label: String) -> Substring? {
            part.hasPrefix(label + ": ") ? part.dropFirst(label.count + 2) : nil
        }
        guard (1...2).contains(parts.count), let t = value(parts[0], "temperature").flatMap({ Double($0) }) else {
            throw AlignmentError.invalidArgument("unknown sampling settings '\(name)'")
        }
        var k: Int?
        if parts.count == 2 {
            guard let parsed = value(parts[1], "top_k").flatMap({ Int($0) }) else {
                throw AlignmentError.invalidArgument("unknown sampling settings '\(name)'")
            }
            k = parsed
        }
        try self.init(temperature: t, topK: k)
    }
}
