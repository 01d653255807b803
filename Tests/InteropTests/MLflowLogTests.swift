import Foundation
import Store
import Testing

@testable import Interop

/// A stored run as MLflow's REST calls: what maps to what, MLflow's key and value limits, the order of the calls and
/// what a refusal does, against a transport that answers from a table.
struct MLflowLogTests {
    /// Answers like an MLflow server with no experiments, recording each request; `fail` answers 500 to a call.
    final class Server: MLflowTransport, @unchecked Sendable {
        var requests: [MLflowRequest] = []
        var artifactURI = "mlflow-artifacts:/7/r1/artifacts"
        var fail: String?

        func send(_ request: MLflowRequest) throws -> MLflowResponse {
            requests.append(request)
            if request.summary == fail {
                return MLflowResponse(
                    status: 500, body: Array(#"{"error_code":"INTERNAL_ERROR","message":"disk full"}"#.utf8))
            }
            switch request.summary {
            case "GET experiments/get-by-name":
                return MLflowResponse(
                    status: 404,
                    body: Array(#"{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"no such experiment"}"#.utf8))
            case "POST experiments/create":
                return MLflowResponse(status: 200, body: Array(#"{"experiment_id":"7"}"#.utf8))
            case "POST runs/create":
                return MLflowResponse(
                    status: 200,
                    body: Array(#"{"run":{"info":{"run_id":"r1","artifact_uri":"\#(artifactURI)"}}}"#.utf8))
            default: return MLflowResponse(status: 200, body: Array("{}".utf8))
            }
        }
    }

    /// A run of two cells with 1,200 points of two series (one NaN), a chart, parameters, a note and tags.
    static func log(parameters: String = #"{"lr":0.5,"label":"a, b"}"#) throws -> MLflowLog {
        let (store, dir) = try JupyterNotebookTests.store()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var log = try MLflowLog(store: store, run: 1, storePath: "/tmp/lab.sqlite", version: "0.16.0")
        log.params = RunParameters.split(parameters).map { MLflowEntry(key: $0.name, value: $0.value) }
        log.metrics = (0..<1200).map {
            MLflowMetric(key: $0 < 600 ? "a" : "b", value: $0 == 5 ? .nan : Double($0), timestamp: 5, step: $0 % 600)
        }
        return log
    }

    @Test func mapsTheRunToMLflowsNames() throws {
        let (store, dir) = try JupyterNotebookTests.store()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try MLflowLog(store: store, run: 1, storePath: "/tmp/lab.sqlite", version: "0.16.0")
        #expect(log.experimentName == "nb")
        #expect(log.runName == "small")
        #expect(log.status == "FAILED")
        #expect(log.startTime == Timestamp.milliseconds(try store.run(1).run.startedAt))
        #expect(log.params == [MLflowEntry(key: "steps", value: "3"), MLflowEntry(key: "lr", value: "0.5")])
        let tags = Dictionary(uniqueKeysWithValues: (log.identityTags + log.tags).map { ($0.key, $0.value) })
        #expect(tags["mlflow.source.name"] == "nb.rlhf" && tags["rlhf.run_id"] == "1")
        #expect(
            tags["mlflow.runName"] == "small" && tags["rlhf.cells"] == "3" && tags["rlhf.store"] == "/tmp/lab.sqlite")
        #expect(tags["a"] == "" && tags["b"] == "" && tags["rlhf.version"] == "0.16.0")
        #expect(log.artifacts.map(\.path) == ["run-1.ipynb", "charts/2-charts-bars.svg", "charts/2-charts-quiet.svg"])
        #expect(log.artifacts[0].data == Data(try JupyterNotebook(store: store, run: 1).json.utf8))
        #expect(String(decoding: log.artifacts[1].data, as: UTF8.self) == JupyterNotebookTests.svg)
    }

    @Test(
        arguments: [
            (RunStatus.succeeded, "FINISHED"), (.failed, "FAILED"), (.interrupted, "FAILED"), (.cancelled, "KILLED"),
            (.running, "RUNNING"),
        ])
    func statusIsMLflows(ours: RunStatus, theirs: String) {
        #expect(MLflowLog.status(ours) == theirs)
    }

    @Test(
        arguments: [
            ("rm.loss", nil), ("eval/accuracy: test", nil), ("a b_c-d", nil), ("naïve", nil),
            ("loss(x)", "it holds '('"), (String(repeating: "k", count: 251), "longer than 250 characters"),
            ("../up", "not its own"), ("/abs", "not its own"), ("a//b", "not its own"), ("", "not its own"),
        ] as [(String, String?)])
    func keysAreCheckedAsMLflowChecksThem(key: String, problem: String?) {
        do {
            try MLflowLog.checkKey(key, kind: "metric")
            #expect(problem == nil)
        } catch {
            #expect(problem != nil && "\(error)".contains(problem ?? ""), "\(error)")
        }
    }

    @Test func longValuesAreCutAndSaid() throws {
        let (store, dir) = try JupyterNotebookTests.store()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var detail = try store.run(1)
        detail.run.parameters = "{\"prompt\":\"\(String(repeating: "é", count: 6001))\"}"
        detail.run.note = String(repeating: "n", count: 9000)
        let log = try MLflowLog(
            run: detail, points: [], notebook: JupyterNotebook(run: detail, charts: []), storePath: "s",
            version: "v")
        #expect(log.params.first?.value.unicodeScalars.count == 6000)
        #expect(log.tags.first { $0.key == "mlflow.note.content" }?.value.count == 8000)
        #expect(
            log.shortened == [
                "param 'prompt' cut from 6001 to 6000 characters (MLflow's limit)",
                "tag 'mlflow.note.content' cut from 9000 to 8000 characters (MLflow's limit)",
            ])
    }

    @Test func sendsTheCallsInOrder() throws {
        let log = try Self.log()
        let server = Server()
        var lines: [String] = []
        var sent: [[Int]] = []
        let outcome = try log.send(
            through: server, progress: { lines.append($0) }, sentBatches: { sent.append([$0, $1]) })
        #expect(outcome.experimentID == "7" && outcome.runID == "r1" && outcome.batches == 2)
        #expect(sent == [[1, 2], [2, 2]])
        #expect(
            server.requests.map(\.summary) == [
                "GET experiments/get-by-name", "POST experiments/create", "POST runs/create", "POST runs/log-batch",
                "POST runs/log-batch", "PUT /api/2.0/mlflow-artifacts/artifacts/7/r1/artifacts/run-1.ipynb",
                "PUT /api/2.0/mlflow-artifacts/artifacts/7/r1/artifacts/charts/2-charts-bars.svg",
                "PUT /api/2.0/mlflow-artifacts/artifacts/7/r1/artifacts/charts/2-charts-quiet.svg", "POST runs/update",
            ])
        #expect(server.requests[0].path == "/api/2.0/mlflow/experiments/get-by-name?experiment_name=nb")
        let create = try #require(JSONSerialization.jsonObject(with: Data(server.requests[2].body)) as? [String: Any])
        #expect(create["experiment_id"] as? String == "7" && create["run_name"] as? String == "small")
        #expect(create["start_time"] as? Int64 == log.startTime)
        let update = try #require(JSONSerialization.jsonObject(with: Data(server.requests[8].body)) as? [String: Any])
        #expect(update["status"] as? String == "FAILED" && update["run_id"] as? String == "r1")
        #expect(update["end_time"] as? Int64 == log.endTime)
        #expect(lines.first == "experiment 'nb' created (id 7)")
        #expect(
            lines.contains(
                "logged 2 params, \(log.identityTags.count + log.tags.count) tags and 1200 metric points in 2 requests")
        )
    }

    @Test func aNonProxiedArtifactURIIsSaidAndSkipped() throws {
        let server = Server()
        server.artifactURI = "file:///srv/mlruns/7/r1/artifacts"
        var lines: [String] = []
        let outcome = try Self.log().send(through: server) { lines.append($0) }
        #expect(outcome.artifactsSkipped && outcome.uploaded.isEmpty)
        #expect(!server.requests.contains { $0.method == .put })
        #expect(
            lines.contains {
                $0.hasPrefix("artifacts skipped: the run's artifact URI 'file:///srv/mlruns/7/r1/artifacts'")
            })
    }

    @Test(arguments: ["POST runs/log-batch", "POST runs/create", "GET experiments/get-by-name"])
    func aRefusalIsOneLineAndLeavesTheRunFailed(call: String) throws {
        let server = Server()
        server.fail = call
        let log = try Self.log()
        let error = #expect(throws: MLflowError.self) { try log.send(through: server) { _ in } }
        let text = "\(error.map { "\($0)" } ?? "")"
        #expect(text.hasPrefix("MLflow refused \(call) (HTTP 500 INTERNAL_ERROR): disk full"), "\(text)")
        #expect(text.contains("marked FAILED") == (call == "POST runs/log-batch") && !text.contains("\n"))
        if call == "POST runs/log-batch" {
            #expect(server.requests.last?.summary == "POST runs/update")
            let body = String(decoding: server.requests.last?.body ?? [], as: UTF8.self)
            #expect(body.contains(#""status":"FAILED""#))
        }
    }

    @Test(
        arguments: [
            (
                "mlflow-artifacts:/1/abc/artifacts", "a b/c.svg",
                "/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/a%20b/c.svg"
            ),
            (
                "mlflow-artifacts://host:5000/1/abc/artifacts", "x",
                "/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/x"
            ),
            ("file:///tmp/mlruns/1/abc/artifacts", "x", nil), ("s3://bucket/1/abc/artifacts", "x", nil),
        ] as [(String, String, String?)])
    func artifactsArePutThroughTheProxy(uri: String, path: String, expected: String?) {
        let request = MLflowLog.artifactUpload(.init(path: path, data: Data([1, 2])), artifactURI: uri)
        #expect(request?.path == expected)
        #expect(request.map { $0.method == .put && $0.body == [1, 2] } ?? true)
    }
}
