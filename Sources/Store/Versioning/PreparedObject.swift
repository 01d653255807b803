import Foundation

/// An object's state validated, encoded and hashed, ready to be written. Built before the write transaction starts
/// so that hashing large checkpoints never holds the store's write lock.
enum PreparedObject: Sendable {
    case checkpoint(PreparedCheckpoint)
    case dataset(PreparedDataset)

    var name: String {
        switch self {
        case .checkpoint(let checkpoint): checkpoint.name
        case .dataset(let dataset): dataset.name
        }
    }

    var kind: ObjectKind {
        switch self {
        case .checkpoint: .checkpoint
        case .dataset: .dataset
        }
    }

    var contentHash: String {
        switch self {
        case .checkpoint(let checkpoint): checkpoint.contentHash
        case .dataset(let dataset): dataset.contentHash
        }
    }

    /// Validates and hashes `state`; bad tensors throw `StoreError.badTensor`, duplicate uids `StoreError.badCommit`.
    init(name: String, state: ObjectState, cell: Int, progress: CommitProgress? = nil) throws {
        switch state {
        case .checkpoint(let checkpoint):
            self = .checkpoint(try PreparedCheckpoint(name: name, checkpoint: checkpoint))
        case .dataset(let kind, let config, let rows):
            self = .dataset(
                try PreparedDataset(name: name, kind: kind, config: config, rows: rows, cell: cell, progress: progress))
        }
    }
}
