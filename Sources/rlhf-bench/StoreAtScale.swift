import Foundation
import Store

/// P13: the commands a user runs on a big store, timed as the release `rlhf` binary runs (process start included),
/// at 10, 100 and 1,000 runs (10 and 100 with `--quick`), so the table shows how each figure grows with the store;
/// then the web view on the largest (P16, P17: WebPages.swift).
extension Bench {
    mutating func storeAtScale() throws {
        guard wanted("P13", "P16", "P17") else { return }
        let sizes = quick ? [10, 100] : [10, 100, 1_000]
        // The web view (P16, P17) is measured on the largest store only.
        for runs in wanted("P13") ? sizes : [sizes.last ?? 100] {
            say("P13 building a store of \(runs) runs…")
            let clock = ContinuousClock()
            let start = clock.now
            let built = try ScaleStore(runs: runs).build(at: folder.appendingPathComponent("p13-\(runs).sqlite").path)
            let d = clock.now - start
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            say("P13 \(runs) runs: \(built.points) metric points, \(built.versions) versions in \(Int(seconds)) s")
            if wanted("P13") { try measure(built, runs: runs) }
            if runs == sizes.last { try webPages(built, runs: runs) }
        }
    }

    private mutating func measure(_ built: ScaleStore.Built, runs: Int) throws {
        let store = ["--store", built.path]
        let tag = "(\(runs) runs)"
        let big = "\(built.bigRun)"
        let heavy = quick ? 1 : 3
        figures.append(
            Figure(
                workload: "P13 rlhf runs \(tag)",
                ours: try Processes.rlhfMilliseconds(["runs"] + store, repeats: repeats),
                unit: "ms", peer: nil, target: .atMost(50)))
        // A run of the sweep: 25 cells, 4 objects of 25 versions each.
        figures.append(
            Figure(
                workload: "P13 rlhf show RUN, 100 versions \(tag)",
                ours: try Processes.rlhfMilliseconds(["show", "2"] + store, repeats: repeats), unit: "ms", peer: nil,
                target: .atMost(50)))
        // The sqlite3 shell reading the same rows, as CSV, is the peer of both forms of `rlhf metrics`.
        let rows = """
            SELECT n.name, p.step, p.value FROM metric_points p JOIN metric_names n ON n.id = p.name_id
            WHERE p.run_id = \(big) ORDER BY n.name, p.step
            """
        let sqlite =
            Self.sqlite3.map { shell in
                let seconds = try? medianSeconds(heavy) {
                    _ = try Processes.spawn(shell, ["-csv", built.path, rows], stdin: "/dev/null")
                }
                return seconds.map { ("sqlite3 shell, same rows", $0) }
            } ?? nil
        for (form, arguments) in [("", [String]()), (" --csv", ["--csv"])] {
            let ms = try Processes.rlhfMilliseconds(["metrics", big] + arguments + store, repeats: heavy)
            figures.append(
                Figure(
                    workload: "P13 rlhf metrics RUN\(form), 1.2 M points \(tag)", ours: ms / 1000, unit: "s",
                    peer: sqlite, target: .atMost(0.5)))
        }
        // In a store of up to 101 runs the sweep holds runs 2…N, and the last of them is deleted.
        let present = runs <= ScaleStore.sweepSize + 1 ? runs - 2 : ScaleStore.sweepSize
        figures.append(
            Figure(
                workload: "P13 rlhf compare --sweep, \(present) of 100 runs \(tag)",
                ours: try Processes.rlhfMilliseconds(
                    ["compare", "--sweep", "\(built.sweep)"] + store, repeats: repeats),
                unit: "ms", peer: nil, target: .atMost(200)))
        figures.append(
            Figure(
                workload: "P13 store bytes per metric point \(tag)",
                ours: Double(built.metricBytes) / Double(max(built.metricPoints, 1)), unit: "bytes", peer: nil,
                target: .atMost(40)))
        // What the runs after the long one added beyond their new tensor bytes and their points (at the long run's
        // bytes per point), per checkpoint version: the rows of a version, its share of its commit, cell and binding.
        let perPoint = Double(built.metricBytes) / Double(max(built.metricPoints, 1))
        let rest = Double(ScaleStore.size(built.path) - built.afterLongRun)
        let other = rest - perPoint * Double(built.points - built.metricPoints) - Double(built.uniqueTensorBytes)
        figures.append(
            Figure(
                workload: "P13 store bytes per checkpoint version beyond its new tensor bytes \(tag)",
                ours: other / Double(max(built.versions, 1)), unit: "bytes", peer: nil, target: .none))
        // gc changes the store: it runs on a copy, once.
        let copy = built.path + ".gc"
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: built.path, toPath: copy)
        figures.append(
            Figure(
                workload: "P13 rlhf gc \(tag)",
                ours: try Processes.rlhfMilliseconds(["gc", "--store", copy], repeats: 1) / 1000, unit: "s", peer: nil,
                target: .atMost(10)))
        try? FileManager.default.removeItem(atPath: copy)
    }

    /// The sqlite3 shell, if installed (`apt-get install sqlite3`).
    private static var sqlite3: String? {
        ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
