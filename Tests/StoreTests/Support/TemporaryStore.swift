import Foundation
import Testing

@testable import Store

/// A fresh store in its own temporary folder, removed when `body` returns.
func withTemporaryStore<T>(_ body: (LabStore, URL) throws -> T) throws -> T {
    let folder = try makeTemporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try LabStore(path: folder.appendingPathComponent("store/lab.sqlite").path)
    return try body(store, folder)
}

/// Async flavour, for tests that run work concurrently.
func withTemporaryFolder<T>(_ body: (URL) async throws -> T) async throws -> T {
    let folder = try makeTemporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    return try await body(folder)
}

func makeTemporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("StoreTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// Every table of the schema.
let allTables = [
    "runs", "cells", "commits", "objects", "versions", "blobs", "version_tensors", "feedback", "metrics", "bindings",
    "artifacts",
]

/// Row count of every table, read through the store's own read-only query path.
func tableCounts(_ store: LabStore) throws -> [String: Int64] {
    var counts: [String: Int64] = [:]
    for table in allTables {
        let result = try store.query("SELECT count(*) FROM \(table)")
        guard case .integer(let count) = result.rows.first?.first else {
            Issue.record("no count for \(table)")
            continue
        }
        counts[table] = count
    }
    return counts
}

/// Distinct, easily recomputed values: `offset + 0.5 * index`.
func tensor(_ name: String, _ shape: [Int], offset: Float = 0) -> StoredTensor {
    let count = shape.reduce(1, *)
    return StoredTensor(name: name, shape: shape, values: (0..<count).map { offset + 0.5 * Float($0) })
}

/// The seed's policy MLP in miniature: four tensors of different sizes.
func policy(offset: Float = 0, config: String = #"{"hidden":4,"input":3,"output":2}"#) -> Checkpoint {
    Checkpoint(
        kind: "policy", config: config,
        tensors: [
            tensor("fc1.weight", [4, 3], offset: offset), tensor("fc1.bias", [4], offset: offset + 100),
            tensor("fc2.weight", [2, 4], offset: offset + 200), tensor("fc2.bias", [2], offset: offset + 300),
        ])
}

func row(_ uid: Int64, label: Float = 0) -> FeedbackRow {
    FeedbackRow(
        uid: uid, prompt: Int(uid % 7), chosen: [Float(uid), 1 + label], rejected: [-Float(uid), label],
        annotator: "bradleyTerry(noise: 0.05)", seed: UInt64.max - UInt64(uid))
}

func cell(_ ordinal: Int, key: String? = nil) -> CellRecord {
    CellRecord(ordinal: ordinal, key: key ?? "cell\(ordinal)", title: "cell \(ordinal)", source: "x = \(ordinal)")
}

func commit(
    _ ordinal: Int, _ objects: [(name: String, state: ObjectState)] = [], metrics: [MetricPoint] = [],
    bindings: [(name: String, value: BindingValue)] = []
) -> CellCommit {
    CellCommit(
        cell: cell(ordinal), output: "output of \(ordinal)", durationMs: Double(ordinal), objects: objects,
        metrics: metrics, bindings: bindings)
}

/// Runs `body` and returns the `StoreError` it threw, recording an issue when it threw nothing or something else.
func storeError(_ body: () throws -> Void) -> StoreError? {
    do {
        try body()
        Issue.record("expected a StoreError, nothing was thrown")
        return nil
    } catch let error as StoreError {
        return error
    } catch {
        Issue.record("expected a StoreError, got \(error)")
        return nil
    }
}
