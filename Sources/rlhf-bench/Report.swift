import Foundation

enum Report {
    static func table(_ figures: [Figure], quick: Bool) -> String {
        var lines = ["| workload | ours | peer | ratio | target | met |", "|---|---|---|---|---|---|"]
        for f in figures {
            let peer = f.peer.map { "\(number($0.value)) \(f.unit) (\($0.name))" } ?? "—"
            let ratio = f.ratio.map { String(format: "%.2f×", $0) } ?? "—"
            let target: String
            switch f.target {
            case let .ratioAtLeast(r): target = "≥ \(number(r))× peer"
            case let .atLeast(x): target = "≥ \(number(x)) \(f.unit)"
            case let .atMost(x): target = "≤ \(number(x)) \(f.unit)"
            case .none: target = "—"
            }
            let met = f.met.map { $0 ? "yes" : "NO" } ?? (f.peer == nil && isRatio(f.target) ? "peer absent" : "—")
            lines.append("| \(f.workload) | \(number(f.ours)) \(f.unit) | \(peer) | \(ratio) | \(target) | \(met) |")
        }
        let host = ProcessInfo.processInfo
        lines.append("")
        lines.append(
            "\(LanguageModelTraining.cpuModel), \(host.activeProcessorCount) cores, \(Date().formatted(.iso8601)), "
                + "\(quick ? "--quick" : "full") run, \(build) build"
        )
        #if DEBUG
            lines.append(
                "A debug build: the store and the CLI are unoptimised, so these figures are not the product's. Run `swift run -c release rlhf-bench`."
            )
        #endif
        return lines.joined(separator: "\n")
    }

    #if DEBUG
        private static let build = "debug"
    #else
        private static let build = "release"
    #endif

    private static func isRatio(_ t: Figure.Target) -> Bool {
        if case .ratioAtLeast = t { return true }
        return false
    }

    static func number(_ x: Double) -> String {
        if x == x.rounded() && abs(x) < 1e15 { return String(format: "%.0f", x) }
        if abs(x) >= 100 { return String(format: "%.0f", x) }
        return String(format: "%.3g", x)
    }
}
