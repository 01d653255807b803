import Alignment
import Engine
import Language
import Store

/// Built-ins that reach into the store: version references (`policy@2`), `load`, `rollback`, and the temporal
/// dataset edits `add`, `remove` and `relabel` (each leaves a new dataset version; rows are never changed in place).
extension LabBuiltins {
    static func storeBuiltins(_ lab: LabState) -> [Builtin] {
        [loadBuiltin(lab), rollbackBuiltin(lab)] + datasetEditBuiltins(lab)
    }

    static func loadBuiltin(_ lab: LabState) -> Builtin {
        let ref = Param.positional("ref", .string)
        return Builtin(
            "load", [ref],
            doc: "A committed version of any run's object: load(\"3/policy@2\"), load(\"3/prefs\") for the latest."
        ) { args, context in
            let ref = try ref(args)
            return try stored(lab, context) {
                let (info, state) = try $0.state(try VersionRef(parsing: ref))
                let value = try StoredValueReader.value(of: state, name: ref)
                lab.loads.append(info)
                return value
            }
        }
    }

    static func rollbackBuiltin(_ lab: LabState) -> Builtin {
        // Any variable with committed versions: its current value is replaced, never read.
        let object = Param.inPlace("object", .any), to = Param.labelled("to", .int, in: .anyInteger)
        return Builtin(
            "rollback", [object, to],
            doc:
                "Makes version `to` of this variable's object current again; the cell's commit writes it as a new version (nothing is deleted)."
        ) { args, context in
            guard let name = object.variable(args) else {
                throw object.error(args, "must be a variable, so there is an object to roll back")
            }
            let version = try to(args)
            let value = try stored(lab, context) {
                try StoredValueReader.value(
                    of: try $0.state(VersionRef(run: lab.runID, object: name, version: version)).1, name: name)
            }
            // A policy or reward model also leaves its checkpoint under the name, as training does; so do a GPT and
            // a text reward model (new with them, so no recorded run replays differently).
            if case let .native(model as ModelValue) = value {
                object.writeBack(model, in: args, lab: lab)
            } else if case let .native(model as GPTValue) = value {
                object.writeBack(model, in: args, lab: lab)
            } else if case let .native(model as TextRewardModelValue) = value {
                object.writeBack(model, in: args, lab: lab)
            } else {
                object.assign(value, in: args)
            }
            return .nil
        }
    }

    /// `add`, `remove` and `relabel`: each leaves a new version of the dataset; rows are never changed in place.
    static func datasetEditBuiltins(_ lab: LabState) -> [Builtin] {
        let prefs = Param.inPlace("prefs", .preferences), rows = Param.positional("rows", .preferences)
        let removing = Param.labelled("where", .function), selecting = Param.optional("where", .function)
        let task = Param.positional("task", .vectorTask), annotator = Param.labelled("annotator", .annotator)
        return [
            Builtin("add", [prefs, rows], doc: "Appends the rows of another dataset (with new uids) to `prefs`.") {
                args, _ in
                let (dataset, more) = (try prefs(args), try rows(args))
                if dataset.count > 0, more.count > 0, dataset.dim != more.dim {
                    throw rows.error(args, "has \(more.dim)-value responses; prefs has \(dataset.dim)")
                }
                var next = dataset.nextUID
                let added = more.rows.map { row -> PreferencePair in
                    defer { next += 1 }
                    return PreferencePair(
                        uid: next, prompt: row.prompt, chosen: row.chosen, rejected: row.rejected,
                        annotator: row.annotator, seed: row.seed)
                }
                let grown = PreferenceDataset(rows: dataset.rows + added, nextUID: next)
                prefs.assign(.native(DatasetValue(dataset: grown)), in: args)
                return .int(added.count)
            },
            Builtin(
                "remove", [prefs, removing],
                doc:
                    "Removes the rows for which `where` returns true: remove(prefs, where: fn(r) { r.annotator == \"coin\" }); a row is {uid, prompt, annotator, seed, chosen, rejected}, and a text row also has prompt_text, chosen_text and rejected_text. Returns how many."
            ) { args, context in
                let (dataset, test) = (try prefs(args), try removing(args))
                var kept: [PreferencePair] = []
                for row in dataset.rows where !(try matches(test, row, context)) { kept.append(row) }
                prefs.assign(
                    .native(DatasetValue(dataset: PreferenceDataset(rows: kept, nextUID: dataset.nextUID))),
                    in: args)
                return .int(dataset.count - kept.count)
            },
            Builtin(
                "relabel", [prefs, task, annotator, selecting],
                doc:
                    "Asks `annotator` again about the rows `where` selects (default: all): each keeps its uid; the store records the old row removed and the new one added. Returns how many."
            ) { args, context in
                let (dataset, vectorTask, judge) = (try prefs(args), try task(args), try annotator(args))
                let test = try selecting(args)
                if dataset.count > 0, dataset.dim != vectorTask.responseDim {
                    throw task.error(
                        args, "has dimension \(vectorTask.responseDim); the responses have \(dataset.dim)")
                }
                var rows: [PreferencePair] = []
                var changed = 0
                for row in dataset.rows {
                    guard try test.map({ try matches($0, row, context) }) ?? true else {
                        rows.append(row)
                        continue
                    }
                    let seed = lab.rng.next()
                    var rng = RNG(seed: seed)
                    let first = judge.prefersFirst(
                        gold: vectorTask.gold(reading: row.chosen[...]),
                        over: vectorTask.gold(reading: row.rejected[...]),
                        rng: &rng)
                    rows.append(
                        PreferencePair(
                            uid: row.uid, prompt: row.prompt, chosen: first ? row.chosen : row.rejected,
                            rejected: first ? row.rejected : row.chosen, annotator: judge.name, seed: seed))
                    changed += 1
                }
                prefs.assign(
                    .native(DatasetValue(dataset: PreferenceDataset(rows: rows, nextUID: dataset.nextUID))),
                    in: args)
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
                return try StoredValueReader.value(
                    of: try store.state(VersionRef(run: lab.runID, object: name, version: number)).1, name: name)
            } catch let error as StoreError {
                throw RuntimeError("\(name)@\(version): \(error)", at: location)
            } catch let error as ResumeError {
                throw RuntimeError("\(name)@\(version): \(error)", at: location)
            }
        }
    }

    /// Runs a store read, turning store errors into errors located at the call.
    private static func stored(_ lab: LabState, _ context: CallContext, _ body: (LabStore) throws -> Value) throws
        -> Value
    {
        guard let store = lab.store else { throw context.error("this session has no store") }
        do {
            return try body(store)
        } catch let error as StoreError {
            throw context.error("\(error)")
        } catch let error as ResumeError {
            throw context.error("\(error)")
        }
    }

    /// Calls a row predicate with the row as a record {uid, prompt, annotator, seed, chosen, rejected}, and for a text
    /// row also {prompt_text, chosen_text, rejected_text}.
    private static func matches(_ test: Function, _ row: PreferencePair, _ context: CallContext) throws -> Bool {
        var fields: [(String, Value)] = [
            ("uid", .int(Int(row.uid))), ("prompt", .int(row.prompt)), ("annotator", .string(row.annotator)),
            ("seed", .string(String(row.seed))),
            ("chosen", .list(row.chosen.map { .double(Double($0)) })),
            ("rejected", .list(row.rejected.map { .double(Double($0)) })),
        ]
        if let text = row.text {
            fields += [
                ("prompt_text", .string(text.prompt)), ("chosen_text", .string(text.chosen)),
                ("rejected_text", .string(text.rejected)),
            ]
        }
        let record = Value.record(Record(fields))
        guard case let .bool(result) = try context.call(test, [record]) else {
            throw context.error("`where` must return true or false")
        }
        return result
    }
}
