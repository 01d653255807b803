import Foundation

/// The width charts are drawn to: the terminal's columns when standard output is one, else `COLUMNS`, else 80.
enum TerminalSize {
    static var columns: Int {
        var size = winsize()
        if isatty(1) != 0, ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 30 { return Int(size.ws_col) }
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let n = Int(text), n >= 30 { return n }
        return 80
    }
}
