import Engine
import Models
import Store

/// What two versions of a GPT write from the same prompt with the same seed, for `rlhf diff RUN/lm@1 RUN/lm@2`: the
/// tensor table says how far the weights moved, the samples what that did to the text.
///
/// ```swift
/// let samples = try GPTSampleComparison(store: store, a: first, b: second, prompt: "\n", seed: 1337)
/// for (x, y) in zip(samples.a, samples.b) { print(x, "|", y) }
/// ```
public struct GPTSampleComparison: Sendable, Equatable {
    /// Texts of version a and of version b, each the prompt followed by what the model wrote.
    public var a: [String]
    public var b: [String]

    /// Samples `count` texts of `tokens` characters from each version with `RNG(seed: seed)` (temperature 1, no top-k
    /// truncation: the models' own distributions). Throws a `GPTSampleComparisonError` for a version that is no GPT
    /// or a prompt one of them cannot read.
    public init(
        store: LabStore, a: VersionRef, b: VersionRef, prompt: String, seed: UInt64, tokens: Int = 200, count: Int = 1
    ) throws {
        self.a = try Self.samples(store, a, prompt: prompt, seed: seed, tokens: tokens, count: count)
        self.b = try Self.samples(store, b, prompt: prompt, seed: seed, tokens: tokens, count: count)
    }

    /// Whether `kind` is the checkpoint kind of a GPT (the versions `rlhf diff` shows samples for).
    public static func isLanguageModel(kind: String) -> Bool { kind == CheckpointKind.gpt.rawValue }

    private static func samples(
        _ store: LabStore, _ ref: VersionRef, prompt: String, seed: UInt64, tokens: Int, count: Int
    ) throws -> [String] {
        let (_, state) = try store.state(ref)
        guard case let .native(value as GPTValue) = try StoredValueReader.value(of: state, name: ref.object) else {
            throw GPTSampleComparisonError.notALanguageModel(ref.description)
        }
        let ids: [Int]
        do {
            ids = try value.tokenizer.encode(prompt)
        } catch {
            throw GPTSampleComparisonError.unreadablePrompt(ref.description, "\(error)")
        }
        guard !ids.isEmpty else { throw GPTSampleComparisonError.emptyPrompt }
        var rng = RNG(seed: seed)
        let generated = try value.model.sample(prompt: ids, tokens: tokens, n: count, rng: &rng)
        return generated.map { value.tokenizer.decode(ids + $0) }
    }
}

/// Why two versions' samples could not be compared.
public enum GPTSampleComparisonError: Error, Equatable, CustomStringConvertible {
    case notALanguageModel(String)
    case unreadablePrompt(String, String)
    case emptyPrompt

    public var description: String {
        switch self {
        case let .notALanguageModel(ref): "\(ref) is not a GPT, so it has no samples to compare"
        case let .unreadablePrompt(ref, why): "--prompt cannot be read by \(ref): \(why)"
        case .emptyPrompt: "--prompt is empty: sampling continues at least one character"
        }
    }
}
