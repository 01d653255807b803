import Foundation
import Store

/// One request as the web view sees it: what the server read off the socket, with nothing of the socket left.
public struct WebRequest: Sendable {
    public var method: String
    /// The path, percent-decoded (`/runs/3`), for messages.
    public var path: String
    /// The path's segments after the first `/`, each percent-decoded on its own (so `%2F` stays inside a segment).
    public var segments: [String]
    /// Query items in order, percent-decoded.
    public var query: [(name: String, value: String)]
    /// Header names in lower case.
    public var headers: [String: String]

    /// A request for `rawPath` as sent (percent-encoded).
    public init(
        method: String = "GET", rawPath: String, query: [(name: String, value: String)] = [],
        headers: [String: String] = [:]
    ) {
        self.method = method
        path = rawPath.removingPercentEncoding ?? rawPath
        segments = rawPath.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
            $0.removingPercentEncoding ?? String($0)
        }
        self.query = query
        self.headers = headers
    }

    /// Whether this asks for JSON (`/api` and below), so that errors answer in JSON too.
    public var isAPI: Bool { segments.first == "api" }

    /// The last value of query item `name`.
    public subscript(query name: String) -> String? { query.last { $0.name == name }?.value }

    /// A request for a target as a browser sends it (`/compare?runs=1,2&metric=loss`), for tests and benchmarks.
    public init(target: String, headers: [String: String] = [:]) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var items: [(String, String)] = []
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                func decode(_ s: Substring) -> String {
                    let spaced = s.replacingOccurrences(of: "+", with: " ")
                    return spaced.removingPercentEncoding ?? spaced
                }
                items.append((decode(kv[0]), kv.count > 1 ? decode(kv[1]) : ""))
            }
        }
        self.init(rawPath: String(parts[0]), query: items, headers: headers)
    }
}

/// What the web view answers: a status, a content type and a whole body, or a long metric series read page by page
/// as it is sent (the live stream is ``LiveFeed``'s).
public struct WebResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: Data
    public var headers: [String: String] = [:]
    /// When set, the body is this series, read as it is sent (`body` is empty).
    public var paged: PagedSeries?

    public init(status: Int = 200, contentType: String, body: Data, headers: [String: String] = [:]) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.headers = headers
    }

    public static func html(_ text: String, status: Int = 200) -> WebResponse {
        WebResponse(status: status, contentType: "text/html; charset=utf-8", body: Data(text.utf8))
    }

    public static func json(_ data: Data, status: Int = 200) -> WebResponse {
        WebResponse(status: status, contentType: "application/json", body: data)
    }

    public static func paged(_ series: PagedSeries) -> WebResponse {
        var response = WebResponse(contentType: "application/json", body: Data())
        response.paged = series
        return response
    }

    /// The whole body, a paged one read from `store` (tests and benchmarks).
    public func wholeBody(_ store: LabStore) throws -> Data {
        try paged?.collected(store) ?? body
    }

    /// The body as text (tests and benchmarks read it).
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A request the web view cannot answer, with the status that says why and one line for the person who asked.
public struct WebProblem: Error, Sendable, CustomStringConvertible {
    public var status: Int
    public var message: String

    public init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }

    static func notFound(_ what: String) -> WebProblem { WebProblem(404, what) }
    static func badRequest(_ what: String) -> WebProblem { WebProblem(400, what) }
}
