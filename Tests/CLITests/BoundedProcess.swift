import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a process with a time limit, capturing its output, and tells a signal death from an exit.
///
/// Every test that runs `rlhf` and waits for it goes through here (`CLI` too): both pipes are drained while the child
/// runs, so a large output cannot block it, and a hung child is killed instead of hanging the suite.
enum BoundedProcess {
    struct Result {
        var status: Int32
        var signal: Int32?
        var stdout: String
        var stderr: String
        var timedOut: Bool
    }

    static func run(
        _ executable: URL, arguments: [String], in folder: URL, stdin: String?,
        environment extra: [String: String], timeout: Double
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = folder.path
        environment.removeValue(forKey: "RLHF_STORE")
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let (out, err, input) = (Pipe(), Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        let pid = process.processIdentifier
        let timer = DispatchSource.makeTimerSource()
        nonisolated(unsafe) var timedOut = false
        timer.schedule(deadline: .now() + timeout)
        timer.setEventHandler {
            timedOut = true
            kill(pid, SIGKILL)
        }
        timer.resume()
        defer { timer.cancel() }
        DispatchQueue.global().async {
            if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
            try? input.fileHandleForWriting.close()
        }
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let signaled = process.terminationReason == .uncaughtSignal
        return Result(
            status: signaled ? -1 : process.terminationStatus, signal: signaled ? process.terminationStatus : nil,
            stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self),
            timedOut: timedOut)
    }
}
