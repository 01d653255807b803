/// Why bytes are not a safetensors file this lab can read, or a set of tensors cannot be written as one. Each case
/// is one line that names the tensor, the numbers and what the format requires.
public enum SafetensorsError: Error, Equatable, CustomStringConvertible {
    case tooShort(bytes: Int)
    case headerTooLarge(UInt64)
    case headerPastEnd(headerBytes: UInt64, fileBytes: Int)
    case headerNotObject
    case headerNotJSON(String)
    case metadataNotStrings(String)
    case duplicateName(String)
    case entryNotObject(name: String, kind: String)
    case entryField(name: String, problem: String)
    case unknownDtype(name: String, dtype: String)
    case sizeMismatch(name: String, shape: [Int], dtype: String, bytes: Int)
    case offsetsPastEnd(name: String, end: Int, dataBytes: Int)
    case offsetsOverlap(name: String, begin: Int, previous: String, previousEnd: Int)
    case offsetsGap(name: String, begin: Int, expected: Int)
    case dataNotCovered(covered: Int, dataBytes: Int)
    case unsupportedDtype(name: String, dtype: String)
    case valueCount(name: String, shape: [Int], values: Int)

    public var description: String {
        switch self {
        case let .tooShort(bytes):
            "the file is \(bytes) bytes, too short for the 8-byte header length a safetensors file starts with"
        case let .headerTooLarge(n):
            "the header length \(n) exceeds the \(Safetensors.maximumHeaderBytes) bytes a safetensors header may have"
        case let .headerPastEnd(n, fileBytes):
            "the header length \(n) runs past the end of the file (\(fileBytes) bytes)"
        case .headerNotObject: "the header is not a JSON object (it must start with '{')"
        case let .headerNotJSON(why): "the header is not valid JSON: \(why)"
        case let .metadataNotStrings(why): "'__metadata__' must map strings to strings: \(why)"
        case let .duplicateName(name): "the header lists \(quoted(name)) twice"
        case let .entryNotObject(name, kind): "the entry for \(quoted(name)) is \(kind), not an object"
        case let .entryField(name, problem): "tensor \(quoted(name)): \(problem)"
        case let .unknownDtype(name, dtype): "tensor \(quoted(name)) has unknown dtype \(quoted(dtype))"
        case let .sizeMismatch(name, shape, dtype, bytes):
            "tensor \(quoted(name)) of shape \(shape) and dtype \(dtype) needs "
                + "\(Safetensors.byteCount(shape: shape, dtype: dtype).map(String.init) ?? "more than 2^63") bytes, "
                + "but its data_offsets span \(bytes)"
        case let .offsetsPastEnd(name, end, dataBytes):
            "tensor \(quoted(name)) ends at byte \(end), past the end of the data (\(dataBytes) bytes after the header)"
        case let .offsetsOverlap(name, begin, previous, previousEnd):
            "tensor \(quoted(name)) starts at byte \(begin), inside \(quoted(previous)) (which ends at \(previousEnd))"
        case let .offsetsGap(name, begin, expected):
            "tensor \(quoted(name)) starts at byte \(begin), leaving a gap after byte \(expected) "
                + "(tensors must be contiguous)"
        case let .dataNotCovered(covered, dataBytes):
            "the tensors cover \(covered) bytes but \(dataBytes) follow the header (trailing bytes)"
        case let .unsupportedDtype(name, dtype): "tensor \(quoted(name)) is \(dtype); only F32 tensors can be read"
        case let .valueCount(name, shape, values):
            "tensor \(quoted(name)) has \(values) values for shape \(shape)"
        }
    }

    private func quoted(_ s: String) -> String { JSONWriter.quoted(s).replacingOccurrences(of: "\"", with: "'") }
}
