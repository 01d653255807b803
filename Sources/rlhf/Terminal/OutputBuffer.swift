@preconcurrency import CReadline

/// Standard output gathered into 64 KB writes, for commands that print a line per row of a million-row result
/// (`rlhf metrics RUN --csv`): `print` per line costs more than reading the row. Goes through stdio, so it stays in
/// order with `print`; ``flush()`` before the command ends.
struct OutputBuffer {
    private var bytes: [UInt8] = []
    private static let capacity = 1 << 16

    init() { bytes.reserveCapacity(Self.capacity) }

    mutating func write(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        if bytes.count >= Self.capacity - 256 { flush() }
    }

    mutating func write(_ utf8: [UInt8]) {
        bytes.append(contentsOf: utf8)
        if bytes.count >= Self.capacity - 256 { flush() }
    }

    /// `n` in decimal, written digit by digit (no string is built).
    mutating func write(decimal n: Int) {
        if n < 0 { bytes.append(UInt8(ascii: "-")) }
        let start = bytes.count
        var magnitude = n.magnitude
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    mutating func write(byte: UInt8) { bytes.append(byte) }

    mutating func flush() {
        bytes.withUnsafeBytes { rlhf_write_stdout($0.baseAddress, $0.count) }
        bytes.removeAll(keepingCapacity: true)
    }
}
