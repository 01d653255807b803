import Foundation
import Store

/// A stored run as MLflow's tracking REST API takes it: the experiment, the run (name, start, identity tags), its
/// params, tags and every metric point in ``MLflowBatch``es, its artifacts (the charts as SVG, the run as a Jupyter
/// notebook) and how it ended.
///
/// ```swift
/// let log = try MLflowLog(store: store, run: 1, storePath: "lab.sqlite", version: "0.16.0")
/// let outcome = try log.send(through: transport) { print($0) }
/// // outcome.runID: the MLflow run; every point is in its metric history
/// ```
///
/// Building it does every check before a request is made (a key MLflow refuses, a time that is no timestamp), so a
/// refused run leaves nothing half-logged on the server.
public struct MLflowLog: Sendable {
    /// A file to upload under the run's artifact root: `charts/3-fit-loss.svg`.
    public struct Artifact: Sendable, Equatable {
        public var path: String
        public var data: Data

        public init(path: String, data: Data) {
            self.path = path
            self.data = data
        }
    }

    /// MLflow's limits on one key and one value, in characters (`MAX_ENTITY_KEY_LENGTH`, `MAX_PARAM_VAL_LENGTH`,
    /// `MAX_TAG_VAL_LENGTH`).
    public static let maximumKeyLength = 250
    public static let maximumParamValueLength = 6000
    public static let maximumTagValueLength = 8000

    public var experimentName: String
    public var runName: String
    /// Milliseconds since 1970.
    public var startTime: Int64
    public var endTime: Int64?
    /// MLflow's `RunStatus`: FINISHED, FAILED, KILLED or RUNNING.
    public var status: String
    /// Sent with `runs/create`: where the run comes from.
    public var identityTags: [MLflowEntry]
    public var params: [MLflowEntry]
    public var tags: [MLflowEntry]
    public var metrics: [MLflowMetric]
    public var artifacts: [Artifact]
    /// What had to be shortened to MLflow's limits, one line each: `param 'prompt' cut to 6000 characters`.
    public var shortened: [String] = []

    /// The log of `run`: its parameters as `rlhf show` splits them, `points` (the metric points with the times
    /// their commits were made, as ``LabStore/forEachMetricPoint(run:timed:)`` hands them over), `notebook` (the run
    /// as a Jupyter notebook, whose charts become SVG files) and `storePath`; `version` is the exporting rlhf's.
    public init(
        run detail: RunDetail, points: [(name: String, step: Int, value: Double, recordedAt: String)],
        notebook: JupyterNotebook, storePath: String, version: String, experiment: String? = nil
    ) throws {
        let r = detail.run
        guard let start = Timestamp.milliseconds(r.startedAt) else {
            throw MLflowError.badTime("run \(r.id)'s start", r.startedAt)
        }
        experimentName = experiment ?? r.notebook.map(Self.notebookName) ?? "rlhf"
        runName = r.name ?? "run \(r.id)"
        startTime = start
        endTime = r.finishedAt.flatMap(Timestamp.milliseconds)
        status = Self.status(r.status)
        identityTags = [
            MLflowEntry(key: "mlflow.source.name", value: r.notebook ?? "rlhf shell"),
            MLflowEntry(key: "mlflow.source.type", value: "LOCAL"),
            MLflowEntry(key: "rlhf.run_id", value: String(r.id)),
            MLflowEntry(key: "rlhf.store", value: storePath),
        ]
        params = RunParameters.split(r.parameters).map { MLflowEntry(key: $0.name, value: $0.value) }
        tags = Self.tags(detail, version: version)
        metrics = try Self.metrics(points)
        artifacts = [Artifact(path: "run-\(r.id).ipynb", data: Data(notebook.json.utf8))] + Self.charts(notebook)
        try check()
    }

    /// Reads run `id` from the store: the run, its metric points with their commit times and its notebook.
    public init(store: LabStore, run id: Int64, storePath: String, version: String, experiment: String? = nil) throws {
        let detail = try store.run(id)
        var points: [(name: String, step: Int, value: Double, recordedAt: String)] = []
        points.reserveCapacity(detail.run.metrics)
        try store.forEachMetricPoint(run: id) { points.append(($0, $1, $2, $3)) }
        try self.init(
            run: detail, points: points, notebook: JupyterNotebook(run: detail, charts: try store.artifacts(run: id)),
            storePath: storePath, version: version, experiment: experiment)
    }

    /// The points as MLflow metrics, each timed by its commit (one timestamp parsed per commit, not per point).
    static func metrics(_ points: [(name: String, step: Int, value: Double, recordedAt: String)]) throws
        -> [MLflowMetric]
    {
        var times: [String: Int64] = [:]
        var metrics: [MLflowMetric] = []
        metrics.reserveCapacity(points.count)
        for point in points {
            let time: Int64
            if let known = times[point.recordedAt] {
                time = known
            } else {
                guard let parsed = Timestamp.milliseconds(point.recordedAt) else {
                    throw MLflowError.badTime(
                        "the commit time of metric '\(point.name)' step \(point.step)", point.recordedAt)
                }
                times[point.recordedAt] = parsed
                time = parsed
            }
            metrics.append(MLflowMetric(key: point.name, value: point.value, timestamp: time, step: point.step))
        }
        return metrics
    }

    /// `quickstart` for `notebooks/quickstart.rlhf`.
    static func notebookName(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }

    /// Our run's status as MLflow's: a run still going is RUNNING, one the user stopped KILLED, one that failed or
    /// whose process died FAILED.
    static func status(_ status: RunStatus) -> String {
        switch status {
        case .succeeded: "FINISHED"
        case .failed, .interrupted: "FAILED"
        case .cancelled: "KILLED"
        case .running: "RUNNING"
        }
    }

    /// What `rlhf show` says of the run, as tags: MLflow's own (name, note, git commit), then `rlhf.*`, then the run's
    /// tags as keys with empty values (MLflow's tags are key-value pairs; ours are labels).
    static func tags(_ detail: RunDetail, version: String) -> [MLflowEntry] {
        let r = detail.run
        var tags: [(String, String?)] = [
            ("mlflow.runName", r.name ?? "run \(r.id)"), ("mlflow.note.content", r.note),
            ("mlflow.source.git.commit", detail.environment?.gitRevision), ("rlhf.version", version),
            ("rlhf.status", r.status.rawValue), ("rlhf.cells", String(r.cells)),
            ("rlhf.failed_cell", r.failedCell.map(String.init)), ("rlhf.replay_of", r.replayOf.map(String.init)),
            ("rlhf.parent_run", r.parentRun.map(String.init)),
            ("rlhf.resumed_at_cell", r.resumedAtCell.map(String.init)),
        ]
        if let e = detail.environment {
            tags += [
                ("rlhf.ran_with", "\(e.rlhfVersion) (\(e.build))"), ("rlhf.git", e.gitDescription),
                ("rlhf.host", e.host), ("rlhf.os", e.os), ("rlhf.kernels", e.kernels),
                ("rlhf.threads", String(e.threads)),
            ]
        }
        tags += r.tags.map { ($0, "") }
        return tags.compactMap { key, value in value.map { MLflowEntry(key: key, value: $0) } }
    }

    /// Each chart the notebook holds as `charts/CELL-KEY-NAME.svg`, named as `rlhf charts` names its files.
    static func charts(_ notebook: JupyterNotebook) -> [Artifact] {
        var used: Set<String> = []
        return notebook.cells.flatMap { cell in
            cell.outputs.compactMap { output -> Artifact? in
                guard case let .chart(name, svg, _, _, _) = output, let stored = cell.stored else { return nil }
                let file = OutputFolder.uniqueName("\(stored.ordinal)-\(stored.key)-\(name)", among: &used)
                return Artifact(path: "charts/" + file, data: Data(svg.utf8))
            }
        }
    }

    /// Refuses a key MLflow would refuse (too long, a character it does not take, a path that is not itself), and
    /// cuts a value longer than MLflow keeps, saying so in ``shortened``.
    private mutating func check() throws {
        for point in metrics.map(\.key).uniqued() { try Self.checkKey(point, kind: "metric") }
        for i in params.indices {
            try Self.checkKey(params[i].key, kind: "param")
            shortened += Self.cut(&params[i], to: Self.maximumParamValueLength, kind: "param")
        }
        for i in identityTags.indices {
            shortened += Self.cut(&identityTags[i], to: Self.maximumTagValueLength, kind: "tag")
        }
        for i in tags.indices {
            try Self.checkKey(tags[i].key, kind: "tag")
            shortened += Self.cut(&tags[i], to: Self.maximumTagValueLength, kind: "tag")
        }
    }

    /// MLflow's `validate_param_and_metric_name` and `path_not_unique`: letters, digits, `_ - . / :` and spaces, at
    /// most 250 characters, and a path that normalises to itself (no `..`, `//`, leading `/`).
    static func checkKey(_ key: String, kind: String) throws {
        if key.unicodeScalars.count > maximumKeyLength {
            throw MLflowError.badKey(kind, key, reason: "longer than \(maximumKeyLength) characters")
        }
        if let bad = key.unicodeScalars.first(where: {
            !($0.properties.isAlphabetic || $0.properties.numericType != nil || "_-./: ".unicodeScalars.contains($0))
        }) {
            throw MLflowError.badKey(
                kind, key, reason: "it holds '\(bad)'; MLflow takes letters, digits, _ - . / : and spaces")
        }
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        if key.isEmpty || key.hasPrefix("/") || parts.contains(where: { $0 == "." || $0 == ".." || $0.isEmpty }) {
            throw MLflowError.badKey(kind, key, reason: "MLflow keeps keys as paths, and this one is not its own")
        }
    }

    /// Cuts `entry`'s value to `limit` characters (Unicode scalars, as Python counts), returning the line to say.
    private static func cut(_ entry: inout MLflowEntry, to limit: Int, kind: String) -> [String] {
        let length = entry.value.unicodeScalars.count
        guard length > limit else { return [] }
        entry.value = String(String.UnicodeScalarView(entry.value.unicodeScalars.prefix(limit)))
        return ["\(kind) '\(entry.key)' cut from \(length) to \(limit) characters (MLflow's limit)"]
    }
}

extension Sequence where Element: Hashable {
    /// The elements in order, each once.
    fileprivate func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
