import Foundation
import Language
import Store

/// What `rlhf sweep FILE --param kl=0,0.1 --param lr=1e-3,3e-4 --seeds 10` runs: the grid of parameter values
/// and the seeds, checked against the notebook's parameters cell before anything runs, and the `rlhf run`
/// arguments of each run.
///
/// ```swift
/// let plan = try SweepPlan(parameters: ["kl=0,0.1"], seeds: "3", notebook: file)
/// plan.grid.runs.count                    // 6: 2 points × seeds 1, 2, 3
/// plan.arguments(point: 1, seed: 2)       // ["--param", "kl=0.1", "--param", "run_seed=2"]
/// ```
public struct SweepPlan {
    /// A refused `--param` or `--seeds`, as one `error: …` line.
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    public let grid: SweepGrid

    /// The parameter `--seeds` sets. Not `seed`: a variable of that name would hide the built-in `seed(n)` the
    /// notebook calls with it.
    public static let seedParameter = "run_seed"

    /// At most this many runs in one sweep: a typo (`--seeds 1000000`) must not queue a million processes.
    public static let maximumRuns = 100_000

    public init(parameters: [String], seeds: String?, notebook: CellFile) throws {
        let axes = try Self.axes(parameters)
        let seedList = try seeds.map(Self.seeds) ?? []
        if !seedList.isEmpty, axes.contains(where: { $0.name == Self.seedParameter }) {
            throw Problem(
                description: "--param \(Self.seedParameter)=… and --seeds both set the seed; give one of them")
        }
        grid = SweepGrid(axes: axes, seeds: seedList)
        let count = grid.points.count * max(seedList.count, 1)
        guard count <= Self.maximumRuns else {
            throw Problem(description: "the sweep has \(count) runs; at most \(Self.maximumRuns) are allowed")
        }
        try check(notebook)
    }

    /// `rlhf run` arguments of the run of `point` with `seed`: one `--param` per axis, then the seed.
    public func arguments(point: Int, seed: Int?) -> [String] {
        grid.points[point].flatMap { ["--param", "\($0.name)=\($0.literal)"] }
            + (seed.map { ["--param", "\(Self.seedParameter)=\($0)"] } ?? [])
    }

    /// `kl=0 lr=1e-3 seed 3`, as a sweep's progress lines name a run.
    public func label(point: Int, seed: Int?) -> String {
        let parts = grid.points[point].map { "\($0.name)=\($0.literal)" } + (seed.map { ["seed \($0)"] } ?? [])
        return parts.isEmpty ? "(no parameters)" : parts.joined(separator: " ")
    }

    /// Every point's overrides applied to the notebook as `rlhf run --param` would, so a value of the wrong kind,
    /// an unknown parameter or a notebook without a `seed` parameter is refused before the first run.
    private func check(_ notebook: CellFile) throws {
        let firstSeed = grid.seeds.first
        for point in grid.points.indices {
            var texts = grid.points[point].map { "\($0.name)=\($0.literal)" }
            if let firstSeed { texts.append("\(Self.seedParameter)=\(firstSeed)") }
            do {
                _ = try NotebookParameters.parse(texts).apply(to: notebook)
            } catch let problem as NotebookParameters.Problem {
                let name = Self.seedParameter
                if firstSeed != nil,
                    problem.description.hasPrefix("unknown parameter '\(name)'")
                        || problem.description.hasPrefix("--param \(name):")
                {
                    throw Problem(
                        description: "--seeds: \(notebook.path) has no `\(name)` parameter to set (declare "
                            + "`\(name) = 1` in its `# %% parameters` cell and call seed(\(name))): "
                            + problem.description)
                }
                throw Problem(description: problem.description)
            }
        }
    }

    /// `kl=0,0.1,0.3` → axis kl with three literals; commas inside brackets, braces or quotes do not split.
    static func axes(_ texts: [String]) throws -> [SweepGrid.Axis] {
        var axes: [SweepGrid.Axis] = []
        for text in texts {
            guard let equals = text.firstIndex(of: "=") else {
                throw Problem(description: "--param '\(text)' is not name=value,value,… (e.g. --param kl=0,0.1,0.3)")
            }
            let name = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
            let literals = topLevelParts(String(text[text.index(after: equals)...]))
            if let empty = literals.firstIndex(where: \.isEmpty) {
                throw Problem(description: "--param '\(text)': value \(empty + 1) is empty")
            }
            if axes.contains(where: { $0.name == name }) {
                throw Problem(description: "--param \(name) is given twice; list its values once: \(name)=a,b,c")
            }
            if let repeated = literals.enumerated().first(where: { literals[..<$0.offset].contains($0.element) }) {
                throw Problem(description: "--param \(name) lists '\(repeated.element)' twice")
            }
            // Each value must be what `rlhf run --param` accepts; its parser gives the message.
            do {
                for literal in literals { _ = try NotebookParameters.parse(["\(name)=\(literal)"]) }
            } catch let problem as NotebookParameters.Problem {
                throw Problem(description: problem.description)
            }
            axes.append(SweepGrid.Axis(name: name, literals: literals))
        }
        return axes
    }

    /// `10` → 1…10; `11-20` → 11…20; `3,7,9` → those three.
    static func seeds(_ text: String) throws -> [Int] {
        let usage = "(give a count, e.g. --seeds 10 for seeds 1–10, a range 11-20, or a list 3,7,9)"
        func number(_ part: Substring) throws -> Int {
            guard let n = Int(part.trimmingCharacters(in: .whitespaces)), n >= 0 else {
                throw Problem(description: "--seeds '\(text)': '\(part)' is not a seed (a whole number ≥ 0) \(usage)")
            }
            return n
        }
        let seeds: [Int]
        if text.contains(",") {
            seeds = try text.split(separator: ",", omittingEmptySubsequences: false).map(number)
        } else if let dash = text.dropFirst().firstIndex(of: "-") {
            let (low, high) = (try number(text[..<dash]), try number(text[text.index(after: dash)...]))
            guard low <= high, high - low < maximumRuns else {
                throw Problem(description: "--seeds '\(text)' is not a range low-high of at most \(maximumRuns) seeds")
            }
            seeds = Array(low...high)
        } else {
            let count = try number(text[...])
            guard count >= 1, count <= maximumRuns else {
                throw Problem(description: "--seeds '\(text)': the count must be 1 to \(maximumRuns) \(usage)")
            }
            seeds = Array(1...count)
        }
        if let repeated = seeds.enumerated().first(where: { seeds[..<$0.offset].contains($0.element) }) {
            throw Problem(description: "--seeds '\(text)' lists \(repeated.element) twice")
        }
        return seeds
    }

    /// Splits at commas outside brackets, braces and double-quoted strings; parts are trimmed.
    static func topLevelParts(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quoted = false
        var escaped = false
        for c in text {
            if quoted {
                current.append(c)
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { quoted = false }
                continue
            }
            switch c {
            case "\"": quoted = true
            case "[", "{", "(": depth += 1
            case "]", "}", ")": depth -= 1
            case "," where depth == 0:
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
                continue
            default: break
            }
            current.append(c)
        }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts
    }
}
