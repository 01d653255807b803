@preconcurrency import CReadline

/// Standard output gathered into 64 KB writes, for commands that print a line per row of a million-row result
/// (`rlhf metrics RUN --csv`): `print` per line costs more than reading the row. Goes through stdio, so it stays in
/// order with `print`; ``flush()`` before the command ends.
///
/// The bytes live in one buffer allocated once, and every write copies into it directly: a growable array's generic
/// `append(contentsOf:)` retained and released its argument for every field of every row.
final class OutputBuffer: TextOutputStream {
    private static let capacity = 1 << 16
    /// Flushed when fewer than this many bytes are free, so one field of a row always fits without a check.
    private static let reserve = 256
    private let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    private var count = 0

    deinit { storage.deallocate() }

    func write(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    func write(_ utf8: [UInt8]) { utf8.withUnsafeBufferPointer { append($0) } }

    /// What a number's `write(to:)` hands a stream: its ASCII text, written where a `String` would be built first.
    /// (The standard library's `TextOutputStream` requirement for this; `Double.write(to: &buffer)` writes exactly
    /// `description`'s characters without allocating one string per value.)
    func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { append(buffer) }

    /// `n` in decimal, written digit by digit (no string is built).
    func write(decimal n: Int) {
        if n < 0 { write(byte: UInt8(ascii: "-")) }
        var digits = 0
        var rest = n.magnitude
        repeat {
            digits += 1
            rest /= 10
        } while rest > 0
        rest = n.magnitude
        for index in stride(from: count + digits - 1, through: count, by: -1) {
            storage[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        count += digits
        if count > Self.capacity - Self.reserve { flush() }
    }

    func write(byte: UInt8) {
        storage[count] = byte
        count += 1
        if count > Self.capacity - Self.reserve { flush() }
    }

    func flush() {
        rlhf_write_stdout(storage, count)
        count = 0
    }

    private func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        if count + bytes.count > Self.capacity {
            flush()
            if bytes.count > Self.capacity {
                rlhf_write_stdout(bytes.baseAddress, bytes.count)
                return
            }
        }
        if let base = bytes.baseAddress { (storage + count).update(from: base, count: bytes.count) }
        count += bytes.count
        if count > Self.capacity - Self.reserve { flush() }
    }
}
