import Language
import Store

/// Compares a replayed run with its original, cell by cell in execution order: each cell's status, every version it
/// wrote (object, version number, content hash) and every metric point it logged (name, step, value bit for bit).
/// Versions written by CLI rollbacks (no cell) are not replayed and not compared.
public enum ReplayVerification {
    /// Everything matched.
    public struct Identical: Equatable, CustomStringConvertible {
        /// Model versions whose content hashes matched.
        public var checkpoints: Int
        /// Dataset versions whose content hashes matched.
        public var datasetVersions: Int
        /// Metric points equal in name, step and every bit of their value.
        public var metrics: Int

        /// `verified: 14 checkpoints, 2 dataset versions, 6475 metrics identical`.
        public var description: String {
            "verified: \(checkpoints) checkpoint\(checkpoints == 1 ? "" : "s"), "
                + (datasetVersions > 0
                    ? "\(datasetVersions) dataset version\(datasetVersions == 1 ? "" : "s"), " : "")
                + "\(metrics) metric\(metrics == 1 ? "" : "s") identical"
        }
    }

    /// The first thing that differs: the cell, what differs, and both values.
    public struct Divergence: Equatable, CustomStringConvertible {
        /// 1-based position of the cell in execution order.
        public var cell: Int
        public var cellKey: String
        /// What differs, e.g. `rm@2 tensor layer1.weight[17]` or `metric rm.loss step 2`.
        public var subject: String
        /// The value in the original run and in the replay.
        public var original: String
        public var replay: String
        /// The two runs compared.
        public var originalRun: Int64
        public var replayRun: Int64

        public var description: String {
            "diverged at cell \(cell) ('\(cellKey)'): \(subject): \(original) in run \(originalRun), "
                + "\(replay) in run \(replayRun)"
        }
    }

    /// The verdict of one comparison.
    public enum Verdict: Equatable {
        case identical(Identical)
        case diverged(Divergence)
    }

    /// Compares run `replay` with run `original` of `store`.
    public static func compare(store: LabStore, original: Int64, replay: Int64) throws -> Verdict {
        let a = try store.run(original)
        let b = try store.run(replay)
        let metricsA = try store.committedMetrics(run: original)
        let metricsB = try store.committedMetrics(run: replay)
        var identical = Identical(checkpoints: 0, datasetVersions: 0, metrics: 0)

        func diverged(_ index: Int, _ key: String, _ subject: String, _ x: String, _ y: String) -> Verdict {
            .diverged(
                Divergence(
                    cell: index + 1, cellKey: key, subject: subject, original: x, replay: y, originalRun: original,
                    replayRun: replay))
        }

        for index in 0..<max(a.cells.count, b.cells.count) {
            guard index < a.cells.count, index < b.cells.count else {
                let key = (index < a.cells.count ? a.cells[index] : b.cells[index]).key
                return diverged(
                    index, key, "number of cells", "\(a.cells.count) cells", "\(b.cells.count) cells")
            }
            let cellA = a.cells[index]
            let cellB = b.cells[index]
            if cellA.status != cellB.status {
                return diverged(
                    index, cellA.key, "cell status", describe(cellA), describe(cellB))
            }
            let versionsA = versions(of: cellA, in: a)
            let versionsB = versions(of: cellB, in: b)
            for position in 0..<max(versionsA.count, versionsB.count) {
                guard position < versionsA.count, position < versionsB.count else {
                    let extra = position < versionsA.count ? versionsA[position] : versionsB[position]
                    return diverged(
                        index, cellA.key, "\(extra.object)@\(extra.version)",
                        position < versionsA.count ? "written" : "not written",
                        position < versionsB.count ? "written" : "not written")
                }
                let x = versionsA[position]
                let y = versionsB[position]
                if x.object != y.object || x.version != y.version {
                    return diverged(
                        index, cellA.key, "version written", "\(x.object)@\(x.version)", "\(y.object)@\(y.version)")
                }
                if x.contentHash != y.contentHash {
                    let (subject, valueA, valueB) = try contentDifference(store: store, x, y)
                    return diverged(index, cellA.key, subject, valueA, valueB)
                }
                if x.rows == nil { identical.checkpoints += 1 } else { identical.datasetVersions += 1 }
            }
            let pointsA = cellA.commit.map { commit in metricsA.filter { $0.commit == commit }.map(\.point) } ?? []
            let pointsB = cellB.commit.map { commit in metricsB.filter { $0.commit == commit }.map(\.point) } ?? []
            for position in 0..<max(pointsA.count, pointsB.count) {
                guard position < pointsA.count, position < pointsB.count else {
                    return diverged(
                        index, cellA.key, "number of metric points", "\(pointsA.count)", "\(pointsB.count)")
                }
                let x = pointsA[position]
                let y = pointsB[position]
                if x.name != y.name || x.step != y.step {
                    return diverged(
                        index, cellA.key, "metric point \(position + 1)", "\(x.name) step \(x.step)",
                        "\(y.name) step \(y.step)")
                }
                if x.value.bitPattern != y.value.bitPattern {
                    return diverged(
                        index, cellA.key, "metric \(x.name) step \(x.step)", exact(x.value), exact(y.value))
                }
                identical.metrics += 1
            }
            // Same effects from different code is still a different run; reported after the effects, which say more.
            if cellA.key != cellB.key || cellA.source != cellB.source {
                return diverged(
                    index, cellA.key, "cell source", "'\(cellA.key)', \(cellA.source.count) characters",
                    "'\(cellB.key)', \(cellB.source.count) characters")
            }
        }
        return .identical(identical)
    }

    /// The versions a cell wrote, in the order it wrote them.
    static func versions(of cell: CellInfo, in run: RunDetail) -> [VersionInfo] {
        guard let commit = cell.commit else { return [] }
        return run.objects.flatMap(\.versions).filter { $0.commit == commit }
            .sorted { ($0.object, $0.version) < ($1.object, $1.version) }
    }

    static func describe(_ cell: CellInfo) -> String {
        switch cell.status {
        case .ok: return "ok"
        case .failed, .cancelled:
            let firstLine = cell.error?.split(separator: "\n").first.map(String.init) ?? ""
            return "\(cell.status.rawValue) (\(firstLine))"
        }
    }

    /// A double with every bit accounted for: its shortest round-trip text and, when that could hide a difference,
    /// its bit pattern.
    static func exact(_ value: Double) -> String {
        "\(value) (0x\(String(value.bitPattern, radix: 16)))"
    }

    static func exact(_ value: Float) -> String {
        "\(value) (0x\(String(value.bitPattern, radix: 16)))"
    }

    /// Names the first differing tensor element (checkpoints) or row count and hash (datasets) of two versions with
    /// different content hashes.
    static func contentDifference(store: LabStore, _ x: VersionInfo, _ y: VersionInfo) throws
        -> (subject: String, original: String, replay: String)
    {
        let name = "\(x.object)@\(x.version)"
        guard x.rows == nil, y.rows == nil else {
            return (
                "\(name) content", "\(x.rows ?? 0) rows, hash \(x.contentHash.prefix(12))",
                "\(y.rows ?? 0) rows, hash \(y.contentHash.prefix(12))"
            )
        }
        let (_, checkpointA) = try store.checkpoint(VersionRef(run: x.run, object: x.object, version: x.version))
        let (_, checkpointB) = try store.checkpoint(VersionRef(run: y.run, object: y.object, version: y.version))
        if checkpointA.config != checkpointB.config {
            return ("\(name) config", checkpointA.config, checkpointB.config)
        }
        let namesA = checkpointA.tensors.map(\.name)
        let namesB = checkpointB.tensors.map(\.name)
        if namesA != namesB {
            return (
                "\(name) tensors", namesA.joined(separator: ", "), namesB.joined(separator: ", ")
            )
        }
        for (tensorA, tensorB) in zip(checkpointA.tensors, checkpointB.tensors) {
            if tensorA.shape != tensorB.shape {
                return ("\(name) tensor \(tensorA.name) shape", "\(tensorA.shape)", "\(tensorB.shape)")
            }
            for (offset, (p, q)) in zip(tensorA.values, tensorB.values).enumerated() where p.bitPattern != q.bitPattern
            {
                return ("\(name) tensor \(tensorA.name)[\(offset)]", exact(p), exact(q))
            }
        }
        return ("\(name) content hash", String(x.contentHash.prefix(12)), String(y.contentHash.prefix(12)))
    }
}
