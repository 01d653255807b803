import Foundation
import GRDB
import Testing

@testable import Store

/// Text preferences in the store (schema v12): their words are kept beside their token ids, hashed only when present,
/// and shown by blame, diff and `v_feedback`.
@Suite struct TextFeedbackStoreTests {
    static let words = FeedbackRow.Text(prompt: "ROMEO: I", chosen: " love", rejected: " hate", sampling: "temperature: 1.0")

    /// Row hashes from Python's hashlib over the canonical byte string (each field `<length>:<bytes>\n`), so a row
    /// without text hashes exactly as before v12 and a text row's words follow the marker `text`:
    ///
    /// ```python
    /// import hashlib, struct
    /// def canonical(fields):
    ///     h = hashlib.sha256()
    ///     for f in fields:
    ///         b = f if isinstance(f, bytes) else f.encode()
    ///         h.update(f"{len(b)}:".encode()); h.update(b); h.update(b"\n")
    ///     return h.hexdigest()
    /// f32 = lambda xs: b"".join(struct.pack("<f", x) for x in xs)
    /// base = ["rlhf-feedback-row-v1", "3", f32([1.0, 2.0]), f32([0.5]), "oracle", "42"]
    /// print(canonical(base))
    /// print(canonical(base + ["text", "ROMEO: I", " love", " hate", "some", "temperature: 1.0"]))
    /// print(canonical(base + ["text", "ROMEO: I", " love", " hate", "none"]))
    /// ```
    @Test(arguments: [
        (nil, "23e44d11f61b11a97bd4e93c65d080064650b2771037f562f575716ae14191a6"),
        (words, "7489c27f7de01d4b27db218d8a950ded06d868110777a30d832f012dfbc7dc9a"),
        (
            FeedbackRow.Text(prompt: "ROMEO: I", chosen: " love", rejected: " hate"),
            "4c7e43a7c55a7ddda17183aa6bdf1b2395bdb6ce89385f572e2c03399c3bc1d4"
        ),
    ])
    func rowHashesMatchPython(text: FeedbackRow.Text?, hash: String) {
        let row = FeedbackRow(
            uid: 1, prompt: 3, chosen: [1, 2], rejected: [0.5], annotator: "oracle", seed: 42, text: text)
        #expect(ContentHash.row(row) == hash)
    }

    /// A text row: token ids as Floats, and its words.
    static func textRow(_ uid: Int64, chosen: String = " love") -> FeedbackRow {
        var text = words
        text.chosen = chosen
        return FeedbackRow(
            uid: uid, prompt: Int(uid), chosen: [1, 2, 3], rejected: [3, 2, 1], annotator: "oracle", seed: UInt64(uid),
            text: text)
    }

    /// Rows come back with their words; blame, diff and `v_feedback` show them; a relabelled text (same uid, new
    /// words) is a removal and an addition; `rlhf check` finds nothing wrong.
    @Test func textRowsRoundTripAndAreShown() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            let first = [Self.textRow(1), Self.textRow(2)]
            _ = try store.commit(
                run: run, commit(1, [("prefs", .dataset(kind: "preferences", config: "{}", rows: first))]))
            let second = [Self.textRow(1), Self.textRow(2, chosen: " adore"), Self.textRow(3)]
            _ = try store.commit(
                run: run, commit(2, [("prefs", .dataset(kind: "preferences", config: "{}", rows: second))]))

            #expect(try store.datasetRows(VersionRef(run: run, object: "prefs", version: 1)).1 == first)
            #expect(try store.datasetRows(VersionRef(run: run, object: "prefs")).1 == second)
            let (_, blame) = try store.blame(VersionRef(run: run, object: "prefs"))
            #expect(blame.map(\.text) == second.map(\.text))
            #expect(blame.map(\.addedIn) == [1, 2, 2])
            #expect(blame.map(\.replacesVersion) == [nil, 1, nil])

            guard
                case .dataset(let diff) = try store.diff(
                    VersionRef(run: run, object: "prefs", version: 1), VersionRef(run: run, object: "prefs", version: 2))
            else {
                Issue.record("not a dataset diff")
                return
            }
            #expect(diff.added == [Self.textRow(2, chosen: " adore"), Self.textRow(3)])
            #expect(diff.removed == [Self.textRow(2)])
            #expect(diff.relabelledCount == 1)

            let view = try store.query(
                "SELECT uid, prompt_text, chosen_text, rejected_text, sampling FROM v_feedback WHERE removed_in IS NULL "
                    + "ORDER BY uid")
            #expect(
                view.rows == (1...3).map { uid in
                    [
                        .integer(uid), .text("ROMEO: I"), .text(uid == 2 ? " adore" : " love"), .text(" hate"),
                        .text("temperature: 1.0"),
                    ]
                })
            #expect(try store.check().isEmpty)
        }
    }

    /// Vector rows keep NULL text columns, come back without text and encode to JSON without a `text` key, as
    /// before v12.
    @Test func vectorRowsStayAsTheyWere() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(
                run: run, commit(1, [("prefs", .dataset(kind: "preferences", config: "{}", rows: [row(1)]))]))
            let nulls = try store.query(
                "SELECT count(*) FROM feedback WHERE prompt_text IS NULL AND chosen_text IS NULL "
                    + "AND rejected_text IS NULL AND sampling IS NULL")
            #expect(nulls.rows == [[.integer(1)]])
            let (_, rows) = try store.datasetRows(VersionRef(run: run, object: "prefs"))
            #expect(rows == [row(1)] && rows[0].text == nil)
            let (_, blame) = try store.blame(VersionRef(run: run, object: "prefs"))
            let json = String(decoding: try JSONEncoder().encode(blame[0]), as: UTF8.self)
            #expect(!json.contains("text"))
        }
    }

    /// Editing a stored word is found by `rlhf check`: the row hash covers the text, and so does the commit chain.
    @Test(arguments: ["prompt_text", "chosen_text", "rejected_text", "sampling"])
    func tamperedTextIsFound(column: String) throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(
                run: run, commit(1, [("prefs", .dataset(kind: "preferences", config: "{}", rows: [Self.textRow(1)]))]))
            try store.finishRun(run, status: .succeeded)
            let queue = try DatabaseQueue(path: store.path)
            try queue.writeWithoutTransaction { db in try db.execute(sql: "UPDATE feedback SET \(column) = 'edited'") }
            let problems = try store.check()
            #expect(problems.contains { $0.message.contains("content hashes to") }, "\(problems)")
        }
    }
}
