/// One binding stored with a commit, with the exact object version it pinned (nil for plain values).
public struct CommittedBinding: Sendable, Equatable {
    public var name: String
    public var value: BindingValue
    public var version: VersionInfo?
}
