import Foundation
import GRDB
import Testing

@testable import Store

/// The fast feedback write path (P12): one prepared INSERT, the chain's row digests computed from the rows in memory,
/// only alive keys read back. Every stored column and hash must be what the record-per-row path stored.
@Suite struct FeedbackCommitTests {
    /// The added-row digest from memory, against Python's digest of the values the store reads back:
    /// ```python
    /// import hashlib, struct
    /// def canonical(*fields):
    ///     h = hashlib.sha256()
    ///     for f in fields:
    ///         b = f if isinstance(f, bytes) else f.encode()
    ///         h.update(f"{len(b)}:".encode()); h.update(b); h.update(b"\n")
    ///     return h.hexdigest()
    /// f32 = lambda xs: b"".join(struct.pack("<f", x) for x in xs)
    /// value = lambda v: (["null"] if v is None else ["int", str(v)] if isinstance(v, int)
    ///                    else ["blob", v] if isinstance(v, bytes) else ["text", v])
    /// def digest(values):
    ///     fields = ["rlhf-commit-feedback-row-v1", "added"]
    ///     for v in values: fields += value(v)
    ///     return canonical(*fields)
    /// plain = canonical("rlhf-feedback-row-v1", "3", f32([1.0, 2.0]), f32([0.5]), "oracle", "42")
    /// text = canonical("rlhf-feedback-row-v1", "3", f32([1.0, 2.0]), f32([0.5]), "oracle", "42",
    ///                  "text", "ROMEO: I", " love", " hate", "none")
    /// print(digest(["prefs", 7, plain, 3, f32([1.0, 2.0]), f32([0.5]), "oracle", 42]))
    /// print(digest(["prefs", 7, text, 3, f32([1.0, 2.0]), f32([0.5]), "oracle", 42, "ROMEO: I", " love", " hate", None]))
    /// ```
    @Test(arguments: [
        (nil, "ea89368509010f2c8ee88eb077b27bfc83b5ce3ef5653e6fea1fbaf788a31f20"),
        (
            FeedbackRow.Text(prompt: "ROMEO: I", chosen: " love", rejected: " hate"),
            "d5e866308a611f9fbc7285d0eb5706829aeef8ba2bcf756973ff70789177ca0c"
        ),
    ])
    func addedRowDigestMatchesPython(text: FeedbackRow.Text?, digest: String) throws {
        let row = FeedbackRow(
            uid: 7, prompt: 3, chosen: [1, 2], rejected: [0.5], annotator: "oracle", seed: 42, text: text)
        let prepared = try PreparedDataset(name: "prefs", kind: "preferences", config: "{}", rows: [row], cell: 1)
        #expect(CommitParts.addedFeedbackDigest(object: "prefs", row: prepared.rows[0]) == digest)
    }

    /// Vector and text rows, then a relabel (uid 3), a removal (uid 2), a new text row without sampling (uid 6) and
    /// an unchanged re-commit.
    static func history() -> [[FeedbackRow]] {
        let words = FeedbackRow.Text(prompt: "ROMEO: I", chosen: " love", rejected: " hate", sampling: "top_k: 5")
        var first = (1...4).map { row($0) }
        first[3].text = words
        var second = first.filter { $0.uid != 2 }
        second[1] = row(3, label: 1)
        second.append(
            FeedbackRow(
                uid: 6, prompt: 1, chosen: [2, -0.0], rejected: [.nan], annotator: "panel", seed: 9,
                text: FeedbackRow.Text(prompt: "", chosen: "a", rejected: "b")))
        return [first, second, second]
    }

    static func commitHistory(_ store: LabStore) throws -> (run: Int64, summaries: [CommitSummary]) {
        let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
        let summaries = try history().enumerated().map { index, rows in
            try store.commit(
                run: run,
                commit(index + 1, [("prefs", .dataset(kind: "preferences", config: #"{"dim":2}"#, rows: rows))]))
        }
        return (run, summaries)
    }

    /// Each commit's stored parts equal the parts recomputed by reading its rows back (the path `rlhf check` takes),
    /// and the store verifies.
    @Test func chainPartsEqualTheReadBackParts() throws {
        try withTemporaryStore { store, _ in
            _ = try Self.commitHistory(store)
            try store.read { db in
                let commits = try Row.fetchAll(db, sql: "SELECT id, parts FROM commits ORDER BY id")
                #expect(commits.count == 3)
                for commit in commits {
                    let readBack = try CommitParts.load(db, commit: commit["id"], metrics: [])
                    #expect(readBack.text == (commit["parts"] as String))
                }
            }
            #expect(try store.verify().problems == [])
        }
    }

    /// Every stored column, against values computed here: the hash of the public row, the little-endian bytes of
    /// each Float, the seed's bit pattern, the text columns set only on text rows; removals and relabels.
    @Test func storedColumnsAreTheRowsValues() throws {
        try withTemporaryStore { store, _ in
            let (_, summaries) = try Self.commitHistory(store)
            #expect(summaries.map(\.feedbackRows) == [4, 2, 0])
            #expect(summaries.map(\.newVersions.count) == [1, 1, 0])
            let stored = try store.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM feedback ORDER BY id")
            }
            let history = Self.history()
            // Rows in insertion order: v1's four, then v2's relabel of uid 3 and its new uid 6.
            let expected = history[0] + [history[1][1], history[1][3]]
            #expect(stored.count == expected.count)
            let versions: [Int64?] = [1, 1, 1, 1, 2, 2]
            let removedIn: [Int64?] = [nil, 2, 2, nil, nil, nil]
            for (index, (row, want)) in zip(stored, expected).enumerated() {
                #expect(row["uid"] as Int64 == want.uid)
                #expect(row["prompt"] as Int == want.prompt)
                #expect(row["chosen"] as Data == Self.littleEndian(want.chosen))
                #expect(row["rejected"] as Data == Self.littleEndian(want.rejected))
                #expect(row["annotator"] as String == want.annotator)
                #expect(row["seed"] as Int64 == Int64(bitPattern: want.seed))
                #expect(row["row_hash"] as String == ContentHash.row(want))
                #expect(row["added_in"] as Int64? == versions[index])
                #expect(row["removed_in"] as Int64? == removedIn[index])
                #expect(row["prompt_text"] as String? == want.text?.prompt)
                #expect(row["chosen_text"] as String? == want.text?.chosen)
                #expect(row["rejected_text"] as String? == want.text?.rejected)
                #expect(row["sampling"] as String? == want.text?.sampling)
                #expect((row["sampling"] as DatabaseValue).isNull == (want.text?.sampling == nil))
            }
        }
    }

    static func littleEndian(_ values: [Float]) -> Data {
        Data(values.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> ($0 * 8)) } })
    }

    /// A commit of ≥ 10,000 dataset rows reports (done, total) rising to (2n, 2n) every 1,024 rows; smaller ones
    /// report nothing; an unchanged re-commit reports its hashing, then the end.
    @Test(arguments: [
        (9_999, false, [(Int, Int)]()),
        (10_000, false, (1...19).map { ($0 * 1_024, 20_000) } + [(20_000, 20_000)]),
        (10_000, true, (1...9).map { ($0 * 1_024, 20_000) } + [(20_000, 20_000)]),
    ])
    func progressOfABigCommit(rows count: Int, again: Bool, expected: [(Int, Int)]) throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            let rows = (1...count).map { row(Int64($0)) }
            let state = ObjectState.dataset(kind: "preferences", config: "{}", rows: rows)
            if again { _ = try store.commit(run: run, commit(1, [("prefs", state)])) }
            var reports: [(Int, Int)] = []
            let summary = try store.commit(run: run, commit(2, [("prefs", state)])) { reports.append(($0, $1)) }
            #expect(summary.feedbackRows == (again ? 0 : count))
            #expect(reports.map(\.0) == expected.map(\.0))
            #expect(reports.map(\.1) == expected.map(\.1))
        }
    }
}
