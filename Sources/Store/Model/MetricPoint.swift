/// One scalar measurement, e.g. `MetricPoint(name: "rm.loss", step: 10, value: 0.41)`.
public struct MetricPoint: Sendable, Equatable, Codable {
    public var name: String
    public var step: Int
    public var value: Double

    public init(name: String, step: Int, value: Double) {
        self.name = name
        self.step = step
        self.value = value
    }
}
