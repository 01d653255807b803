import Foundation
import Store

/// A stored run as a Jupyter notebook (nbformat 4.5), laid out as papermill leaves an executed notebook: a markdown
/// cell with the run's header, then one code cell per stored cell, with its source, its ordinal as execution count,
/// and its outputs — printed text as a `stdout` stream, each chart as `display_data` (the SVG `rlhf report` shows,
/// and the terminal drawing as `text/plain`), a failure's stored message as an `error`.
///
/// ```swift
/// let notebook = try JupyterNotebook(store: store, run: 1)
/// try notebook.write(to: "run.ipynb")   // `jupyter lab run.ipynb`
/// ```
///
/// ``json`` is written as nbformat writes a notebook (keys sorted, one space of indent, multi-line strings as lists of
/// lines), so the same run gives the same bytes every time and `nbformat.write` of the file read back changes nothing.
public struct JupyterNotebook: Sendable, Equatable {
    /// One cell of the notebook: the header (markdown) or a stored cell (code).
    public struct Cell: Sendable, Equatable {
        public enum Kind: String, Sendable {
            case markdown, code
        }

        public var kind: Kind
        /// Unique in the notebook: `header`, `cell-3` (`cell-3-2` should a run hold ordinal 3 twice).
        public var id: String
        public var source: String
        /// The stored cell (its ordinal is the execution count); nil for the header.
        public var stored: CellInfo?
        public var outputs: [Output]
        /// The versions the cell committed, `policy@2`.
        public var versions: [String]
    }

    /// One output of a code cell.
    public enum Output: Sendable, Equatable {
        /// Printed text: a `stream` output named `stdout`.
        case stdout(String)
        /// A chart: `display_data` with its SVG and, as `text/plain`, its terminal drawing (`text`). `printed`: the
        /// drawing stood in the cell's output, here (see ``CellOutputPart``).
        case chart(name: String, svg: String, text: String, sha256: String, printed: Bool)
        /// A failed or cancelled cell's stored message: an `error` output whose traceback is its lines.
        case error(name: String, value: String, traceback: [String])
    }

    public var run: RunDetail
    public var cells: [Cell]

    /// The notebook of `run`, whose cells drew `charts` (the run's artifacts, as `LabStore.artifacts(run:)` lists them).
    public init(run: RunDetail, charts: [StoredArtifact]) {
        self.run = run
        var cells = [
            Cell(
                kind: .markdown, id: "header", source: Self.header(run, charts: charts.count), stored: nil, outputs: [],
                versions: [])
        ]
        var ids: Set<String> = ["header"]
        for stored in run.cells {
            var id = "cell-\(stored.ordinal)"
            var repeated = 1
            while ids.contains(id) {
                repeated += 1
                id = "cell-\(stored.ordinal)-\(repeated)"
            }
            ids.insert(id)
            cells.append(
                Cell(
                    kind: .code, id: id, source: stored.source, stored: stored,
                    outputs: Self.outputs(stored, charts: charts),
                    versions: run.versions(committedBy: stored).map { "\($0.object)@\($0.version)" }))
        }
        self.cells = cells
    }

    /// Reads run `id` from the store: its cells as `rlhf show` lists them and the charts they drew.
    public init(store: LabStore, run id: Int64) throws {
        self.init(run: try store.run(id), charts: try store.artifacts(run: id))
    }

    /// Writes ``json`` to `path`, replacing it atomically; an unwritable path is an ``ExportRefusal`` naming it.
    public func write(to path: String) throws { try OutputFile.write(Data(json.utf8), to: path) }

    // MARK: - From the store

    private static func outputs(_ cell: CellInfo, charts: [StoredArtifact]) -> [Output] {
        var outputs: [Output] = cell.outputParts(charts: charts).map { part in
            switch part {
            case .text(let text): .stdout(text)
            case .chart(let chart, let printed):
                .chart(
                    name: chart.name, svg: String(decoding: chart.data, as: UTF8.self),
                    text: chart.text.flatMap { $0.isEmpty ? nil : $0 } ?? chart.name, sha256: chart.hash,
                    printed: printed)
            }
        }
        if let message = cell.error {
            let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            outputs.append(
                .error(
                    name: cell.status == .cancelled ? "Cancelled" : "Error", value: lines.first ?? "", traceback: lines)
            )
        }
        return outputs
    }

    /// What `rlhf show` prints about the run that a reader wants above its cells, as markdown.
    private static func header(_ detail: RunDetail, charts: Int) -> String {
        let r = detail.run
        var facts = [
            "status: **\(r.status.rawValue)** · \(counted(r.cells, "cell"))"
                + (r.failedCell.map { " (cell \($0) failed)" } ?? "")
        ]
        if let name = r.name { facts.append("name: \(code(name))") }
        if !r.tags.isEmpty { facts.append("tags: " + r.tags.map(code).joined(separator: ", ")) }
        facts.append("started \(r.startedAt)" + (r.finishedAt.map { " · finished \($0)" } ?? ""))
        if r.parameters != "{}" && !r.parameters.isEmpty { facts.append("parameters: \(code(r.parameters))") }
        let seeds = detail.seedCalls.map { "cell \($0.cell): \(code($0.call))" }
        facts.append(
            "seed: " + (seeds.isEmpty ? "0 (the run's default; no `seed()` call)" : seeds.joined(separator: " · ")))
        if let e = detail.environment {
            facts.append(
                "rlhf \(e.rlhfVersion) (\(e.build)) · \(e.gitDescription) · host \(e.host) · \(e.os) · kernels "
                    + "\(e.kernels) · \(counted(e.threads, "thread"))")
        }
        if let original = r.replayOf { facts.append("replay of run \(original)") }
        if let parent = r.parentRun { facts.append("continues run \(parent) from cell \(r.resumedAtCell ?? 1)") }
        if let deleted = r.deletedAt { facts.append("deleted \(deleted)") }
        facts.append(
            "\(counted(r.objects, "object")) with \(counted(r.versions, "version")) · "
                + "\(counted(r.metrics, "metric point")) · \(counted(charts, "chart"))")
        var text = "# Run \(r.id) · \(r.notebook.map(code) ?? "shell session")\n\n"
        text += facts.map { "- \($0)\n" }.joined()
        if let note = r.note { text += "\n\(note)\n" }
        return text
            + "\nExported from the store by `rlhf export \(r.id) --format ipynb`: each cell shows what it printed "
            + "and drew when the run ran."
    }

    /// `text` as an inline code span, with a longer fence when it holds a backtick.
    private static func code(_ text: String) -> String {
        guard text.contains("`") else { return "`\(text)`" }
        return "`` \(text) ``"
    }

    private static func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    // MARK: - JSON

    /// The notebook file's text, ending in a newline.
    public var json: String {
        let document = Self.object([
            ("cells", .array(cells.map(Self.json))),
            (
                "metadata",
                Self.object([
                    (
                        "kernelspec",
                        Self.object([
                            ("display_name", .string("RLHF Lab")), ("language", .string("rlhf")),
                            ("name", .string("rlhf")),
                        ])
                    ),
                    (
                        "language_info",
                        Self.object([("file_extension", .string(".rlhf")), ("name", .string("rlhf"))])
                    ),
                    ("rlhf", runMetadata),
                ])
            ),
            ("nbformat", .number("4")),
            ("nbformat_minor", .number("5")),
        ])
        return JSONWriter.pretty(Self.sortingKeys(document), indent: 1) + "\n"
    }

    /// `metadata.rlhf`: the run as the store holds it, and every version it committed.
    private var runMetadata: JSONValue {
        let r = run.run
        let parameters: JSONValue = (try? JSONReader.parse(Array(r.parameters.utf8))) ?? .string(r.parameters)
        let environment = run.environment.map { e in
            Self.object([
                ("rlhf_version", .string(e.rlhfVersion)), ("build", .string(e.build)),
                ("git_state", .string(e.gitState.rawValue)), ("git_revision", e.gitRevision.map(JSONValue.string)),
                ("host", .string(e.host)), ("os", .string(e.os)), ("kernels", .string(e.kernels)),
                ("threads", .number(String(e.threads))),
            ])
        }
        let versions = run.objects.flatMap(\.versions).map { v in
            Self.object([
                ("object", .string(v.object)), ("version", .number(String(v.version))), ("kind", .string(v.kind)),
                ("commit", .number(String(v.commit))), ("cell", v.cellOrdinal.map { .number(String($0)) }),
                ("content_hash", .string(v.contentHash)), ("rows", v.rows.map { .number(String($0)) }),
                ("note", v.note.map(JSONValue.string)),
            ])
        }
        return Self.object([
            ("run", .number(String(r.id))), ("name", r.name.map(JSONValue.string)),
            ("notebook", r.notebook.map(JSONValue.string)), ("status", .string(r.status.rawValue)),
            ("started_at", .string(r.startedAt)), ("finished_at", r.finishedAt.map(JSONValue.string)),
            ("parameters", parameters), ("tags", r.tags.isEmpty ? nil : .array(r.tags.map(JSONValue.string))),
            ("note", r.note.map(JSONValue.string)), ("replay_of", r.replayOf.map { .number(String($0)) }),
            ("parent_run", r.parentRun.map { .number(String($0)) }),
            ("resumed_at_cell", r.resumedAtCell.map { .number(String($0)) }), ("environment", environment),
            ("versions", .array(versions)),
        ])
    }

    private static func json(_ cell: Cell) -> JSONValue {
        guard let stored = cell.stored else {
            return object([
                ("cell_type", .string(cell.kind.rawValue)), ("id", .string(cell.id)), ("metadata", object([])),
                ("source", lines(cell.source)),
            ])
        }
        let rlhf = object([
            ("cell", .string(stored.key)), ("title", stored.title.isEmpty ? nil : .string(stored.title)),
            ("status", .string(stored.status.rawValue)), ("elapsed_ms", number(stored.durationMs)),
            ("commit", stored.commit.map { .number(String($0)) }),
            ("versions", .array(cell.versions.map(JSONValue.string))),
        ])
        return object([
            ("cell_type", .string(cell.kind.rawValue)), ("execution_count", .number(String(stored.ordinal))),
            ("id", .string(cell.id)), ("metadata", object([("rlhf", rlhf)])),
            ("outputs", .array(cell.outputs.map(json))), ("source", lines(cell.source)),
        ])
    }

    private static func json(_ output: Output) -> JSONValue {
        switch output {
        case .stdout(let text):
            object([("output_type", .string("stream")), ("name", .string("stdout")), ("text", lines(text))])
        case .chart(let name, let svg, let text, let sha256, let printed):
            object([
                ("output_type", .string("display_data")),
                ("data", object([("image/svg+xml", lines(svg)), ("text/plain", lines(text))])),
                (
                    "metadata",
                    object([
                        (
                            "rlhf",
                            object([
                                ("name", .string(name)), ("sha256", .string(sha256)), ("printed", .bool(printed)),
                            ])
                        )
                    ])
                ),
            ])
        case .error(let name, let value, let traceback):
            object([
                ("output_type", .string("error")), ("ename", .string(name)), ("evalue", .string(value)),
                ("traceback", .array(traceback.map(JSONValue.string))),
            ])
        }
    }

    /// `text` as nbformat stores a multi-line string: the lines of Python's `str.splitlines(keepends=True)`, each
    /// keeping its ending (so they join back into `text`); no lines for `""`.
    static func lines(_ text: String) -> JSONValue {
        .array(splitLines(text).map(JSONValue.string))
    }

    /// Python's `str.splitlines(keepends=True)`: a line ends at `\n`, `\r\n`, `\r`, `\v`, `\f`, `\u{1C}`–`\u{1E}`,
    /// `\u{85}`, `\u{2028}` or `\u{2029}`.
    static func splitLines(_ text: String) -> [String] {
        var lines: [String] = []
        var line = String.UnicodeScalarView()
        var afterCarriageReturn = false
        for scalar in text.unicodeScalars {
            if afterCarriageReturn {
                afterCarriageReturn = false
                if scalar != "\n" {
                    lines.append(String(line))
                    line = String.UnicodeScalarView()
                }
            }
            line.append(scalar)
            if scalar == "\r" {
                afterCarriageReturn = true
            } else if lineEnds.contains(scalar.value) {
                lines.append(String(line))
                line = String.UnicodeScalarView()
            }
        }
        if !line.isEmpty { lines.append(String(line)) }
        return lines
    }

    private static let lineEnds: Set<UInt32> = [0x0A, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029]

    /// An object of the members whose value is not nil.
    private static func object(_ members: [(String, JSONValue?)]) -> JSONValue {
        .object(members.compactMap { key, value in value.map { JSONMember(key: key, value: $0) } })
    }

    /// A finite Double as JSON (Swift's shortest spelling, as Python's `repr`); JSON has no NaN or infinity.
    private static func number(_ x: Double) -> JSONValue { x.isFinite ? .number("\(x)") : .null }

    /// Every object's members sorted by key, code point by code point, as `json.dumps(sort_keys=True)` sorts them.
    static func sortingKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): .array(items.map(sortingKeys))
        case .object(let members):
            .object(
                members.map { JSONMember(key: $0.key, value: sortingKeys($0.value)) }.sorted {
                    $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars)
                })
        default: value
        }
    }
}
