/// A named object of a run with all its versions, oldest first.
public struct ObjectInfo: Sendable, Codable, Equatable {
    public var name: String
    public var kind: ObjectKind
    public var versions: [VersionInfo]
}
