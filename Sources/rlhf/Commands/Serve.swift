import ArgumentParser
import CReadline
import Dispatch
import Foundation
import Store
import Web

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Serve a read-only web view of the store: runs table, run pages, comparisons, live updates, JSON API.",
        discussion: """
            Pages: / (runs), /runs/RUN, /runs/RUN/versions/NAME@N, /compare?runs=A,B or ?sweep=ID. JSON: /api/… \
            (described at /api/openapi.json). Pages update within a second of each commit while a run writes. \
            The server binds to 127.0.0.1 by default; any other --host needs --token, and every request must then \
            carry it (Authorization: Bearer TOKEN, or ?token=TOKEN once in a browser). Nothing is written to the store.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "Port to listen on (0: any free port, printed at start).") var port: Int = 8080
    @Option(help: "Address to bind: 127.0.0.1 (default), ::1, or another address with --token.") var host =
        "127.0.0.1"
    @Option(help: "A secret every request must carry; required for a --host that is not loopback.") var token: String?

    /// Loopback addresses: only this machine can reach them.
    static func isLoopback(_ host: String) -> Bool {
        host == "::1" || host.hasPrefix("127.")
    }

    var address: String { host == "localhost" ? "127.0.0.1" : host }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is not a port (0–65535)") }
        if let token, token.count < 8 || token.contains(where: { $0.isWhitespace || $0 == ";" }) {
            throw ValidationError("--token must be at least 8 characters, without spaces or ';'")
        }
        if !Self.isLoopback(address) && token == nil {
            throw ValidationError(
                "--host \(host) lets other machines in; give --token SECRET too (every request must then carry it)")
        }
    }

    func run() throws {
        // Ctrl-C and kill stop the server, whatever the parent blocked.
        rlhf_default_stop_signals()
        let server = try failing {
            try WebServer(storePath: try store.checkedPath(), host: address, port: UInt16(port), token: token)
        }
        let done = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        Task.detached {
            do {
                try await server.run { url in
                    let line = "serving \(store.path) read-only at \(url)  (Ctrl-C stops)\n"
                    FileHandle.standardOutput.write(Data(line.utf8))
                }
            } catch {
                outcome.error = error
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error {
            printError("error: cannot serve on \(address):\(port): \(error.localizedDescription)")
            throw ExitCode.failure
        }
    }

    private final class Outcome: @unchecked Sendable {
        var error: (any Error)?
    }
}
