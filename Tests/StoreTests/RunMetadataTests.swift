import Foundation
import GRDB
import Testing

@testable import Store

/// Run names, notes, tags and environment: stored beside a run, refused when bad, never part of a commit's hash.
@Suite struct RunMetadataTests {
    static let environment = RunEnvironment(
        rlhfVersion: "0.16.0", build: "debug", gitState: .dirty, gitRevision: String(repeating: "ab", count: 20),
        host: "lab-1", os: "Linux 6.8.0 x86_64", kernels: "avx2", threads: 2)

    @Test func metadataRoundTripsAndListsWithTheRun() throws {
        try withTemporaryStore { store, _ in
            let metadata = RunMetadata(
                name: "kl-0.1", note: "first try", tags: ["sweep", "baseline", "sweep"], environment: Self.environment)
            let run = try store.beginRun(notebook: "nb.rlhf", source: "x = 1", parameters: "{}", metadata: metadata)
            let read = try store.metadata(run: run)
            #expect(
                read
                    == RunMetadata(
                        name: "kl-0.1", note: "first try", tags: ["baseline", "sweep"],
                        environment: Self.environment))
            #expect(read.tags == ["baseline", "sweep"])
            let summary = try #require(try store.runs().first)
            #expect(summary.name == "kl-0.1" && summary.note == "first try" && summary.tags == ["baseline", "sweep"])
            #expect(try store.run(run).environment == Self.environment)
            #expect(try store.runID("kl-0.1") == run)
            #expect(try store.runID("\(run)") == run)
        }
    }

    @Test func tagsAreAddedAndRemoved() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            #expect(try store.tag(run: run, adding: ["b", "a"]) == ["a", "b"])
            #expect(try store.tag(run: run, adding: ["a", "c"], removing: ["b", "absent"]) == ["a", "c"])
            #expect(try store.metadata(run: run).tags == ["a", "c"])
            #expect(throws: StoreError.unknownRun(9, latest: run)) { try store.tag(run: 9, adding: ["x"]) }
        }
    }

    /// A name another run has is refused in the transaction that would start the run: no run is added.
    @Test func aTakenNameStartsNothing() throws {
        try withTemporaryStore { store, _ in
            let first = try store.beginRun(notebook: nil, source: "", parameters: "{}", metadata: .init(name: "base"))
            #expect(throws: StoreError.runNameTaken("base", run: first)) {
                try store.beginRun(notebook: nil, source: "", parameters: "{}", metadata: .init(name: "base"))
            }
            #expect(try store.runs().count == 1)
            #expect(throws: StoreError.unknownRunName("nope", names: ["base"])) { try store.runID("nope") }
        }
    }

    @Test(arguments: [
        ("", "a run name cannot be empty"),
        ("1abc", "a run name starts with a letter"),
        ("-x", "a run name starts with a letter"),
        ("a/b", "contains '/' (use letters, digits, '-', '_' and '.')"),
        ("a@2", "contains '@' (use letters, digits, '-', '_' and '.')"),
        ("a b", "contains ' ' (use letters, digits, '-', '_' and '.')"),
        ("é", "a run name starts with a letter"),
        (String(repeating: "a", count: 101), "longer than 100 characters"),
    ])
    func badNamesAreRefused(name: String, reason: String) throws {
        #expect(throws: StoreError.badRunName(name, reason: reason)) { try RunMetadata.checkName(name) }
    }

    @Test(arguments: ["a", "kl-0.1", "Run_2.b", String(repeating: "z", count: 100)])
    func goodNamesAreAccepted(name: String) throws {
        try RunMetadata.checkName(name)
    }

    /// The same cells under another name, tags and environment give the same commit hashes.
    @Test func metadataIsNotPartOfAnyCommitHash() throws {
        func history(_ metadata: RunMetadata) throws -> [String] {
            try withTemporaryStore { store, _ in
                let run = try store.beginRun(notebook: "nb.rlhf", source: "s", parameters: "{}", metadata: metadata)
                _ = try store.commit(
                    run: run,
                    CellCommit(
                        cell: cell(1), output: "o", durationMs: 1,
                        metrics: [MetricPoint(name: "loss", step: 0, value: 0.5)],
                        bindings: [("x", .value(json: "1"))]))
                try store.finishRun(run, status: .succeeded)
                return try CommitChainTests.chain(store.path)
            }
        }
        let plain = try history(RunMetadata())
        let named = try history(RunMetadata(name: "n", note: "t", tags: ["a"], environment: Self.environment))
        #expect(plain.count == 1 && plain == named)
    }

    @Test func finalMetricsAreTheLastStepOfEachSeries() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(
                run: run,
                CellCommit(
                    cell: cell(1), output: "", durationMs: 1,
                    metrics: [
                        MetricPoint(name: "loss", step: 0, value: 3), MetricPoint(name: "loss", step: 2, value: 1),
                        MetricPoint(name: "loss", step: 1, value: 2), MetricPoint(name: "gold", step: 5, value: 0.25),
                    ]))
            _ = try store.commit(
                run: run,
                CellCommit(
                    cell: cell(2), output: "", durationMs: 1, metrics: [MetricPoint(name: "gold", step: 6, value: 4)]))
            #expect(try store.finalMetrics(runs: [run]) == [run: ["loss": 1, "gold": 4]])
        }
    }

    @Test(arguments: [
        (#"{}"#, [String]()),
        (#"{"kl":0.1,"lr":0.0003}"#, ["kl=0.1", "lr=0.0003"]),
        (
            #"{"label":"a, \"b\"","sizes":[1,[2,3]],"r":{"x":1,"y":"}"},"on":true}"#,
            ["label=a, \"b\"", "sizes=[1,[2,3]]", #"r={"x":1,"y":"}"}"#, "on=true"]
        ),
        (#"not json"#, []),
    ])
    func parametersSplitIntoColumns(json: String, expected: [String]) {
        #expect(RunParameters.split(json).map { "\($0.name)=\($0.value)" } == expected)
    }
}

/// Provenance kept by the commit itself: the replayed run, a loaded version's source, and the time of the commit.
@Suite struct CommitProvenanceTests {
    @Test func aReplayRecordsTheRunItReplays() throws {
        try withTemporaryStore { store, _ in
            let original = try store.beginRun(notebook: "nb.rlhf", source: "", parameters: "{}")
            let replay = try store.beginRun(
                notebook: "nb.rlhf", source: "", parameters: "{}", metadata: RunMetadata(replayOf: original))
            #expect(try store.metadata(run: replay).replayOf == original)
            #expect(try store.runs().map(\.replayOf) == [nil, original])
        }
    }

    /// The clock the cell passes is read as the commit's last write, so the recorded time is the one it returns then,
    /// not the `durationMs` measured before the commit began.
    @Test(arguments: [nil, 1234.5] as [Double?])
    func theRecordedTimeIsReadWhenTheCommitEnds(_ atEnd: Double?) throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            var commit = CellCommit(
                cell: CellRecord(ordinal: 1, key: "a", title: "a", source: "x = 1"), output: "", durationMs: 5)
            if let atEnd { commit.elapsedMs = { atEnd } }
            _ = try store.commit(run: run, commit)
            #expect(try store.run(run).cells.map(\.durationMs) == [atEnd ?? 5])
        }
    }

    /// A version with the content of a loaded one is noted with its source; other versions of the commit are not.
    @Test func aVersionEqualToALoadedOneIsNotedWithItsSource() throws {
        try withTemporaryStore { store, _ in
            func checkpoint(_ value: Float) -> ObjectState {
                .checkpoint(
                    Checkpoint(
                        kind: "policy", config: "{}",
                        tensors: [StoredTensor(name: "w", shape: [1, 2], values: [value, value])]))
            }
            let first = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(
                run: first,
                CellCommit(
                    cell: CellRecord(ordinal: 1, key: "a", title: "a", source: ""), output: "", durationMs: 1,
                    objects: [("p", checkpoint(1))]))
            let (loaded, _) = try store.state(VersionRef(run: first, object: "p"))
            let second = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(
                run: second,
                CellCommit(
                    cell: CellRecord(ordinal: 1, key: "b", title: "b", source: ""), output: "", durationMs: 1,
                    objects: [("q", checkpoint(1)), ("other", checkpoint(2))], loads: [loaded]))
            let notes = try store.log(run: second, object: "q").map(\.note)
            #expect(notes == ["loaded from \(first)/p@1"])
            #expect(try store.log(run: second, object: "other").map(\.note) == [nil])
        }
    }
}
