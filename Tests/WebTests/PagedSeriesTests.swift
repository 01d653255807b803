import Foundation
import Store
import Testing
import Web

/// `/api/runs/RUN/metrics/NAME` read page by page: whatever the page size, the body is the JSON of the whole series.
@Suite struct PagedSeriesTests {
    /// A store holding run 1 with series `s` of `values` at steps 10, 20, 30, … over `commits` commits.
    static func store(values: [Double], commits: Int = 1) throws -> (LabStore, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("WebTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try LabStore(path: folder.appendingPathComponent("lab.sqlite").path)
        let run = try store.beginRun(notebook: "n.rlhf", source: "# %% a\n", parameters: "{}")
        for part in 0..<commits {
            let range = values.count * part / commits..<values.count * (part + 1) / commits
            try append(store, run: run, ordinal: part + 1, range.map { (10 * ($0 + 1), values[$0]) })
        }
        return (store, folder)
    }

    static func append(_ store: LabStore, run: Int64, ordinal: Int, _ points: [(Int, Double)]) throws {
        _ = try store.commit(
            run: run,
            CellCommit(
                cell: CellRecord(ordinal: ordinal, key: "\(ordinal)", title: "a", source: "log"), output: "",
                durationMs: 1, metrics: points.map { MetricPoint(name: "s", step: $0.0, value: $0.1) }))
    }

    /// The body parsed: steps and values (non-finite ones as their strings).
    static func parse(_ body: Data) throws -> (name: String?, run: Int?, steps: [Int], values: [String]) {
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let values = (object["values"] as? [Any] ?? []).map { "\($0)" }
        return (object["name"] as? String, object["run"] as? Int, object["steps"] as? [Int] ?? [], values)
    }

    static let values: [Double] = (0..<23).map { i in
        switch i {
        case 4: .nan
        case 9: .infinity
        case 15: -.infinity
        default: Double(i) * 0.25 - 1
        }
    }

    @Test(arguments: [1, 2, 5, 22, 23, 24, 16_384])
    func everyPageSizeGivesTheWholeSeries(pageSize: Int) throws {
        let (store, folder) = try Self.store(values: Self.values, commits: 3)
        defer { try? FileManager.default.removeItem(at: folder) }
        let body = try PagedSeries(store, run: 1, name: "s", pageSize: pageSize).collected(store)
        let parsed = try Self.parse(body)
        #expect(parsed.name == "s")
        #expect(parsed.run == 1)
        #expect(parsed.steps == (1...23).map { 10 * $0 })
        let expected = Self.values.map { v in
            v.isNaN ? "nan" : v == .infinity ? "inf" : v == -.infinity ? "-inf" : "\(v)"
        }
        #expect(parsed.values.map { Double($0).map { "\($0)" } ?? $0 } == expected)
    }

    @Test func aSeriesOfOnePointAndAMissingOne() throws {
        let (store, folder) = try Self.store(values: [2.5])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(
            String(decoding: try PagedSeries(store, run: 1, name: "s").collected(store), as: UTF8.self)
                == #"{"name":"s","run":1,"steps":[10],"values":[2.5]}"#)
        #expect(throws: WebProblem.self) { try PagedSeries(store, run: 1, name: "t") }
    }

    /// Points committed after the request came are not sent, so both columns have the same length.
    @Test func pointsCommittedWhileSendingAreLeftForTheNextRequest() throws {
        let (store, folder) = try Self.store(values: Self.values)
        defer { try? FileManager.default.removeItem(at: folder) }
        var series = try PagedSeries(store, run: 1, name: "s", pageSize: 4)
        var body = Data()
        for _ in 0..<3 { body.append(try #require(try series.next(store))) }
        try Self.append(store, run: 1, ordinal: 2, (24...30).map { (10 * $0, Double($0)) })
        while let piece = try series.next(store) { body.append(piece) }
        let parsed = try Self.parse(body)
        #expect(parsed.steps.count == 23)
        #expect(parsed.values.count == 23)
        #expect(try Self.parse(try PagedSeries(store, run: 1, name: "s").collected(store)).steps.count == 30)
    }

    /// A point added inside the range already sent (a step logged out of order) would make the columns differ: the
    /// body is cut short with an error instead.
    @Test func columnsThatWouldDifferEndTheBodyWithAnError() throws {
        let (store, folder) = try Self.store(values: Self.values)
        defer { try? FileManager.default.removeItem(at: folder) }
        var series = try PagedSeries(store, run: 1, name: "s", pageSize: 100)
        _ = try series.next(store)
        _ = try series.next(store)
        try Self.append(store, run: 1, ordinal: 2, [(15, 7)])
        #expect(throws: WebProblem.self) { while try series.next(store) != nil {} }
    }
}
