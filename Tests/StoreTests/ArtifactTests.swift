import Foundation
import Testing

@testable import Store

/// Files a cell produced are written with its commit, content-addressed, and read back in order.
@Suite struct ArtifactTests {
    static let svg = Artifact(
        name: "loss.svg", mediaType: "image/svg+xml", data: Data("<svg>loss</svg>".utf8), text: "loss ┤")
    static let box = Artifact(name: "box.svg", mediaType: "image/svg+xml", data: Data("<svg>box</svg>".utf8))

    @Test func artifactsComeBackWithTheirCellCommitHashAndText() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            var first = commit(1)
            first.artifacts = [ArtifactTests.svg, ArtifactTests.box]
            let summary = try store.commit(run: run, first)
            #expect(summary.artifacts == 2)
            let stored = try store.artifacts(run: run)
            #expect(stored.map(\.name) == ["loss.svg", "box.svg"])
            #expect(stored.map(\.position) == [1, 2])
            #expect(stored.allSatisfy { $0.commit == summary.commit && $0.cell == 1 && $0.cellKey == "cell1" })
            #expect(stored[0].data == ArtifactTests.svg.data)
            #expect(stored[0].text == "loss ┤" && stored[1].text == nil)
            let digest = ContentHash.blob(ArtifactTests.svg.data)
            #expect(stored[0].hash == digest)
        }
    }

    @Test func equalContentIsStoredOnce() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            var first = commit(1)
            first.artifacts = [ArtifactTests.svg]
            _ = try store.commit(run: run, first)
            let blobs = try tableCounts(store)["blobs"]
            var second = commit(2)
            second.artifacts = [ArtifactTests.svg]
            _ = try store.commit(run: run, second)
            #expect(try tableCounts(store)["blobs"] == blobs)
            #expect(try store.artifacts(run: run).map(\.commit).count == 2)
        }
    }

    @Test func aFailedCommitWritesNoArtifact() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            let before = try tableCounts(store)
            var bad = commit(1, bindings: [("ghost", .object(name: "ghost"))])
            bad.artifacts = [ArtifactTests.svg]
            _ = storeError { _ = try store.commit(run: run, bad) }
            #expect(try tableCounts(store) == before)
            #expect(try store.artifacts(run: run).isEmpty)
        }
    }

    @Test func garbageCollectionKeepsLiveChartsAndPurgesADeletedRunsCharts() throws {
        try withTemporaryStore { store, _ in
            let kept = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            var first = commit(1)
            first.artifacts = [ArtifactTests.svg]
            _ = try store.commit(run: kept, first)
            try store.finishRun(kept, status: .succeeded)
            let gone = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            var second = commit(1)
            second.artifacts = [ArtifactTests.svg, ArtifactTests.box]
            _ = try store.commit(run: gone, second)
            try store.finishRun(gone, status: .succeeded)

            _ = try store.collectGarbage(dryRun: false)
            #expect(try store.artifacts(run: kept).map(\.data) == [ArtifactTests.svg.data])
            #expect(try store.artifacts(run: gone).count == 2)

            try store.removeRun(gone)
            let report = try store.collectGarbage(dryRun: false)
            #expect(report.purgedRuns == [gone])
            // The box chart was only the deleted run's; the loss chart's bytes are shared with the kept run.
            #expect(report.blobs == 1)
            #expect(try store.artifacts(run: kept).map(\.data) == [ArtifactTests.svg.data])
            #expect(try store.query("SELECT count(*) FROM artifacts").rows.first?.first == .integer(1))
        }
    }
}
