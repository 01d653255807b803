import GRDB

/// A row of `commit_events`: the typed ``StoreEvent`` of a commit without a cell (a rollback, a resume's first
/// commit). Not part of the commit's hash: the commit's note and versions already are.
struct DBCommitEvent: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "commit_events"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// The `kind` column's values.
    enum Kind: String, CaseIterable {
        case rollback, resume
    }

    var commitId: Int64
    /// A ``Kind``.
    var kind: String
    /// A rollback's object and the version it made current again.
    var object: String?
    var version: Int?
    /// A resume's parent run and the cell it resumed before.
    var parentRun: Int64?
    var cell: Int?

    init(commit: Int64, event: StoreEvent) {
        commitId = commit
        switch event {
        case let .rollback(object, version):
            kind = Kind.rollback.rawValue
            self.object = object
            self.version = version
        case let .resume(parent, cell):
            kind = Kind.resume.rawValue
            parentRun = parent
            self.cell = cell
        }
    }

    /// The event this row records; a row no ``StoreEvent`` fits is a damaged store.
    func event(path: String) throws -> StoreEvent {
        switch Kind(rawValue: kind) {
        case .rollback:
            if let object, let version { return .rollback(object: object, toVersion: version) }
        case .resume:
            if let parentRun, let cell { return .resume(parentRun: parentRun, beforeCell: cell) }
        case nil:
            throw StoreError.corrupt(path, "commit \(commitId) has an event of unknown kind '\(kind)'")
        }
        throw StoreError.corrupt(path, "commit \(commitId)'s \(kind) event lacks its fields")
    }

    /// The events of run `run`'s commits, in commit order.
    static func all(_ db: Database, run: Int64) throws -> [DBCommitEvent] {
        try DBCommitEvent.fetchAll(
            db,
            sql: """
                SELECT e.* FROM commit_events e JOIN commits co ON co.id = e.commit_id
                WHERE co.run_id = ? ORDER BY e.commit_id
                """, arguments: [run])
    }
}
