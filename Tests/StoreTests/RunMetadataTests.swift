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
