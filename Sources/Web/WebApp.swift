import Charts
import Foundation
import Store

/// The web view's pages and JSON, answered from a read-only store: the part of `rlhf serve` that knows no sockets,
/// so tests and `rlhf-bench` call it directly.
///
/// Routes (`RUN` is a run id or name, `OBJ@N` a version; `/api/openapi.json` describes the JSON):
/// - `/` the runs table; `/runs/RUN` a run; `/runs/RUN/versions/OBJ@N[?diff=M]` a version;
///   `/compare?runs=A,B|sweep=ID[&metric=NAME…]` runs or a sweep overlaid;
/// - `/api/runs`, `/api/runs/RUN`, `/api/runs/RUN/metrics[/NAME]`, `/api/runs/RUN/versions/OBJ@N`, `/api/compare`,
///   `/api/sweeps[/ID]`, `/api/openapi.json`;
/// - `/events` (server-sent events) is the server's own, see ``LiveFeed``.
public struct WebApp: Sendable {
    /// When set, every request must carry it: `Authorization: Bearer TOKEN`, the `rlhf_token` cookie, or
    /// `?token=TOKEN` (which also sets the cookie, so a browser given the link once keeps working).
    public let token: String?

    public init(token: String? = nil) {
        self.token = token
    }

    /// Nil when the request may go on; else the 401 to send. Checked before the store is touched.
    public func refusal(_ request: WebRequest) -> WebResponse? {
        guard let token else { return nil }
        var offered: [String] = []
        if let header = request.headers["authorization"], header.hasPrefix("Bearer ") {
            offered.append(String(header.dropFirst("Bearer ".count)))
        }
        if let cookies = request.headers["cookie"] {
            for part in cookies.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces)
                if pair.hasPrefix("rlhf_token=") { offered.append(String(pair.dropFirst("rlhf_token=".count))) }
            }
        }
        if let query = request[query: "token"] { offered.append(query) }
        if offered.contains(where: { Self.sameBytes($0, token) }) { return nil }
        let message = offered.isEmpty ? "this server needs its token" : "wrong token"
        var response = problem(WebProblem(401, message), json: request.isAPI)
        response.headers["WWW-Authenticate"] = "Bearer realm=\"rlhf\""
        return response
    }

    /// Headers every answer carries: no caching of live data, no sniffing, no framing, nothing from elsewhere; and the
    /// token's cookie when the request brought the token in its query.
    public func headers(for request: WebRequest) -> [String: String] {
        var headers = [
            "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
            "Content-Security-Policy":
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
            "Referrer-Policy": "no-referrer",
        ]
        if let token, let given = request[query: "token"], Self.sameBytes(given, token) {
            headers["Set-Cookie"] = "rlhf_token=\(token); Path=/; HttpOnly; SameSite=Strict"
        }
        return headers
    }

    /// Answers `request` from `store` (blocking; the server calls it off the cooperative pool). Never throws: a bad
    /// request is a 4xx page or JSON error saying what was wrong, a store error a 404 or 500 saying the same.
    public func respond(_ request: WebRequest, store: LabStore) -> WebResponse {
        if let refusal = refusal(request) { return refusal }
        let json = request.isAPI
        var response: WebResponse
        do {
            guard request.method == "GET" || request.method == "HEAD" else {
                throw WebProblem(405, "the web view is read-only; \(request.method) is not answered")
            }
            response = try route(request, store: store)
        } catch let error as WebProblem {
            response = problem(error, json: json)
        } catch let error as StoreError {
            response = problem(WebProblem(Self.status(of: error), "\(error)"), json: json)
        } catch {
            response = problem(WebProblem(500, "\(error)"), json: json)
        }
        response.headers.merge(headers(for: request)) { mine, _ in mine }
        return response
    }

    private func route(_ request: WebRequest, store: LabStore) throws -> WebResponse {
        let parts = request.segments
        /// The segments of `parts` at the `*` of `pattern`, when the two match.
        func match(_ pattern: String...) -> [String]? {
            guard parts.count == pattern.count else { return nil }
            var captured: [String] = []
            for (part, expected) in zip(parts, pattern) {
                if expected == "*" {
                    guard !part.isEmpty else { return nil }
                    captured.append(part)
                } else if part != expected {
                    return nil
                }
            }
            return captured
        }
        func run(_ text: String) throws -> Int64 { try WebPath.run(text, store: store) }
        let all = request[query: "all"] == "1"

        if match("") != nil { return .html(try RunsPage(store: store, includingDeleted: all).html) }
        if let p = match("runs", "*") {
            let id = try run(p[0])
            return .html(try RunReport(store: store, run: id).html(frame: .web(live: "\(id)")))
        }
        if let p = match("runs", "*", "versions", "*") {
            let ref = try WebPath.version(p[1], run: try run(p[0]))
            let other = try request[query: "diff"].map { try WebPath.diffTarget($0, of: ref) }
            let offset = request[query: "offset"].flatMap { Int($0) } ?? 0
            return .html(try VersionPage(store: store, ref: ref, against: other, offset: offset).html)
        }
        if match("compare") != nil {
            if request[query: "runs"] == nil && request[query: "sweep"] == nil {
                return .html(try Self.chooserPage(store: store))
            }
            return .html(try ComparePage(store: store, selection: try CompareSelection(request, store: store)).html)
        }
        if match("api") != nil || match("api", "openapi.json") != nil { return .json(Data(OpenAPIDocument.json.utf8)) }
        if match("api", "runs") != nil { return .json(try WebAPI.runs(store, includingDeleted: all)) }
        if let p = match("api", "runs", "*") { return .json(try WebAPI.encode(try store.run(try run(p[0])))) }
        if let p = match("api", "runs", "*", "metrics") {
            return .json(try WebAPI.encode(try store.metricSummaries(run: try run(p[0]))))
        }
        if let p = match("api", "runs", "*", "metrics", "*") {
            return .paged(try PagedSeries(store, run: try run(p[0]), name: p[1]))
        }
        if let p = match("api", "runs", "*", "versions", "*") {
            return .json(try WebAPI.version(store, try WebPath.version(p[1], run: try run(p[0]))))
        }
        if match("api", "compare") != nil {
            return .json(try WebAPI.compare(store, try CompareSelection(request, store: store)))
        }
        if match("api", "sweeps") != nil { return .json(try WebAPI.encode(try WebAPI.sweepRows(store))) }
        if let p = match("api", "sweeps", "*") {
            guard let id = Int64(p[0]), id > 0 else {
                throw WebProblem.badRequest("'\(p[0])' is not a sweep id (a positive integer)")
            }
            return .json(try WebAPI.encode(try store.sweep(id)))
        }
        throw WebProblem.notFound("no page at \(request.path)")
    }

    /// The compare page before anything is chosen: how to choose runs, and the store's sweeps.
    static func chooserPage(store: LabStore) throws -> String {
        let frame = PageFrame.web(live: nil)
        var page = RunReport.pageHead(title: "Compare", frame: frame)
        page +=
            "<p>Choose runs with their boxes on the <a href=\"/\">runs page</a>, or a sweep below.</p>\n</header>\n<main>\n"
        let sweeps = try WebAPI.sweepRows(store)
        if sweeps.isEmpty {
            page += "<p>No sweeps in this store (<code>rlhf sweep NOTEBOOK --param …</code> makes one).</p>\n"
        } else {
            page += "<table><tr><th>sweep</th><th>notebook</th><th>created</th><th class=\"num\">runs</th></tr>\n"
            for s in sweeps {
                page += "<tr><td class=\"num\"><a href=\"/compare?sweep=\(s.id)\">\(s.id)</a></td>"
                page +=
                    "<td>\(xmlEscaped(s.notebook))</td><td>\(xmlEscaped(s.createdAt))</td><td class=\"num\">\(s.runs)</td></tr>\n"
            }
            page += "</table>\n"
        }
        page += "</main>\n<footer>rlhf serve · read-only</footer>\n"
        return page + RunReport.pageEnd(frame: frame)
    }

    func problem(_ problem: WebProblem, json: Bool) -> WebResponse {
        if json {
            let body = (try? WebAPI.encode(["error": problem.message])) ?? Data("{}".utf8)
            return .json(body, status: problem.status)
        }
        let frame = PageFrame.web(live: nil)
        let page =
            RunReport.pageHead(title: "\(problem.status) · \(Self.reason(problem.status))", frame: frame)
            + "</header>\n<main>\n<p class=\"error-page\">\(xmlEscaped(problem.message))</p>\n"
            + "<p><a href=\"/\">All runs</a></p>\n</main>\n" + RunReport.pageEnd(frame: frame)
        return .html(page, status: problem.status)
    }

    static func status(of error: StoreError) -> Int {
        switch error {
        case .unknownRun, .unknownObject, .unknownVersion, .unknownRunName, .unknownSweep, .runDeleted: 404
        case .badReference, .wrongKind, .cannotDiff, .badRunName: 400
        case .busy: 503
        default: 500
        }
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad request"
        case 401: "Unauthorized"
        case 404: "Not found"
        case 405: "Method not allowed"
        case 503: "Busy"
        default: "Server error"
        }
    }

    /// Equal byte strings, compared in time that depends only on their lengths.
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
