import Foundation
import Store
import Testing

/// Separate `rlhf` processes on one store: two writers and a reader polling listings while they write.
@Suite struct ConcurrentProcessesTests {
    @Test func twoRunsAndReadersNeverFailWithDatabaseIsLocked() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write("kill.rlhf", killPointNotebook)
        func start() throws -> (Process, Pipe) {
            let process = Process()
            process.executableURL = CLI.executable
            process.arguments = ["run", nb, "--quiet", "--store", cli.store]
            let err = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = err
            try process.run()
            return (process, err)
        }
        let writers = [try start(), try start()]
        var reads = 0
        var failures: [String] = []
        while writers.contains(where: { $0.0.isRunning }) {
            for command in [["runs"], ["show", "1"], ["query", "SELECT count(*) FROM metrics"]] {
                let r = try cli(command[0], command.count > 1 ? command[1] : "--json")
                // Before the first run row exists, `show 1` may rightly say there is no run 1 yet.
                if r.status != 0 && !r.stderr.contains("unknown run") && !r.stderr.contains("no store") {
                    failures.append(r.stderr)
                }
                reads += 1
            }
        }
        for (process, err) in writers {
            process.waitUntilExit()
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0, "\(message)")
        }
        #expect(failures == [])
        #expect(reads >= 3)
        let runs = try LabStore.openReadOnly(path: cli.store).runs()
        #expect(runs.map(\.status) == [.succeeded, .succeeded])
        #expect(runs[0].cells == 7 && runs[1].cells == 7)
        #expect(runs[0].metrics == runs[1].metrics && runs[0].metrics > 0)
        // Both runs are the same notebook: bitwise-equal final objects.
        let hashes = try LabStore.openReadOnly(path: cli.store).query(
            """
            SELECT count(DISTINCT v.content_hash) FROM versions v JOIN objects o ON o.id = v.object_id
            WHERE o.name = 'policy'
            """
        ).rows
        #expect(hashes == [[.integer(3)]])
        #expect(try cli("check").status == 0)
    }
}
