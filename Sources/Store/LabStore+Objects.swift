import GRDB

extension LabStore {
    /// A checkpoint version with its tensors sorted by name (`"12/policy@3"`, or the latest for `"12/policy"`).
    ///
    /// ```swift
    /// let (info, checkpoint) = try store.checkpoint(VersionRef(parsing: "12/policy@3"))
    /// ```
    public func checkpoint(_ ref: VersionRef) throws -> (VersionInfo, Checkpoint) {
        try read { db in
            let (info, version) = try resolve(db, ref, as: .checkpoint)
            return (info, try loadCheckpoint(db, version))
        }
    }

    /// The rows alive at a dataset version, ordered by uid.
    public func datasetRows(_ ref: VersionRef) throws -> (VersionInfo, [FeedbackRow]) {
        try read { db in
            let (info, version) = try resolve(db, ref, as: .dataset)
            return (info, try loadRows(db, version))
        }
    }

    /// Any object version's content, checkpoint or dataset (e.g. to restore a session's bindings).
    public func state(_ ref: VersionRef) throws -> (VersionInfo, ObjectState) {
        try read { db in
            let (info, version, kind) = try resolve(db, ref)
            switch kind {
            case .checkpoint:
                return (info, .checkpoint(try loadCheckpoint(db, version)))
            case .dataset:
                return (info, .dataset(kind: version.kind, config: version.config, rows: try loadRows(db, version)))
            }
        }
    }

    /// The bindings stored with a commit (see ``CellInfo/commit``), by name, each object pinned to its version.
    public func bindings(commit: Int64) throws -> [CommittedBinding] {
        try read { db in try committedBindings(db, commit) }
    }

    /// Finds the version a reference names, with the errors a user needs to correct it.
    func resolve(_ db: Database, _ ref: VersionRef) throws -> (VersionInfo, DBVersion, ObjectKind) {
        let object = try DBObject.existing(db, run: ref.run, name: ref.object)
        let version = try DBVersion.existing(db, object: object, version: ref.version)
        return (try VersionInfo.fetch(db, version: version, path: path), version, object.objectKind)
    }

    func resolve(_ db: Database, _ ref: VersionRef, as expected: ObjectKind) throws -> (VersionInfo, DBVersion) {
        let (info, version, kind) = try resolve(db, ref)
        guard kind == expected else {
            throw StoreError.wrongKind(reference: ref.description, expected: expected, actual: kind)
        }
        return (info, version)
    }

    func loadCheckpoint(_ db: Database, _ version: DBVersion) throws -> Checkpoint {
        guard let id = version.id else { throw StoreError.corrupt(path, "a version without id") }
        return Checkpoint(
            kind: version.kind, config: version.config,
            tensors: try DBVersionTensor.tensors(db, version: id, path: path))
    }

    func loadRows(_ db: Database, _ version: DBVersion) throws -> [FeedbackRow] {
        try DBFeedback.alive(db, object: version.objectId, version: version.version).map { stored in
            guard let row = stored.row else {
                throw StoreError.corrupt(path, "feedback row \(stored.uid) has vectors that are not whole f32 arrays")
            }
            return row
        }
    }
}
