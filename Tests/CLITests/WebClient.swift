import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `rlhf serve` started on a free loopback port, stopped when the test is done.
final class ServedStore {
    let process = Process()
    let port: UInt16
    private let output = Pipe()

    /// Starts `rlhf serve --port 0 ARGS --store STORE` and waits for its `serving … at URL` line.
    init(store: String, arguments: [String] = []) throws {
        process.executableURL = CLI.executable
        process.arguments = ["serve", "--port", "0", "--store", store] + arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: #"127\.0\.0\.1:(\d+)/"#, options: .regularExpression),
            let port = UInt16(text[range].dropFirst("127.0.0.1:".count).dropLast())
        else {
            process.terminate()
            throw WebClient.Failure("rlhf serve printed no address: \(text)")
        }
        self.port = port
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    func get(_ target: String, headers: [String: String] = [:]) throws -> WebClient.Response {
        try WebClient.get(port: port, target: target, headers: headers)
    }
}

/// HTTP/1.1 over a plain loopback socket: what a test needs of a browser, with nothing of libcurl in between.
enum WebClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    struct Response {
        var status: Int
        /// Header names in lower case.
        var headers: [String: String]
        var body: String
    }

    static func connect(port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw Failure("cannot connect to 127.0.0.1:\(port)")
        }
        return fd
    }

    static func send(
        _ fd: Int32, method: String = "GET", target: String, headers: [String: String], body: Data? = nil
    ) {
        var request = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        if let body { request += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8) + Array(body ?? Data())
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            sent += n
        }
    }

    /// Reads what arrives within `timeout` seconds, or until the server closes.
    static func read(_ fd: Int32, timeout: Double, until done: (Data) -> Bool = { _ in false }) -> Data {
        var data = Data()
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline && !done(data) {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000)))
            if ready <= 0 { break }
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        return data
    }

    static func get(port: UInt16, target: String, headers: [String: String] = [:]) throws -> Response {
        try request(port: port, method: "GET", target: target, headers: headers)
    }

    static func request(
        port: UInt16, method: String, target: String, headers: [String: String] = [:], body: Data? = nil
    ) throws -> Response {
        let fd = try connect(port: port)
        defer { close(fd) }
        send(fd, method: method, target: target, headers: headers, body: body)
        return try parse(read(fd, timeout: 60, until: complete))
    }

    /// Whether `data` holds a whole response: headers, then Content-Length bytes or the last chunk.
    static func complete(_ data: Data) -> Bool {
        guard let split = data.range(of: Data("\r\n\r\n".utf8)) else { return false }
        let head = String(decoding: data[..<split.lowerBound], as: UTF8.self).lowercased()
        if let line = head.components(separatedBy: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
            let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
        {
            return data.distance(from: split.upperBound, to: data.endIndex) >= length
        }
        return data.suffix(5) == Data("0\r\n\r\n".utf8)
    }

    static func parse(_ data: Data) throws -> Response {
        guard let split = data.range(of: Data("\r\n\r\n".utf8)) else {
            throw Failure("no HTTP response: \(String(decoding: data, as: UTF8.self).prefix(200))")
        }
        let head = String(decoding: data[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(head[0].split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        var body = Data(data[split.upperBound...])
        if headers["transfer-encoding"] == "chunked" { body = dechunk(body) }
        return Response(status: status, headers: headers, body: String(decoding: body, as: UTF8.self))
    }

    /// The payload of a chunked body (as much of it as arrived).
    static func dechunk(_ data: Data) -> Data {
        var out = Data(), rest = data[...]
        while let lineEnd = rest.range(of: Data("\r\n".utf8)) {
            guard let size = Int(String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self), radix: 16), size > 0
            else { break }
            let start = lineEnd.upperBound
            guard rest.distance(from: start, to: rest.endIndex) >= size else {
                out.append(rest[start...])
                break
            }
            let end = rest.index(start, offsetBy: size)
            out.append(rest[start..<end])
            rest = rest[rest.index(end, offsetBy: min(2, rest.distance(from: end, to: rest.endIndex)))...]
        }
        return out
    }
}
