import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Headless Chromium driven through chromedriver's WebDriver protocol (plain HTTP and JSON), for the web view's
/// browser test. Present when Debian's `chromium` and `chromium-driver` are installed; `.ci/run` installs them.
final class Browser {
    static let driverPath = "/usr/bin/chromedriver"
    static let chromiumPath = "/usr/bin/chromium"
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: driverPath)
            && FileManager.default.isExecutableFile(atPath: chromiumPath)
    }

    private let driver = Process()
    private let port: UInt16
    private var session = ""

    init() throws {
        port = try Self.freePort()
        driver.executableURL = URL(fileURLWithPath: Self.driverPath)
        driver.arguments = ["--port=\(port)"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        let deadline = Date().addingTimeInterval(20)
        while (try? WebClient.request(port: port, method: "GET", target: "/status"))?.status != 200 {
            guard Date() < deadline else { throw WebClient.Failure("chromedriver did not start") }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let options: [String: Any] = [
            "binary": Self.chromiumPath,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
            ],
        ]
        let created = try command(
            "POST", "/session", ["capabilities": ["alwaysMatch": ["goog:chromeOptions": options]]])
        guard let id = (created as? [String: Any])?["sessionId"] as? String else {
            throw WebClient.Failure("chromedriver made no session: \(String(describing: created))")
        }
        session = id
    }

    func quit() {
        if !session.isEmpty { _ = try? command("DELETE", "/session/\(session)", nil) }
        // SIGKILL: the test runner's threads block SIGTERM, and a child inherits that mask.
        if driver.isRunning { kill(driver.processIdentifier, SIGKILL) }
        driver.waitUntilExit()
    }

    func open(_ url: String) throws { _ = try command("POST", "/session/\(session)/url", ["url": url]) }

    /// Runs `script` (a function body; `arguments[0]`… are `arguments`) in the page and returns its result.
    func run(_ script: String, _ arguments: [Any] = []) throws -> Any? {
        try command("POST", "/session/\(session)/execute/sync", ["script": script, "args": arguments])
    }

    /// Waits until `script` returns true in the page; false if it never does within `timeout` seconds.
    func wait(_ script: String, timeout: Double = 10) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try run(script) as? Bool == true { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    /// Saves the page as a PNG.
    func screenshot(to path: String) throws {
        guard let base64 = try command("GET", "/session/\(session)/screenshot", nil) as? String,
            let data = Data(base64Encoded: base64)
        else { throw WebClient.Failure("no screenshot") }
        try data.write(to: URL(fileURLWithPath: path))
    }

    /// One WebDriver command; its `value`.
    private func command(_ method: String, _ path: String, _ body: [String: Any]?) throws -> Any? {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let response = try WebClient.request(port: port, method: method, target: path, body: data)
        let json = try JSONSerialization.jsonObject(with: Data(response.body.utf8), options: .fragmentsAllowed)
        let value = (json as? [String: Any])?["value"]
        if response.status != 200 {
            throw WebClient.Failure("WebDriver \(method) \(path): \(response.status) \(response.body.prefix(300))")
        }
        return value is NSNull ? nil : value
    }

    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { throw WebClient.Failure("no free port") }
        return UInt16(bigEndian: address.sin_port)
    }
}
