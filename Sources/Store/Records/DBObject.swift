import GRDB

/// A row of `objects`: a named, versioned value of a run. `kind` is its family (`checkpoint` or `dataset`).
struct DBObject: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "objects"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    enum Columns {
        static let id = Column("id")
        static let runId = Column("run_id")
        static let name = Column("name")
        static let kind = Column("kind")
    }

    var id: Int64?
    var runId: Int64
    var name: String
    var kind: String

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    var objectKind: ObjectKind { ObjectKind(rawValue: kind) ?? .checkpoint }

    static func find(_ db: Database, run: Int64, name: String) throws -> DBObject? {
        try DBObject.filter(Columns.runId == run && Columns.name == name).fetchOne(db)
    }

    /// Objects of a run by name.
    static func all(_ db: Database, run: Int64) throws -> [DBObject] {
        try DBObject.filter(Columns.runId == run).order(Columns.name).fetchAll(db)
    }

    /// The object, or `StoreError.unknownObject` listing the run's objects (after checking the run exists).
    static func existing(_ db: Database, run: Int64, name: String) throws -> DBObject {
        _ = try DBRun.existing(db, id: run)
        if let object = try find(db, run: run, name: name) { return object }
        let names = try all(db, run: run).map(\.name)
        throw StoreError.unknownObject(run: run, name: name, objects: names)
    }
}
