import Foundation
import Store
import Testing

/// `rlhf query` through the built executable: output that is valid whatever the result, the authorizer's refusals,
/// `--timeout`, and rows printed as they are read.
@Suite struct QueryCLITests {
    /// A store with one run of two cells, so `runs JOIN cells` repeats column names.
    private func withStore(_ body: (CLI) throws -> Void) throws {
        let cli = try CLI()
        defer { cli.remove() }
        let run = try cli("run", try cli.write("two.rlhf", "# %% a\nx = 1\n# %% b\ny = x + 1\n"), "-q")
        #expect(run.status == 0, "\(run.stderr)")
        try body(cli)
    }

    /// Each query's `--json` output parses as an array of objects, and the first object's members, written back
    /// as JSON, are these.
    @Test(
        arguments: [
            (
                "SELECT * FROM runs JOIN cells ON cells.run_id = runs.id",
                ["id": "1", "id:2": "1", "status": #""succeeded""#]
            ),
            (#"SELECT 1 AS "", 2 AS "", 3 AS ":2""#, ["": "1", ":2": "2", ":2:2": "3"]),
            (#"SELECT 'a' AS "id:2", 'b' AS id, 'c' AS id"#, ["id:2": #""a""#, "id": #""b""#, "id:3": #""c""#]),
            ("SELECT NULL AS n, X'0001' AS b, 0.5 AS r", ["n": "null", "b": #"{"blob_bytes":2}"#, "r": "0.5"]),
            (
                "SELECT 1e999 AS i, -1e999 AS m, 1e308 * 10 AS o, 0.0 / 0.0 AS nan",
                ["i": #""inf""#, "m": #""-inf""#, "o": #""inf""#, "nan": "null"]
            ),
            (
                "SELECT 9223372036854775807 AS big, -9223372036854775808 AS small, 1e300 AS huge",
                ["big": "9223372036854775807", "small": "-9223372036854775808", "huge": "1e+300"]
            ),
            ("SELECT CAST(X'41FF0A22005C' AS TEXT) AS bytes", ["bytes": "\"A\u{FFFD}\\n\\\"\\u0000\\\\\""]),
            ("SELECT char(1, 27, 31, 127) AS controls", ["controls": "\"\\u0001\\u001b\\u001f\u{7F}\""]),
            ("SELECT 1 AS x WHERE 0", [:]),
            ("SELECT 1; SELECT 2 AS last", ["last": "2"]),
        ] as [(String, [String: String])])
    func jsonIsValidForEveryShapeOfResult(sql: String, first: [String: String]) throws {
        try withStore { cli in
            let r = try cli("query", sql, "--json")
            #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
            let parsed = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8), options: [.fragmentsAllowed])
            let rows = try #require(parsed as? [[String: Any]], "not an array of objects: \(r.stdout)")
            guard !first.isEmpty else { return #expect(rows.isEmpty && r.stdout == "[]\n") }
            for (key, expected) in first {
                let value = try #require(rows.first?[key], "no \(key) in \(r.stdout)")
                let json = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])
                #expect(String(decoding: json, as: UTF8.self) == expected, "\(key) in \(r.stdout)")
            }
        }
    }

    @Test func csvQuotesWhatNeedsQuotingAndTableEscapesControlCharacters() throws {
        try withStore { cli in
            let sql =
                #"SELECT 'a,b' AS "x,y", 'say "hi"' AS q, 'one' || char(13) || 'two' AS cr, char(10, 27) || '[31m' AS t"#
            let csv = try cli("query", sql, "--csv")
            #expect(csv.stdout == "\"x,y\",q,cr,t\n\"a,b\",\"say \"\"hi\"\"\",\"one\rtwo\",\"\n\u{1B}[31m\"\n")
            let table = try cli("query", sql)
            #expect(table.stdout.split(separator: "\n").count == 2)
            #expect(table.stdout.contains(#"one\rtwo  \n\u{1B}[31m"#))
            #expect(!table.stdout.contains("\u{1B}"))
        }
    }

    @Test(arguments: [
        (#"PRAGMA "query_only"(0)"#, "refused PRAGMA query_only = 0"),
        ("SELECT fts3_tokenizer('simple')", "refused the function fts3_tokenizer()"),
        ("SELECT * FROM runs; DELETE FROM runs", "refused DELETE from 'runs'"),
        ("ATTACH 'other.sqlite' AS o", "refused ATTACH 'other.sqlite'"),
        ("CREATE TEMP TABLE t AS SELECT 1", "refused a change to the schema (CREATE or DROP)"),
        ("VACUUM INTO 'copy.sqlite'", "refused a statement that writes"),
        ("SAVEPOINT s", "refused SAVEPOINT (BEGIN s)"),
    ])
    func refusalsNameWhatWasRefusedOnOneLine(sql: String, refused: String) throws {
        try withStore { cli in
            let before = try Data(contentsOf: URL(fileURLWithPath: cli.store))
            let r = try cli("query", sql)
            #expect(r.status == 1)
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.hasPrefix("error: `rlhf query` is read-only; \(refused)"), "\(r.stderr)")
            // The refused statement is quoted: the whole text, or the statement of it that was refused.
            let quoted = r.stderr.components(separatedBy: " in: ").last?.trimmingCharacters(in: .newlines) ?? ""
            #expect(!quoted.isEmpty && sql.hasSuffix(quoted), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1)
            #expect(try Data(contentsOf: URL(fileURLWithPath: cli.store)) == before)
            for file in ["other.sqlite", "copy.sqlite"] {
                #expect(!FileManager.default.fileExists(atPath: cli.folder.appendingPathComponent(file).path))
            }
        }
    }

    @Test(arguments: ["0", "=-1", "abc", "nan", "inf", "1e3", "86401", "", " 5", "0x10", "1..2", "30s"])
    func badTimeoutsAreRefused(value: String) throws {
        try withStore { cli in
            let option = value.hasPrefix("=") ? ["--timeout\(value)"] : ["--timeout", value]
            let r = try cli.run(["query", "SELECT 1"] + option)
            let typed = value.hasPrefix("=") ? String(value.dropFirst()) : value
            #expect(r.status == 1)
            #expect(r.stdout.isEmpty)
            #expect(
                r.stderr == "error: --timeout '\(typed)' is not a number of seconds above 0 and at most 86400 "
                    + "(e.g. --timeout 30 or --timeout 0.5)\n")
        }
    }

    @Test func anEndlessQueryStopsAtItsTimeout() throws {
        try withStore { cli in
            let started = Date()
            let endless = "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT max(n) FROM c"
            let r = try cli("query", endless, "--timeout", "0.5")
            #expect(Date().timeIntervalSince(started) < 10)
            #expect(r.status == 1)
            #expect(r.stderr == "error: query stopped after 0.5 s (--timeout)\n")
            let quick = try cli("query", "SELECT 1 AS one", "--timeout", "86400")
            #expect(quick.status == 0 && quick.stdout == "one\n1\n")
        }
    }

    /// Only SQLite's own work counts against `--timeout`: a reader that leaves the rows waiting in the pipe for
    /// longer than the limit (a pager) gets them all.
    @Test func aSlowReaderDoesNotUseUpTheTimeout() throws {
        try withStore { cli in
            let process = Process()
            process.executableURL = CLI.executable
            process.arguments = [
                "query",
                "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 50000) "
                    + "SELECT n FROM c", "--csv", "--timeout", "1", "--store", cli.store,
            ]
            let (output, errors) = (Pipe(), Pipe())
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            Thread.sleep(forTimeInterval: 2.5)  // the pipe fills at once; the writer waits
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            #expect(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).isEmpty)
            #expect(text.hasSuffix("\n50000\n") && text.split(separator: "\n").count == 50_001)
        }
    }

    /// A million rows stream through: the output is complete and the process stays small (its peak resident
    /// memory, read from the kernel after it exits, is far below what holding the rows would take).
    @Test func aHugeResultStreamsInBoundedMemory() throws {
        try withStore { cli in
            let sql =
                "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000000) "
                + "SELECT n, 'row number ' || n AS label FROM c"
            for format in ["--json", "--csv", "--timeout=600"] {  // the last prints the table
                let (lines, peak) = try cli.linesAndPeakMemory(["query", sql, format, "--timeout", "600"])
                #expect(lines == 1_000_000 + (format == "--json" ? 2 : 1), "\(format)")
                #expect(peak < 150 * 1024 * 1024, "\(format): peak RSS \(peak / 1024 / 1024) MB")
            }
        }
    }
}

extension CLI {
    /// Runs `rlhf` under `/usr/bin/time` and returns how many lines it printed (counted as they arrive, not kept)
    /// and its peak resident memory in bytes.
    func linesAndPeakMemory(_ arguments: [String]) throws -> (lines: Int, peak: Int) {
        let report = folder.appendingPathComponent("time-\(UUID().uuidString).txt")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-f", "%M", "-o", report.path, CLI.executable.path] + arguments + ["--store", store]
        process.currentDirectoryURL = folder
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var lines = 0
        while true {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            lines += chunk.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        }
        process.waitUntilExit()
        let kilobytes = try String(contentsOf: report, encoding: .utf8).split(separator: "\n").last.flatMap { Int($0) }
        return (lines, (kilobytes ?? Int.max / 1024) * 1024)
    }
}

/// `--blobs`: a blob as its size (the default), its bytes in base64 or hex, or its little-endian Float32 values.
extension QueryCLITests {
    /// 1.0 and -2.0 as little-endian Float32.
    static let twoFloats = "X'0000803F000000C0'"

    @Test(
        arguments: [
            ("size", #"{"blob_bytes": 8}"#, "<blob 8 bytes>"),
            ("base64", #""AACAPwAAAMA=""#, "AACAPwAAAMA="),
            ("hex", #""0000803f000000c0""#, "0000803f000000c0"),
            ("floats", "[1.0, -2.0]", "1.0 -2.0"),
        ])
    func blobsAreWrittenInTheFormAsked(form: String, json: String, csv: String) throws {
        try withStore { cli in
            let sql = "SELECT \(Self.twoFloats) AS b, 'x' AS t"
            let j = try cli("query", sql, "--json", "--blobs", form)
            #expect(j.status == 0 && j.stderr.isEmpty, "\(j.stderr)")
            #expect(j.stdout == "[\n  {\"b\": \(json), \"t\": \"x\"}\n]\n")
            let c = try cli("query", sql, "--csv", "--blobs", form)
            #expect(c.status == 0 && c.stderr.isEmpty, "\(c.stderr)")
            #expect(c.stdout == "b,t\n\(csv),x\n")
        }
        // Without --blobs: today's form.
        try withStore { cli in
            let r = try cli("query", "SELECT X'00' AS b", "--json")
            #expect(r.stdout == "[\n  {\"b\": {\"blob_bytes\": 1}}\n]\n")
        }
    }

    @Test func nonFiniteFloatsAreStringsInJSON() throws {
        try withStore { cli in
            let r = try cli("query", "SELECT X'0000807F000080FF0000C07F' AS b", "--json", "--blobs", "floats")
            #expect(r.stdout == "[\n  {\"b\": [\"inf\", \"-inf\", \"nan\"]}\n]\n", "\(r.stderr)")
        }
    }

    /// A stored tensor's blob read back as floats is the tensor's values; as base64, its little-endian bytes.
    @Test func aStoredTensorsBlobIsItsValues() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let values: [Float] = [0.5, -1, 3.25, 1e-3]
        let store = try LabStore(path: cli.store)
        let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
        _ = try store.commit(
            run: run,
            CellCommit(
                cell: CellRecord(ordinal: 1, key: "1", title: "", source: "w = …"), output: "", durationMs: 0,
                objects: [
                    (
                        "w",
                        .checkpoint(
                            Checkpoint(
                                kind: "policy", config: "{}",
                                tensors: [StoredTensor(name: "weight", shape: [2, 2], values: values)]))
                    )
                ]))
        try store.finishRun(run, status: .succeeded)
        let sql = "SELECT b.data FROM version_tensors t JOIN blobs b ON b.hash = t.blob_hash WHERE t.name = 'weight'"
        let floats = try cli("query", sql, "--json", "--blobs", "floats")
        #expect(floats.status == 0, "\(floats.stderr)")
        let rows = try #require(
            try JSONSerialization.jsonObject(with: Data(floats.stdout.utf8)) as? [[String: [Double]]])
        #expect(rows.count == 1 && rows[0]["data"]?.map { Float($0) } == values)
        let base64 = try cli("query", sql, "--csv", "--blobs", "base64")
        let bytes = values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        #expect(base64.stdout == "data\n\(Data(bytes).base64EncodedString())\n")
    }

    @Test(
        arguments: [
            ("SELECT 1 AS a, X'000000' AS odd", "--json", "column 'odd' of row 1 is a blob of 3 bytes"),
            ("SELECT X'00000000' AS v UNION ALL SELECT X'00'", "--csv", "column 'v' of row 2 is a blob of 1 byte"),
        ])
    func floatsOfABlobThatIsNotWholeFloat32ValuesIsAnError(sql: String, format: String, message: String) throws {
        try withStore { cli in
            let r = try cli("query", sql, format, "--blobs", "floats")
            #expect(r.status == 1)
            #expect(
                r.stderr == "error: \(message), not whole Float32 values (4 bytes each); --blobs size, base64 or hex "
                    + "print any blob\n")
        }
    }

    @Test func blobsNeedJSONOrCSV() throws {
        try withStore { cli in
            let r = try cli("query", "SELECT X'00' AS b", "--blobs", "hex")
            #expect(r.status != 0 && r.stdout.isEmpty)
            #expect(r.stderr.contains("--blobs hex needs --json or --csv"), "\(r.stderr)")
        }
    }
}
