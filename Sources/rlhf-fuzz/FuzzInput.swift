import Notebook

/// One fuzz input, run the way `rlhf run` runs a notebook but with no store: the bytes are checked as UTF-8 and split
/// into cells, every cell is lexed and parsed, and the code cells run in one interpreter with the core built-ins only.
///
/// A step budget and a cap on the length of strings and lists keep every input within a few milliseconds and a few
/// megabytes, so the fuzzer finds crashes rather than programs that are merely slow (`while true {}`) or big
/// (`range(10000000) * 5`). Any error the language reports is a correct outcome; only a crash is a finding.
enum FuzzInput {
    /// Evaluation steps per input.
    static let maximumSteps = 20_000
    /// Longest string or list per value.
    static let maximumLength = 20_000

    static func run(_ bytes: [UInt8]) {
        let file = "fuzz.rlhf"
        // Both readings of the bytes: validated (as `rlhf run` reads a file) and repaired, so that the lexer also
        // sees the replacement characters a bad byte decodes to.
        let text: String
        do {
            text = try SourceBytes.text(of: bytes, file: file)
        } catch {
            _ = String(describing: error)
            text = String(decoding: bytes, as: UTF8.self)
        }
        let notebook = CellFile.parse(path: file, text: text)
        for diagnostic in notebook.diagnostics() { _ = diagnostic.description }
        let interpreter = Interpreter(output: { _ in })
        interpreter.maximumSteps = maximumSteps
        interpreter.maximumLength = maximumLength
        for cell in notebook.codeCells {
            do {
                if let value = try interpreter.run(source: cell.source, file: file, firstLine: cell.firstLine) {
                    _ = value.quotedText
                }
            } catch {
                _ = String(describing: error)
            }
        }
    }
}
