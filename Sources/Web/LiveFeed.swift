import FlyingSocks
import Foundation
import Store

/// Tells open pages when the store commits: one watcher asks the store's change counter every `interval` (a
/// `PRAGMA data_version`, microseconds), and when it moved, which runs changed (a new commit, a failed cell, an
/// ending); each subscriber gets `event: commit` with `{"runs":[…]}` as a server-sent event. Pages subscribe with
/// `EventSource('/events')` and poll nothing themselves.
public final class LiveFeed: @unchecked Sendable {
    private let store: LabStore
    private let interval: Duration
    private let lock = NSLock()
    private var subscribers: [UUID: AsyncStream<[UInt8]>.Continuation] = [:]
    private var watcher: Task<Void, Never>?

    /// Opens a connection of its own to the store at `path`.
    public init(path: String, interval: Duration = .milliseconds(200)) throws {
        store = try LabStore.openReadOnly(path: path)
        self.interval = interval
    }

    deinit { watcher?.cancel() }

    /// Starts watching (once).
    public func start() {
        lock.withLock {
            guard watcher == nil else { return }
            watcher = Task.detached { [self] in await watch() }
        }
    }

    public func stop() {
        lock.withLock { watcher?.cancel() }
    }

    /// Counts the store's commits as the watcher sees them: it moves within `interval` of any commit, so an answer
    /// computed at one generation is still the store's answer while the generation stays.
    public var generation: Int { lock.withLock { seen } }
    private var seen = 0

    /// How many pages are listening now.
    public var subscriberCount: Int { lock.withLock { subscribers.count } }

    private func watch() async {
        var counter = (try? store.changeCounter()) ?? 0
        var stamps = (try? store.runStamps()) ?? [:]
        var ticks = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            ticks += 1
            // A comment now and then: a page whose connection died is then noticed and dropped.
            if ticks % 75 == 0 { broadcast(Array(": keep-alive\n\n".utf8)) }
            guard let now = try? store.changeCounter(), now != counter else { continue }
            counter = now
            lock.withLock { seen += 1 }
            guard let fresh = try? store.runStamps() else { continue }
            let changed = Set(fresh.keys).union(stamps.keys).filter { fresh[$0] != stamps[$0] }.sorted()
            stamps = fresh
            if changed.isEmpty { continue }
            broadcast(Self.event(runs: changed))
        }
    }

    static func event(runs: [Int64]) -> [UInt8] {
        Array("event: commit\ndata: {\"runs\":[\(runs.map(String.init).joined(separator: ","))]}\n\n".utf8)
    }

    private func broadcast(_ bytes: [UInt8]) {
        let all = lock.withLock { Array(subscribers.values) }
        for continuation in all { continuation.yield(bytes) }
    }

    /// A new subscriber's byte stream: a first comment (so the page knows it is connected), then events until the
    /// page goes away.
    public func subscribe() -> EventBytes {
        let id = UUID()
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingNewest(64))
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            _ = lock.withLock { subscribers.removeValue(forKey: id) }
        }
        lock.withLock { subscribers[id] = continuation }
        continuation.yield(Array(": connected\nretry: 1000\n\n".utf8))
        return EventBytes(stream: stream)
    }
}

/// A server-sent event stream as the bytes FlyingFox writes, one event per write.
public struct EventBytes: AsyncBufferedSequence, Sendable {
    public typealias Element = UInt8
    let stream: AsyncStream<[UInt8]>

    public func makeAsyncIterator() -> Iterator { Iterator(base: stream.makeAsyncIterator()) }

    public struct Iterator: AsyncBufferedIteratorProtocol {
        var base: AsyncStream<[UInt8]>.Iterator
        var pending = PendingBytes()

        public mutating func next() async throws -> UInt8? { try await nextBuffer(suggested: 1)?.first }

        public mutating func nextBuffer(suggested count: Int) async throws -> ArraySlice<UInt8>? {
            if pending.isEmpty {
                guard let chunk = await base.next() else { return nil }
                pending.load(chunk)
            }
            return pending.take(count)
        }
    }
}
