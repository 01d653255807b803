@preconcurrency import CReadline
import Foundation

/// Reads input lines: through readline (prompt, editing, history) on a terminal; plainly, with no prompt echo or
/// control sequences, when stdin is a pipe or file.
///
/// On a terminal, Ctrl-C at the prompt abandons the line being typed (``readLine(prompt:)`` returns ``Line/cancelled``)
/// and Ctrl-C while a cell runs is seen by ``takeInterrupt()``.
final class LineReader {
    let interactive: Bool
    private let historyPath: String?
    static let historyLimit: Int32 = 1000

    /// What one prompt produced.
    enum Line: Equatable {
        case text(String)
        /// Ctrl-C: the line (and any continuation lines before it) is dropped.
        case cancelled
        /// Ctrl-D on an empty line, or end of input.
        case end
    }

    /// `completions` supplies the words Tab completes (variables, built-ins, labels, meta-commands) at each press.
    init(historyPath: String?, completions: @escaping () -> [String] = { [] }) {
        interactive = isatty(0) == 1 && isatty(1) == 1
        self.historyPath = historyPath
        if interactive {
            rl_readline_name = UnsafePointer(strdup("rlhf"))
            completionSource = completions
            rl_attempted_completion_function = completeWord
            // readline must not install its own SIGINT handler over ours; it reads keys through `readKey`.
            rl_catch_signals = 0
            rl_getc_function = readKey
            rlhf_install_sigint_handler()
            if let historyPath { read_history(historyPath) }
        }
    }

    /// The next line, Ctrl-C (``Line/cancelled``), or the end of input (Ctrl-D).
    func readLine(prompt: String) -> Line {
        guard interactive else { return Swift.readLine(strippingNewline: true).map(Line.text) ?? .end }
        _ = rlhf_take_sigint()
        promptInterrupted = false
        guard let raw = readline(prompt) else { return .end }
        defer { free(raw) }
        if promptInterrupted { return .cancelled }
        let line = String(cString: raw)
        if !line.trimmingCharacters(in: .whitespaces).isEmpty { add_history(raw) }
        return .text(line)
    }

    /// Whether Ctrl-C was pressed since the last call (used while a cell runs).
    func takeInterrupt() -> Bool { interactive && rlhf_take_sigint() > 0 }

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
nonisolated(unsafe) private var promptInterrupted = false

/// readline's key reader: waits on the terminal and on the Ctrl-C pipe together. Ctrl-C shows `^C` and ends the
/// line as if Return were pressed, marking it cancelled so the shell drops it.
private func readKey(_ stream: UnsafeMutablePointer<FILE>?) -> Int32 {
    let descriptor = stream.map { fileno($0) } ?? 0
    while true {
        var watched = [
            pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: rlhf_sigint_fd(), events: Int16(POLLIN), revents: 0),
        ]
        let ready = poll(&watched, watched[1].fd >= 0 ? 2 : 1, -1)
        if ready < 0 && errno != EINTR { return EOF }
        if rlhf_take_sigint() > 0 {
            promptInterrupted = true
            rl_point = rl_end
            rl_insert_text("^C")
            return 10
        }
        guard ready > 0, watched[0].revents != 0 else { continue }
        var byte: UInt8 = 0
        let count = read(descriptor, &byte, 1)
        if count == 1 { return Int32(byte) }
        if count < 0 && errno == EINTR { continue }
        return EOF
    }
}

/// Completes the word under the cursor from `completionSource`, never from file names.
private func completeWord(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
{
    rl_attempted_completion_over = 1
    // `print` completes to `print`, not `print ` (the next key is usually `(`); labels already end in `:`.
    rl_completion_append_character = 0
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
