import Dispatch
import Foundation
import Store

/// A few read-only connections to one store, lent out one per request, with the blocking store work done on
/// Dispatch's threads rather than on Swift concurrency's few cooperative ones: a slow page then holds one connection
/// and one thread, and every other request goes on.
public final class StoreReaders: @unchecked Sendable {
    public let path: String
    private let lock = NSLock()
    private var idle: [LabStore]
    private let available: DispatchSemaphore
    private let queue = DispatchQueue(label: "rlhf-web-store", attributes: .concurrent)

    /// Opens `count` read-only connections; a missing, corrupt or newer store throws the store's own error.
    public init(path: String, count: Int = 4) throws {
        self.path = path
        idle = try (0..<max(1, count)).map { _ in try LabStore.openReadOnly(path: path) }
        available = DispatchSemaphore(value: idle.count)
    }

    /// Runs `body` with a connection of its own, off the cooperative pool.
    public func read<T: Sendable>(_ body: @escaping @Sendable (LabStore) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [self] in
                available.wait()
                let store = lock.withLock { idle.removeLast() }
                defer {
                    lock.withLock { idle.append(store) }
                    available.signal()
                }
                continuation.resume(with: Result { try body(store) })
            }
        }
    }
}
