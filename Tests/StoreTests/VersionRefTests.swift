import Testing

@testable import Store

@Suite struct VersionRefTests {
    @Test(arguments: [
        ("12/policy@3", VersionRef(run: 12, object: "policy", version: 3)),
        ("12/policy", VersionRef(run: 12, object: "policy", version: nil)),
        (" 7/rm.ensemble_0@11 ", VersionRef(run: 7, object: "rm.ensemble_0", version: 11)),
    ])
    func parses(text: String, expected: VersionRef) throws {
        #expect(try VersionRef(parsing: text) == expected)
    }

    @Test(arguments: [
        ("policy@3", "no '/'"),
        ("x/policy", "run 'x' is not a positive number"),
        ("0/policy", "run '0' is not a positive number"),
        ("12/", "the object name is empty"),
        ("12/@2", "the object name is empty"),
        ("12/policy@0", "version '0' is not a positive number"),
        ("12/policy@-1", "version '-1' is not a positive number"),
        ("12/policy@abc", "version 'abc' is not a positive number"),
        ("12/po licy", "contains ' '"),
        ("12/a/b", "contains '/'"),
    ])
    func rejects(text: String, reasonFragment: String) {
        let error = storeError { _ = try VersionRef(parsing: text) }
        guard case .badReference(let quoted, let reason) = error else {
            Issue.record("expected badReference, got \(String(describing: error))")
            return
        }
        #expect(quoted == text)
        #expect(reason.contains(reasonFragment))
        #expect(error?.description.contains("'\(text)'") == true)
    }

    @Test func descriptionRoundTrips() throws {
        for text in ["12/policy@3", "4/prefs"] {
            #expect(try VersionRef(parsing: text).description == text)
        }
    }
}
