/// One call of MLflow's REST API: `POST /api/2.0/mlflow/runs/log-batch` with its JSON body, or an artifact's `PUT`.
public struct MLflowRequest: Sendable, Equatable {
    public enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
        case put = "PUT"
    }

    public var method: Method
    /// Everything after the tracking URI: `/api/2.0/mlflow/runs/create`, with its query for a GET.
    public var path: String
    public var body: [UInt8]
    public var contentType: String

    public init(_ method: Method, _ path: String, body: [UInt8] = [], contentType: String = "application/json") {
        self.method = method
        self.path = path
        self.body = body
        self.contentType = contentType
    }

    /// A JSON call to `/api/2.0/mlflow/ENDPOINT`.
    static func json(_ method: Method, _ endpoint: String, _ body: JSONValue) -> MLflowRequest {
        MLflowRequest(method, "/api/2.0/mlflow/" + endpoint, body: Array(body.compactText.utf8))
    }

    /// How an error message names the call: `POST runs/create`, the query left out.
    public var summary: String {
        let endpoint = path.split(separator: "?").first.map(String.init) ?? path
        let short = endpoint.hasPrefix("/api/2.0/mlflow/") ? String(endpoint.dropFirst(16)) : endpoint
        return "\(method.rawValue) \(short)"
    }
}

/// The server's answer: its HTTP status and body.
public struct MLflowResponse: Sendable, Equatable {
    public var status: Int
    public var body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }

    /// MLflow's error body, `{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "…"}`, if that is what came back.
    var error: (code: String, message: String)? {
        guard let reply = try? JSONReader.parse(body), case let .string(code)? = reply["error_code"] else { return nil }
        if case let .string(message)? = reply["message"] { return (code, message) }
        return (code, "")
    }
}

/// Carries requests to a tracking server and back: URLSession in the command, a table of answers in tests.
public protocol MLflowTransport {
    /// Sends `request`; a server that cannot be reached is an ``MLflowError/unreachable(_:reason:)``, any answer
    /// (an HTTP error included) a response.
    func send(_ request: MLflowRequest) throws -> MLflowResponse
}

extension JSONValue {
    /// The value of the first member named `key` of an object; nil for another kind of value or no such member.
    subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}
