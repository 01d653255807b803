import Foundation
import GRDB
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Seven cells of a few tens of milliseconds each in a debug build: long enough that a kill lands inside a cell or its
/// commit, short enough that sixty kill points and their recoveries fit in about a minute. The parameters cell lets
/// the `gc` fixture hold a second run whose every tensor differs (`--param seed_value=4`), so `gc` has blobs to free.
/// `CrashTests` and `ConcurrentProcessesTests` run it too.
let killPointNotebook = """
    # %% parameters
    seed_value = 3
    # %% setup id=setup
    seed(seed_value)
    task = VectorTask(dim: 16, prompts: 64, candidates: 32, test_prompts: 20, contextual: false)
    policy = PolicyModel(input: 16, hidden: 32, output: 16)
    rm = RewardModel(input: 16, hidden: 32)
    # %% feedback id=feedback
    prefs = collect(task, policy: policy, annotator: BradleyTerry(noise: 0.05), pairs: 300)
    # %% reward id=reward
    r = fit(rm, prefs, epochs: 8, lr: 1e-2, batch: 16)
    # %% tune1 id=tune1
    f = finetune(policy, rm, task, steps: 150, lr: 1e-2, kl: 0.5)
    # %% more id=more
    prefs = collect(task, policy: policy, annotator: BradleyTerry(noise: 0.05), pairs: 200, into: prefs)
    r = fit(rm, prefs, epochs: 8, lr: 1e-2, batch: 16)
    # %% tune2 id=tune2
    f = finetune(policy, rm, task, steps: 150, lr: 1e-2, kl: 0.5)
    """

/// One place to SIGKILL `rlhf`: which command, and when. Every trigger is deterministic (a count of commits a reader
/// saw, a size the write-ahead log reached, or the store file's appearance; then a fixed delay), so the schedule is
/// the same on every run of the test.
struct KillPoint: Sendable, CustomStringConvertible {
    enum Command: String, Sendable, CaseIterable {
        /// `rlhf run` on a store that does not exist yet: the kill lands in or around the store's creation.
        case create
        /// `rlhf run` on a store that holds a finished run (the reference run), as run 2.
        case run
        /// `rlhf run --resume 1` of a run that was killed after two commits.
        case resume
        /// `rlhf gc` purging a deleted run whose every blob is its own.
        case gc
        /// `rlhf gc --vacuum`: the same, then the file rebuilt.
        case vacuum = "gc --vacuum"
        /// `rlhf rollback 1/policy --to 1`.
        case rollback
    }

    enum Trigger: Sendable {
        /// Once a read-only reader sees `n` commits beyond the fixture's (0: once the new run's row exists), then after
        /// `micros` more.
        case commits(Int, micros: UInt32)
        /// Once the store's write-ahead log holds `bytes` (the command is committing), then after `micros` more.
        case logBytes(Int, micros: UInt32)
        /// Once the store file exists (creation has begun), then after `micros` more.
        case storeFile(micros: UInt32)
        /// Once a read-only reader sees the command's effect committed (gc: the deleted run purged; rollback: the new
        /// version), then after `micros` more. What a reader saw is acknowledged: it must survive the kill.
        case effectSeen(micros: UInt32)
    }

    var command: Command
    var trigger: Trigger

    var description: String {
        switch trigger {
        case .commits(let n, let micros): "\(command.rawValue) after \(n) commits + \(micros) µs"
        case .logBytes(let bytes, let micros): "\(command.rawValue) once the log holds \(bytes) B + \(micros) µs"
        case .storeFile(let micros): "\(command.rawValue) once the file exists + \(micros) µs"
        case .effectSeen(let micros): "\(command.rawValue) once a reader sees its effect + \(micros) µs"
        }
    }

    /// The schedule: 64 points over store creation, `run`, `--resume`, `gc`, `gc --vacuum` and `rollback`.
    ///
    /// The write-ahead log is the clock for commands that commit once: every writer first writes a few pages when it
    /// opens the store (about 12 KB), then its transaction (gc: ~0.45 MB for the fixture; vacuum: then ~0.4 MB more
    /// and a checkpoint that empties the log; rollback: ~50 KB; creation: its migrations, ~0.4 MB), so log sizes name
    /// points inside each phase whatever the machine's speed. A debug `rlhf` takes a few hundred milliseconds to start,
    /// so plain delays would all land before the store is opened. A commit itself takes about a millisecond to write,
    /// so points just after it are found by a reader that sees its effect.
    static let schedule: [KillPoint] =
        [0, 5_000, 20_000, 60_000, 120_000, 200_000].map {
            KillPoint(command: .create, trigger: .storeFile(micros: $0))
        }
        + [1, 100_000, 200_000, 260_000, 300_000, 330_000, 400_000].map {
            KillPoint(command: .create, trigger: .logBytes($0, micros: 0))
        }
        + (0...6).flatMap { n in
            [0, 3_000].map { KillPoint(command: .run, trigger: .commits(n, micros: $0)) }
        }
        + (0...4).flatMap { n in
            [0, 3_000].map { KillPoint(command: .resume, trigger: .commits(n, micros: $0)) }
        }
        + [1, 12_000, 200_000, 400_000].map { KillPoint(command: .gc, trigger: .logBytes($0, micros: 0)) }
        + [15_000, 40_000].map { KillPoint(command: .gc, trigger: .logBytes(12_000, micros: $0)) }
        + [0, 1_000, 5_000].map { KillPoint(command: .gc, trigger: .effectSeen(micros: $0)) }
        + [12_000, 200_000, 440_000, 600_000, 800_000].map {
            KillPoint(command: .vacuum, trigger: .logBytes($0, micros: 0))
        }
        + [KillPoint(command: .vacuum, trigger: .logBytes(12_000, micros: 30_000))]
        + [0, 10_000, 30_000].map { KillPoint(command: .vacuum, trigger: .effectSeen(micros: $0)) }
        + [1, 12_000, 30_000, 60_000].map { KillPoint(command: .rollback, trigger: .logBytes($0, micros: 0)) }
        + [15_000, 40_000].map { KillPoint(command: .rollback, trigger: .logBytes(12_000, micros: $0)) }
        + [0, 1_000, 5_000].map { KillPoint(command: .rollback, trigger: .effectSeen(micros: $0)) }
}

/// What one commit recorded, as text an interrupted and an uninterrupted run must agree on bit for bit: its cell's
/// ordinal; each version's object, number, content hash and rows; every binding (`$rng` included; an object binding
/// by the content hash of the version it names); its metric points' count and exact sum; and the feedback rows its
/// versions added.
struct CommitPrint: Equatable, Sendable, CustomStringConvertible {
    var id: Int64
    var run: Int64
    var ordinal: Int64
    var text: String

    var description: String { "commit \(id) (run \(run), cell \(ordinal)): \(text.prefix(300))" }

    /// The prints of every commit made by a cell, in commit order. Reads the store's tables directly (not through
    /// `rlhf query`), so the fingerprint does not depend on what the query command allows.
    static func all(in path: String) throws -> [CommitPrint] {
        try readOnly(path) { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT co.id, co.run_id, c.ordinal,
                      coalesce((SELECT group_concat(x, ';') FROM (
                        SELECT o.name || '@' || v.version || '=' || v.content_hash || '/' || coalesce(v.rows, '-') AS x
                        FROM versions v JOIN objects o ON o.id = v.object_id
                        WHERE v.commit_id = co.id ORDER BY v.id)), '')
                      || ' | ' || coalesce((SELECT group_concat(x, ';') FROM (
                        SELECT b.name || '=' || coalesce(b.value, '')
                          || coalesce('#' || (SELECT content_hash FROM versions WHERE id = b.version_id), '') AS x
                        FROM bindings b WHERE b.commit_id = co.id ORDER BY b.name)), '')
                      || ' | ' || (SELECT count(*) || ':' || printf('%.17g', total(value)) FROM metrics m
                                   WHERE m.commit_id = co.id)
                      || ' | ' || (SELECT count(*) || ':' || coalesce(min(f.row_hash), '') || ':'
                                          || coalesce(max(f.row_hash), '')
                                   FROM feedback f JOIN versions v ON v.id = f.added_in WHERE v.commit_id = co.id)
                    FROM commits co JOIN cells c ON c.id = co.cell_id
                    ORDER BY co.id
                    """
            ).map { CommitPrint(id: $0[0], run: $0[1], ordinal: $0[2], text: $0[3]) }
        }
    }
}

/// Opens a store read-only with GRDB and reads it.
private func readOnly<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
    var config = Configuration()
    config.readonly = true
    let queue = try DatabaseQueue(path: path, configuration: config)
    defer { try? queue.close() }
    return try queue.read(body)
}

/// The latest content hash of every object of a run, by name.
private func finalHashes(_ path: String, run: Int64) throws -> [String: String] {
    try readOnly(path) { db in
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT o.name, v.content_hash FROM objects o JOIN versions v ON v.object_id = o.id
                WHERE o.run_id = ? AND v.version = (SELECT max(version) FROM versions WHERE object_id = o.id)
                """, arguments: [run])
        return Dictionary(uniqueKeysWithValues: rows.map { ($0[0] as String, $0[1] as String) })
    }
}

private func scalar(_ path: String, _ sql: String) throws -> Int64 {
    try readOnly(path) { db in try Int64.fetchOne(db, sql: sql) ?? 0 }
}

/// Folds the write-ahead log into the file, so that copying the one file copies the whole store.
private func foldLog(_ path: String) throws {
    let queue = try DatabaseQueue(path: path)
    try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    try queue.close()
}

/// The stores every kill point starts from, built once per test process.
struct KillFixtures: Sendable {
    var folder: URL
    var notebook: String
    /// Run 1: the notebook, uninterrupted.
    var reference: String
    /// The reference run's commits by cell ordinal.
    var referenceByCell: [Int64: CommitPrint]
    var referenceFinal: [String: String]
    /// The content hash of `1/policy@1`, what `rollback 1/policy --to 1` restores.
    var policyV1: String
    /// Run 1 killed after its second commit.
    var resumeFixture: String
    /// Run 1 (`seed_value=4`, deleted with `rlhf rm`) and run 2 (the reference).
    var gcFixture: String

    private static let built: Result<KillFixtures, any Error> = Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("KillFixtures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let notebook = folder.appendingPathComponent("kill.rlhf").path
        try killPointNotebook.write(toFile: notebook, atomically: true, encoding: .utf8)
        func rlhf(_ arguments: [String]) throws {
            let result = try BoundedProcess.run(
                CLI.executable, arguments: arguments, in: folder, stdin: nil, environment: [:], timeout: 120)
            guard result.status == 0 else { throw FixtureError(message: "rlhf \(arguments): \(result.stderr)") }
        }
        let reference = folder.appendingPathComponent("reference.sqlite").path
        try rlhf(["run", notebook, "--quiet", "--store", reference])
        try foldLog(reference)

        let gc = folder.appendingPathComponent("gc.sqlite").path
        try rlhf(["run", notebook, "--quiet", "--param", "seed_value=4", "--store", gc])
        try rlhf(["run", notebook, "--quiet", "--store", gc])
        try rlhf(["rm", "1", "--store", gc])
        try foldLog(gc)

        let resume = folder.appendingPathComponent("resume.sqlite").path
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["run", notebook, "--quiet", "--store", resume]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline
            && ((try? scalar(resume, "SELECT count(*) FROM commits")) ?? 0) < 2
        {
            usleep(500)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        guard try scalar(resume, "SELECT count(*) FROM commits") < 7 else {
            throw FixtureError(message: "the run finished before the kill; make the notebook longer")
        }
        try foldLog(resume)

        let prints = try CommitPrint.all(in: reference)
        return KillFixtures(
            folder: folder, notebook: notebook, reference: reference,
            referenceByCell: Dictionary(uniqueKeysWithValues: prints.map { ($0.ordinal, $0) }),
            referenceFinal: try finalHashes(reference, run: 1),
            policyV1: try readOnly(reference) { db in
                try String.fetchOne(
                    db,
                    sql: """
                        SELECT v.content_hash FROM versions v JOIN objects o ON o.id = v.object_id
                        WHERE o.run_id = 1 AND o.name = 'policy' AND v.version = 1
                        """) ?? ""
            },
            resumeFixture: resume, gcFixture: gc)
    }

    struct FixtureError: Error { var message: String }

    static func get() throws -> KillFixtures { try built.get() }
}

/// Counts of the kill test, printed for the README's "Reliability" section.
final class KillTally: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var points: [KillPoint.Command: Int] = [:]
    /// Kills that landed while `rlhf` was running.
    private(set) var faults = 0
    /// Of those, the ones after which every check passed.
    private(set) var survived = 0
    /// Points whose command finished before its trigger (nothing was killed; the store is still checked).
    private(set) var endedFirst = 0
    private(set) var failures: [String] = []

    /// For each command, where its kills left the store (e.g. "3 cell commits": 2 points), to show the spread.
    private(set) var states: [KillPoint.Command: [String: Int]] = [:]

    func record(_ point: KillPoint, landed: Bool, state: String, failures found: [String]) {
        lock.lock()
        defer { lock.unlock() }
        points[point.command, default: 0] += 1
        states[point.command, default: [:]][landed ? state : "ended first", default: 0] += 1
        if landed {
            faults += 1
            if found.isEmpty { survived += 1 }
        } else {
            endedFirst += 1
        }
        failures += found.map { "\(point): \($0)" }
    }
}

@Suite struct KillTests {
    /// SIGKILLs `rlhf` at every point of ``KillPoint/schedule`` (two at a time; each point is its own folder and
    /// processes). After each kill: every commit a reader saw or the command printed is there, every commit equals the
    /// same cell's commit of the uninterrupted run, `rlhf check` is clean, and finishing the job (`--resume` of the
    /// killed run, `gc` or `rollback` again) ends bitwise where the uninterrupted job ends.
    @Test func everyKillPointLosesNothing() throws {
        let fixtures = try KillFixtures.get()
        defer { try? FileManager.default.removeItem(at: fixtures.folder) }
        let points = KillPoint.schedule
        let tally = KillTally()
        let jobs = max(1, Int(ProcessInfo.processInfo.environment["RLHF_KILL_JOBS"] ?? "") ?? 2)
        let next = NSLock()
        nonisolated(unsafe) var index = 0
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            while true {
                next.lock()
                let i = index
                index += 1
                next.unlock()
                guard i < points.count else { return }
                let (landed, state, failures) = KillPointRun(point: points[i], fixtures: fixtures).perform()
                tally.record(points[i], landed: landed, state: state, failures: failures)
            }
        }
        for failure in tally.failures { Issue.record("\(failure)") }
        let byCommand = KillPoint.Command.allCases.map { "\($0.rawValue) \(tally.points[$0] ?? 0)" }
        print(
            "kill test: \(points.count) kill points (\(byCommand.joined(separator: ", "))); \(tally.faults) faults "
                + "(kills that landed while rlhf ran), \(tally.survived) survived; \(tally.endedFirst) ended before "
                + "their kill point; \(tally.failures.count) failed checks")
        for command in KillPoint.Command.allCases {
            let spread = (tally.states[command] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }
            print("  \(command.rawValue): \(spread.joined(separator: ", "))")
        }
        #expect(points.count >= 50)
        #expect(tally.faults >= 40, "too few kills landed while rlhf ran: \(tally.faults)")
    }
}

/// One kill point, start to finish, in its own folder.
private struct KillPointRun {
    var point: KillPoint
    var fixtures: KillFixtures

    /// Runs the command, kills it at the point, checks the store and finishes the job; returns whether the kill
    /// landed while the command ran, where it left the store, and every check that failed.
    func perform() -> (landed: Bool, state: String, failures: [String]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("Kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var failures: [String] = []
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let store = folder.appendingPathComponent("lab.sqlite").path
            let fixture: String? =
                switch point.command {
                case .create: nil
                case .run, .rollback: fixtures.reference
                case .resume: fixtures.resumeFixture
                case .gc, .vacuum: fixtures.gcFixture
                }
            if let fixture { try FileManager.default.copyItem(atPath: fixture, toPath: store) }
            let before = fixture == nil ? [] : try CommitPrint.all(in: store)
            let fixtureCommits = fixture == nil ? 0 : Int(try scalar(store, "SELECT count(*) FROM commits"))
            let killed = try interrupt(store: store, in: folder, fixtureCommits: fixtureCommits)
            let state = try check(store: store, before: before, killed: killed, failures: &failures)
            if killed.landed { try finish(store: store, in: folder, before: before, failures: &failures) }
            return (killed.landed, state, failures)
        } catch {
            return (false, "error", failures + ["\(error)"])
        }
    }

    struct Killed {
        var landed: Bool
        /// Commit ids a reader saw before the kill or the command printed (`✓ commit N`).
        var acknowledged: Set<Int64>
        /// What the command printed before it died: a printed result is acknowledged too.
        var printed: [String]
        /// Whether a reader saw the command's effect committed before the kill (see ``KillPoint/Trigger/effectSeen``).
        var effectSeen: Bool
    }

    /// Whether the gc's purge or the rollback's new version is committed.
    private func effectCommitted(_ store: String) throws -> Bool {
        switch point.command {
        case .gc, .vacuum: try scalar(store, "SELECT count(*) FROM runs WHERE id = 1") == 0
        case .rollback: try policyVersions(store).count == 4
        case .create, .run, .resume: false
        }
    }

    private var arguments: [String] {
        switch point.command {
        case .create, .run: ["run", fixtures.notebook]
        case .resume: ["run", fixtures.notebook, "--resume", "1"]
        case .gc: ["gc"]
        case .vacuum: ["gc", "--vacuum"]
        case .rollback: ["rollback", "1/policy", "--to", "1"]
        }
    }

    private func interrupt(store: String, in folder: URL, fixtureCommits: Int) throws -> Killed {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments + ["--store", store]
        process.currentDirectoryURL = folder
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let reading = DispatchGroup()
        nonisolated(unsafe) var printed = Data()
        try process.run()
        DispatchQueue.global().async(group: reading) { printed = out.fileHandleForReading.readDataToEndOfFile() }
        let deadline = Date().addingTimeInterval(60)
        var seen: Set<Int64> = []
        var effectSeen = false
        switch point.trigger {
        case .storeFile(let micros):
            while process.isRunning && Date() < deadline && !FileManager.default.fileExists(atPath: store) {
                usleep(100)
            }
            usleep(micros)
        case .effectSeen(let micros):
            while process.isRunning && Date() < deadline {
                if (try? effectCommitted(store)) == true {
                    effectSeen = true
                    break
                }
                usleep(200)
            }
            usleep(micros)
        case .commits(let n, let micros):
            let fixtureRuns = (try? scalar(store, "SELECT count(*) FROM runs")) ?? 0
            while process.isRunning && Date() < deadline {
                let counts = try? readOnly(store) { db in
                    (
                        try Int64.fetchOne(db, sql: "SELECT count(*) FROM runs") ?? 0,
                        try Int64.fetchAll(db, sql: "SELECT id FROM commits")
                    )
                }
                if let counts {
                    seen = Set(counts.1)
                    if n == 0 ? counts.0 > fixtureRuns : counts.1.count >= fixtureCommits + n { break }
                }
                usleep(500)
            }
            usleep(micros)
        case .logBytes(let bytes, let micros):
            while process.isRunning && Date() < deadline {
                var info = stat()
                if stat(store + "-wal", &info) == 0 && Int(info.st_size) >= bytes { break }
                usleep(100)
            }
            usleep(micros)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        reading.wait()
        let lines = String(decoding: printed, as: UTF8.self).split(separator: "\n")
        let acknowledged = lines.compactMap { line -> Int64? in
            guard let range = line.range(of: "✓ commit ") else { return nil }
            return Int64(line[range.upperBound...].prefix(while: \.isNumber))
        }
        return Killed(
            landed: process.terminationReason == .uncaughtSignal, acknowledged: seen.union(acknowledged),
            printed: lines.map(String.init), effectSeen: effectSeen)
    }

    /// What must hold right after the kill, before anything else touches the store. Returns where the kill left the
    /// store, in a few words (how far the command got), for the tally.
    private func check(
        store: String, before: [CommitPrint], killed: Killed, failures: inout [String]
    ) throws -> String {
        guard FileManager.default.fileExists(atPath: store) else {
            if point.command != .create { failures.append("the store is gone") }
            if !killed.acknowledged.isEmpty { failures.append("acknowledged commits \(killed.acknowledged) are gone") }
            return "no store file"
        }
        let sound = try rlhf(["check"], store: store)
        guard sound.status == 0 && sound.stdout.hasPrefix("ok:") else {
            failures.append("rlhf check after the kill: exit \(sound.status): \(sound.stdout)\(sound.stderr)")
            return "not a store"
        }
        let after = try CommitPrint.all(in: store)
        // Every commit counts here, those without a cell too (a resumed run's restore, a rollback).
        let ids = Set(try readOnly(store) { db in try Int64.fetchAll(db, sql: "SELECT id FROM commits") })
        let lost = killed.acknowledged.subtracting(ids)
        if !lost.isEmpty { failures.append("acknowledged commits lost: \(lost.sorted())") }
        // Every commit the fixture held is still there and unchanged, except that gc may have purged the deleted run,
        // all of it or none of it.
        let purgeable: Int64? = point.command == .gc || point.command == .vacuum ? 1 : nil
        let kept = before.filter { $0.run != purgeable }
        let afterByID = Dictionary(uniqueKeysWithValues: after.map { ($0.id, $0) })
        for commit in kept where afterByID[commit.id] != commit {
            let now = afterByID[commit.id].map(String.init(describing:)) ?? "nothing"
            failures.append("fixture \(commit) became \(now)")
        }
        if let purgeable {
            let acknowledged = killed.effectSeen || killed.printed.contains { $0.hasPrefix("removed:") }
            if acknowledged && after.contains(where: { $0.run == 1 }) {
                failures.append("the purge was seen or reported but run 1's commits are still there")
            }
            let left = after.filter { $0.run == purgeable }.count
            let had = before.filter { $0.run == purgeable }.count
            if left != 0 && left != had {
                failures.append("gc purged \(had - left) of the deleted run's \(had) commits")
            }
        }
        // Every new commit equals the uninterrupted run's commit of the same cell.
        let fixtureIDs = Set(before.map(\.id))
        for commit in after where !fixtureIDs.contains(commit.id) {
            let expected = fixtures.referenceByCell[commit.ordinal]
            if expected?.text != commit.text {
                let reference = expected.map(String.init(describing:)) ?? "nothing"
                failures.append("\(commit) differs from the uninterrupted run's \(reference)")
            }
        }
        if point.command == .rollback {
            let versions = try policyVersions(store)
            if (killed.effectSeen || killed.printed.contains { $0.contains("= v1") }) && versions.count != 4 {
                failures.append("the rollback was seen or reported but 1/policy has \(versions.count) versions")
            }
            if versions.count == 4 && versions.last != fixtures.policyV1 {
                failures.append("the rollback's version is \(versions.last ?? "") not v1's \(fixtures.policyV1)")
            } else if versions.count != 3 && versions.count != 4 {
                failures.append("1/policy has \(versions.count) versions after a killed rollback")
            }
            return versions.count == 4 ? "rolled back" : "not rolled back"
        }
        if let purgeable { return after.contains { $0.run == purgeable } ? "run 1 kept" : "run 1 purged" }
        let made = after.count - before.count
        return "\(made) cell commit\(made == 1 ? "" : "s")"
    }

    /// Finishes what the kill interrupted and checks that it ends where the uninterrupted job ends.
    private func finish(store: String, in folder: URL, before: [CommitPrint], failures: inout [String]) throws {
        switch point.command {
        case .create, .run, .resume:
            let exists = FileManager.default.fileExists(atPath: store)
            let fixtureRuns = Int64(Set(before.map(\.run)).count)
            // A file without the store's tables (a creation cut short) has no runs.
            let latest = exists ? (try? scalar(store, "SELECT coalesce(max(id), 0) FROM runs")) ?? 0 : 0
            // The killed run, if its row was written; resuming it continues after its last commit. Without it, the
            // notebook runs again from the start.
            let killedRun: Int64? = point.command == .resume ? max(latest, 1) : (latest > fixtureRuns ? latest : nil)
            let resume = killedRun.map { ["--resume", String($0)] } ?? []
            let finished = try rlhf(["run", fixtures.notebook, "--quiet"] + resume, store: store)
            if finished.status != 0 {
                failures.append("finishing (resume of \(killedRun.map(String.init) ?? "nothing")): \(finished.stderr)")
                return
            }
            let last = try scalar(store, "SELECT max(id) FROM runs")
            let final = try finalHashes(store, run: last)
            if final != fixtures.referenceFinal {
                failures.append("run \(last) ends with \(final), the uninterrupted run with \(fixtures.referenceFinal)")
            }
        case .gc, .vacuum:
            let again = try rlhf(arguments, store: store)
            if again.status != 0 { failures.append("gc again: \(again.stderr)") }
            if try scalar(store, "SELECT count(*) FROM runs WHERE id = 1") != 0 {
                failures.append("the deleted run 1 is still there after gc")
            }
            if try finalHashes(store, run: 2) != fixtures.referenceFinal {
                failures.append("run 2 no longer ends where the uninterrupted run ends")
            }
        case .rollback:
            if try policyVersions(store).count == 3 {
                let again = try rlhf(arguments, store: store)
                if again.status != 0 { failures.append("rollback again: \(again.stderr)") }
            }
            if try policyVersions(store).last != fixtures.policyV1 {
                failures.append("1/policy is not back at v1 after the rollback")
            }
        }
        let sound = try rlhf(["check"], store: store)
        if sound.status != 0 || !sound.stdout.hasPrefix("ok:") {
            failures.append("rlhf check after finishing: exit \(sound.status): \(sound.stdout)\(sound.stderr)")
        }
    }

    private func policyVersions(_ store: String) throws -> [String] {
        try readOnly(store) { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT v.content_hash FROM versions v JOIN objects o ON o.id = v.object_id
                    WHERE o.run_id = 1 AND o.name = 'policy' ORDER BY v.version
                    """)
        }
    }

    private func rlhf(_ arguments: [String], store: String) throws -> BoundedProcess.Result {
        try BoundedProcess.run(
            CLI.executable, arguments: arguments + ["--store", store], in: fixtures.folder, stdin: nil,
            environment: [:], timeout: 120)
    }
}
