import Foundation
import Store
import Testing

@testable import Web

/// The parts of the web view that need no store: requests as parsed from a target, the token rule, thinning of long
/// series, the OpenAPI document, and the report frame staying free of scripts.
@Suite struct WebAppTests {
    @Test(arguments: [
        (
            "/compare?runs=1,2&metric=a+b&metric=c%2Fd", "/compare",
            [("runs", "1,2"), ("metric", "a b"), ("metric", "c/d")]
        ),
        ("/runs/3", "/runs/3", []),
        ("/api/runs/1/metrics/%3Cx%3E?all=1&flag", "/api/runs/1/metrics/<x>", [("all", "1"), ("flag", "")]),
    ])
    func targetsParseAsABrowserSendsThem(target: String, path: String, query: [(String, String)]) {
        let request = WebRequest(target: target)
        #expect(request.path == path)
        #expect(
            request.segments
                == path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init))
        #expect(request.query.map(\.name) == query.map(\.0))
        #expect(request.query.map(\.value) == query.map(\.1))
    }

    @Test func anEncodedSlashStaysInsideItsSegment() {
        #expect(WebRequest(target: "/api/runs/1/metrics/a%2Fb").segments == ["api", "runs", "1", "metrics", "a/b"])
    }

    @Test func theLastQueryValueWins() {
        #expect(WebRequest(target: "/x?metric=a&metric=b")[query: "metric"] == "b")
        #expect(WebRequest(target: "/x")[query: "metric"] == nil)
    }

    /// (headers, query, allowed) for a server whose token is `s3cret-token`.
    @Test(
        arguments: [
            ([:], "", false),
            (["authorization": "Bearer s3cret-token"], "", true),
            (["authorization": "Bearer s3cret-toke"], "", false),
            (["authorization": "Basic s3cret-token"], "", false),
            (["cookie": "x=1; rlhf_token=s3cret-token"], "", true),
            (["cookie": "rlhf_token=s3cret-tokenX"], "", false),
            ([:], "?token=s3cret-token", true),
            ([:], "?token=", false),
        ] as [([String: String], String, Bool)])
    func theTokenIsTakenFromHeaderCookieOrQuery(headers: [String: String], query: String, allowed: Bool) {
        let app = WebApp(token: "s3cret-token")
        let request = WebRequest(target: "/api/runs" + query, headers: headers)
        let refusal = app.refusal(request)
        #expect((refusal == nil) == allowed)
        if let refusal {
            #expect(refusal.status == 401)
            #expect(refusal.contentType == "application/json")
            #expect(refusal.headers["WWW-Authenticate"] == "Bearer realm=\"rlhf\"")
        }
    }

    @Test func withoutATokenEveryRequestMayGoOn() {
        #expect(WebApp().refusal(WebRequest(target: "/")) == nil)
        #expect(WebApp().headers(for: WebRequest(target: "/?token=x"))["Set-Cookie"] == nil)
    }

    @Test func aTokenInTheQuerySetsTheCookie() {
        let app = WebApp(token: "s3cret-token")
        #expect(
            app.headers(for: WebRequest(target: "/?token=s3cret-token"))["Set-Cookie"]
                == "rlhf_token=s3cret-token; Path=/; HttpOnly; SameSite=Strict")
        #expect(app.headers(for: WebRequest(target: "/?token=wrong"))["Set-Cookie"] == nil)
    }

    @Test(arguments: [0, 1, 999, 1_000, 1_001, 12_345, 1_000_000])
    func longSeriesAreThinnedEvenlyKeepingBothEnds(count: Int) {
        let kept = LabStore.keptPositions(count: count, limit: RunReport.pointsPerCurve)
        #expect(kept.count == min(count, RunReport.pointsPerCurve))
        // Evenly spaced: neighbouring gaps differ by at most one position.
        let gaps = zip(kept.dropFirst(), kept).map { $0 - $1 }
        #expect((gaps.max() ?? 0) - (gaps.min() ?? 0) <= 1)
        #expect(kept == kept.sorted() && Set(kept).count == kept.count)
        if count > 0 {
            #expect(kept.first == 0)
            #expect(kept.last == count - 1)
        }
    }

    @Test func theOpenAPIDocumentIsJSONListingEveryRoute() throws {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: Any])
        #expect(Set(paths.keys) == Set(OpenAPIDocument.paths.map(\.path)))
        for (path, operation) in paths {
            let get = (operation as? [String: Any])?["get"] as? [String: Any]
            let parameters = get?["parameters"] as? [[String: Any]] ?? []
            for name in path.split(separator: "{").dropFirst().map({ $0.prefix { $0 != "}" } }) {
                #expect(parameters.contains { $0["name"] as? String == String(name) && $0["in"] as? String == "path" })
            }
        }
    }

    @Test func aReportPageHasNoScriptAndAWebPageFollowsItsRun() {
        #expect(!(RunReport.pageHead(title: "t") + RunReport.pageEnd(frame: .report)).contains("<script"))
        let live = RunReport.pageHead(title: "t", frame: .web(live: "3")) + RunReport.pageEnd(frame: .web(live: "3"))
        #expect(live.contains("data-live=\"3\""))
        #expect(live.contains("new EventSource('/events')"))
        let still = RunReport.pageHead(title: "t", frame: .web(live: nil)) + RunReport.pageEnd(frame: .web(live: nil))
        #expect(!still.contains("<script"))
    }

    @Test func tokensCompareAsWholeByteStrings() {
        #expect(WebApp.sameBytes("abc", "abc"))
        #expect(!WebApp.sameBytes("abc", "abd"))
        #expect(!WebApp.sameBytes("abc", "abcd"))
        #expect(WebApp.sameBytes("", ""))
    }
}
