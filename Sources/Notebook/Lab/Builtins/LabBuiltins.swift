import Alignment
import Engine
import Language
import Models
import Store

/// The RLHF built-ins, declared once each: name, typed parameters with defaults and ranges, one doc line. Binding,
/// argument errors, `:help`, completion, `rlhf builtins` and the README all read these declarations.
///
/// Each area of the lab declares its built-ins in its own file of this folder, listed here in the order
/// `rlhf builtins` prints them.
enum LabBuiltins {
    static func all(_ lab: LabState) -> [Builtin] {
        let areas: [[Builtin]] = [
            runBuiltins(lab), taskBuiltins(lab), feedbackBuiltins(lab), rewardModelBuiltins(lab),
            policyOptimisationBuiltins(lab), evaluationBuiltins(lab), languageModelBuiltins(lab),
            sentimentBuiltins(lab), textRewardModelBuiltins(lab), huggingFaceBuiltins(lab), safetensorsBuiltins(lab),
            preferenceFileBuiltins(lab), storeBuiltins(lab), plotBuiltins(lab),
        ]
        return Array(areas.joined())
    }

    /// `seed` and `log_metric`: the run's generator and its free-form metrics.
    static func runBuiltins(_ lab: LabState) -> [Builtin] {
        let n = Param.positional("n", .int, in: .anyInteger)
        let name = Param.positional("name", .string), value = Param.positional("value", .number, in: .anyNumber)
        let step = Param.optional("step", .int, in: .integer(0...maxStep))
        return [
            Builtin(
                "seed", [n],
                doc: "Reseeds the run's random generator; everything random after it is reproducible from n."
            ) { args, _ in
                lab.rng = RNG(seed: UInt64(bitPattern: Int64(try n(args))))
                return .nil
            },
            Builtin(
                "log_metric", [name, value, step],
                doc:
                    "Records a metric point in this cell's commit, at `step` or else the next step of the series `name`."
            ) { args, _ in
                let metric = try name(args)
                guard !metric.isEmpty else { throw name.error(args, "metric name must not be empty") }
                guard let at = try step(args) else {
                    lab.record([Metric(metric, step: 0, try value(args))])
                    return .nil
                }
                if lab.metrics.contains(where: { $0.name == metric && $0.step == at }) {
                    throw step.error(args, "'\(metric)' already has a point at step \(at) in this cell")
                }
                lab.record(metric, step: at, try value(args))
                return .nil
            },
        ]
    }

    // Sizes a notebook may ask for. Larger requests would exhaust memory (a crash, not an error), so they are refused.
    static let maxDimension = 100_000
    static let maxRows = 10_000_000
    static let maxValues = 100_000_000
    /// The largest explicit metric step: far beyond any run, and exact as a Double in charts and JSON.
    static let maxStep = 1 << 52

    /// Refuses an allocation of rows × columns floats beyond `maxValues`, blaming argument `name`.
    static func checkValues(_ rows: Int, _ columns: Int, _ args: Arguments, _ name: String) throws {
        let (total, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, total <= maxValues else {
            throw args.error(name, "asks for \(rows) × \(columns) values; the limit is \(maxValues)")
        }
    }

    static func summary(_ s: Summary) -> Value {
        .record(
            Record([
                ("mean", .double(s.mean)), ("std", .double(s.std)), ("min", .double(s.min)), ("q1", .double(s.q1)),
                ("median", .double(s.median)), ("q3", .double(s.q3)), ("max", .double(s.max)), ("n", .int(s.count)),
            ]))
    }

    /// A record of each series' first (`NAME_start`) and last value, in the order the series first appear.
    static func lastValues(_ metrics: [Metric]) -> Value {
        var names: [String] = []
        for m in metrics where !names.contains(m.name) { names.append(m.name) }
        return lastValues(metrics, names.map { ($0, $0) })
    }

    /// A record of the first (`FIELD_start`) and last value of each series named, under the field given (TRL's
    /// `objective/kl` read as `kl`); a series never logged gives NaN.
    static func lastValues(_ metrics: [Metric], _ fields: [(field: String, series: String)]) -> Value {
        var record: [(String, Value)] = []
        for (field, name) in fields {
            let series = metrics.filter { $0.name == name }
            record.append((field + "_start", .double(series.first?.value ?? .nan)))
            record.append((field, .double(series.last?.value ?? .nan)))
        }
        return .record(Record(record))
    }
}

extension Param {
    /// Hands a trained model back to the caller's variable and records its checkpoint under that name, so each
    /// training call of a cell leaves its own version. The one way a built-in writes a model back.
    func writeBack(_ value: some CheckpointedValue, in args: Arguments, lab: LabState) {
        assign(.native(value), in: args)
        if let name = variable(args) { lab.checkpoints.append((name, .checkpoint(value.checkpoint))) }
    }
}

extension Param where Output == String? {
    /// `name:` of a training built-in: the prefix of the series it logs, so a loop over models can keep one series
    /// per model (`finetune(p, rm, task, name: "kl_" + str(k))` logs `kl_0.1.gold`, …).
    static var seriesName: Param<String?> { .optional("name", .string) }

    /// The series prefix: `name:` as given, else the trained variable.
    func seriesPrefix(_ args: Arguments, default variable: String?) throws -> String? {
        guard let given = try self(args) else { return variable }
        guard !given.isEmpty else { throw error(args, "a series name must not be empty") }
        return given
    }
}

extension CallContext {
    /// Runs an alignment step, turning its errors into runtime errors located at this call.
    func lab<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as AlignmentError {
            throw self.error(error.description)
        } catch let error as StateDictError {
            throw self.error(error.description)
        }
    }
}
