/// Why a run could not be logged to MLflow, in one line.
public indirect enum MLflowError: Error, CustomStringConvertible, Equatable {
    /// No HTTP answer: refused connection, unknown host, time-out.
    case unreachable(_ uri: String, reason: String)
    /// An HTTP error, with MLflow's `error_code` and `message` when its body has them.
    case refused(_ request: String, status: Int, code: String?, message: String)
    /// A 2xx answer whose body lacks what the REST API documents.
    case unexpectedReply(_ request: String, _ what: String)
    /// A name MLflow would refuse as a metric, param or tag key.
    case badKey(_ kind: String, _ key: String, reason: String)
    /// A stored time that is not an ISO-8601 timestamp.
    case badTime(_ what: String, _ text: String)
    /// A failure after the MLflow run was created: it is left FAILED (or as the failure left it).
    case partial(runID: String, _ underlying: MLflowError)

    public var description: String {
        switch self {
        case let .unreachable(uri, reason): "cannot reach the MLflow server at \(uri): \(reason)"
        case let .refused(request, status, code, message):
            "MLflow refused \(request) (HTTP \(status)\(code.map { " \($0)" } ?? ""))"
                + (message.isEmpty ? "" : ": \(message)")
        case let .unexpectedReply(request, what): "MLflow's answer to \(request) has no \(what)"
        case let .badKey(kind, key, reason): "\(kind) '\(key)' cannot be logged to MLflow: \(reason)"
        case let .badTime(what, text): "\(what) '\(text)' is not a timestamp"
        case let .partial(runID, underlying): "\(underlying) (MLflow run \(runID) is incomplete and marked FAILED)"
        }
    }
}
