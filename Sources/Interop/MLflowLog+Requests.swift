import Foundation

/// The REST calls that log an ``MLflowLog``, in the order they are made, and the sending of them.
extension MLflowLog {
    /// What the server made of the log.
    public struct Outcome: Sendable, Equatable {
        public var experimentID: String
        public var runID: String
        /// `mlflow-artifacts:/1/RUN/artifacts`, as `runs/create` answered.
        public var artifactURI: String
        /// The `runs/log-batch` requests made.
        public var batches: Int
        /// The artifacts uploaded, in order; empty when ``artifactsSkipped``.
        public var uploaded: [String]
        /// The artifact URI is not one the tracking server proxies (`mlflow-artifacts:`), so nothing was uploaded.
        public var artifactsSkipped: Bool
    }

    /// `GET experiments/get-by-name`.
    static func experimentLookup(_ name: String) -> MLflowRequest {
        MLflowRequest(.get, "/api/2.0/mlflow/experiments/get-by-name?experiment_name=" + percentEncoded(name))
    }

    /// `POST experiments/create`.
    static func experimentCreation(_ name: String) -> MLflowRequest {
        .json(.post, "experiments/create", .fields(["name": .string(name)]))
    }

    /// `POST runs/create`: the run's name, start and identity tags.
    func runCreation(experimentID: String) -> MLflowRequest {
        .json(
            .post, "runs/create",
            .fields([
                "experiment_id": .string(experimentID), "run_name": .string(runName),
                "start_time": .number(String(startTime)),
                "tags": .array(identityTags.map { .fields(["key": .string($0.key), "value": .string($0.value)]) }),
            ]))
    }

    /// The params, tags and metric points within MLflow's batch limits.
    public var batches: [MLflowBatch] { MLflowBatch.split(params: params, tags: tags, metrics: metrics) }

    /// `POST runs/log-batch` of one batch.
    static func logBatch(_ batch: MLflowBatch, runID: String) -> MLflowRequest {
        MLflowRequest(.post, "/api/2.0/mlflow/runs/log-batch", body: Array(batch.body(runID: runID).utf8))
    }

    /// `POST runs/update`: the status, and the end time of a run that ended.
    func runUpdate(runID: String, status: String? = nil) -> MLflowRequest {
        var members = [
            JSONMember(key: "run_id", value: .string(runID)),
            JSONMember(key: "status", value: .string(status ?? self.status)),
        ]
        if let endTime, (status ?? self.status) != "RUNNING" {
            members.append(JSONMember(key: "end_time", value: .number(String(endTime))))
        }
        return .json(.post, "runs/update", .object(members))
    }

    /// The `PUT` of `artifact` under the run's artifact root, through the tracking server's artifact proxy
    /// (`mlflow-artifacts:/1/RUN/artifacts` → `/api/2.0/mlflow-artifacts/artifacts/1/RUN/artifacts/PATH`); nil
    /// for another kind of artifact URI (a `file:` path of a server started with `--no-serve-artifacts`, `s3:` …).
    static func artifactUpload(_ artifact: Artifact, artifactURI: String) -> MLflowRequest? {
        let scheme = "mlflow-artifacts:"
        guard artifactURI.hasPrefix(scheme) else { return nil }
        var root = artifactURI.dropFirst(scheme.count)
        // `mlflow-artifacts://host:port/1/RUN/artifacts` names the server too; it is the one we talk to.
        if root.hasPrefix("//") { root = root.dropFirst(2).drop { $0 != "/" } }
        let segments = (root.split(separator: "/") + artifact.path.split(separator: "/")).map {
            percentEncoded(String($0))
        }
        return MLflowRequest(
            .put, "/api/2.0/mlflow-artifacts/artifacts/" + segments.joined(separator: "/"),
            body: Array(artifact.data),
            contentType: artifact.path.hasSuffix(".svg") ? "image/svg+xml" : "application/octet-stream")
    }

    /// Logs the run: finds or creates the experiment, creates the run, sends every batch, uploads the artifacts and
    /// sets the status, saying what it did through `progress`. A failure after the run exists marks it FAILED (as
    /// far as the server still answers) and is an ``MLflowError/partial(runID:_:)``.
    /// `sentBatches` hears how many of the log-batch requests have gone out, and how many there are (a run of a
    /// million points takes a thousand of them).
    public func send(
        through transport: some MLflowTransport, progress: (String) -> Void,
        sentBatches: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> Outcome {
        let experimentID = try experiment(through: transport, progress: progress)
        let created = try Self.call(runCreation(experimentID: experimentID), through: transport)
        guard case let .string(runID)? = created["run"]?["info"]?["run_id"] else {
            throw MLflowError.unexpectedReply("POST runs/create", "run.info.run_id")
        }
        let artifactURI: String
        if case let .string(uri)? = created["run"]?["info"]?["artifact_uri"] {
            artifactURI = uri
        } else {
            artifactURI = ""
        }
        progress("MLflow run \(runID) · \(runName)")
        do {
            let batches = self.batches
            for (index, batch) in batches.enumerated() {
                try Self.call(Self.logBatch(batch, runID: runID), through: transport)
                sentBatches(index + 1, batches.count)
            }
            progress(
                "logged \(counted(params.count, "param")), \(counted(identityTags.count + tags.count, "tag")) and "
                    + "\(counted(metrics.count, "metric point")) in \(counted(batches.count, "request"))")
            let uploads = artifacts.map { ($0, Self.artifactUpload($0, artifactURI: artifactURI)) }
            var uploaded: [String] = []
            if uploads.allSatisfy({ $0.1 != nil }) {
                for case let (artifact, request?) in uploads {
                    try Self.call(request, through: transport)
                    uploaded.append(artifact.path)
                    progress("uploaded \(artifact.path) (\(counted(artifact.data.count, "byte")))")
                }
            } else {
                progress(
                    "artifacts skipped: the run's artifact URI '\(artifactURI)' is not served by the tracking server "
                        + "(mlflow-artifacts:); start it without --no-serve-artifacts to upload charts and the notebook"
                )
            }
            try Self.call(runUpdate(runID: runID), through: transport)
            progress("status \(status)")
            return Outcome(
                experimentID: experimentID, runID: runID, artifactURI: artifactURI, batches: batches.count,
                uploaded: uploaded, artifactsSkipped: uploaded.count != artifacts.count)
        } catch let error as MLflowError {
            _ = try? transport.send(runUpdate(runID: runID, status: "FAILED"))
            throw MLflowError.partial(runID: runID, error)
        }
    }

    /// The id of the experiment named ``experimentName``, created when MLflow has none of that name.
    private func experiment(through transport: some MLflowTransport, progress: (String) -> Void) throws -> String {
        let lookup = Self.experimentLookup(experimentName)
        let found = try transport.send(lookup)
        if (200..<300).contains(found.status) {
            let reply = try Self.parsed(found, lookup)
            guard case let .string(id)? = reply["experiment"]?["experiment_id"] else {
                throw MLflowError.unexpectedReply(lookup.summary, "experiment.experiment_id")
            }
            progress("experiment '\(experimentName)' (id \(id))")
            return id
        }
        guard found.error?.code == "RESOURCE_DOES_NOT_EXIST" else { throw Self.refusal(found, lookup) }
        let creation = Self.experimentCreation(experimentName)
        guard case let .string(id)? = try Self.call(creation, through: transport)["experiment_id"] else {
            throw MLflowError.unexpectedReply(creation.summary, "experiment_id")
        }
        progress("experiment '\(experimentName)' created (id \(id))")
        return id
    }

    /// Sends `request` and reads its JSON answer; an HTTP error is an ``MLflowError/refused(_:status:code:message:)``.
    @discardableResult
    private static func call(_ request: MLflowRequest, through transport: some MLflowTransport) throws -> JSONValue {
        let response = try transport.send(request)
        guard (200..<300).contains(response.status) else { throw refusal(response, request) }
        return try parsed(response, request)
    }

    /// The answer's JSON; an empty body (an artifact's `PUT` may answer so) is an empty object.
    private static func parsed(_ response: MLflowResponse, _ request: MLflowRequest) throws -> JSONValue {
        if response.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .object([]) }
        guard let value = try? JSONReader.parse(response.body) else {
            throw MLflowError.unexpectedReply(request.summary, "JSON body")
        }
        return value
    }

    private static func refusal(_ response: MLflowResponse, _ request: MLflowRequest) -> MLflowError {
        let error = response.error
        let text = String(decoding: response.body.prefix(200), as: UTF8.self)
        return .refused(
            request.summary, status: response.status, code: error?.code,
            message: error?.message ?? text.split(separator: "\n").first.map(String.init) ?? "")
    }

    /// `s` with everything but `A–Z a–z 0–9 - . _ ~` percent-encoded, for a URL's path segment or query value.
    static func percentEncoded(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }

    private func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
