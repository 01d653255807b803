import Foundation
import Testing

@testable import Interop

/// `rlhf export RUN --mlflow URI`'s batching: a run's params, tags and metric points go to `runs/log-batch` in
/// requests within MLflow's limits (100 params, 100 tags, 1,000 metrics, 1,000 items, 1 MB), each item exactly once
/// and in order, split as MLflow's own client splits `log_batch`.
struct MLflowBatchTests {
    static func params(_ n: Int, value: String = "0.5") -> [MLflowEntry] {
        (0..<n).map { MLflowEntry(key: "p\($0)", value: value) }
    }

    static func tags(_ n: Int) -> [MLflowEntry] { (0..<n).map { MLflowEntry(key: "t\($0)", value: "") } }

    static func metrics(_ n: Int) -> [MLflowMetric] {
        (0..<n).map { MLflowMetric(key: "m\($0 % 3)", value: Double($0) / 8, timestamp: 1_700_000_000_000, step: $0) }
    }

    /// (params, tags, metrics) → each request's (params, tags, metrics).
    @Test(
        arguments: [
            ((0, 0, 0), []),
            ((1, 0, 0), [[1, 0, 0]]),
            ((0, 0, 1000), [[0, 0, 1000]]),
            ((0, 0, 1001), [[0, 0, 1000], [0, 0, 1]]),
            ((100, 100, 0), [[100, 100, 0]]),
            ((101, 0, 0), [[100, 0, 0], [1, 0, 0]]),
            ((0, 101, 0), [[0, 100, 0], [0, 1, 0]]),
            // MLflow's client: params and tags first, metrics fill the rest of 1,000 items, then 1,000 a request.
            ((150, 0, 2500), [[100, 0, 900], [50, 0, 950], [0, 0, 650]]),
            ((100, 100, 1000), [[100, 100, 800], [0, 0, 200]]),
            ((250, 30, 10), [[100, 30, 10], [100, 0, 0], [50, 0, 0]]),
        ] as [((Int, Int, Int), [[Int]])])
    func splitsAtExactlyTheLimits(sizes: (Int, Int, Int), expected: [[Int]]) {
        let batches = MLflowBatch.split(
            params: Self.params(sizes.0), tags: Self.tags(sizes.1), metrics: Self.metrics(sizes.2))
        #expect(batches.map { [$0.params.count, $0.tags.count, $0.metrics.count] } == expected)
    }

    @Test func everyItemGoesExactlyOnceInOrder() {
        let params = Self.params(150), tags = Self.tags(120), metrics = Self.metrics(2500)
        let batches = MLflowBatch.split(params: params, tags: tags, metrics: metrics)
        #expect(batches.flatMap(\.params) == params)
        #expect(batches.flatMap(\.tags) == tags)
        #expect(batches.flatMap(\.metrics) == metrics)
        for batch in batches {
            #expect(batch.params.count <= 100 && batch.tags.count <= 100 && batch.metrics.count <= 1000)
            #expect(batch.count <= 1000)
        }
    }

    /// 100 params of 6,000 characters and 100 tags of 8,000 would be 1.4 MB in one request: the byte limit splits.
    @Test func staysUnderTheBodyLimit() {
        let long = String(repeating: "x", count: 6000)
        let params = Self.params(100, value: long)
        let tags = (0..<100).map { MLflowEntry(key: "t\($0)", value: String(repeating: "é", count: 8000)) }
        let batches = MLflowBatch.split(params: params, tags: tags, metrics: Self.metrics(10))
        #expect(batches.count > 1)
        for batch in batches { #expect(batch.body(runID: String(repeating: "a", count: 32)).utf8.count <= 1_000_000) }
        #expect(batches.flatMap(\.params) == params && batches.flatMap(\.tags) == tags)
        #expect(batches.flatMap(\.metrics).count == 10)

        var small = MLflowBatch.Limits()
        small.bytes = MLflowBatch.envelopeBytes + 100
        let split = MLflowBatch.split(params: [], tags: [], metrics: Self.metrics(10), limits: small)
        #expect(split.count > 1 && split.flatMap(\.metrics) == Self.metrics(10))
    }

    @Test func bodyIsTheJSONOfLogBatch() throws {
        let batch = MLflowBatch(
            params: [MLflowEntry(key: "lr", value: "0.0003")], tags: [MLflowEntry(key: "a \"b\"", value: "x\ny")],
            metrics: [
                MLflowMetric(key: "rm.loss", value: 0.41, timestamp: 1_764_076_372_123, step: 10),
                MLflowMetric(key: "kl", value: .nan, timestamp: 1, step: 0),
                MLflowMetric(key: "kl", value: .infinity, timestamp: 1, step: 1),
                MLflowMetric(key: "kl", value: -.infinity, timestamp: 1, step: 2),
                MLflowMetric(key: "kl", value: 1e-5, timestamp: 1, step: 3),
            ])
        let body = batch.body(runID: "abc")
        #expect(
            body
                == #"{"run_id":"abc","params":[{"key":"lr","value":"0.0003"}],"tags":[{"key":"a \"b\"","value":"x\ny"}],"#
                + #""metrics":[{"key":"rm.loss","value":0.41,"timestamp":1764076372123,"step":10},"#
                + #"{"key":"kl","value":"NaN","timestamp":1,"step":0},{"key":"kl","value":"Infinity","timestamp":1,"step":1},"#
                + #"{"key":"kl","value":"-Infinity","timestamp":1,"step":2},{"key":"kl","value":1e-05,"timestamp":1,"step":3}]}"#
        )
        // Any JSON reader takes it.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect((json["metrics"] as? [[String: Any]])?.count == 5)
    }
}
