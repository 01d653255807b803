import Testing

@testable import Store

@Suite struct StoreErrorTests {
    @Test(arguments: [
        (StoreError.unknownRun(42, latest: 17), "unknown run '42' (latest is 17)"),
        (StoreError.unknownRun(1, latest: nil), "unknown run '1' (the store has no runs yet)"),
        (
            StoreError.unknownObject(run: 3, name: "polcy", objects: ["policy", "rm", "prefs"]),
            "run 3 has no object 'polcy' (objects: policy, rm, prefs)"
        ),
        (
            StoreError.unknownVersion(run: 3, object: "policy", version: 9, latest: 4),
            "policy has no version 9 in run 3 (latest is 4)"
        ),
        (StoreError.readOnlyQuery("DELETE FROM runs"), "`rlhf query` is read-only; refusing to run: DELETE FROM runs"),
        (
            StoreError.noStore("store/lab.sqlite"),
            "no store at store/lab.sqlite (run a notebook first, or pass --store PATH)"
        ),
        (
            StoreError.corrupt("x.sqlite", "file is not a database"),
            "not an RLHF Lab store: x.sqlite: file is not a database"
        ),
        (
            StoreError.wrongKind(reference: "3/prefs@1", expected: .checkpoint, actual: .dataset),
            "3/prefs@1 is a dataset, not a checkpoint"
        ),
    ])
    func messagesQuoteWhatTheUserTyped(error: StoreError, message: String) {
        #expect(error.description == message)
    }
}
