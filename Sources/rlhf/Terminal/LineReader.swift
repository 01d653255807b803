@preconcurrency import CReadline
import Foundation

/// Reads input lines: through readline (prompt, editing, history) on a terminal; plainly, with no prompt echo or
/// control sequences, when stdin is a pipe or file.
final class LineReader {
    let interactive: Bool
    private let historyPath: String?
    private static let historyLimit: Int32 = 1000

    /// `completions` supplies the words Tab completes (variables, built-ins, labels, meta-commands) at each press.
    init(historyPath: String?, completions: @escaping () -> [String] = { [] }) {
        interactive = isatty(0) == 1 && isatty(1) == 1
        self.historyPath = historyPath
        if interactive {
            rl_readline_name = UnsafePointer(strdup("rlhf"))
            completionSource = completions
            rl_attempted_completion_function = completeWord
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

// readline calls back through C function pointers, which cannot capture context: the word source lives here.
nonisolated(unsafe) private var completionSource: () -> [String] = { [] }
nonisolated(unsafe) private var completionMatches: [String] = []

/// Completes the word under the cursor from `completionSource`, never from file names.
private func completeWord(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
{
    rl_attempted_completion_over = 1
    return rl_completion_matches(text, nextMatch)
}

/// readline's generator protocol: state 0 starts a new completion, then one match per call until nil.
private func nextMatch(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    if state == 0 {
        let prefix = text.map { String(cString: $0) } ?? ""
        completionMatches = Array(Set(completionSource().filter { $0.hasPrefix(prefix) })).sorted().reversed()
    }
    guard let next = completionMatches.popLast() else { return nil }
    return strdup(next)
}
