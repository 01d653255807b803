import Foundation
import Testing

@testable import Store

/// Two stores on one file, as two `rlhf` processes would have: the busy timeout makes them wait, never fail.
@Suite struct ConcurrencyTests {
    @Test func writerAndReaderNeverSeeDatabaseIsLocked() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("lab.sqlite").path
            let writer = try LabStore(path: path)
            let reader = try LabStore(path: path)
            let secondWriter = try LabStore(path: path)
            let cells = 40
            try await withThrowingTaskGroup(of: Void.self) { group in
                for store in [writer, secondWriter] {
                    group.addTask {
                        let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
                        for ordinal in 1...cells {
                            _ = try store.commit(
                                run: run,
                                commit(
                                    ordinal, [("policy", .checkpoint(policy(offset: Float(ordinal))))],
                                    metrics: [MetricPoint(name: "loss", step: ordinal, value: 1 / Double(ordinal))]))
                        }
                        try store.finishRun(run, status: .succeeded)
                    }
                }
                group.addTask {
                    for _ in 0..<(2 * cells) {
                        for summary in try reader.runs() {
                            _ = try reader.metrics(run: summary.id, name: "loss")
                        }
                        _ = try reader.query("SELECT count(*) FROM versions")
                    }
                }
                try await group.waitForAll()
            }
            let runs = try reader.runs()
            #expect(runs.count == 2)
            #expect(runs.allSatisfy { $0.status == .succeeded && $0.versions == cells && $0.metrics == cells })
        }
    }
}
