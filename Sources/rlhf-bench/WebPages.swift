import Foundation
import Store
import Web

/// P16: the web view's pages on the P13 store, timed server-side (``WebApp`` answering from a read-only store, as
/// `rlhf serve` does for each request, without the socket). P17: `wrk` (Debian's) with 50 connections for 30 s
/// against the release `rlhf serve` on loopback, when installed.
extension Bench {
    mutating func webPages(_ built: ScaleStore.Built, runs: Int) throws {
        let tag = "(\(runs) runs, \(Self.millions(built.points)) points)"
        if wanted("P16") {
            say("P16 web pages \(tag)…")
            let store = try LabStore.openReadOnly(path: built.path)
            let app = WebApp()
            func milliseconds(_ target: String) throws -> Double {
                var answer = WebResponse(status: 0, contentType: "", body: Data())
                var body = Data()
                let seconds = try medianSeconds(repeats) {
                    answer = app.respond(WebRequest(target: target), store: store)
                    body = try answer.wholeBody(store)
                }
                guard answer.status == 200 else {
                    throw BenchError.failed("\(target) answered \(answer.status): \(answer.text.prefix(200))")
                }
                say("  \(target.prefix(60)): \(TextFormat.bytes(body.count))")
                return seconds * 1000
            }
            // A run of the sweep (25 cells, 4 objects of 25 versions, 100 metric points); the 1.2 M-point run; 20 runs
            // of the sweep compared (the same 2 metrics of each).
            let sweepRuns = (2...21).map(String.init).joined(separator: ",")
            let pages: [(String, String, Double)] = [
                ("runs page", "/", 100), ("run page, a sweep run with 100 versions", "/runs/2", 200),
                ("run page, the 1.2 M-point run", "/runs/\(built.bigRun)", 200),
                ("compare of 20 runs", "/compare?runs=\(sweepRuns)", 300),
                (
                    "API: 100,000 points of one series", "/api/runs/\(built.bigRun)/metrics/\(ScaleStore.firstSeries)",
                    300
                ),
            ]
            for (name, target, limit) in pages {
                figures.append(
                    Figure(
                        workload: "P16 \(name) \(tag)", ours: try milliseconds(target), unit: "ms", peer: nil,
                        target: .atMost(limit)))
            }
        }
        if wanted("P17") { try load(built, tag: tag) }
    }

    private mutating func load(_ built: ScaleStore.Built, tag: String) throws {
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: FileManager.default.isExecutableFile) else {
            return say("P17 skipped: wrk is not installed (apt-get install wrk)")
        }
        say("P17 50 clients for 30 s against rlhf serve \(tag)…")
        let server = Process()
        server.executableURL = Processes.rlhf
        server.arguments = ["serve", "--port", "0", "--store", built.path]
        let out = Pipe()
        server.standardOutput = out
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        guard let start = line.range(of: "http://"), let end = line[start.lowerBound...].firstIndex(of: " ") else {
            throw BenchError.failed("rlhf serve printed no address: \(line)")
        }
        let url = String(line[start.lowerBound..<end])
        for (name, path) in [("runs page", ""), ("API runs", "api/runs")] {
            let result = try Processes.run(
                URL(fileURLWithPath: wrk), ["-t2", "-c50", "-d\(quick ? 5 : 30)s", "--latency", url + path])
            let text = result.output
            say(text)
            let perSecond = Self.field(text, after: "Requests/sec:") ?? 0
            let p99 = Self.latency(text, percentile: "99%") ?? .nan
            let errors = (Self.field(text, after: "Non-2xx or 3xx responses:") ?? 0) + Self.socketErrors(text)
            figures.append(
                Figure(
                    workload: "P17 \(name) under 50 clients: requests/s \(tag)", ours: perSecond, unit: "req/s",
                    peer: nil, target: .none))
            figures.append(
                Figure(
                    workload: "P17 \(name) under 50 clients: p99 latency", ours: p99, unit: "ms", peer: nil,
                    target: .none))
            figures.append(
                Figure(
                    workload: "P17 \(name) under 50 clients: errors", ours: errors, unit: "", peer: nil,
                    target: .atMost(0)))
        }
    }

    static func millions(_ n: Int) -> String { String(format: "%.1f M", Double(n) / 1e6) }

    /// The number after `label` in wrk's report.
    static func field(_ text: String, after label: String) -> Double? {
        guard let range = text.range(of: label) else { return nil }
        return Double(text[range.upperBound...].split(whereSeparator: \.isWhitespace).first ?? "")
    }

    /// A latency percentile of `--latency` (`99%   12.34ms`), in milliseconds.
    static func latency(_ text: String, percentile: String) -> Double? {
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: \.isWhitespace)
            guard parts.count == 2, parts[0] == percentile else { continue }
            let value = String(parts[1])
            for (unit, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where value.hasSuffix(unit) {
                return Double(value.dropLast(unit.count)).map { $0 * scale }
            }
        }
        return nil
    }

    /// wrk's `Socket errors: connect 0, read 0, write 0, timeout 0`, summed.
    static func socketErrors(_ text: String) -> Double {
        guard let line = text.split(separator: "\n").first(where: { $0.contains("Socket errors:") }) else { return 0 }
        return line.split(separator: ",").compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0, +)
    }
}
