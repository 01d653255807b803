import Foundation
import Store
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Every committed version with the cell that wrote it, in commit order: what a kill must never damage.
private func committedVersions(_ store: String) throws -> [[QueryCell]] {
    try LabStore.openReadOnly(path: store).query(
        """
        SELECT c.ordinal, o.name, v.version, v.content_hash, v.rows FROM versions v
        JOIN objects o ON o.id = v.object_id JOIN commits co ON co.id = v.commit_id JOIN cells c ON c.id = co.cell_id
        ORDER BY v.id
        """
    ).rows
}

/// The generator state and metric points saved by each commit, in commit order.
private func committedState(_ store: String) throws -> [[QueryCell]] {
    try LabStore.openReadOnly(path: store).query(
        """
        SELECT c.ordinal, b.value, (SELECT count(*) FROM metrics m WHERE m.commit_id = co.id),
               (SELECT total(value) FROM metrics m WHERE m.commit_id = co.id)
        FROM commits co JOIN cells c ON c.id = co.cell_id JOIN bindings b ON b.commit_id = co.id AND b.name = '$rng'
        ORDER BY co.id
        """
    ).rows
}

/// The latest content hash of every object of a run, by name.
private func finalHashes(_ store: String, run: Int) throws -> [[QueryCell]] {
    try LabStore.openReadOnly(path: store).query(
        """
        SELECT o.name, v.content_hash FROM objects o JOIN versions v ON v.object_id = o.id
        WHERE o.run_id = \(run) AND v.version = (SELECT max(version) FROM versions WHERE object_id = o.id)
        ORDER BY o.name
        """
    ).rows
}

private func count(_ store: String, _ sql: String) -> Int64 {
    guard let result = try? LabStore.openReadOnly(path: store).query(sql),
        case .integer(let n) = result.rows.first?.first
    else { return -1 }
    return n
}

@Suite(.serialized) struct CrashTests {
    /// SIGKILLs `rlhf run` once the store holds `commits` commits (0: as soon as the run row exists), so the kill
    /// lands inside the next cell or its transaction. Every commit before the kill must equal the same commit of an
    /// uninterrupted run, `rlhf check` must be clean, and the next writer must mark the run interrupted.
    @Test(arguments: [0, 1, 2, 4])
    func killedRunKeepsEveryCommitBeforeTheKill(commits: Int) throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write("kill.rlhf", killPointNotebook)
        let reference = cli.folder.appendingPathComponent("reference.sqlite").path
        let full = try cli("run", nb, "--quiet", "--store", reference, withStore: false)
        #expect(full.status == 0, "\(full.stderr)")
        let expectedVersions = try committedVersions(reference)
        let expectedState = try committedState(reference)
        #expect(expectedState.count == 7)

        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["run", nb, "--quiet", "--store", cli.store]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        let sql = commits == 0 ? "SELECT count(*) FROM runs" : "SELECT count(*) FROM commits"
        let target = Int64(max(commits, 1))
        while process.isRunning && count(cli.store, sql) < target && Date() < deadline {
            usleep(1_000)
        }
        let killedWhileRunning = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(killedWhileRunning, "the run finished before the kill; make the notebook longer")
        #expect(process.terminationReason == .uncaughtSignal)

        // Every commit before the kill is intact and equal to the uninterrupted run's.
        let versions = try committedVersions(cli.store)
        let state = try committedState(cli.store)
        #expect(state.count >= commits && state.count < expectedState.count)
        #expect(Array(expectedState.prefix(state.count)) == state)
        #expect(Array(expectedVersions.prefix(versions.count)) == versions)
        let check = try cli("check")
        #expect(check.status == 0 && check.stdout.hasPrefix("ok:"), "\(check.stdout)\(check.stderr)")

        // Listings show the run interrupted at once; the next writer records it.
        let listed = try cli("runs")
        #expect(listed.stdout.contains("interrupted"))
        let run = try #require(try LabStore(path: cli.store).runs().first)
        #expect(run.status == .interrupted)
        #expect(run.lastCommittedCell == (state.isEmpty ? nil : state.count))
        #expect(count(cli.store, "SELECT count(*) FROM runs WHERE status = 'interrupted'") == 1)

        // Resuming continues at the interrupted cell and ends bitwise where the uninterrupted run ended.
        let resumed = try cli("run", nb, "--resume", "1")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("resuming run 1 at cell \(state.count + 1)"))
        #expect(try finalHashes(cli.store, run: 2) == finalHashes(reference, run: 1))
        #expect(try cli("check").status == 0)
    }
}
