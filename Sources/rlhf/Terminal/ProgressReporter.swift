import Foundation

/// Draws the progress of long built-ins on standard error, never into cell output (standard output, which the store
/// keeps): on a terminal a bar with rate and ETA, redrawn in place; otherwise a plain line every few seconds; nothing
/// when quiet. ANSI escapes only on a terminal and only when `NO_COLOR` is unset.
final class ProgressReporter {
    private let quiet: Bool
    private let isTerminal: Bool
    private let color: Bool
    private let lineInterval: Duration
    private let clock = ContinuousClock()
    private var start: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant?
    private var lastDone = 0
    private var lastTotal = 0
    private var drawn = false

    /// `lineInterval`: seconds between two plain lines; `RLHF_PROGRESS_SECONDS` sets it (0 prints every update, for
    /// logs that want more than a line every 5 seconds).
    init(
        quiet: Bool, isTerminal: Bool = isatty(2) != 0,
        noColor: Bool = ProcessInfo.processInfo.environment["NO_COLOR"] != nil,
        lineInterval: Duration = ProgressReporter.intervalFromEnvironment()
    ) {
        self.quiet = quiet
        self.isTerminal = isTerminal
        self.color = isTerminal && !noColor
        self.lineInterval = lineInterval
        start = clock.now
    }

    static func intervalFromEnvironment() -> Duration {
        guard let text = ProcessInfo.processInfo.environment["RLHF_PROGRESS_SECONDS"], let seconds = Double(text),
            seconds.isFinite, seconds >= 0
        else { return .seconds(5) }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// Called by the running built-in with the steps done so far and the total.
    func update(_ done: Int, _ total: Int) {
        update(done, total, label: nil)
    }

    /// Called while a cell's commit hashes and writes a large dataset: lines read `committing 2048/200000 …`.
    func updateCommit(_ done: Int, _ total: Int) {
        update(done, total, label: "committing")
    }

    private func update(_ done: Int, _ total: Int, label: String?) {
        guard !quiet, total > 0 else { return }
        let now = clock.now
        if done < lastDone || total != lastTotal {
            start = now
            lastDraw = nil
        }
        (lastDone, lastTotal) = (done, total)
        if isTerminal {
            // Tasks shorter than a quarter second never flash a bar; then it is redrawn at most ten times a second.
            if now - start < .milliseconds(250) { return }
            if let lastDraw, now - lastDraw < .milliseconds(100), done < total { return }
        } else {
            // A plain log gets a line once per interval of running: short tasks print nothing.
            guard let lastDraw else {
                self.lastDraw = now
                return
            }
            if now - lastDraw < lineInterval { return }
        }
        lastDraw = now
        var line = ProgressReporter.describe(done: done, total: total, elapsed: now - start, width: isTerminal ? 24 : 0)
        if let label { line.text = " " + label + line.text }
        if isTerminal {
            let bar = color ? "\u{1B}[36m" + line.bar + "\u{1B}[0m" : line.bar
            write("\r" + bar + line.text + (color ? "\u{1B}[K" : "   "))
            drawn = true
        } else {
            write("progress: " + line.text.trimmingCharacters(in: .whitespaces) + "\n")
        }
    }

    /// Clears the bar, so the next output starts on a clean line.
    func finish() {
        if drawn {
            write(color ? "\r\u{1B}[K" : "\r" + String(repeating: " ", count: 80) + "\r")
            drawn = false
        }
        (lastDone, lastTotal, lastDraw) = (0, 0, nil)
    }

    /// The bar (`width` cells, empty for none) and `  120/500 · 240/s · ETA 2s`.
    static func describe(done: Int, total: Int, elapsed: Duration, width: Int) -> (bar: String, text: String) {
        let fraction = min(max(Double(done) / Double(total), 0), 1)
        var bar = ""
        if width > 0 {
            let filled = Int((fraction * Double(width)).rounded(.down))
            bar = "▕" + String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + "▏"
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        var text = " \(done)/\(total) (\(Int(fraction * 100))%)"
        if seconds > 0, done > 0 {
            let rate = Double(done) / seconds
            text += " · " + (rate >= 10 ? String(format: "%.0f/s", rate) : String(format: "%.1f/s", rate))
            text += " · ETA " + duration(Double(total - done) / rate)
        }
        return (bar, text)
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded(.up))
        return s < 60
            ? "\(s)s"
            : s < 3600
                ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s / 3600)h\(String(format: "%02d", s / 60 % 60))m"
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
