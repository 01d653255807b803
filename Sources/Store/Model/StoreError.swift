/// Everything that can go wrong in the store, each case saying what the user typed and how to fix it.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// No database file at this path.
    case noStore(String)
    /// The file is not SQLite, is damaged, or is a SQLite file that is not an RLHF Lab store: path, detail.
    case corrupt(String, String)
    /// The store was written by a newer rlhf (it has applied migrations this rlhf does not know): path, those
    /// migrations. Such a store is neither read nor written: rows may mean what this rlhf cannot tell.
    case newerStore(String, migrations: [String])
    /// The store was opened with ``LabStore/openReadOnly(path:)`` and a write was attempted: path.
    case readOnlyStore(String)
    /// Another process held the write lock longer than the busy timeout: path.
    case busy(String)
    /// Any other SQLite failure while working on the store: path, SQLite's message.
    case database(String, String)
    /// No run with this id; `latest` is the newest run id, nil when the store has no runs.
    case unknownRun(Int64, latest: Int64?)
    /// The run has no object of that name; `objects` lists the ones it has.
    case unknownObject(run: Int64, name: String, objects: [String])
    /// The object has no such version.
    case unknownVersion(run: Int64, object: String, version: Int, latest: Int)
    /// A version reference that does not parse: the text, why.
    case badReference(String, reason: String)
    /// A reference to a checkpoint where a dataset is needed, or the reverse.
    case wrongKind(reference: String, expected: ObjectKind, actual: ObjectKind)
    /// Two versions that cannot be compared, e.g. a checkpoint with a dataset.
    case cannotDiff(String, String, reason: String)
    /// A tensor that cannot be stored, e.g. `values.count` differs from the product of its shape.
    case badTensor(object: String, tensor: String, reason: String)
    /// A cell commit that is inconsistent in itself (an object listed twice, a binding to an unknown object...).
    case badCommit(cell: Int, reason: String)
    /// Cells can only be added to a running run.
    case runNotRunning(Int64, status: RunStatus)
    /// A run or cell row holds a status this rlhf does not know (a damaged store): the row (`run 3`, `cell row 12`),
    /// the stored value. `rlhf check` lists every such row.
    case unknownStatus(row: String, value: String)
    /// `rlhf rm` of a run already marked deleted.
    case runDeleted(Int64)
    /// `rlhf rm` of a run whose process is still writing it.
    case runNotFinished(Int64)
    /// `rlhf gc` would purge a deleted run that remaining runs need: the run, why each needs it.
    case runHasDependants(Int64, dependants: [String])
    /// `rlhf run --resume RUN` cannot resume that run: the run, why.
    case cannotResume(Int64, reason: String)
    /// Opening read-only found the schema missing or behind (maybe another process is creating the store): why.
    case schemaIncomplete(String)
    /// Opening read-only found a store written by an older rlhf, whose schema lacks this version's migrations.
    case schemaOutdated
    /// `rlhf query` refused a statement that would write: the statement.
    case readOnlyQuery(String)
    /// SQLite rejected the query text: its message.
    case sql(String)
    /// A run name that `--name` or `rlhf tag` cannot use: the name, why.
    case badRunName(String, reason: String)
    /// A tag that cannot be used: the tag, why.
    case badTag(String, reason: String)
    /// `--name` of a name another run has: the name, that run.
    case runNameTaken(String, run: Int64)
    /// A run given by a name no run has: the name, the names there are (a few, sorted).
    case unknownRunName(String, names: [String])
    /// No sweep with this id; `latest` is the newest sweep id, nil when the store has none.
    case unknownSweep(Int64, latest: Int64?)
    /// A run claimed a point or seed its sweep does not have.
    case notInSweep(Int64, point: Int, seed: Int?)

    public var description: String {
        switch self {
        case .noStore(let path):
            "no store at \(path) (run a notebook first, or pass --store PATH)"
        case .corrupt(let path, let detail):
            "not an RLHF Lab store: \(path): \(detail)"
        case .newerStore(let path, let migrations):
            "the store at \(path) was written by a newer rlhf (schema \(migrations.joined(separator: ", ")) unknown to "
                + "this one); upgrade rlhf to use it (nothing was changed)"
        case .readOnlyStore(let path):
            "the store at \(path) was opened read-only; open it for writing to change it"
        case .busy(let path):
            "the store at \(path) is busy: another rlhf process kept it locked; try again when it finishes"
        case .database(let path, let detail):
            "store \(path): \(detail)"
        case .unknownRun(let run, let latest):
            if let latest {
                "unknown run '\(run)' (latest is \(latest))"
            } else {
                "unknown run '\(run)' (the store has no runs yet)"
            }
        case .unknownObject(let run, let name, let objects):
            if objects.isEmpty {
                "run \(run) has no object '\(name)' (it has no objects)"
            } else {
                "run \(run) has no object '\(name)' (objects: \(objects.joined(separator: ", ")))"
            }
        case .unknownVersion(let run, let object, let version, let latest):
            "\(object) has no version \(version) in run \(run) (latest is \(latest))"
        case .badReference(let text, let reason):
            "bad reference '\(text)': \(reason)"
        case .wrongKind(let reference, let expected, let actual):
            "\(reference) is a \(actual.rawValue), not a \(expected.rawValue)"
        case .cannotDiff(let a, let b, let reason):
            "cannot diff \(a) with \(b): \(reason)"
        case .badTensor(let object, let tensor, let reason):
            "cannot store tensor '\(tensor)' of '\(object)': \(reason)"
        case .badCommit(let cell, let reason):
            "cannot commit cell \(cell): \(reason)"
        case .runNotRunning(let run, let status):
            "run \(run) is \(status.rawValue), not running; start a new run to add cells"
        case .unknownStatus(let row, let value):
            "\(row) has unknown status '\(value)'; the store is damaged (`rlhf check` lists such rows)"
        case .runDeleted(let run):
            "run \(run) is already deleted; `rlhf gc` purges deleted runs"
        case .runNotFinished(let run):
            "run \(run) is still running in another process; wait for it to finish or stop it first"
        case .runHasDependants(let run, let dependants):
            "cannot purge deleted run \(run): \(dependants.joined(separator: "; ")); they could no longer be resumed or "
                + "replayed (`rlhf gc --force` purges it anyway; nothing was changed)"
        case .cannotResume(let run, let reason):
            "cannot resume run \(run): \(reason)"
        case .schemaIncomplete(let detail):
            "the store's schema is incomplete: \(detail)"
        case .schemaOutdated:
            "the store was written by an older rlhf and could not be upgraded; open it for writing once (e.g. `rlhf run`)"
        case .readOnlyQuery(let sql):
            "`rlhf query` is read-only; refusing to run: \(sql)"
        case .sql(let message):
            "SQL error: \(message)"
        case .badRunName(let name, let reason):
            "bad run name '\(name)': \(reason)"
        case .badTag(let tag, let reason):
            "bad tag '\(tag)': \(reason)"
        case .runNameTaken(let name, let run):
            "run name '\(name)' is taken by run \(run); choose another (names are unique in a store)"
        case .unknownRunName(let name, let names):
            names.isEmpty
                ? "unknown run '\(name)' (no run has a name; give a run id)"
                : "unknown run '\(name)' (named runs: \(names.joined(separator: ", ")))"
        case .unknownSweep(let sweep, let latest):
            latest.map { "unknown sweep '\(sweep)' (latest is \($0))" }
                ?? "unknown sweep '\(sweep)' (the store has no sweeps yet)"
        case .notInSweep(let sweep, let point, let seed):
            "sweep \(sweep) has no point \(point)" + (seed.map { " with seed \($0)" } ?? "")
        }
    }
}
