#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How much stack the current thread has left, so that the parser and the interpreter, which recurse over the
/// syntax tree, stop with a located error instead of overflowing the stack.
///
/// The fixed limits (`Parser.maximumNesting`, `Interpreter.maximumCallDepth`) bound each kind of nesting on its own
/// and give the same error on every build; this guard bounds their product (a deep expression inside a deep
/// recursion) and protects threads with small stacks, whatever the build's frame sizes are.
///
/// ```swift
/// if StackGuard.isExhausted { throw RuntimeError("…nested too deeply…") }
/// ```
enum StackGuard {
    /// True when less than the reserve is left below the caller's frame.
    static var isExhausted: Bool {
        let bounds = currentThreadBounds()
        return currentAddress() < bounds.lowest + bounds.reserve
    }

    /// Bytes of stack left below the caller (for tests and measurements).
    static var remaining: Int {
        let bounds = currentThreadBounds()
        return Int(bitPattern: currentAddress()) - Int(bitPattern: bounds.lowest)
    }

    /// The stack's size on this thread, in bytes.
    static var size: Int { currentThreadBounds().size }

    @inline(never)
    private static func currentAddress() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }

    /// Lowest usable address, size and reserve of this thread's stack, looked up once per thread.
    private struct Bounds {
        var lowest: UInt
        var size: Int
        /// What the deepest check leaves for the frames after it: built-ins, printing, freeing values.
        var reserve: UInt
    }

    private static func currentThreadBounds() -> Bounds {
        if let cached = pthread_getspecific(boundsKey) {
            return cached.assumingMemoryBound(to: Bounds.self).pointee
        }
        let bounds = lookUpBounds()
        let storage = UnsafeMutablePointer<Bounds>.allocate(capacity: 1)
        storage.initialize(to: bounds)
        pthread_setspecific(boundsKey, storage)
        return bounds
    }

    private static func lookUpBounds() -> Bounds {
        var lowest: UInt = 0
        var size = 0
        #if canImport(Glibc)
            var attributes = pthread_attr_t()
            if let getAttributes, getAttributes(pthread_self(), &attributes) == 0 {
                var address: UnsafeMutableRawPointer?
                var bytes = 0
                if pthread_attr_getstack(&attributes, &address, &bytes) == 0, let address {
                    lowest = UInt(bitPattern: address)
                    size = bytes
                }
                pthread_attr_destroy(&attributes)
            }
        #elseif canImport(Darwin)
            let top = UInt(bitPattern: pthread_get_stackaddr_np(pthread_self()))
            size = pthread_get_stacksize_np(pthread_self())
            lowest = top - UInt(size)
        #endif
        if size == 0 {
            // Unknown bounds: assume a small stack ending near here, so the guard errs towards stopping early.
            size = 512 * 1024
            lowest = currentAddress() - UInt(size)
        }
        let reserve = UInt(max(64 * 1024, min(512 * 1024, size / 8)))
        return Bounds(lowest: lowest, size: size, reserve: reserve)
    }

    #if canImport(Glibc)
        /// glibc's `pthread_getattr_np`, which Swift's Glibc module does not export (it needs `_GNU_SOURCE`).
        private typealias GetAttributes = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32
        private static let getAttributes: GetAttributes? = {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_getattr_np") else { return nil }
            return unsafeBitCast(symbol, to: GetAttributes.self)
        }()
    #endif

    /// One slot per thread holding that thread's `Bounds`, freed when the thread ends.
    private static let boundsKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            #if canImport(Glibc)
                pointer?.deallocate()
            #else
                pointer.deallocate()
            #endif
        }
        return key
    }()
}
