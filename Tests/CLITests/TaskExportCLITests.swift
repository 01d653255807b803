import Foundation
import Interop
import Testing

/// `rlhf export RUN/task -o DIR`: a task, stored as parameters and seed, leaves the lab as the arrays they make, and
/// those arrays agree with the gold formula the task's JSON states (recomputed here from the exported numbers alone).
@Suite struct TaskExportCLITests {
    static let notebook = """
        # %% setup id=setup
        seed(4)
        task = VectorTask(dim: 5, prompts: 6, candidates: 4, test_prompts: 3, noise: 0.5, contextual: true)
        flat = VectorTask(dim: 3, prompts: 2, candidates: 3, test_prompts: 2, contextual: false)
        mod = ModerationTask(dim: 4, items: 5, test_items: 2)
        lr = 0.1
        """

    static func exported(_ cli: CLI, _ name: String) throws -> (Safetensors, [String: Any]) {
        let r = try cli("export", "1/\(name)", "-o", name)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "\(name)/task.safetensors\n\(name)/task.json\n")
        let folder = cli.folder.appendingPathComponent(name)
        let tensors = try Safetensors(contentsOf: folder.appendingPathComponent("task.safetensors"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("task.json")))
        return (tensors, json as? [String: Any] ?? [:])
    }

    static func ran() throws -> CLI {
        let cli = try CLI()
        #expect(try cli("run", try cli.write("t.rlhf", notebook), "--quiet").status == 0)
        return cli
    }

    /// gold(x, y) = u(x)·y − α‖y‖² with u(x) = normalise(u₀ + W·x/dim), from the file's arrays; responses are x then y.
    @Test(arguments: [("task", true), ("flat", false)])
    func vectorTaskGoldFollowsItsStatedFormula(name: String, contextual: Bool) throws {
        let cli = try Self.ran()
        defer { cli.remove() }
        let (file, json) = try Self.exported(cli, name)
        #expect(json["type"] as? String == "VectorTask" && json["contextual"] as? Bool == contextual)
        #expect((json["parameters"] as? [String: Any])?["$type"] as? String == "VectorTask")
        let alpha = Float(json["curvature"] as? Double ?? .nan)
        func values(_ n: String) -> [Float] { file.tensor(n)?.values ?? [] }
        let (x, c, u0) = (values("prompts"), values("candidates"), values("gold_direction"))
        let dim = u0.count
        let (n, k) = (x.count / dim, c.count / dim)
        #expect((file.tensor("context") != nil) == contextual)
        let w = values("context")
        let rd = contextual ? 2 * dim : dim
        #expect(file.tensor("responses")?.shape == [n, k, rd] && file.tensor("gold")?.shape == [n, k])
        for i in 0..<n {
            var u = u0
            if contextual {
                for a in 0..<dim {
                    u[a] += (0..<dim).reduce(Float(0)) { $0 + w[a * dim + $1] * x[i * dim + $1] } / Float(dim)
                }
            }
            let norm = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
            u = u.map { $0 / norm }
            for (a, v) in u.enumerated() { #expect(abs(v - values("prompt_directions")[i * dim + a]) < 1e-6) }
            for j in 0..<k {
                let y = c[(j * dim)..<(j * dim + dim)]
                let gold = zip(u, y).reduce(Float(0)) { $0 + $1.0 * $1.1 } - alpha * y.reduce(0) { $0 + $1 * $1 }
                #expect(abs(gold - values("gold")[i * k + j]) < 1e-5, "prompt \(i) candidate \(j)")
                let response = Array(values("responses")[((i * k + j) * rd)..<((i * k + j + 1) * rd)])
                #expect(response == (contextual ? Array(x[(i * dim)..<(i * dim + dim)]) : []) + Array(y))
            }
        }
    }

    @Test func moderationTaskHasEachActionsResponseAndGold() throws {
        let cli = try Self.ran()
        defer { cli.remove() }
        let (file, json) = try Self.exported(cli, "mod")
        #expect(json["candidate_names"] as? [String] == ["allow", "label", "remove"])
        #expect(file.tensor("responses")?.shape == [5, 3, 7] && file.tensor("test_gold")?.shape == [2, 3])
        // The right action scores 0 and the others −1 or −2: each prompt's row has exactly one 0.
        let gold = file.tensor("gold")?.values ?? []
        for i in 0..<5 { #expect(gold[(i * 3)..<(i * 3 + 3)].filter { $0 == 0 }.count == 1) }
    }

    @Test(
        arguments: [
            (
                ["1/lr", "--format", "task", "-o", "d"],
                "error: 1/lr is a number, not a task; a model exports as -o FILE.safetensors, a dataset as -o FILE.jsonl"
            ),
            (["1/task", "--format", "task"], "error: a task exports into a directory: add -o DIR"),
            (
                ["1/task@1", "--format", "task", "-o", "d"],
                "error: a task has no versions (the store keeps its parameters); drop @1"
            ),
            (
                ["1/missing", "--format", "task", "-o", "d"],
                "error: run 1 has no task (or other value) named 'missing'"
            ),
        ] as [([String], String)])
    func refusesWithOneLine(arguments: [String], expected: String) throws {
        let cli = try Self.ran()
        defer { cli.remove() }
        let r = try cli.run(["export"] + arguments)
        #expect(r.status != 0)
        #expect(r.stderr == expected + "\n")
        #expect(!FileManager.default.fileExists(atPath: cli.folder.appendingPathComponent("d").path))
    }
}
