/// Something the store did to a run between its cells, recorded as a typed row (`commit_events`) beside the commit
/// that did it, so a replay redoes it from its fields. The commit's note says the same in words; the note is part of
/// the commit's hash and is never parsed.
public enum StoreEvent: Sendable, Equatable, Codable {
    /// `rlhf rollback RUN/OBJECT --to N` or the shell's `:rollback OBJECT N`: a new version of `object` equal to
    /// version `toVersion`.
    case rollback(object: String, toVersion: Int)
    /// The first commit of a run resumed from run `parentRun` before its cell `beforeCell` (`--resume`, `--cells`).
    case resume(parentRun: Int64, beforeCell: Int)
}

/// A ``StoreEvent`` with the commit that recorded it.
public struct CommitEvent: Sendable, Equatable, Codable {
    /// The commit's id; commits of one store are ordered by it.
    public var commit: Int64
    public var event: StoreEvent

    public init(commit: Int64, event: StoreEvent) {
        self.commit = commit
        self.event = event
    }
}
