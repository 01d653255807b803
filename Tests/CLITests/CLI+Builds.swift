import Foundation
import Testing

/// A build of `rlhf` a test runs: cancellation must work in the binary users run, and the optimiser once hid Ctrl-C
/// from a running cell in the release build only, so the signal and terminal tests run against both builds.
struct Build: Sendable, CustomTestStringConvertible {
    var name: String
    var executable: URL

    var testDescription: String { name }

    static let debug = Build(name: "debug", executable: CLI.executable)

    /// `$RLHF_RELEASE_BIN`, else `.build/release/rlhf` beside the debug build when it exists (build it with
    /// `swift build -c release --product rlhf` first; a stale one tests old code).
    static let release: Build? = {
        if let path = ProcessInfo.processInfo.environment["RLHF_RELEASE_BIN"], !path.isEmpty {
            return Build(name: "release", executable: URL(fileURLWithPath: path))
        }
        // The debug binary is .build/<triple>/debug/rlhf; the release one .build/<triple>/release/rlhf.
        let candidate = CLI.executable.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("release").appendingPathComponent("rlhf")
        return FileManager.default.isExecutableFile(atPath: candidate.path)
            ? Build(name: "release", executable: candidate) : nil
    }()

    /// Debug always; release when there is one.
    static var all: [Build] { [debug] + (release.map { [$0] } ?? []) }
}
