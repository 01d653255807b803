import Interop
import Store
import Testing

/// JSON Lines of preferences read back: what `PreferenceExport` writes returns as the same rows, TRL's bare text
/// records get the documented defaults, and every bad line is named with its reason.
@Suite struct PreferenceImportTests {
    static func read(_ text: String) -> PreferenceImport { PreferenceImport(bytes: Array(text.utf8)) }

    /// Vector rows whose values test the shortest-form round trip: a subnormal, −0, the largest Float, a value with
    /// an exponent, and seeds past Int64.max.
    static let vectorRows = [
        FeedbackRow(
            uid: 3, prompt: 7, chosen: [0.1, -0.0, .greatestFiniteMagnitude],
            rejected: [.leastNonzeroMagnitude, 3.4e-38, -2.5],
            annotator: "oracle", seed: UInt64.max),
        FeedbackRow(
            uid: 9, prompt: 0, chosen: [1, 2, 3], rejected: [0.333_333_34, 1e-5, 12_345.678],
            annotator: "bradleyTerry(noise: 0.05)", seed: 1 << 63),
    ]

    static let textRows = [
        FeedbackRow(
            uid: 1, prompt: 4, chosen: [5, 0, 17], rejected: [2, 2, 9], annotator: "panel(3)", seed: 42,
            text: FeedbackRow.Text(
                prompt: "ROMEO:\n\"What\" say", chosen: " é\t\\", rejected: " 日本",
                sampling: "temperature: 1.0, top_k: 5")),
        FeedbackRow(
            uid: 2, prompt: 0, chosen: [1], rejected: [3], annotator: "oracle", seed: 0,
            text: FeedbackRow.Text(prompt: "", chosen: "a", rejected: "b")),
    ]

    @Test(arguments: [vectorRows, textRows])
    func exportedLinesReadBackAsTheSameRows(rows: [FeedbackRow]) {
        let lines = PreferenceExport.jsonLines(rows, version: 4)
        let read = Self.read(lines.map { $0 + "\n" }.joined())
        #expect(read.problems.isEmpty, "\(read.problems)")
        #expect(read.lines.map(\.row) == rows)
        #expect(read.lines.map(\.number) == Array(1...rows.count))
        // Each value's bits, not only its equality (−0 == 0).
        for (line, row) in zip(read.lines, rows) {
            #expect(line.row.chosen.map(\.bitPattern) == row.chosen.map(\.bitPattern))
            #expect(line.row.rejected.map(\.bitPattern) == row.rejected.map(\.bitPattern))
        }
    }

    /// TRL's own records: three strings and nothing else. The uid is the line number, the annotator `imported`, the
    /// seed 0 and the token ids empty (a reward model encodes the words); blank lines and CRLF endings are fine;
    /// unknown keys are ignored.
    @Test func bareTextRecordsGetTheDefaults() throws {
        let read = Self.read(
            #"{"prompt":"Hi","chosen":" there","rejected":" you","score_chosen":8.5}"# + "\r\n\n"
                + #"{"prompt":"Oh","chosen":"!","rejected":"?","annotator":"alice","seed":17,"uid":40}"# + "\n")
        #expect(read.problems.isEmpty, "\(read.problems)")
        #expect(read.lines.map(\.number) == [1, 3])
        #expect(
            read.lines.map(\.row) == [
                FeedbackRow(
                    uid: 1, prompt: 0, chosen: [], rejected: [], annotator: "imported", seed: 0,
                    text: FeedbackRow.Text(prompt: "Hi", chosen: " there", rejected: " you")),
                FeedbackRow(
                    uid: 40, prompt: 0, chosen: [], rejected: [], annotator: "alice", seed: 17,
                    text: FeedbackRow.Text(prompt: "Oh", chosen: "!", rejected: "?")),
            ])
    }

    static let good = #"{"prompt":1,"chosen":[1,2],"rejected":[3,4]}"#

    /// One bad line after a good one (line 1), and the reason it is named with.
    @Test(arguments: [
        ("[1,2]", "an array, not a JSON object with prompt, chosen and rejected"),
        (#"{"prompt":1,"chosen":[1,2],"#, "not JSON: expected a quoted key at byte 27"),
        (#"{"prompt":1,"prompt":2,"chosen":[1,2],"rejected":[3,4]}"#, "key 'prompt' appears twice"),
        (
            #"{"chosen":"a","rejected":"b"}"#,
            "no 'prompt' (TRL's implicit-prompt form is not read: give the prompt apart from the responses)"
        ),
        (#"{"prompt":1,"rejected":[3,4]}"#, "no 'chosen'"),
        (#"{"prompt":1,"chosen":[1,2]}"#, "no 'rejected'"),
        (
            #"{"prompt":"p","chosen":[{"role":"assistant","content":"a"}],"rejected":[{"role":"assistant","content":"b"}]}"#,
            "'chosen' and 'rejected' are lists of messages (TRL's conversational form); give their text, or arrays of numbers for a vector pair"
        ),
        (
            #"{"prompt":1,"chosen":"a","rejected":[3,4]}"#,
            "prompt, chosen and rejected are a number, a string and an array; a text pair has three strings, a vector pair a prompt index and two arrays of numbers"
        ),
        (
            #"{"prompt":1,"chosen":[1,2,3],"rejected":[3,4,5]}"#,
            "responses of 3 numbers, but line 1's have 2; every vector pair of a dataset has one length"
        ),
        (#"{"prompt":1,"chosen":[1,2],"rejected":[3]}"#, "'chosen' has 2 numbers and 'rejected' 1"),
        (
            #"{"prompt":1,"chosen":[1,null],"rejected":[3,4]}"#,
            "'chosen'[1] must be a finite number, got null (an exported value that was not finite)"
        ),
        (#"{"prompt":1,"chosen":[1,1e39],"rejected":[3,4]}"#, "'chosen'[1] must be a finite number, got 1e39"),
        (#"{"prompt":-1,"chosen":[1,2],"rejected":[3,4]}"#, "'prompt' must be a non-negative integer, got -1"),
        (
            #"{"prompt":"a","chosen":"b","rejected":"c"}"#,
            "a text pair, but line 1 is a vector pair; a dataset holds one kind"
        ),
        (
            #"{"prompt":1,"chosen":[1,2],"rejected":[3,4],"uid":1}"#,
            "uid 1 is also line 1's; uids are unique in a dataset"
        ),
        (#"{"prompt":1,"chosen":[1,2],"rejected":[3,4],"uid":0}"#, "'uid' must be a positive integer, got 0"),
        (#"{"prompt":1,"chosen":[1,2],"rejected":[3,4],"uid":2.5}"#, "'uid' must be a positive integer, got 2.5"),
        (
            #"{"prompt":1,"chosen":[1,2],"rejected":[3,4],"seed":"18446744073709551616"}"#,
            "'seed' must be an integer in 0...18446744073709551615 (or its decimal string), got \"18446744073709551616\""
        ),
        (#"{"prompt":1,"chosen":[1,2],"rejected":[3,4],"annotator":7}"#, "'annotator' must be a string, got a number"),
        (#"{"prompt":1,"chosen":[1,2],"rejected":[3,4],"annotator":""}"#, "'annotator' is empty"),
        (
            #"{"prompt":1,"chosen":[1,2],"rejected":[3,4],"version":"2"}"#,
            "'version' must be a non-negative integer, got \"2\""
        ),
        (
            #"{"prompt":1,"chosen":[1,2],"rejected":[3,4],"sampling":"temperature: 1.0"}"#,
            "'sampling' belongs to a text pair, but this is a vector pair"
        ),
    ])
    func aBadLineIsNamedWithItsReason(line: String, reason: String) {
        let read = Self.read(Self.good + "\n" + line + "\n")
        #expect(read.lines.map(\.number) == [1])
        #expect(read.problems == [PreferenceImport.Problem(line: 2, reason: reason)])
    }

    /// Text lines' own checks, after a good text line.
    @Test(arguments: [
        (
            #"{"prompt":"p","chosen":"a","rejected":"b","chosen_tokens":[1]}"#,
            "'chosen_tokens' without its pair: give both sides' token ids or neither"
        ),
        (
            #"{"prompt":"p","chosen":"a","rejected":"b","chosen_tokens":[1],"rejected_tokens":[-2]}"#,
            "'rejected_tokens'[0] must be a token id in 0..<16777216, got -2"
        ),
        (
            #"{"prompt":"p","chosen":"a","rejected":"b","chosen_tokens":[16777216],"rejected_tokens":[1]}"#,
            "'chosen_tokens'[0] must be a token id in 0..<16777216, got 16777216"
        ),
        (
            #"{"prompt":"p","chosen":"a","rejected":"b","chosen_tokens":"1","rejected_tokens":[1]}"#,
            "'chosen_tokens' must be an array of token ids"
        ),
        (#"{"prompt":"p","chosen":"a","rejected":"b","sampling":3}"#, "'sampling' must be a string, got a number"),
        (
            #"{"prompt":"p","chosen":"a","rejected":"b","prompt_index":1.5}"#,
            "'prompt_index' must be a non-negative integer, got 1.5"
        ),
        (
            #"{"prompt":2,"chosen":[1],"rejected":[2]}"#,
            "a vector pair, but line 1 is a text pair; a dataset holds one kind"
        ),
    ])
    func aBadTextLineIsNamedWithItsReason(line: String, reason: String) {
        let read = Self.read(#"{"prompt":"p","chosen":"a","rejected":"b"}"# + "\n" + line)
        #expect(read.lines.map(\.number) == [1])
        #expect(read.problems == [PreferenceImport.Problem(line: 2, reason: reason)])
    }

    /// Bytes that are not UTF-8 are named as such, not as a JSON error somewhere inside them.
    @Test func aLineThatIsNotUTF8IsNamed() {
        let read = PreferenceImport(
            bytes: Array(Self.good.utf8) + [0x0A, 0x7B, 0xFF, 0xFE, 0x7D, 0x0A] + Array(Self.good.utf8))
        #expect(read.problems == [PreferenceImport.Problem(line: 2, reason: "not UTF-8 text")])
        // Line 3 repeats line 1's text; without a uid each takes its line number, so both are good.
        #expect(read.lines.map(\.number) == [1, 3])
        #expect(read.lines.map(\.row.uid) == [1, 3])
    }
}
