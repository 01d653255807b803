import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs the built `rlhf` on a pseudo-terminal, so the shell sees a terminal (readline, prompts, Ctrl-C as SIGINT)
/// exactly as a user's session does. Bytes typed go to the master side; everything the shell prints is collected.
final class PseudoTerminal {
    let pid: pid_t
    let master: Int32
    /// Everything read so far (prompts, echo, output and errors; the terminal merges them).
    private(set) var transcript = ""

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    init(arguments: [String], home: String, executable: URL = CLI.executable) throws {
        // Everything the child needs is prepared before fork: only exec may run in the child.
        let program = strdup(executable.path)
        let argv = [program] + arguments.map { strdup($0) } + [nil]
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home
        environment["TERM"] = "xterm"
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv.dropFirst() { free(pointer) }
            free(program)
            for pointer in envp { free(pointer) }
        }
        var window = winsize(ws_row: 40, ws_col: 200, ws_xpixel: 0, ws_ypixel: 0)
        var descriptor: Int32 = -1
        let child = forkpty(&descriptor, nil, nil, &window)
        if child == 0 {
            if let program { execve(program, argv, envp) }
            _exit(127)
        }
        guard child > 0 else { throw SpawnError(description: "forkpty failed: errno \(errno)") }
        pid = child
        master = descriptor
    }

    /// Types `text` (use `\r` for Return, `\t` for Tab, `\u{3}` for Ctrl-C, `\u{4}` for Ctrl-D).
    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count) }
    }

    /// The transcript as a reader sees it: terminal control sequences and carriage returns removed.
    var screen: String {
        transcript.replacingOccurrences(of: "\u{1B}\\[[0-9;?]*[A-Za-z]", with: "", options: .regularExpression)
            .replacingOccurrences(of: "\r", with: "")
    }

    /// Reads until the screen after `offset` characters contains `text`; false after `timeout` seconds without it.
    @discardableResult
    func waitFor(_ text: String, after offset: Int = 0, timeout: Double = 15) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if screen.dropFirst(offset).contains(text) { return true }
            readAvailable(waitMilliseconds: 50)
        }
        let found = screen.dropFirst(offset).contains(text)
        if !found { Issue.record("no '\(text)' on the terminal after \(offset) characters:\n\(screen)") }
        return found
    }

    /// Types `line` and Return, then waits for `expected` and for the next prompt (so the next keys reach readline,
    /// not the terminal's cooked mode).
    func enter(_ line: String, expecting expected: String, prompt: String = "rlhf[1]> ") -> Bool {
        let start = mark
        type(line + "\r")
        guard waitFor(expected, after: start) else { return false }
        // The prompt that counts is the one printed after the output, not one drawn before it.
        let text = screen
        guard let found = text.range(of: expected, range: text.index(text.startIndex, offsetBy: start)..<text.endIndex)
        else { return false }
        return waitFor(prompt, after: text.distance(from: text.startIndex, to: found.upperBound))
    }

    /// How much was read so far, to look only at output that comes later.
    var mark: Int { screen.count }

    /// Waits for the shell to exit and returns its exit status (nil if it did not exit within `timeout`).
    func waitForExit(timeout: Double = 20) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while Date() < deadline {
            readAvailable(waitMilliseconds: 20)
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                readAvailable(waitMilliseconds: 0)
                return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            }
        }
        Issue.record("the shell did not exit; the terminal shows:\n\(screen)\nraw: \(transcript.debugDescription)")
        return nil
    }

    private func readAvailable(waitMilliseconds: Int32) {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, waitMilliseconds) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(master, &buffer, buffer.count)
        if count > 0 { transcript += String(decoding: buffer[0..<count], as: UTF8.self) }
    }

    deinit {
        if waitpid(pid, nil, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, nil, 0)
        }
        close(master)
    }
}
