import Foundation
import Testing

/// Runs the built `rlhf` executable (it sits next to the test bundle in the build folder).
struct CLI {
    typealias Result = BoundedProcess.Result

    static let executable: URL = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // macOS runs tests from inside an .xctest bundle; Linux from the build folder itself.
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("rlhf").path) {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent("rlhf")
    }()

    let folder: URL
    var store: String { folder.appendingPathComponent("lab.sqlite").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("CLITests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// Writes a notebook into the test folder and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @discardableResult
    func callAsFunction(
        _ arguments: String..., stdin: String? = nil, withStore: Bool = true,
        environment extra: [String: String] = [:]
    ) throws -> Result {
        try run(arguments, stdin: stdin, withStore: withStore, environment: extra)
    }

    /// Runs `rlhf` with `arguments` (plus `--store` on this test's store) in the test folder, feeding `stdin` if given,
    /// with `extra` added to the environment; killed after `timeout` seconds.
    func run(
        _ arguments: [String], stdin: String? = nil, withStore: Bool = true,
        environment extra: [String: String] = [:], timeout: Double = 600
    ) throws -> Result {
        try BoundedProcess.run(
            CLI.executable, arguments: arguments + (withStore ? ["--store", store] : []), in: folder, stdin: stdin,
            environment: extra, timeout: timeout)
    }

    /// The single value of a one-row, one-column query, as text.
    func scalar(_ sql: String) throws -> String {
        let r = try self("query", sql, "--csv")
        return r.stdout.split(separator: "\n").dropFirst().first.map(String.init) ?? ""
    }
}
