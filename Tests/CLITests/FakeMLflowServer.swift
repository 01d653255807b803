import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A tiny HTTP/1.1 server on a loopback port that answers the REST calls `rlhf export RUN --mlflow` makes as an MLflow
/// tracking server does (an experiment that is missing until created, runs/create with an id and a proxied artifact
/// URI, log-batch, artifact PUTs, runs/update) and records every request. One connection at a time, closed after each
/// answer; `failing` answers every call with HTTP 500 and MLflow's error body.
final class FakeMLflowServer: @unchecked Sendable {
    struct Request {
        var method: String
        var path: String
        var headers: [String: String]
        var body: Data

        /// The body as a JSON object (empty for another body).
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    static let runID = "0123456789abcdef0123456789abcdef"

    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var recorded: [Request] = []
    private var experiments: [String: String] = [:]
    private let failing: Bool
    private let finished = DispatchSemaphore(value: 0)

    init(failing: Bool = false) throws {
        self.failing = failing
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(listener, 16) == 0 else {
            close(listener)
            throw CocoaError(.fileWriteUnknown)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    var uri: String { "http://127.0.0.1:\(port)" }

    var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    /// Stops accepting and waits for the serving thread to end.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        finished.wait()
    }

    private func serve() {
        defer { finished.signal() }
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            handle(connection)
            close(connection)
        }
    }

    private func handle(_ connection: Int32) {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        func readMore() -> Bool {
            let n = recv(connection, &chunk, chunk.count, 0)
            guard n > 0 else { return false }
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
        let separator = Data("\r\n\r\n".utf8)
        while buffer.range(of: separator) == nil { guard readMore() else { return } }
        guard let end = buffer.range(of: separator) else { return }
        let head = String(decoding: buffer[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let start = head.first?.split(separator: " ").map(String.init) ?? []
        guard start.count >= 2 else { return }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        if headers["expect"]?.lowercased() == "100-continue" {
            write(connection, Data("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
        var body = Data(buffer[end.upperBound...])
        while body.count < length {
            buffer = Data()
            guard readMore() else { return }
            body.append(buffer)
        }
        let request = Request(method: start[0], path: start[1], headers: headers, body: body)
        let (status, answer) = respond(to: request)
        lock.lock()
        recorded.append(request)
        lock.unlock()
        let reason = status == 200 ? "OK" : status == 404 ? "Not Found" : "Internal Server Error"
        let bytes = Data(answer.utf8)
        write(
            connection,
            Data(
                "HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/json\r\nContent-Length: \(bytes.count)\r\nConnection: close\r\n\r\n"
                    .utf8) + bytes)
    }

    private func write(_ connection: Int32, _ data: Data) {
        data.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let n = send(connection, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                guard n > 0 else { return }
                sent += n
            }
        }
    }

    /// What MLflow would answer.
    private func respond(to request: Request) -> (Int, String) {
        if failing { return (500, #"{"error_code":"INTERNAL_ERROR","message":"the database is locked"}"#) }
        let path = request.path.split(separator: "?").first.map(String.init) ?? request.path
        switch (request.method, path) {
        case ("GET", "/api/2.0/mlflow/experiments/get-by-name"):
            let name = request.path.components(separatedBy: "experiment_name=").last?.removingPercentEncoding ?? ""
            lock.lock()
            let id = experiments[name]
            lock.unlock()
            guard let id else {
                return (
                    404,
                    #"{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Could not find experiment with name '\#(name)'"}"#
                )
            }
            return (200, #"{"experiment":{"experiment_id":"\#(id)","name":"\#(name)","lifecycle_stage":"active"}}"#)
        case ("POST", "/api/2.0/mlflow/experiments/create"):
            let name = request.json["name"] as? String ?? ""
            lock.lock()
            let id = String(experiments.count + 1)
            experiments[name] = id
            lock.unlock()
            return (200, #"{"experiment_id":"\#(id)"}"#)
        case ("POST", "/api/2.0/mlflow/runs/create"):
            let experiment = request.json["experiment_id"] as? String ?? ""
            return (
                200,
                #"{"run":{"info":{"run_id":"\#(Self.runID)","experiment_id":"\#(experiment)","status":"RUNNING","#
                    + #""artifact_uri":"mlflow-artifacts:/\#(experiment)/\#(Self.runID)/artifacts"},"data":{}}}"#
            )
        case ("POST", "/api/2.0/mlflow/runs/log-batch"), ("POST", "/api/2.0/mlflow/runs/update"): return (200, "{}")
        case ("PUT", _) where path.hasPrefix("/api/2.0/mlflow-artifacts/artifacts/"): return (200, "{}")
        default:
            return (404, #"{"error_code":"ENDPOINT_NOT_FOUND","message":"No API endpoint at \#(path)"}"#)
        }
    }
}
