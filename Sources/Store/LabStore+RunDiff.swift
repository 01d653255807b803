import GRDB

extension LabStore {
    /// Compares two runs: parameters, cell sources matched by key (in b's order, then cells only a has), final
    /// metric values and the latest object versions.
    ///
    /// ```swift
    /// let diff = try store.diffRuns(3, 4)
    /// ```
    public func diffRuns(_ a: Int64, _ b: Int64) throws -> RunDiff {
        let (runA, runB) = (try run(a), try run(b))
        let cellsA = latestCells(runA.cells)
        let cellsB = latestCells(runB.cells)
        var cells: [RunDiff.Cell] = []
        for cell in cellsB {
            if let old = cellsA.first(where: { $0.key == cell.key }) {
                let same = old.source == cell.source
                cells.append(
                    RunDiff.Cell(
                        key: cell.key, ordinalA: old.ordinal, ordinalB: cell.ordinal, status: same ? "same" : "changed",
                        lines: same ? [] : LineDiff.unified(old.source, cell.source)))
            } else {
                cells.append(
                    RunDiff.Cell(
                        key: cell.key, ordinalA: nil, ordinalB: cell.ordinal, status: "added",
                        lines: cell.source.split(separator: "\n", omittingEmptySubsequences: false).map { "+" + $0 }))
            }
        }
        for old in cellsA where !cellsB.contains(where: { $0.key == old.key }) {
            cells.append(
                RunDiff.Cell(
                    key: old.key, ordinalA: old.ordinal, ordinalB: nil, status: "removed",
                    lines: old.source.split(separator: "\n", omittingEmptySubsequences: false).map { "-" + $0 }))
        }
        let (pointsA, pointsB) = (try metrics(run: a), try metrics(run: b))
        let names = Set(pointsA.map(\.name)).union(pointsB.map(\.name)).sorted()
        let metrics = names.map { name in
            let (seriesA, seriesB) = (pointsA.filter { $0.name == name }, pointsB.filter { $0.name == name })
            return RunDiff.Metric(
                name: name, lastA: seriesA.last?.value, lastB: seriesB.last?.value, pointsA: seriesA.count,
                pointsB: seriesB.count)
        }
        let objectNames = Set(runA.objects.map(\.name)).union(runB.objects.map(\.name)).sorted()
        let objects = objectNames.map { name in
            let (latestA, latestB) = (
                runA.objects.first { $0.name == name }?.versions.last,
                runB.objects.first { $0.name == name }?.versions.last
            )
            return RunDiff.Object(
                name: name, versionA: latestA?.version, versionB: latestB?.version, hashA: latestA?.contentHash,
                hashB: latestB?.contentHash)
        }
        return RunDiff(
            a: runA.run, b: runB.run, parameters: ConfigChange.between(runA.run.parameters, runB.run.parameters),
            cells: cells, metrics: metrics, objects: objects)
    }

    /// The last execution of each cell key, in first-execution order.
    private func latestCells(_ cells: [CellInfo]) -> [CellInfo] {
        var order: [String] = []
        var latest: [String: CellInfo] = [:]
        for cell in cells {
            if latest[cell.key] == nil { order.append(cell.key) }
            latest[cell.key] = cell
        }
        return order.compactMap { latest[$0] }
    }
}
