/// The difference between two checkpoint versions: one ``TensorDiff`` per tensor name in either, sorted by name.
public struct ModelDiff: Sendable, Codable {
    public var a: VersionInfo
    public var b: VersionInfo
    public var tensors: [TensorDiff]
    public var configA: String
    public var configB: String
    /// The config keys whose values differ, sorted by key (a value is nil where the key is absent).
    public var configChanges: [ConfigChange]

    init(a: VersionInfo, b: VersionInfo, checkpointA: Checkpoint, checkpointB: Checkpoint) {
        var tensorsA: [String: StoredTensor] = [:]
        for tensor in checkpointA.tensors { tensorsA[tensor.name] = tensor }
        var tensorsB: [String: StoredTensor] = [:]
        for tensor in checkpointB.tensors { tensorsB[tensor.name] = tensor }
        let names = Set(tensorsA.keys).union(tensorsB.keys).sorted()
        self.a = a
        self.b = b
        self.tensors = names.map { TensorDiff(name: $0, a: tensorsA[$0], b: tensorsB[$0]) }
        self.configA = checkpointA.config
        self.configB = checkpointB.config
        self.configChanges = ConfigChange.between(checkpointA.config, checkpointB.config)
    }

    /// True when no tensor changed and the configs are equal.
    public var isIdentical: Bool {
        configA == configB && tensors.allSatisfy { $0.status == "unchanged" }
    }
}
