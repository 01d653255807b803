@preconcurrency import CReadline
import Foundation
import Notebook

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a sweep's runs as `rlhf run` processes on one store, up to `jobs` at once, printing a line as each ends.
/// The store takes concurrent writers (WAL, a busy timeout, a lock per run), so the runs need nothing else.
///
/// SIGINT and SIGTERM are passed on to the running runs (each cancels its cell and records it, as `rlhf run` does;
/// the runs are in process groups of their own, so a terminal's Ctrl-C reaches them only this way), and no further
/// run starts; the sweep then exits 130 or 143.
struct SweepProcesses {
    let store: String
    let file: String
    let sweep: Int64
    let plan: SweepPlan
    let jobs: Int

    struct Outcome {
        var failures = 0
        /// 130 or 143 when a run was cancelled by a signal: no further run was started.
        var cancelledExit: Int32?
    }

    private struct Running {
        var process: Process
        var point: Int
        var seed: Int?
        var errors: URL
        var started: ContinuousClock.Instant
    }

    /// This executable, to start the runs with.
    static var executable: URL {
        let proc = URL(fileURLWithPath: "/proc/self/exe")
        if FileManager.default.fileExists(atPath: proc.path) { return proc.resolvingSymlinksInPath() }
        return Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
    }

    func run(_ todo: [(point: Int, seed: Int?)], print line: (String) -> Void) throws -> Outcome {
        var outcome = Outcome()
        var queue = todo[...]
        var running: [Running] = []
        var done = 0
        let clock = ContinuousClock()
        rlhf_install_run_signal_handlers()
        while (!queue.isEmpty && outcome.cancelledExit == nil) || !running.isEmpty {
            let signals =
                Array(repeating: SIGINT, count: Int(rlhf_take_sigint()))
                + Array(repeating: SIGTERM, count: Int(rlhf_take_sigterm()))
            for signal in signals {
                outcome.cancelledExit = outcome.cancelledExit ?? 128 + signal
                for run in running where run.process.isRunning { kill(run.process.processIdentifier, signal) }
            }
            while running.count < jobs, outcome.cancelledExit == nil, let next = queue.popFirst() {
                running.append(try start(next.point, next.seed, clock: clock))
            }
            guard !running.isEmpty else { continue }
            guard let index = running.firstIndex(where: { !$0.process.isRunning }) else {
                usleep(20_000)
                continue
            }
            let ended = running.remove(at: index)
            done += 1
            let status = ended.process.terminationStatus
            let seconds =
                Double((clock.now - ended.started).components.seconds)
                + Double((clock.now - ended.started).components.attoseconds) * 1e-18
            let what = "[\(done)/\(todo.count)] \(plan.label(point: ended.point, seed: ended.seed))"
            let errors = (try? String(contentsOf: ended.errors, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(at: ended.errors)
            switch status {
            case 0:
                line("\(what): succeeded (\(String(format: "%.1f", seconds)) s)")
            case 130, 143:
                outcome.cancelledExit = outcome.cancelledExit ?? status
                line("\(what): cancelled; no further run is started (run the command again to resume)")
            default:
                outcome.failures += 1
                let last = errors.split(separator: "\n").last(where: { $0.contains("error") }) ?? "exit code \(status)"
                line("\(what): failed: \(last)")
            }
        }
        return outcome
    }

    private func start(_ point: Int, _ seed: Int?, clock: ContinuousClock) throws -> Running {
        let process = Process()
        process.executableURL = Self.executable
        let member = "\(sweep):\(point)" + (seed.map { ":\($0)" } ?? "")
        process.arguments =
            ["run", file, "--store", store, "--quiet", "--sweep-member", member]
            + plan.arguments(point: point, seed: seed)
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-sweep-\(UUID().uuidString)")
        // A file that could not be made is reported by FileHandle(forWritingTo:) below, with its reason.
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Running(process: process, point: point, seed: seed, errors: errors, started: clock.now)
    }
}
