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
            let app = self.app
            let response = try await readers.read { store in app.respond(web, store: store) }
            return Self.response(response)
        }

        static func response(_ response: WebResponse) -> HTTPResponse {
            var headers = HTTPHeaders()
            headers[HTTPHeader("Content-Type")] = response.contentType
            for (name, value) in response.headers { headers[HTTPHeader(name)] = value }
            return HTTPResponse(
                statusCode: HTTPStatusCode(response.status, phrase: WebApp.reason(response.status)), headers: headers,
                body: response.body)
        }
    }
}
