@preconcurrency import CReadline
import Foundation

/// Reads input lines: through readline (prompt, editing, history) on a terminal; plainly, with no prompt echo or
/// control sequences, when stdin is a pipe or file.
final class LineReader {
    let interactive: Bool
    private let historyPath: String?
    private static let historyLimit: Int32 = 1000

    init(historyPath: String?) {
        interactive = isatty(0) == 1 && isatty(1) == 1
        self.historyPath = historyPath
        if interactive {
            rl_readline_name = UnsafePointer(strdup("rlhf"))
            if let historyPath { read_history(historyPath) }
        }
    }

    /// The next line, or nil at end of input (Ctrl-D).
    func readLine(prompt: String) -> String? {
        guard interactive else { return Swift.readLine(strippingNewline: true) }
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        let line = String(cString: raw)
        if !line.trimmingCharacters(in: .whitespaces).isEmpty { add_history(raw) }
        return line
    }

    /// Writes the history file, keeping the last `historyLimit` entries.
    func close() {
        guard interactive, let historyPath else { return }
        write_history(historyPath)
        history_truncate_file(historyPath, Self.historyLimit)
    }
}
