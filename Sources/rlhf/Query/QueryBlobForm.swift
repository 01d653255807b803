import ArgumentParser
import Foundation
import Store

/// How `rlhf query --json` and `--csv` write a blob (`--blobs`): by its size, as today, or its bytes as text.
///
/// ```
/// $ rlhf query "SELECT X'0000803F000000C0' AS b" --json --blobs floats
/// [
///   {"b": [1.0, -2.0]}
/// ]
/// ```
enum QueryBlobForm: String, CaseIterable, ExpressibleByArgument {
    /// `{"blob_bytes": N}` in JSON, `<blob N bytes>` in CSV; the bytes are not read.
    case size
    /// The bytes in base64 (RFC 4648, padded), a JSON string.
    case base64
    /// The bytes in lowercase hexadecimal, a JSON string.
    case hex
    /// The bytes as little-endian Float32 values: a JSON array of numbers; in CSV the numbers separated by spaces.
    /// Non-finite values are `"inf"`, `"-inf"`, `"nan"` (strings in JSON), as `--json` writes reals.
    case floats

    /// Whether the query must read the blobs' bytes.
    var readsBytes: Bool { self != .size }

    /// The blob as a JSON value; a blob that is not whole Float32 values under `floats` is a ``QueryBlobError``.
    func json(_ bytes: Data, column: String, row: Int) throws -> String {
        switch self {
        case .size: "{\"blob_bytes\": \(bytes.count)}"
        case .base64, .hex: "\"\(try text(bytes, column: column, row: row))\""
        case .floats:
            "["
                + (try floats(bytes, column: column, row: row)).map {
                    $0.isFinite ? "\($0)" : "\"\($0)\""
                }.joined(separator: ", ") + "]"
        }
    }

    /// The blob as plain text (a CSV field): `<blob N bytes>`, its base64 or hex, or its values separated by spaces.
    func text(_ bytes: Data, column: String, row: Int) throws -> String {
        switch self {
        case .size: "<blob \(bytes.count) bytes>"
        case .base64: bytes.base64EncodedString()
        case .hex: bytes.map { String(format: "%02x", $0) }.joined()
        case .floats: try floats(bytes, column: column, row: row).map { "\($0)" }.joined(separator: " ")
        }
    }

    private func floats(_ bytes: Data, column: String, row: Int) throws -> [Float] {
        guard bytes.count % 4 == 0 else { throw QueryBlobError(column: column, row: row, bytes: bytes.count) }
        return stride(from: bytes.startIndex, to: bytes.endIndex, by: 4).map { start in
            Float(bitPattern: bytes[start..<start + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) })
        }
    }
}

/// A blob `--blobs floats` cannot read: its length is not a multiple of 4 bytes.
struct QueryBlobError: Error, CustomStringConvertible {
    var column: String
    /// 1-based, in the order the rows were printed.
    var row: Int
    var bytes: Int

    var description: String {
        "column '\(column)' of row \(row) is a blob of \(bytes) byte\(bytes == 1 ? "" : "s"), not whole Float32 values "
            + "(4 bytes each); "
            + "--blobs size, base64 or hex print any blob"
    }
}
