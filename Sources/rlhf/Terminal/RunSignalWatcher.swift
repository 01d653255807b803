@preconcurrency import CReadline
import Foundation
import Language
import Notebook

/// During `rlhf run`, turns SIGINT (Ctrl-C) and SIGTERM into a cancel request for the running cell instead of killing
/// the process, so the cell is rolled back, recorded as `cancelled` with its output so far, and the run is recorded
/// as `cancelled` before `rlhf run` exits (130 for SIGINT, 143 for SIGTERM).
///
/// A second signal exits at once with the same code: SQLite's journal keeps the store consistent (every commit is
/// whole or absent) and the run, left `running` by a dead process, reads as `interrupted`.
struct RunSignalWatcher {
    /// The runner's cancel request (the runner itself belongs to the main thread).
    let request: CancelRequest

    /// Installs the handlers and starts the watching thread, which lives as long as the process.
    func start() {
        rlhf_install_run_signal_handlers()
        let thread = Thread { [request] in
            var first: Int32?
            while true {
                var pipe = pollfd(fd: rlhf_sigint_fd(), events: Int16(POLLIN), revents: 0)
                _ = poll(&pipe, 1, 100)
                let signals =
                    Array(repeating: SIGINT, count: Int(rlhf_take_sigint()))
                    + Array(repeating: SIGTERM, count: Int(rlhf_take_sigterm()))
                for signal in signals {
                    if let first {
                        Self.say("error: \(Self.name(signal)) again: exiting now; the run reads 'interrupted'\n")
                        _exit(Self.exitCode(first))
                    }
                    first = signal
                    request.request(signal == SIGTERM ? .terminate : .interrupt)
                    Self.say(
                        "note: \(Self.name(signal)): cancelling the running cell at its next check point "
                            + "(send it again to exit at once)\n")
                }
            }
        }
        thread.start()
    }

    /// `rlhf run`'s exit code after a signal: 128 + its number, as shells report a process a signal stopped.
    static func exitCode(_ signal: Int32) -> Int32 { 128 + signal }

    static func name(_ signal: Int32) -> String { signal == SIGTERM ? "SIGTERM" : "SIGINT" }

    /// Unbuffered, so the note is never held behind the main thread's buffered output.
    private static func say(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count) }
    }
}
