/// One `runs/log-batch` request's worth of a run: params, tags and metric points within MLflow's limits, split from a
/// whole run as MLflow's own client splits `log_batch` (100 params and 100 tags a request, metrics filling the rest of
/// 1,000 items, then 1,000 metrics a request), and also kept under the server's 1 MB body limit.
///
/// ```swift
/// let batches = MLflowBatch.split(params: params, tags: tags, metrics: points)
/// for batch in batches { post("runs/log-batch", batch.body(runID: id)) }
/// ```
///
/// Every item goes into exactly one batch, and params, tags and metrics each keep their order across batches.
public struct MLflowBatch: Sendable, Equatable {
    public var params: [MLflowEntry] = []
    public var tags: [MLflowEntry] = []
    public var metrics: [MLflowMetric] = []

    /// What one request may hold: MLflow's `MAX_METRICS_PER_BATCH`, `MAX_PARAMS_TAGS_PER_BATCH`,
    /// `MAX_ENTITIES_PER_BATCH` and `MAX_BATCH_LOG_REQUEST_SIZE`.
    public struct Limits: Sendable, Equatable {
        public var metrics = 1000
        public var params = 100
        public var tags = 100
        public var items = 1000
        public var bytes = 1_000_000

        public init() {}

        public static let mlflow = Limits()
    }

    /// Room left in a body for `{"run_id":"…","params":[],"tags":[],"metrics":[]}` around the items; a run id is
    /// 32 hexadecimal digits.
    static let envelopeBytes = 256

    public var count: Int { params.count + tags.count + metrics.count }

    /// The run's items in as few requests as the limits allow: each request first takes params and tags (up to their
    /// limits), then metric points up to the item and byte limits. An item larger than a whole body still goes,
    /// alone, for the server to refuse by name.
    public static func split(
        params: [MLflowEntry], tags: [MLflowEntry], metrics: [MLflowMetric], limits: Limits = .mlflow
    ) -> [MLflowBatch] {
        var params = params[...], tags = tags[...], metrics = metrics[...]
        var batches: [MLflowBatch] = []
        while !(params.isEmpty && tags.isEmpty && metrics.isEmpty) {
            var room = Room(limits: limits)
            let batch = MLflowBatch(
                params: room.take(&params, limit: limits.params) { $0.json.utf8.count },
                tags: room.take(&tags, limit: limits.tags) { $0.json.utf8.count },
                metrics: room.take(&metrics, limit: limits.metrics) { $0.json.utf8.count })
            batches.append(batch)
        }
        return batches
    }

    /// What one request being filled holds so far.
    private struct Room {
        let limits: Limits
        var items = 0
        var bytes = MLflowBatch.envelopeBytes

        /// Takes items from the front of `queue` while they fit: at most `limit` of this kind, the item limit, the
        /// byte limit (`size` of each, plus its comma); the first item of an empty request always.
        mutating func take<Item>(_ queue: inout ArraySlice<Item>, limit: Int, size: (Item) -> Int) -> [Item] {
            var taken: [Item] = []
            while let next = queue.first {
                let added = size(next) + 1
                guard items == 0 || (taken.count < limit && items < limits.items && bytes + added <= limits.bytes)
                else { break }
                taken.append(next)
                queue.removeFirst()
                items += 1
                bytes += added
            }
            return taken
        }
    }

    /// The request body of `POST runs/log-batch` for the MLflow run `runID`.
    public func body(runID: String) -> String {
        "{\"run_id\":" + JSONWriter.quoted(runID) + ",\"params\":[" + params.map(\.json).joined(separator: ",")
            + "],\"tags\":[" + tags.map(\.json).joined(separator: ",") + "],\"metrics\":["
            + metrics.map(\.json).joined(separator: ",") + "]}"
    }
}

/// A param or tag as MLflow takes it: `{"key": "lr", "value": "0.0003"}`.
public struct MLflowEntry: Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// The entry as a JSON object, compactly.
    var json: String { JSONValue.fields(["key": .string(key), "value": .string(value)]).compactText }
}

/// One metric point as MLflow takes it: `{"key": "rm.loss", "value": 0.41, "timestamp": 1764076372123, "step": 10}`.
public struct MLflowMetric: Sendable, Equatable {
    public var key: String
    public var value: Double
    /// Milliseconds since 1970.
    public var timestamp: Int64
    public var step: Int

    public init(key: String, value: Double, timestamp: Int64, step: Int) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.step = step
    }

    /// The point as a JSON object. A value JSON cannot write as a number is the string protobuf's JSON mapping gives
    /// it (`"NaN"`, `"Infinity"`, `"-Infinity"`), which MLflow's server parses back into the double.
    var json: String {
        JSONValue.fields([
            "key": .string(key), "value": Self.number(value), "timestamp": .number(String(timestamp)),
            "step": .number(String(step)),
        ]).compactText
    }

    /// `x` as a JSON number (Swift's shortest round-trip spelling), or protobuf's string for a non-finite value.
    static func number(_ x: Double) -> JSONValue {
        if x.isNaN { return .string("NaN") }
        if x.isInfinite { return .string(x > 0 ? "Infinity" : "-Infinity") }
        return .number("\(x)")
    }
}
