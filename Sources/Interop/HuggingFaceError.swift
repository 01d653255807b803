/// Why a Hugging Face directory could not be written or read: the file and what is wrong in it, on one line.
public struct HuggingFaceError: Error, Equatable, CustomStringConvertible {
    /// The file's path as the user gave the directory (`out/config.json`), or the directory itself.
    public var file: String
    public var problem: String

    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}
