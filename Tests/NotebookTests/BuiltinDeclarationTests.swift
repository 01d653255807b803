import Foundation
import Store
import Testing

@testable import Language
@testable import Notebook

/// A built-in's declaration is both what `rlhf builtins` prints and what binding admits. For every overload of every
/// registered built-in (lab and core): the printed line is the signature rendered from its parameters; a value of
/// each parameter's declared type binds; a value of a type it does not admit is refused, before the body runs, with a
/// message naming the declared type; and each default is admitted by its own parameter.
@Suite struct BuiltinDeclarationTests {
    static let fixtures = """
        seed(1)
        task = VectorTask(dim: 4, prompts: 8, candidates: 4, test_prompts: 4, contextual: false)
        mt = ModerationTask(dim: 4, items: 8, test_items: 4)
        st = SupportTask(dim: 4, conversations: 8, test_conversations: 4)
        p = PolicyModel(input: 4, hidden: 4, output: 4)
        rm = RewardModel(input: 4, hidden: 4)
        sp = SamplingPolicy(task, hidden: 4)
        ann = BradleyTerry()
        prefs = collect(task, annotator: ann, pairs: 8)
        ens = RewardEnsemble(input: 4, hidden: 4)
        corpus = Corpus(file: "\(shakespearePath)")
        lm = GPT(vocab: corpus, layers: 1, heads: 1, dim: 4, context: 4)
        tt = TextTask(corpus, policy: lm, prompt_chars: 2, continuation: 2, prompts: 4, test_prompts: 4)
        trm = TextRewardModel(lm)
        """

    /// One value of each declared type, by the name `rlhf builtins` prints. A new parameter type must add a row.
    static let samples: [String: String] = [
        "int": "1", "number": "0.5", "string": "\"length\"", "bool": "true", "list": "[1, 2]", "record": "{a: 1}",
        "function": "fn(r) { return true }", "any": "rm", "number | string": "2", "string | list | record": "\"ab\"",
        "number | string | list": "[1, 2]", "list of strings": "[\"a\", \"b\"]", "list of numbers": "[1, 2]",
        "list | record of lists": "{a: [1, 2]}", "[number, number]": "[0, 1]", "string | list of strings": "\"m\"",
        "VectorTask": "task", "ModerationTask": "mt", "SupportTask": "st", "CandidateTask": "st",
        "PolicyModel": "p", "RewardModel": "rm", "RewardEnsemble": "ens", "SamplingPolicy": "sp",
        "Preferences": "prefs", "Annotator": "ann", "list of Annotators": "[ann, Oracle()]", "Corpus": "corpus",
        "GPT": "lm", "TextTask": "tt", "TextRewardModel": "trm", "model": "rm",
    ]

    /// Values to offer a parameter that must refuse one: the first its type does not admit is used.
    static let foreign = ["true", "7", "\"x\"", "task"]

    static func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("Declarations-\(UUID().uuidString)")
    }

    /// A runner on a fresh store in `folder` (the caller removes it) with the fixtures set up, and each sample value.
    static func session(in folder: URL) throws -> (NotebookRunner, [String: Value]) {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try LabStore(path: folder.appendingPathComponent("lab.sqlite").path)
        let runner = try NotebookRunner(store: store, notebook: nil, source: "", output: { _ in })
        guard case .committed = runner.execute(source: fixtures, key: "setup", title: "") else {
            throw RuntimeError("the fixtures failed")
        }
        var values: [String: Value] = [:]
        for text in Set(samples.values).union(foreign) {
            values[text] = try runner.interpreter.evaluate(Parser.parseExpression(source: text, file: "t"))
        }
        return (runner, values)
    }

    /// Every registered built-in's overloads, core and lab, as the reference lists them.
    static var signatures: [BuiltinSignature] {
        (LabBuiltins.all(LabState(seed: 0)) + Builtins.core).flatMap(\.signatures)
    }

    /// The line a signature should print, rendered here independently of `BuiltinSignature.line`.
    static func rendered(_ signature: BuiltinSignature) -> String {
        let parameters = signature.parameters.map { p in
            (p.label ?? "_ \(p.name)") + ": " + (p.isInout ? "inout " : "") + p.type.name + (p.variadic ? "..." : "")
                + (p.defaultValue.map { " = \($0.quotedText)" } ?? "")
        }
        return "\(signature.name)(\(parameters.joined(separator: ", ")))"
    }

    @Test func theReferencePrintsEachOverloadAsDeclared() {
        let printed = BuiltinReference.sections.flatMap(\.entries).map(\.signature)
        let declared = Self.signatures.map(Self.rendered)
        #expect(Set(printed) == Set(declared))
        #expect(printed.count == declared.count)
        for line in declared { #expect(BuiltinReference.text.contains("  \(line)\n"), "\(line) is not printed") }
    }

    @Test func everyDefaultIsAdmittedByItsOwnParameter() {
        for signature in Self.signatures {
            for parameter in signature.parameters {
                guard let value = parameter.defaultValue else { continue }
                #expect(parameter.complaint(about: value) == nil, "\(signature.name)(): default of '\(parameter.name)'")
            }
        }
    }

    /// Arguments for every parameter of `signature`, each a sample of its declared type (inside its range).
    static func passed(
        _ signature: BuiltinSignature, _ values: [String: Value], replacing bad: String? = nil,
        with badValue: Value = .nil
    ) throws -> [Arguments.Passed] {
        try signature.parameters.map { parameter in
            var value: Value
            if let range = parameter.range {
                value = .double(Double(NumericRangeTests.goodValue(range)) ?? 1)
                if parameter.type.name == "int", let n = value.intValue { value = .int(n) }
            } else {
                let text = try #require(Self.samples[parameter.type.name], "no sample of '\(parameter.type.name)'")
                value = try #require(values[text])
            }
            if parameter.name == bad { value = badValue }
            return Arguments.Passed(label: parameter.label, value: value, variable: parameter.isInout ? "v" : nil)
        }
    }

    @Test func eachParameterAdmitsItsDeclaredTypeAndRefusesOthersNamingIt() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, values) = try Self.session(in: folder)
        var refusals = 0
        for signature in Self.signatures {
            let good = try Self.passed(signature, values)
            #expect(throws: Never.self, "\(Self.rendered(signature))") {
                try Arguments(binding: good, to: signature, at: nil)
            }
            for parameter in signature.parameters where parameter.type.name != "any" {
                let badText = Self.foreign.first { text in
                    values[text].map { !parameter.type.admits($0) } ?? false
                }
                let bad = try #require(
                    badText.flatMap { values[$0] }, "\(signature.name)(\(parameter.name)): all admitted")
                let arguments = try Self.passed(signature, values, replacing: parameter.name, with: bad)
                do {
                    _ = try Arguments(binding: arguments, to: signature, at: nil)
                    Issue.record("\(signature.name)(): '\(parameter.name)' admitted \(bad.typeName)")
                } catch let error as RuntimeError {
                    let expected =
                        "\(signature.name)(): argument '\(parameter.name)' must be \(parameter.type.noun), got "
                    #expect(error.message.hasPrefix(expected), "\(error.message)")
                    refusals += 1
                }
            }
        }
        #expect(refusals > 100)
    }
}

/// Overloads and capability-typed parameters of the lab's built-ins, in a session: the overload a call is evidently
/// meant for explains a refusal, and every task with the `CandidateTask` capability is admitted where one is declared.
@Suite struct LabOverloadTests {
    @Test(arguments: [
        ("compare(sp, p, task: task)", "compare(): argument 'aligned' must be a SamplingPolicy, got PolicyModel"),
        ("compare(p, sp, task: task)", "compare(): argument 'aligned' must be a PolicyModel, got SamplingPolicy"),
        ("evaluate(p, task, judge: 3)", "evaluate(): argument 'judge' must be an Annotator, got number"),
        ("evaluate(p, sp, task: task)", "evaluate(): argument 'aligned' must be a PolicyModel, got SamplingPolicy"),
        ("fit(ens, prefs, epochs: 0)", "fit(): argument 'epochs' must be an integer between 1 and 100000, got 0"),
        ("gold_agreement(p, prefs, task)", "gold_agreement(): argument 'rm' must be a RewardModel, got PolicyModel"),
        (
            "SamplingPolicy(prefs)",
            "SamplingPolicy(): argument 'task' must be a VectorTask, ModerationTask or SupportTask, got Preferences"
        ),
        (
            "collect(mt, policy: p, annotator: ann, pairs: 2)",
            "collect(): argument 'policy' is not used with a ModerationTask"
        ),
    ])
    func refusalsNameTheArgumentOfTheClosestOverload(_ call: String, _ message: String) throws {
        let folder = BuiltinDeclarationTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (runner, _) = try BuiltinDeclarationTests.session(in: folder)
        guard case .failed(let error) = runner.execute(source: "x = " + call, key: "bad", title: "") else {
            Issue.record("\(call) was accepted")
            return
        }
        #expect(error.contains("error: " + message), "\(error)")
    }

    @Test(arguments: [
        ("evaluate(p, p, task: task).win_rate", "number"),
        ("evaluate(sp, sp, task: task).win_rate", "number"),
        ("evaluate(p, task).gold.n", "number"),
        ("gold_agreement(ens, prefs, task)", "number"),
        ("fit(ens, prefs, epochs: 1).loss", "number"),
        ("collect(st, annotator: ann, pairs: 2)", "Preferences"),
        ("collect(mt, annotator: ann, pairs: 2)", "Preferences"),
        ("SamplingPolicy(mt, hidden: 4)", "SamplingPolicy"),
        ("expected_gold(SamplingPolicy(st, hidden: 4), st)", "number"),
        ("expected_kl(SamplingPolicy(mt, hidden: 4), SamplingPolicy(mt, hidden: 4), mt)", "number"),
    ])
    func eachOverloadAndCapabilityRuns(_ call: String, _ type: String) throws {
        let folder = BuiltinDeclarationTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (runner, _) = try BuiltinDeclarationTests.session(in: folder)
        let outcome = runner.execute(source: "x = \(call)\nprint(type(x))", key: "ok", title: "")
        guard case .committed = outcome else {
            Issue.record("\(call): \(outcome)")
            return
        }
        #expect(try runner.interpreter.evaluate(Parser.parseExpression(source: "type(x)", file: "t")) == .string(type))
    }
}
