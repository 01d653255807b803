import Foundation
import Testing

/// `rlhf builtins` prints the signatures the binder checks: protocol-typed parameters by their capability, each
/// overload on its own line, and no two parameters of one signature sharing a name.
@Suite struct BuiltinsCommandTests {
    static func printed() throws -> String {
        let cli = try CLI()
        defer { cli.remove() }
        let result = try cli("builtins", withStore: false)
        #expect(result.status == 0)
        return result.stdout
    }

    /// The signature lines (two-space indent) of the plain-text reference.
    static func signatures(_ text: String) -> [String] {
        text.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .map { String($0.dropFirst(2)) }
    }

    /// The parameter names of one line: `_ task: …` → task, `rm: …` → rm.
    static func parameterNames(_ line: String) -> [String] {
        guard let open = line.firstIndex(of: "("), line.hasSuffix(")") else { return [] }
        let inside = line[line.index(after: open)..<line.index(before: line.endIndex)]
        guard !inside.isEmpty else { return [] }
        var names: [String] = []
        var depth = 0, current = ""
        for character in inside {
            if character == "[" || character == "(" || character == "{" { depth += 1 }
            if character == "]" || character == ")" || character == "}" { depth -= 1 }
            if character == "," && depth == 0 {
                names.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        names.append(current)
        return names.map { part in
            let head = part.trimmingCharacters(in: .whitespaces).prefix { $0 != ":" }
            return head.hasPrefix("_ ") ? String(head.dropFirst(2)) : String(head)
        }
    }

    @Test(arguments: [
        "collect(_ task: CandidateTask, policy: PolicyModel = nil, annotator: Annotator, pairs: int",
        "SamplingPolicy(_ task: CandidateTask, hidden: int = 32)",
        "rloo(_ policy: inout SamplingPolicy, _ rm: RewardModel, _ task: CandidateTask,",
        "dpo(_ policy: inout SamplingPolicy, _ prefs: Preferences, _ task: CandidateTask,",
        "evaluate(_ policy: PolicyModel, _ task: VectorTask, rm: RewardModel = nil, judge: Annotator = nil)",
        "evaluate(_ original: PolicyModel, _ aligned: PolicyModel, task: VectorTask, judge: Annotator = nil)",
        "evaluate(_ original: SamplingPolicy, _ aligned: SamplingPolicy, task: VectorTask, judge: Annotator = nil)",
        "evaluate(_ lm: GPT, _ task: TextTask, reference: GPT)",
        "ppo(_ lm: inout GPT, _ rm: TextRewardModel, _ task: TextTask, steps: int = 20",
        "rloo(_ lm: inout GPT, _ rm: TextRewardModel, _ task: TextTask, steps: int = 20",
        "dpo(_ lm: inout GPT, _ prefs: Preferences, _ task: TextTask, beta: number = 0.1",
        "best_of_n(_ lm: GPT, _ rm: TextRewardModel, _ task: TextTask, n: int)",
        "fit(_ rm: inout RewardModel, _ prefs: Preferences, epochs: int = 10",
        "fit(_ rm: inout RewardEnsemble, _ prefs: Preferences, epochs: int = 10",
        "compare(_ original: SamplingPolicy, _ aligned: SamplingPolicy, task: VectorTask, judge: Annotator = nil)",
        "rollback(_ object: inout any, to: int)",
    ])
    func printsCapabilityTypedAndOverloadedSignatures(_ expected: String) throws {
        let lines = Self.signatures(try Self.printed())
        #expect(lines.contains { $0.hasPrefix(expected) }, "no line starts with \(expected)")
    }

    @Test func noSignatureHasTwoParametersOfOneName() throws {
        let lines = Self.signatures(try Self.printed())
        #expect(lines.filter { $0.hasPrefix("evaluate(") }.count == 4)
        for line in lines {
            let names = Self.parameterNames(line)
            #expect(Set(names).count == names.count, "\(line)")
        }
    }
}
