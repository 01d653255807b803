import Foundation
import Interop

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Carries ``MLflowRequest``s to a tracking server over HTTP (URLSession, libcurl on Linux), one at a time, waiting
/// for each answer: the command is synchronous. Authenticates as MLflow's own client does: `MLFLOW_TRACKING_TOKEN`
/// as a bearer token, else `MLFLOW_TRACKING_USERNAME` and `MLFLOW_TRACKING_PASSWORD` as HTTP basic.
struct MLflowHTTP: MLflowTransport {
    /// The tracking URI without a trailing slash: `http://127.0.0.1:5000`.
    let base: String
    let authorization: String?
    /// Seconds an answer may take (an artifact of many megabytes included).
    let timeout: Double = 120

    /// A client of the server at `uri`; `environment` supplies the credentials.
    init(uri: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        var base = uri
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
        if let token = environment["MLFLOW_TRACKING_TOKEN"], !token.isEmpty {
            authorization = "Bearer " + token
        } else if let user = environment["MLFLOW_TRACKING_USERNAME"],
            let password = environment["MLFLOW_TRACKING_PASSWORD"]
        {
            authorization = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        } else {
            authorization = nil
        }
    }

    func send(_ request: MLflowRequest) throws -> MLflowResponse {
        guard let url = URL(string: base + request.path) else {
            throw MLflowError.unreachable(base, reason: "'\(base + request.path)' is not a URL")
        }
        var http = URLRequest(url: url, timeoutInterval: timeout)
        http.httpMethod = request.method.rawValue
        if request.method != .get {
            http.httpBody = Data(request.body)
            http.setValue(request.contentType, forHTTPHeaderField: "Content-Type")
        }
        if let authorization { http.setValue(authorization, forHTTPHeaderField: "Authorization") }
        let answer = Answer()
        let done = DispatchSemaphore(value: 0)
        let task = URLSession.shared.dataTask(with: http) { data, response, error in
            answer.set(data: data, response: response, error: error)
            done.signal()
        }
        task.resume()
        done.wait()
        return try answer.response(base: base)
    }

    /// What the data task handed back, written by its completion handler and read once it has signalled.
    private final class Answer: @unchecked Sendable {
        private var data: Data?
        private var response: URLResponse?
        private var error: (any Error)?

        func set(data: Data?, response: URLResponse?, error: (any Error)?) {
            self.data = data
            self.response = response
            self.error = error
        }

        func response(base: String) throws -> MLflowResponse {
            if let error {
                throw MLflowError.unreachable(base, reason: error.localizedDescription)
            }
            guard let http = response as? HTTPURLResponse else {
                throw MLflowError.unreachable(base, reason: "the answer is not HTTP")
            }
            return MLflowResponse(status: http.statusCode, body: Array(data ?? Data()))
        }
    }
}
