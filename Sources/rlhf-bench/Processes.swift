import Foundation

/// Runs other programs: the `rlhf` binary built beside this one, and the Python peers.
enum Processes {
    /// The `rlhf` executable next to `rlhf-bench` in the build folder.
    static var rlhf: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rlhf")
    }

    /// Runs a program to completion; returns its exit status and standard output.
    @discardableResult
    static func run(_ executable: URL, _ arguments: [String], stdin: String = "") throws -> (
        status: Int32, output: String
    ) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let (out, input) = (Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Median wall-clock milliseconds of running `rlhf` with `arguments` (stdin read from a file holding `stdin`).
    ///
    /// Started with `posix_spawn` and output sent to /dev/null: Foundation's `Process` adds tens of milliseconds of
    /// its own on Linux, which would be charged to `rlhf`.
    static func rlhfMilliseconds(_ arguments: [String], stdin: String = "", repeats: Int) throws -> Double {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-bench-stdin-\(getpid())")
        try stdin.write(to: input, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: input) }
        var status: Int32 = 0
        let seconds = try medianSeconds(repeats) { status = try spawn(rlhf.path, arguments, stdin: input.path) }
        guard status == 0 else { throw BenchError.failed("rlhf \(arguments.joined(separator: " ")) exited \(status)") }
        return seconds * 1000
    }

    /// Runs a program with stdin from a file and stdout/stderr to /dev/null; returns its exit status.
    static func spawn(_ path: String, _ arguments: [String], stdin: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard rc == 0 else { throw BenchError.failed("cannot start \(path): error \(rc)") }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return (status >> 8) & 0xff
    }

    /// Runs a peer script with python3 and reads `key=value` figures from its output; nil when python3 or the
    /// peer's library is missing.
    static func peer(_ script: String, _ arguments: [String]) -> [String: Double]? {
        let path = "Benchmarks/peers/\(script)"
        guard FileManager.default.fileExists(atPath: path),
            let result = try? run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", path] + arguments),
            result.status == 0
        else { return nil }
        var figures: [String: Double] = [:]
        for field in result.output.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let parts = field.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let value = Double(parts[1]) { figures[String(parts[0])] = value }
        }
        return figures.isEmpty ? nil : figures
    }
}

enum BenchError: Error, CustomStringConvertible {
    case failed(String)
    var description: String {
        switch self {
        case let .failed(m): m
        }
    }
}
