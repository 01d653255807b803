import Foundation
import Store
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A long series as `rlhf serve` sends it: page by page as the client takes it, so a client that stops reading holds
/// neither the server's memory nor its connections.
@Suite struct ServeLongSeriesTests {
    static let points = 1_200_000

    /// Run 1 with series `loss` of `points` points (step i, value i/7) in 12 commits.
    static func store(_ cli: CLI) throws -> String {
        let store = try LabStore(path: cli.store)
        let run = try store.beginRun(notebook: "long.rlhf", source: "# %% train\n", parameters: "{}")
        let commits = 12
        for part in 0..<commits {
            let steps = points * part / commits..<points * (part + 1) / commits
            _ = try store.commit(
                run: run,
                CellCommit(
                    cell: CellRecord(ordinal: part + 1, key: "\(part + 1)", title: "train", source: "train()"),
                    output: "", durationMs: 1,
                    metrics: steps.map { MetricPoint(name: "loss", step: $0, value: Double($0) / 7) }))
        }
        try store.finishRun(run, status: .succeeded)
        return cli.store
    }

    /// The server's anonymous resident memory (its heap and stacks, not the store's file pages), in bytes.
    static func anonymousMemory(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("RssAnon:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
    }

    @Test func aClientThatStopsReadingALongSeriesStallsNothing() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let server = try ServedStore(store: try Self.store(cli))
        defer { server.stop() }
        #expect(try server.get("/api/runs").status == 200)
        #expect(try server.get("/runs/1").status == 200)
        let pid = server.process.processIdentifier
        let before = Self.anonymousMemory(pid)

        // The client asks for the whole series (about 30 MB of JSON), takes its first 64 KB and stops reading.
        let fd = try WebClient.connect(port: server.port)
        defer { close(fd) }
        WebClient.send(fd, target: "/api/runs/1/metrics/loss", headers: [:])
        var received = WebClient.read(fd, timeout: 30) { $0.count >= 65_536 }
        #expect(received.count >= 65_536)
        let head = String(decoding: received.prefix(400), as: UTF8.self)
        #expect(head.hasPrefix("HTTP/1.1 200"))
        #expect(head.lowercased().contains("transfer-encoding: chunked"))

        // The server holds about a page of the series, not all of it; and every other request is answered meanwhile.
        if let before, let during = Self.anonymousMemory(pid) {
            #expect(during - before < 12 << 20, "the server grew by \(during - before) bytes while the client waited")
        }
        for target in ["/", "/api/runs", "/runs/1", "/api/runs/1/metrics", "/compare?runs=1"] {
            #expect(try server.get(target).status == 200, "\(target)")
        }
        let afterPages = Self.anonymousMemory(pid)

        // Reading on, the client gets the whole series.
        received.append(WebClient.read(fd, timeout: 120) { $0.suffix(5) == Data("0\r\n\r\n".utf8) })
        let response = try WebClient.parse(received)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
        let steps = try #require(object["steps"] as? [Int])
        let values = try #require(object["values"] as? [Double])
        #expect(steps.count == Self.points)
        #expect(steps == Array(0..<Self.points))
        #expect(values.count == Self.points)
        #expect(values[Self.points - 1] == Double(Self.points - 1) / 7)
        if let afterPages, let after = Self.anonymousMemory(pid) {
            #expect(after - afterPages < 12 << 20, "the server grew by \(after - afterPages) bytes sending the series")
        }
    }
}
