import Alignment
import Engine
import Language
import Store

/// Built-ins that reach into the store: version references (`policy@2`), `load`, `rollback`, and the temporal
/// dataset edits `add`, `remove` and `relabel` (each leaves a new dataset version; rows are never changed in place).
extension LabBuiltins {
    static func storeBuiltins(_ lab: LabState) -> [Builtin] {
        [
            Builtin("load", [.positional("ref", type: "string")],
                    doc: "A committed version of any run's object: load(\"3/policy@2\"), load(\"3/prefs\") for the latest.") { args, context in
                let ref = try args.string("ref")
                return try stored(lab, context) {
                    let parsed = try VersionRef(parsing: ref)
                    return try StoredValueReader.value(of: try $0.state(parsed).1, name: ref)
                }
            },
            Builtin("rollback", [.inPlace("object", type: "PolicyModel, RewardModel or Preferences"), .labelled("to", type: "int")],
                    doc: "Makes version `to` of this variable's object current again; the cell's commit writes it as a new version (nothing is deleted).") { args, context in
                guard let name = args.variableName("object") else {
                    throw args.error("object", "must be a variable, so there is an object to roll back")
                }
                let version = try args.int("to")
                let value = try stored(lab, context) {
                    try NotebookRunner.value(
                        of: try $0.state(VersionRef(run: lab.runID, object: name, version: version)).1, name: name)
                }
                if case let .native(model as ModelValue) = value {
                    lab.update(args, "object", model)
                } else {
                    args.update("object", value)
                }
                return .nil
            },
            Builtin("add", [.inPlace("prefs", type: "Preferences"), .positional("rows", type: "Preferences")],
                    doc: "Appends the rows of another dataset (with new uids) to `prefs`.") { args, context in
                let prefs = try args.native("prefs", as: DatasetValue.self, typeName: "Preferences").dataset
                let more = try args.native("rows", as: DatasetValue.self, typeName: "Preferences").dataset
                if prefs.count > 0, more.count > 0, prefs.dim != more.dim {
                    throw args.error("rows", "has \(more.dim)-value responses; prefs has \(prefs.dim)")
                }
                var next = prefs.nextUID
                let added = more.rows.map { row -> PreferencePair in
                    defer { next += 1 }
                    return PreferencePair(uid: next, prompt: row.prompt, chosen: row.chosen, rejected: row.rejected,
                                          annotator: row.annotator, seed: row.seed)
                }
                args.update("prefs", .native(DatasetValue(dataset: PreferenceDataset(rows: prefs.rows + added, nextUID: next))))
                return .int(added.count)
            },
            Builtin("remove", [.inPlace("prefs", type: "Preferences"), .labelled("where", type: "function")],
                    doc: "Removes the rows for which `where` returns true: remove(prefs, where: fn(r) { r.annotator == \"coin\" }). Returns how many.") { args, context in
                let prefs = try args.native("prefs", as: DatasetValue.self, typeName: "Preferences").dataset
                let test = try args.function("where")
                var kept: [PreferencePair] = []
                for row in prefs.rows where !(try matches(test, row, context)) { kept.append(row) }
                args.update("prefs", .native(DatasetValue(dataset: PreferenceDataset(rows: kept, nextUID: prefs.nextUID))))
                return .int(prefs.count - kept.count)
            },
            Builtin("relabel", [
                .inPlace("prefs", type: "Preferences"), .positional("task", type: "VectorTask"),
                .labelled("annotator", type: "Annotator"), .labelled("where", type: "function", default: .nil),
            ], doc: "Asks `annotator` again about the rows `where` selects (default: all): each keeps its uid; the store records the old row removed and the new one added. Returns how many.") { args, context in
                let prefs = try args.native("prefs", as: DatasetValue.self, typeName: "Preferences").dataset
                let task = try args.native("task", as: TaskValue.self, typeName: "VectorTask").task
                let annotator = try args.native("annotator", as: AnnotatorValue.self, typeName: "Annotator").annotator
                let test = try args.optional("where").map { _ in try args.function("where") }
                if prefs.count > 0, prefs.dim != task.dim {
                    throw args.error("task", "has dimension \(task.dim); the responses have \(prefs.dim)")
                }
                var rows: [PreferencePair] = []
                var changed = 0
                for row in prefs.rows {
                    guard try test.map({ try matches($0, row, context) }) ?? true else {
                        rows.append(row)
                        continue
                    }
                    let seed = lab.rng.next()
                    var rng = RNG(seed: seed)
                    let first = annotator.prefersFirst(gold: task.gold(row.chosen[...]), over: task.gold(row.rejected[...]), rng: &rng)
                    rows.append(PreferencePair(
                        uid: row.uid, prompt: row.prompt, chosen: first ? row.chosen : row.rejected,
                        rejected: first ? row.rejected : row.chosen, annotator: annotator.name, seed: seed))
                    changed += 1
                }
                args.update("prefs", .native(DatasetValue(dataset: PreferenceDataset(rows: rows, nextUID: prefs.nextUID))))
                return .int(changed)
            },
        ]
    }

    /// `name@N` in a cell: version N of the run's object `name`; N ≤ 0 counts back from the latest committed
    /// version (`policy@0` is the latest, `policy@-1` the one before).
    static func versionResolver(_ lab: LabState) -> (String, Int, SourceLocation) throws -> Value {
        { name, version, location in
            guard let store = lab.store else {
                throw RuntimeError("version references need a store", at: location)
            }
            do {
                var number = version
                if version <= 0 {
                    let latest = try store.log(run: lab.runID, object: name).last?.version ?? 0
                    number = latest + version
                    guard number >= 1 else {
                        throw RuntimeError(
                            "\(name)@\(version): \(name) has \(latest) committed version\(latest == 1 ? "" : "s")",
                            at: location)
                    }
                }
                return try NotebookRunner.value(
                    of: try store.state(VersionRef(run: lab.runID, object: name, version: number)).1, name: name)
            } catch let error as StoreError {
                throw RuntimeError("\(name)@\(version): \(error)", at: location)
            } catch let error as ResumeError {
                throw RuntimeError("\(name)@\(version): \(error)", at: location)
            }
        }
    }

    /// Runs a store read, turning store errors into errors located at the call.
    private static func stored(_ lab: LabState, _ context: CallContext, _ body: (LabStore) throws -> Value) throws -> Value {
        guard let store = lab.store else { throw context.error("this session has no store") }
        do {
            return try body(store)
        } catch let error as StoreError {
            throw context.error("\(error)")
        } catch let error as ResumeError {
            throw context.error("\(error)")
        }
    }

    /// Calls a row predicate with the row as a record {uid, prompt, annotator, seed, chosen, rejected}.
    private static func matches(_ test: Function, _ row: PreferencePair, _ context: CallContext) throws -> Bool {
        let record = Value.record(Record([
            ("uid", .int(Int(row.uid))), ("prompt", .int(row.prompt)), ("annotator", .string(row.annotator)),
            ("seed", .string(String(row.seed))),
            ("chosen", .list(row.chosen.map { .double(Double($0)) })),
            ("rejected", .list(row.rejected.map { .double(Double($0)) })),
        ]))
        guard case let .bool(result) = try context.call(test, [record]) else {
            throw context.error("`where` must return true or false")
        }
        return result
    }
}
