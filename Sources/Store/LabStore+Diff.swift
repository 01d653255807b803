import GRDB

extension LabStore {
    /// Compares two versions of the same family, possibly across runs (`rlhf diff 12/policy@1 12/policy@3`).
    /// A checkpoint against a dataset -> ``StoreError/cannotDiff(_:_:reason:)``.
    public func diff(_ a: VersionRef, _ b: VersionRef) throws -> ObjectDiff {
        try read { db in
            let (infoA, versionA, kindA) = try resolve(db, a)
            let (infoB, versionB, kindB) = try resolve(db, b)
            guard kindA == kindB else {
                throw StoreError.cannotDiff(
                    a.description, b.description,
                    reason: "\(a) is a \(kindA.rawValue) and \(b) is a \(kindB.rawValue)")
            }
            switch kindA {
            case .checkpoint:
                return .model(
                    ModelDiff(
                        a: infoA, b: infoB, checkpointA: try loadCheckpoint(db, versionA),
                        checkpointB: try loadCheckpoint(db, versionB)))
            case .dataset:
                return .dataset(
                    DatasetDiff(
                        a: infoA, b: infoB, rowsA: try loadRows(db, versionA), rowsB: try loadRows(db, versionB)))
            }
        }
    }
}
