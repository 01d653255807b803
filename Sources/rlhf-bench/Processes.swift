import Foundation

/// Runs other programs: the `rlhf` binary built beside this one, and the Python peers.
enum Processes {
    /// The `rlhf` executable next to `rlhf-bench` in the build folder.
    static var rlhf: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rlhf")
    }

    /// Runs a program to completion; returns its exit status and standard output.
    @discardableResult
    static func run(_ executable: URL, _ arguments: [String], stdin: String = "") throws -> (status: Int32, output: String) {
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

    /// Median wall-clock milliseconds of running `rlhf` with `arguments` (plus the given stdin).
    static func rlhfMilliseconds(_ arguments: [String], stdin: String = "", repeats: Int) throws -> Double {
        var status: Int32 = 0
        let seconds = try medianSeconds(repeats) { status = try run(rlhf, arguments, stdin: stdin).status }
        guard status == 0 else { throw BenchError.failed("rlhf \(arguments.joined(separator: " ")) exited \(status)") }
        return seconds * 1000
    }

    /// Runs a peer script with python3 and reads `key=value` figures from its output; nil when python3 or the
    /// peer's library is missing.
    static func peer(_ script: String, _ arguments: [String]) -> [String: Double]? {
        let path = "Benchmarks/peers/\(script)"
        guard FileManager.default.fileExists(atPath: path),
              let result = try? run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", path] + arguments),
              result.status == 0 else { return nil }
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
