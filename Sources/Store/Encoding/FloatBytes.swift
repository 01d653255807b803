import Foundation

/// The on-disk form of Float32 vectors: raw little-endian IEEE-754 bytes, bit-exact (NaN payloads and -0 kept).
enum FloatBytes {
    static func encode(_ values: [Float]) -> Data {
        #if _endian(little)
            // The array's own bytes are already the stored form.
            return values.withUnsafeBytes { Data($0) }
        #else
            var data = Data(count: values.count * 4)
            data.withUnsafeMutableBytes { buffer in
                for (index, value) in values.enumerated() {
                    buffer.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: index * 4, as: UInt32.self)
                }
            }
            return data
        #endif
    }

    /// Nil when the byte count is not a multiple of 4.
    static func decode(_ data: Data) -> [Float]? {
        guard data.count % 4 == 0 else { return nil }
        return data.withUnsafeBytes { buffer in
            (0..<(data.count / 4)).map { index in
                Float(
                    bitPattern: UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
            }
        }
    }
}
