import Foundation
import Store
import Testing

/// `rlhf export RUN --mlflow URI` against an in-process fake MLflow server: the server receives every metric point
/// the store holds (value, step, its commit's time), the params, the tags, the charts' and the notebook's bytes and
/// the final status; an unreachable server and an HTTP error are one `error:` line and a non-zero exit.
@Suite struct MLflowExportCLITests {
    static let notebook = """
        # %% parameters id=params
        steps = 1300
        label = "a, b"
        # %% curve id=curve
        for i in range(steps) {
            log_metric("curve", i * 0.5)
        }
        log_metric("other", 1.0)
        plot.bars(["a", "b"], series: {v: [0.7, 0.6]}, title: "Bars")
        # %% done id=done
        print("done")
        """

    /// Runs the notebook (named, tagged, with a note) into the test's store.
    static func stored(_ cli: CLI) throws {
        let run = try cli(
            "run", try cli.write("curves.rlhf", notebook), "--quiet", "--name", "curves", "--tag", "sweep", "--note",
            "a note")
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test func theServerReceivesTheWholeRun() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.stored(cli)
        let server = try FakeMLflowServer()
        defer { server.stop() }
        let r = try cli("export", "1", "--mlflow", server.uri)
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "experiment 'curves' created (id 1)")
        #expect(lines.contains("MLflow run \(FakeMLflowServer.runID) · curves"))
        #expect(lines.last == "\(server.uri)/#/experiments/1/runs/\(FakeMLflowServer.runID)")

        let requests = server.requests
        let calls = requests.map { "\($0.method) \($0.path.split(separator: "?")[0])" }
        #expect(
            calls.prefix(3) == [
                "GET /api/2.0/mlflow/experiments/get-by-name", "POST /api/2.0/mlflow/experiments/create",
                "POST /api/2.0/mlflow/runs/create",
            ])
        #expect(calls.last == "POST /api/2.0/mlflow/runs/update")

        // Every point the store holds, in its series' order, each once, timed by its commit.
        let store = try LabStore.openReadOnly(path: cli.store)
        let stored = try store.metrics(run: 1)
        #expect(stored.count == 1301)
        let batches = requests.filter { $0.path == "/api/2.0/mlflow/runs/log-batch" }.map(\.json)
        #expect(batches.count == 2)
        #expect(batches.allSatisfy { $0["run_id"] as? String == FakeMLflowServer.runID })
        let sent = batches.flatMap { $0["metrics"] as? [[String: Any]] ?? [] }
        #expect(sent.count == stored.count)
        #expect(sent.map { $0["key"] as? String } == stored.map(\.name))
        #expect(sent.map { $0["step"] as? Int } == stored.map(\.step))
        #expect(sent.map { $0["value"] as? Double } == stored.map(\.value))
        let committed = try #require(
            Timestamp.milliseconds(try cli.scalar("SELECT created_at FROM commits WHERE id = 2")))
        #expect(sent.allSatisfy { $0["timestamp"] as? Int64 == committed })

        let params = batches.flatMap { $0["params"] as? [[String: String]] ?? [] }
        #expect(params == [["key": "steps", "value": "1300"], ["key": "label", "value": "a, b"]])
        let create = try #require(requests.first { $0.path == "/api/2.0/mlflow/runs/create" }?.json)
        #expect(create["run_name"] as? String == "curves")
        let tagLists = [create["tags"]] + batches.map { $0["tags"] }
        var tags: [String: String] = [:]
        for case let list as [[String: String]] in tagLists {
            for tag in list { tags[tag["key"] ?? ""] = tag["value"] }
        }
        #expect(tags["mlflow.source.name"] == cli.folder.appendingPathComponent("curves.rlhf").path)
        #expect(tags["mlflow.runName"] == "curves" && tags["mlflow.note.content"] == "a note")
        #expect(tags["rlhf.run_id"] == "1" && tags["rlhf.cells"] == "3" && tags["sweep"] == "")
        #expect(tags["rlhf.store"] == URL(fileURLWithPath: cli.store).standardizedFileURL.path)
        #expect(tags["rlhf.host"] != nil && tags["rlhf.version"] != nil)

        // The chart's SVG as `rlhf charts` writes it, and the notebook as `rlhf export 1 -o run.ipynb` writes it.
        let puts = Dictionary(
            uniqueKeysWithValues: requests.filter { $0.method == "PUT" }.map {
                (
                    $0.path.replacingOccurrences(
                        of: "/api/2.0/mlflow-artifacts/artifacts/1/\(FakeMLflowServer.runID)/artifacts/", with: ""),
                    $0.body
                )
            })
        #expect(try cli("charts", "1", "--out", "charts").status == 0)
        let chart =
            "2-curve-"
            + (try FileManager.default.contentsOfDirectory(atPath: cli.folder.appendingPathComponent("charts").path)
            .first ?? "").dropFirst("2-curve-".count)
        #expect(puts.keys.sorted() == ["charts/\(chart)", "run-1.ipynb"])
        #expect(puts["charts/\(chart)"] == (try Data(contentsOf: cli.folder.appendingPathComponent("charts/\(chart)"))))
        #expect(try cli("export", "1", "-o", "run.ipynb").status == 0)
        #expect(puts["run-1.ipynb"] == (try Data(contentsOf: cli.folder.appendingPathComponent("run.ipynb"))))

        let update = try #require(requests.last?.json)
        #expect(update["status"] as? String == "FINISHED" && update["run_id"] as? String == FakeMLflowServer.runID)
        let finished = try #require(Timestamp.milliseconds(try cli.scalar("SELECT finished_at FROM runs WHERE id = 1")))
        #expect(update["end_time"] as? Int64 == finished)
    }

    @Test func withModelsUploadsEachModelsLatestVersion() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli("run", try cli.write("small.rlhf", smallNotebook), "--quiet").status == 0)
        let server = try FakeMLflowServer()
        defer { server.stop() }
        let r = try cli("export", "1", "--mlflow", server.uri + "/", "--experiment", "lab runs", "--with-models")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(server.requests.first?.path == "/api/2.0/mlflow/experiments/get-by-name?experiment_name=lab%20runs")
        let puts = server.requests.filter { $0.method == "PUT" }
        let models = puts.filter { $0.path.contains("/artifacts/models/") }
        // `same = policy` binds a model too: every checkpoint object of the run, by name.
        #expect(
            models.map { $0.path.split(separator: "/").last ?? "" } == [
                "policy.safetensors", "rm.safetensors", "same.safetensors",
            ])
        #expect(try cli("export", "1/rm", "-o", "rm.safetensors").status == 0)
        let rm = models.first { $0.path.hasSuffix("/models/rm.safetensors") }
        #expect(rm?.body == (try Data(contentsOf: cli.folder.appendingPathComponent("rm.safetensors"))))
    }

    @Test func authenticatesAsMLflowsClientDoes() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.stored(cli)
        for (environment, expected) in [
            (["MLFLOW_TRACKING_TOKEN": "t0k"], "Bearer t0k"),
            (["MLFLOW_TRACKING_USERNAME": "ann", "MLFLOW_TRACKING_PASSWORD": "pw"], "Basic YW5uOnB3"),
        ] {
            let server = try FakeMLflowServer()
            let r = try cli("export", "1", "--mlflow", server.uri, environment: environment)
            server.stop()
            #expect(r.status == 0, "\(r.stderr)")
            #expect(server.requests.allSatisfy { $0.headers["authorization"] == expected })
        }
    }

    @Test func anUnreachableServerOrAnHTTPErrorIsOneErrorLine() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.stored(cli)
        let closed = try FakeMLflowServer()
        closed.stop()
        let unreachable = try cli("export", "1", "--mlflow", closed.uri)
        #expect(unreachable.status != 0)
        #expect(
            unreachable.stderr.hasPrefix("error: cannot reach the MLflow server at \(closed.uri): "),
            "\(unreachable.stderr)")
        #expect(unreachable.stderr.split(separator: "\n").count == 1)

        let failing = try FakeMLflowServer(failing: true)
        defer { failing.stop() }
        let refused = try cli("export", "1", "--mlflow", failing.uri)
        #expect(refused.status != 0)
        #expect(
            refused.stderr
                == "error: MLflow refused GET experiments/get-by-name (HTTP 500 INTERNAL_ERROR): the database is locked\n"
        )
    }
}
