import Foundation

/// Everything `rlhf show 12` prints: the run, its cells in execution order, and its objects by name.
public struct RunDetail: Sendable, Codable, Equatable {
    public var run: RunSummary
    /// The notebook source recorded at ``LabStore/beginRun(notebook:source:parameters:)``.
    public var source: String
    public var cells: [CellInfo]
    public var objects: [ObjectInfo]
    /// Where it ran; nil for a run recorded before rlhf kept it.
    public var environment: RunEnvironment? = nil
}

extension RunDetail {
    /// Where the run's generator was seeded: each `seed(…)` line of a successful cell, trimmed, with the cell's
    /// ordinal, in order. Empty for a run that never calls `seed` (it starts from seed 0).
    public var seedCalls: [(cell: Int, call: String)] {
        cells.filter { $0.status == .ok }.flatMap { cell in
            cell.source.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.hasPrefix("seed(") }.map { (cell: cell.ordinal, call: $0) }
        }
    }

    /// The versions `cell` committed, in object order.
    public func versions(committedBy cell: CellInfo) -> [VersionInfo] {
        objects.flatMap(\.versions).filter { $0.cellOrdinal == cell.ordinal && $0.commit == cell.commit }
    }
}
