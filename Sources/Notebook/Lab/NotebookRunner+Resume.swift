import Alignment
import Engine
import Foundation
import Language
import Models
import Store

/// Why a run cannot be resumed from its committed bindings.
public enum ResumeError: Error, CustomStringConvertible, Equatable {
    /// A committed binding the session cannot rebuild: its name, why.
    case cannotRestore(String, String)

    public var description: String {
        switch self {
        case let .cannotRestore(name, why): "cannot restore '\(name)': \(why)"
        }
    }
}

extension NotebookRunner {
    /// Starts a child run of `point.parent` that continues at cell `point.cell`: every binding committed before
    /// that cell is restored (models with their Adam state, datasets, plain values, tasks and annotators rebuilt
    /// from their parameters, the run's generator) and each metric series continues at its next step, so the
    /// child's checkpoints and metrics are bitwise those of an uninterrupted run.
    ///
    /// ```swift
    /// let point = try store.resumePoint(run: 3, fromCell: nil)
    /// let runner = try NotebookRunner(store: store, notebook: file, source: text, resuming: point) { print($0) }
    /// // execute cells point.cell... as usual
    /// ```
    public convenience init(store: LabStore, notebook: CellFile?, source: String, parameters: String = "{}",
                            resuming point: ResumePoint, output: @escaping (String) -> Void) throws {
        // Rebuild everything before writing the child run, so a binding that cannot be restored writes nothing.
        let restored = try Self.restoredValues(point, store: store)
        try self.init(store: store, notebook: notebook, output: output) {
            try store.beginResumedRun(notebook: notebook?.path, source: source, parameters: parameters, from: point)
        }
        for (name, value) in restored.globals { interpreter.globals[name] = value }
        if let rng = restored.rng { lab.rng = rng }
        lab.nextStep = point.nextSteps
        ordinal = point.cell - 1
    }

    private static func restoredValues(_ point: ResumePoint, store: LabStore) throws
        -> (globals: [(String, Value)], rng: RNG?)
    {
        var globals: [(String, Value)] = []
        var rng: RNG?
        for binding in point.bindings {
            switch binding.value {
            case let .object(name):
                let ref = VersionRef(run: point.parent, object: name, version: binding.version?.version)
                globals.append((binding.name, try value(of: store.state(ref).1, name: binding.name)))
            case let .value(json):
                guard let parsed = Value(json: json) else {
                    throw ResumeError.cannotRestore(binding.name, "its stored value is not JSON: \(json)")
                }
                if binding.name == BindingEncoder.rngBinding {
                    rng = try generator(parsed)
                } else {
                    globals.append((binding.name, try decode(parsed, name: binding.name)))
                }
            }
        }
        return (globals, rng)
    }

    static func value(of state: ObjectState, name: String) throws -> Value {
        switch state {
        case let .checkpoint(checkpoint):
            let config = try configPairs(checkpoint.config, name: name)
            let dict = StateDict(
                kind: checkpoint.kind, config: config,
                tensors: checkpoint.tensors.map { ($0.name, Tensor(shape: $0.shape, data: $0.values)) })
            do {
                switch checkpoint.kind {
                case "policy": return .native(ModelValue(model: .policy(try PolicyModel(stateDict: dict))))
                case "reward": return .native(ModelValue(model: .reward(try RewardModel(stateDict: dict))))
                case "sampling_policy": return .native(SamplingPolicyValue(policy: try SamplingPolicy(stateDict: dict)))
                case "reward_ensemble": return .native(EnsembleValue(ensemble: try ensemble(dict, name: name)))
                default: throw ResumeError.cannotRestore(name, "unknown model kind '\(checkpoint.kind)'")
                }
            } catch let error as ResumeError {
                throw error
            } catch {
                throw ResumeError.cannotRestore(name, "\(error)")
            }
        case let .dataset(_, _, rows):
            return .native(DatasetValue(dataset: PreferenceDataset(rows: rows.map {
                PreferencePair(uid: $0.uid, prompt: $0.prompt, chosen: $0.chosen, rejected: $0.rejected,
                               annotator: $0.annotator, seed: $0.seed)
            })))
        }
    }

    /// The inverse of `RewardEnsemble.stateDict`: member k's tensors and Adam step are prefixed `memberK.`.
    private static func ensemble(_ dict: StateDict, name: String) throws -> RewardEnsemble {
        guard let count = dict.configValue("members"), let input = dict.configValue("input"),
            let hidden = dict.configValue("hidden")
        else { throw ResumeError.cannotRestore(name, "its ensemble checkpoint lacks members, input or hidden") }
        let members = try (0..<count).map { k -> RewardModel in
            let prefix = "member\(k)."
            var config: [(key: String, value: Int)] = [("input", input), ("hidden", hidden), ("output", 1)]
            if let step = dict.configValue(prefix + "adam.step") { config.append(("adam.step", step)) }
            let tensors = dict.tensors.filter { $0.name.hasPrefix(prefix) }.map { (name: String($0.name.dropFirst(prefix.count)), tensor: $0.tensor) }
            return try RewardModel(stateDict: StateDict(kind: "reward", config: config, tensors: tensors))
        }
        return RewardEnsemble(members: members)
    }

    /// `{"adam.step":500,"hidden":64}` as ordered pairs.
    private static func configPairs(_ json: String, name: String) throws -> [(key: String, value: Int)] {
        guard case let .record(record)? = Value(json: json) else {
            throw ResumeError.cannotRestore(name, "its checkpoint config is not a JSON object: \(json)")
        }
        return try record.fields.map { field in
            guard case let .int(n) = field.value else {
                throw ResumeError.cannotRestore(name, "config '\(field.key)' is not an integer in \(json)")
            }
            return (field.key, n)
        }
    }

    private static func field(_ record: Record, _ key: String) -> Value? {
        record.fields.first { $0.key == key }?.value
    }

    private static func generator(_ value: Value) throws -> RNG {
        guard case let .record(record) = value, case let .list(words)? = field(record, "state") else {
            throw ResumeError.cannotRestore(BindingEncoder.rngBinding, "not a generator state")
        }
        let state = words.compactMap { word -> UInt64? in
            if case let .string(text) = word { return UInt64(text) }
            return nil
        }
        guard state.count == words.count, let rng = RNG(state: state) else {
            throw ResumeError.cannotRestore(BindingEncoder.rngBinding, "not a generator state")
        }
        return rng
    }

    /// A plain value, or a task, annotator or generator rebuilt from the parameters the encoder stored.
    private static func decode(_ value: Value, name: String) throws -> Value {
        if case let .list(items) = value { return .list(try items.map { try decode($0, name: name) }) }
        guard case let .record(record) = value else { return value }
        if record.count == 1, case let .string(text)? = field(record, "$double") {
            switch text {
            case "nan": return .double(.nan)
            case "inf": return .double(.infinity)
            case "-inf": return .double(-.infinity)
            default: throw ResumeError.cannotRestore(name, "'\(text)' is not a number")
            }
        }
        guard case let .string(type)? = field(record, "$type") else {
            return .record(Record(try record.fields.map { ($0.key, try decode($0.value, name: name)) }))
        }
        func number(_ key: String) throws -> Double {
            switch field(record, key) {
            case let .int(n)?: return Double(n)
            case let .double(x)?: return x
            default: throw ResumeError.cannotRestore(name, "its \(type) has no number '\(key)'")
            }
        }
        switch type {
        case "VectorTask":
            guard case let .string(seedText)? = field(record, "seed"), let seed = UInt64(seedText) else {
                throw ResumeError.cannotRestore(name, "its VectorTask has no seed")
            }
            do {
                let task = try VectorTask(
                    dim: Int(try number("dim")), prompts: Int(try number("prompts")),
                    candidates: Int(try number("candidates")), testPrompts: Int(try number("test_prompts")),
                    noise: Float(try number("noise")), seed: seed)
                return .native(TaskValue(task: task))
            } catch let error as ResumeError {
                throw error
            } catch {
                throw ResumeError.cannotRestore(name, "\(error)")
            }
        case "ModerationTask":
            guard case let .string(seedText)? = field(record, "seed"), let seed = UInt64(seedText) else {
                throw ResumeError.cannotRestore(name, "its ModerationTask has no seed")
            }
            do {
                let task = try ModerationTask(
                    dim: Int(try number("dim")), items: Int(try number("items")), testItems: Int(try number("test_items")),
                    noise: Float(try number("noise")), seed: seed)
                return .native(ModerationTaskValue(task: task))
            } catch let error as ResumeError {
                throw error
            } catch {
                throw ResumeError.cannotRestore(name, "\(error)")
            }
        case "SupportTask":
            guard case let .string(seedText)? = field(record, "seed"), let seed = UInt64(seedText) else {
                throw ResumeError.cannotRestore(name, "its SupportTask has no seed")
            }
            do {
                let task = try SupportTask(
                    dim: Int(try number("dim")), conversations: Int(try number("conversations")),
                    testConversations: Int(try number("test_conversations")), noise: Float(try number("noise")), seed: seed)
                return .native(SupportTaskValue(task: task))
            } catch let error as ResumeError {
                throw error
            } catch {
                throw ResumeError.cannotRestore(name, "\(error)")
            }
        case "Annotator":
            guard case let .string(annotator)? = field(record, "name") else {
                throw ResumeError.cannotRestore(name, "its annotator has no name")
            }
            return .native(AnnotatorValue(annotator: try annotatorNamed(annotator, binding: name)))
        case "RNG":
            throw ResumeError.cannotRestore(name, "only the run's own generator ($rng) is restored")
        case "function":
            throw ResumeError.cannotRestore(
                name, "a function is not stored in the bindings; define it in the cell you resume from or later")
        default:
            throw ResumeError.cannotRestore(
                name, "a \(type) cannot be rebuilt from what the store keeps of it; create it in the cell you resume "
                    + "from or later")
        }
    }

    /// The inverse of `Annotator.name`: `coin`, `oracle`, `bradleyTerry(noise: 0.05[, temperature: 2.0])`,
    /// `biased(toward: length, weight: 0.5)`, `panel(a, b, c)`.
    static func annotatorNamed(_ text: String, binding: String) throws -> Annotator {
        func fail() -> ResumeError { ResumeError.cannotRestore(binding, "unknown annotator '\(text)'") }
        if text == "coin" { return .coin }
        if text == "oracle" { return .oracle }
        guard let open = text.firstIndex(of: "("), text.hasSuffix(")") else { throw fail() }
        let head = String(text[..<open])
        let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        let parts = topLevelParts(inner)
        func labelled(_ label: String) -> String? {
            parts.first { $0.hasPrefix(label + ": ") }.map { String($0.dropFirst(label.count + 2)) }
        }
        switch head {
        case "bradleyTerry":
            guard let noise = labelled("noise").flatMap(Double.init) else { throw fail() }
            let temperature = try labelled("temperature").map { text -> Double in
                guard let t = Double(text) else { throw fail() }
                return t
            } ?? 1
            return .bradleyTerry(noise: noise, temperature: temperature)
        case "biased":
            guard let toward = labelled("toward"), let weight = labelled("weight").flatMap(Double.init) else { throw fail() }
            return .biased(toward: toward, weight: weight)
        case "panel":
            return .panel(try parts.map { try annotatorNamed($0, binding: binding) })
        default:
            throw fail()
        }
    }

    /// Splits `a, b(c, d), e` at the commas outside brackets.
    private static func topLevelParts(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for ch in text {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if ch == "," && depth == 0 {
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(ch)
            }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { parts.append(current.trimmingCharacters(in: .whitespaces)) }
        return parts
    }
}

extension NotebookRunner {
    /// Ordinal of the next cell this runner executes: 1 for a new run, the resume cell for a resumed one.
    public var firstCell: Int { ordinal + 1 }
}

extension NotebookRunner {
    /// Runs a cell of the notebook file as cell number `ordinal` (for runs that skip cells, e.g. `--cells`).
    public func execute(_ cell: Cell, ordinal: Int) -> CellOutcome {
        self.ordinal = ordinal - 1
        return execute(cell)
    }
}
