import FlyingFox
import FlyingSocks
import Foundation
import Store

/// `rlhf serve`: the web view on a FlyingFox HTTP server. Pages and JSON come from ``WebApp`` over a few read-only
/// connections (``StoreReaders``); `/events` is the ``LiveFeed``. Nothing here opens the store for writing.
public final class WebServer: Sendable {
    public let host: String
    public let app: WebApp
    private let server: HTTPServer
    private let readers: StoreReaders
    private let feed: LiveFeed

    /// Binds nothing yet; opens the store read-only (a missing or corrupt store throws the store's error).
    /// `host` is an IPv4 or IPv6 address.
    public init(storePath: String, host: String, port: UInt16, token: String?, connections: Int = 4) throws {
        self.host = host
        app = WebApp(token: token)
        readers = try StoreReaders(path: storePath, count: connections)
        feed = try LiveFeed(path: storePath)
        let address: any SocketAddress
        do {
            address =
                host.contains(":")
                ? try sockaddr_in6.inet6(ip6: host, port: port) : try sockaddr_in.inet(ip4: host, port: port)
        } catch {
            throw WebProblem(400, "--host '\(host)' is not an IPv4 or IPv6 address")
        }
        server = HTTPServer(
            config: HTTPServer.Configuration(address: address, timeout: 30, logger: .disabled),
            handler: Handler(app: app, readers: readers, feed: feed))
    }

    /// Serves until cancelled; `listening` gets the URL once the socket listens (with the port the system chose for
    /// port 0).
    public func run(listening: @escaping @Sendable (String) -> Void) async throws {
        feed.start()
        defer { feed.stop() }
        let announce = Task { [server, host] in
            try await server.waitUntilListening(timeout: 10)
            guard let address = await server.listeningAddress else { return }
            let port: UInt16
            switch address {
            case .ip4(_, let p), .ip6(_, let p): port = p
            case .unix: return
            }
            listening("http://\(host.contains(":") ? "[\(host)]" : host):\(port)/")
        }
        defer { announce.cancel() }
        try await server.run()
    }

    /// Adapts FlyingFox's requests to ``WebApp``'s.
    struct Handler: HTTPHandler {
        let app: WebApp
        let readers: StoreReaders
        let feed: LiveFeed
        let cache = ResponseCache()

        func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
            var headers: [String: String] = [:]
            for (name, value) in request.headers { headers[name.rawValue.lowercased()] = value }
            let web = WebRequest(
                method: request.method.rawValue, rawPath: request.target.path(),
                query: request.query.map { ($0.name, $0.value) }, headers: headers)
            if web.path == "/events" {
                if let refusal = app.refusal(web) { return Self.response(refusal) }
                var sse = HTTPHeaders()
                sse[HTTPHeader("Content-Type")] = "text/event-stream"
                sse[HTTPHeader("Cache-Control")] = "no-store"
                return HTTPResponse(
                    statusCode: .ok, headers: sse,
                    body: HTTPBodySequence(from: feed.subscribe(), suggestedBufferSize: 4096))
            }
            if let refusal = app.refusal(web) { return Self.response(refusal) }
            // A page is computed once per store generation: fifty readers of the runs table while nothing commits
            // cost one query.
            let key = request.target.path() + "?" + request.target.query()
            let generation = feed.generation
            let head = request.method == .HEAD
            if let cached = cache.answer(key, generation: generation) { return Self.response(cached, head: head) }
            let app = self.app
            let response = try await readers.read { store in app.respond(web, store: store) }
            cache.keep(response, for: key, generation: generation)
            return Self.response(response, readers: readers, head: head)
        }

        /// FlyingFox's form of `response`: a paged series goes out chunked, each page read when the socket wants it;
        /// a HEAD answer has the headers and length of the GET one and no body.
        static func response(_ response: WebResponse, readers: StoreReaders? = nil, head: Bool = false) -> HTTPResponse
        {
            var headers = HTTPHeaders()
            headers[HTTPHeader("Content-Type")] = response.contentType
            for (name, value) in response.headers { headers[HTTPHeader(name)] = value }
            let status = HTTPStatusCode(response.status, phrase: WebApp.reason(response.status))
            if head {
                if response.paged == nil { headers[.contentLength] = String(response.body.count) }
                return HTTPResponse(statusCode: status, headers: headers)
            }
            if let series = response.paged, let readers {
                return HTTPResponse(
                    statusCode: status, headers: headers,
                    body: HTTPBodySequence(
                        from: PagedBytes(series: series, readers: readers), suggestedBufferSize: 65536))
            }
            return HTTPResponse(statusCode: status, headers: headers, body: response.body)
        }
    }
}

/// A ``PagedSeries`` as the bytes FlyingFox writes: the next page is read (on a lent connection) only when the
/// socket has taken the last, so memory is one page whatever the series' length.
struct PagedBytes: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let series: PagedSeries
    let readers: StoreReaders

    func makeAsyncIterator() -> Iterator { Iterator(series: series, readers: readers) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var series: PagedSeries
        let readers: StoreReaders
        var pending = PendingBytes()

        mutating func next() async throws -> UInt8? { try await nextBuffer(suggested: 1)?.first }

        mutating func nextBuffer(suggested count: Int) async throws -> ArraySlice<UInt8>? {
            if pending.isEmpty {
                let now = series
                let (after, page) = try await readers.read { store in
                    var series = now
                    let page = try series.next(store)
                    return (series, page)
                }
                series = after
                guard let page else { return nil }
                pending.load(Array(page))
            }
            return pending.take(count)
        }
    }
}

/// The part of a chunk not yet handed on, given out as many bytes at a time as the writer asks for.
struct PendingBytes {
    private var bytes: [UInt8] = []
    private var index = 0

    var isEmpty: Bool { index >= bytes.count }

    mutating func load(_ chunk: [UInt8]) {
        bytes = chunk
        index = 0
    }

    mutating func take(_ count: Int) -> ArraySlice<UInt8> {
        let end = Swift.min(bytes.count, index + Swift.max(1, count))
        defer { index = end }
        return bytes[index..<end]
    }
}

/// Answers by request target for one store generation (see ``LiveFeed/generation``): a commit makes every kept
/// answer stale. At most `capacity` bytes are kept; the oldest answers go first. Only whole 200 answers are kept, and a
/// token-guarded server checks the token before asking.
final class ResponseCache: @unchecked Sendable {
    private let lock = NSLock()
    private var generation = -1
    private var answers: [String: WebResponse] = [:]
    private var order: [String] = []
    private var bytes = 0
    let capacity: Int

    init(capacity: Int = 64 << 20) {
        self.capacity = capacity
    }

    func answer(_ key: String, generation: Int) -> WebResponse? {
        lock.withLock { generation == self.generation ? answers[key] : nil }
    }

    func keep(_ response: WebResponse, for key: String, generation: Int) {
        guard response.status == 200, response.paged == nil, response.body.count <= capacity / 4 else { return }
        lock.withLock {
            if generation != self.generation {
                guard generation > self.generation else { return }
                self.generation = generation
                answers = [:]
                order = []
                bytes = 0
            }
            guard answers[key] == nil else { return }
            answers[key] = response
            order.append(key)
            bytes += response.body.count
            while bytes > capacity, let oldest = order.first {
                order.removeFirst()
                bytes -= answers.removeValue(forKey: oldest)?.body.count ?? 0
            }
        }
    }
}
