import Foundation

/// The text form of a tensor shape in `version_tensors.shape`: a compact JSON array such as `[64,100]`.
enum TensorShape {
    static func encode(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ",") + "]"
    }

    static func decode(_ text: String) -> [Int]? {
        try? JSONDecoder().decode([Int].self, from: Data(text.utf8))
    }
}
