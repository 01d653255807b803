import Foundation
import Testing

/// SIGINT, SIGTERM and `--cell-timeout` during `rlhf run`, on the debug and the release build: the running cell stops
/// at its next check point, is rolled back and recorded `cancelled` with its output so far, the run is recorded
/// `cancelled`, everything printed before the signal reaches the pipe, and the exit code says why.
@Suite(.serialized) struct RunCancellationTests {
    static let setup = """
        # %% setup id=setup
        seed(3)
        task = VectorTask(dim: 8, prompts: 32, candidates: 16, test_prompts: 10, contextual: false)
        p = PolicyModel(input: 8, hidden: 8, output: 8)
        rm = RewardModel(input: 8, hidden: 8)
        sp = SamplingPolicy(task, hidden: 8)
        prefs = collect(task, annotator: BradleyTerry(), pairs: 64)
        ens = RewardEnsemble(input: 8, hidden: 8, members: 2)
        mt = ModerationTask(dim: 8, items: 50, test_items: 20)
        n = 0
        """

    /// One long cell per kind of check point: every long built-in, and the language's loops and calls.
    static let longCells = [
        "finetune(p, rm, task, steps: 1000000, lr: 1e-3)",
        "prefs = collect(task, policy: p, annotator: BradleyTerry(), pairs: 5000000)",
        "fit(rm, prefs, epochs: 100000, batch: 1)",
        "fit(ens, prefs, epochs: 100000, batch: 1)",
        "while true { n = n + 1 }",
        "for i in range(100000) { for j in range(100000) { n = n + 1 } }",
        "fn f(k) { return k + 1 }\nwhile true { n = f(n) }",
        "rloo(sp, rm, task, steps: 1000000)",
        "ppo(sp, rm, task, steps: 1000000)",
        "dpo(sp, prefs, task, epochs: 100000, batch: 1)",
        "collect(mt, annotator: BradleyTerry(), pairs: 4000000)",
        "overoptimization(p, rm, task, steps: 1000000, every: 1000)",
    ]

    struct Case: Sendable, CustomTestStringConvertible {
        var build: Build
        var cell: String
        var testDescription: String { "\(build.name): \(cell.prefix(40))" }
    }

    static var sigintCases: [Case] { Build.all.flatMap { b in longCells.map { Case(build: b, cell: $0) } } }

    @Test(arguments: sigintCases)
    func sigintCancelsTheRunningCellRecordsItAndExits130(_ c: Case) throws {
        let r = try RunningNotebook(
            build: c.build, cells: [Self.setup, "# %% long id=long\nprint(\"started\")\n" + c.cell])
        defer { r.cli.remove() }
        #expect(r.waitForOutput("started"), "\(c.testDescription): 'started' never reached the pipe")
        Thread.sleep(forTimeInterval: 0.3)
        r.process.interrupt()
        let status = r.wait()
        #expect(status == 130, "\(c.testDescription)\n\(r.stderr)")
        #expect(r.stdout.contains("started"))
        #expect(r.stderr.contains("nb.rlhf:") && r.stderr.contains("error: cancelled"), "\(r.stderr)")
        #expect(r.stderr.contains("run 1 cancelled at cell 2 ('long')"), "\(r.stderr)")
        try r.expectRecordedCancelled(error: "error: cancelled")
    }

    @Test(arguments: Build.all)
    func sigtermCancelsTheSameWayAndExits143(_ build: Build) throws {
        let r = try RunningNotebook(
            build: build, cells: [Self.setup, "# %% long id=long\nprint(\"started\")\nwhile true { n = n + 1 }"])
        defer { r.cli.remove() }
        #expect(r.waitForOutput("started"))
        kill(r.process.processIdentifier, SIGTERM)
        #expect(r.wait() == 143, "\(r.stderr)")
        #expect(r.stderr.contains("error: cancelled by SIGTERM"), "\(r.stderr)")
        try r.expectRecordedCancelled(error: "error: cancelled by SIGTERM")
    }

    @Test(arguments: Build.all)
    func aCellPastCellTimeoutIsCancelledAndExits124(_ build: Build) throws {
        let r = try RunningNotebook(
            build: build,
            cells: [Self.setup, "# %% long id=long\nprint(\"started\")\nfinetune(p, rm, task, steps: 1000000)"],
            extra: ["--cell-timeout", "1"])
        defer { r.cli.remove() }
        #expect(r.wait() == 124, "\(r.stderr)")
        #expect(r.stderr.contains("nb.rlhf:13:9: error: cell exceeded --cell-timeout 1 s"), "\(r.stderr)")
        try r.expectRecordedCancelled(error: "error: cell exceeded --cell-timeout 1 s")
    }

    @Test func withContinueOnErrorATimedOutCellIsRecordedAndTheRunGoesOn() throws {
        let r = try RunningNotebook(
            build: .debug,
            cells: [
                Self.setup, "# %% long id=long\nprint(\"started\")\nwhile true { n = n + 1 }",
                "# %% after id=after\nprint(\"after\", n)",
            ],
            extra: ["--cell-timeout", "0.5", "--continue-on-error"])
        defer { r.cli.remove() }
        #expect(r.wait() == 1, "\(r.stderr)")
        #expect(r.stdout.contains("after 0"))
        #expect(
            try r.cli.scalar("SELECT group_concat(status, '|') FROM (SELECT status FROM cells ORDER BY id)")
                == "ok|cancelled|ok")
        #expect(try r.cli.scalar("SELECT status FROM runs") == "failed")
    }

    /// A second signal while the first is being acted on exits at once, and the store is still sound.
    @Test(arguments: Build.all)
    func aSecondSigintExitsAtOnceAndLeavesTheStoreConsistent(_ build: Build) throws {
        let r = try RunningNotebook(
            build: build, cells: [Self.setup, "# %% long id=long\nprint(\"started\")\nwhile true { n = n + 1 }"])
        defer { r.cli.remove() }
        #expect(r.waitForOutput("started"))
        r.process.interrupt()
        r.process.interrupt()
        #expect(r.wait() == 130, "\(r.stderr)")
        let check = try r.cli("check")
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let status = try r.cli.scalar("SELECT status FROM runs")
        #expect(status == "cancelled" || status == "running", "run status \(status)")
        #expect(try r.cli.scalar("SELECT count(*) FROM cells WHERE status = 'ok'") == "1")
    }

    @Test(arguments: ["0", "-1", "nan", "inf", "1e300"])
    func cellTimeoutMustBeAPositiveNumberOfSeconds(_ value: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        let notebook = try cli.write("nb.rlhf", "# %% a\nprint(1)\n")
        let r = try cli("run", notebook, "--cell-timeout=\(value)")
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("--cell-timeout must be a number of seconds > 0"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.store))
    }
}

/// `rlhf run nb.rlhf` started in the background, its standard output and error collected as they arrive.
final class RunningNotebook: @unchecked Sendable {
    let cli: CLI
    let process = Process()
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()

    init(build: Build, cells: [String], extra: [String] = []) throws {
        cli = try CLI()
        let notebook = try cli.write("nb.rlhf", cells.joined(separator: "\n") + "\n")
        process.executableURL = build.executable
        process.arguments = ["run", notebook, "--store", cli.store] + extra
        process.currentDirectoryURL = cli.folder
        let (stdout, stderr) = (Pipe(), Pipe())
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        stdout.fileHandleForReading.readabilityHandler = { [self] handle in
            let data = handle.availableData
            lock.withLock { out.append(data) }
        }
        stderr.fileHandleForReading.readabilityHandler = { [self] handle in
            let data = handle.availableData
            lock.withLock { err.append(data) }
        }
        try process.run()
    }

    var stdout: String { lock.withLock { String(decoding: out, as: UTF8.self) } }
    var stderr: String { lock.withLock { String(decoding: err, as: UTF8.self) } }

    /// Waits until standard output holds `text` (it reaches the pipe only if rlhf flushes each line).
    func waitForOutput(_ text: String, timeout: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if stdout.contains(text) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// Waits for exit (killing the process after `timeout` seconds) and returns its exit status.
    func wait(timeout: Double = 60) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            Issue.record("rlhf run did not exit within \(timeout) s; stderr:\n\(stderr)")
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        Thread.sleep(forTimeInterval: 0.1)  // the last bytes of the pipes
        return process.terminationStatus
    }

    /// The long cell (cell 2) is recorded cancelled with its output so far and the error; the run is cancelled; the
    /// setup cell is the only commit.
    func expectRecordedCancelled(error: String) throws {
        #expect(try cli.scalar("SELECT status FROM runs WHERE id = 1") == "cancelled")
        #expect(try cli.scalar("SELECT status || ':' || output FROM cells WHERE ordinal = 2") == "cancelled:started")
        #expect(try cli.scalar("SELECT instr(error, '\(error)') > 0 FROM cells WHERE ordinal = 2") == "1")
        #expect(try cli.scalar("SELECT count(*) FROM commits") == "1")
        #expect(try cli.scalar("SELECT count(*) FROM metrics") == "0")
    }
}
