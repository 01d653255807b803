import Foundation
import Store
import Testing

@testable import Language
@testable import Notebook

/// Every numeric parameter of every lab built-in declares a range, and every value outside it (infinities, NaN,
/// negative, zero where meaningless, absurdly large) is refused at the argument, before anything runs or is committed.
/// The cases are generated from the declarations, so a new parameter cannot be forgotten.
@Suite struct NumericRangeTests {
    static var signatures: [BuiltinSignature] { LabBuiltins.all(LabState(seed: 0)).flatMap(\.signatures) }

    /// Whether a declared parameter type is a single number.
    static func isNumeric(_ type: ParameterType) -> Bool { type.name == "int" || type.name == "number" }

    @Test func everyNumericParameterOfEveryLabBuiltinHasADeclaredRange() {
        for signature in Self.signatures {
            for parameter in signature.parameters where Self.isNumeric(parameter.type) {
                #expect(parameter.range != nil, "\(signature.name)(): '\(parameter.name)' has no range")
            }
            for parameter in signature.parameters where parameter.range != nil {
                #expect(Self.isNumeric(parameter.type), "\(signature.name)(): '\(parameter.name)' is not numeric")
            }
        }
    }

    /// Every overload that declares a range, as `name#index` (the index among the built-in's overloads).
    static var rangedSignatures: [String] {
        LabBuiltins.all(LabState(seed: 0)).flatMap { builtin in
            builtin.signatures.enumerated().filter { $0.element.parameters.contains { $0.range != nil } }
                .map { "\($0.element.name)#\($0.offset)" }
        }
    }

    /// Values outside `range`, as source text: the infinities, NaN, 1e300, and just past each bound.
    static func badValues(_ range: ValidRange) -> [String] {
        guard !range.allowsNonFinite else { return [] }
        var values = ["inf", "-inf", "nan", "1e300", "-1e300"]
        if range.integer { values.append("2.5") }
        if let lower = range.lower {
            values.append(literal(lower.inclusive ? lower.value - 1 : lower.value, integer: range.integer))
            if lower.value > 0 { values.append("0") }
            if lower.value >= 0 { values.append("-1") }
        }
        if let upper = range.upper {
            values.append(
                literal(
                    upper.inclusive ? (range.integer ? upper.value + 1 : upper.value * 2) : upper.value,
                    integer: range.integer))
        }
        var unique: [String] = []
        for v in values where !unique.contains(v) { unique.append(v) }
        return unique
    }

    static func literal(_ x: Double, integer: Bool) -> String {
        integer || (x.rounded() == x && abs(x) < 1e15) ? String(Int(x)) : "\(x)"
    }

    /// A value inside `range`, for the other required numeric arguments of a call.
    static func goodValue(_ range: ValidRange) -> String {
        guard let lower = range.lower else { return "1" }
        if lower.inclusive { return literal(lower.value, integer: range.integer) }
        let upper = range.upper?.value ?? lower.value + 2
        return literal((lower.value + upper) / 2, integer: range.integer)
    }

    /// Session values standing for each non-numeric parameter type.
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

    static func argument(for parameter: Parameter) -> String {
        switch parameter.type.name {
        case "VectorTask", "CandidateTask": "task"
        case "ModerationTask": "mt"
        case "SupportTask": "st"
        case "PolicyModel": "p"
        case "RewardModel", "any": "rm"
        case "RewardEnsemble": "ens"
        case "SamplingPolicy": "sp"
        case "Preferences": "prefs"
        case "Annotator": "ann"
        case "Corpus": "corpus"
        case "GPT": "lm"
        case "TextTask": "tt"
        case "TextRewardModel": "trm"
        case "list of Annotators": "[ann, Oracle()]"
        case "string": "\"length\""
        case "function": "fn(r) { return true }"
        default: "nil"
        }
    }

    /// `name(required…, parameter: value)` with every other required argument valid.
    static func call(_ signature: BuiltinSignature, _ bad: String, value: String) -> String {
        var arguments: [String] = []
        for parameter in signature.parameters where parameter.name == bad || parameter.defaultValue == nil {
            let text = parameter.name == bad ? value : parameter.range.map(goodValue) ?? argument(for: parameter)
            arguments.append(parameter.label.map { "\($0): \(text)" } ?? text)
        }
        return "\(signature.name)(\(arguments.joined(separator: ", ")))"
    }

    @Test(arguments: rangedSignatures)
    func valuesOutsideTheRangeAreRefusedAtTheArgument(_ overload: String) throws {
        let parts = overload.split(separator: "#")
        let name = String(parts[0])
        let signature = try #require(
            LabBuiltins.all(LabState(seed: 0)).first { $0.signature.name == name }?.signatures[Int(parts[1]) ?? 0])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("RangeTests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try LabStore(path: folder.appendingPathComponent("lab.sqlite").path)
        let runner = try NotebookRunner(store: store, notebook: nil, source: "", output: { _ in })
        guard case .committed = runner.execute(source: Self.fixtures, key: "setup", title: "") else {
            Issue.record("the fixtures failed")
            return
        }
        let commits = try store.run(runner.runID).cells.filter { $0.commit != nil }.count
        var cases = 0
        for parameter in signature.parameters {
            guard let range = parameter.range else { continue }
            for value in Self.badValues(range) {
                // The language has no literal for the infinities and NaN; `float` parses them.
                let written = ["inf", "-inf", "nan"].contains(value) ? "float(\"\(value)\")" : value
                let source = "x = " + Self.call(signature, parameter.name, value: written)
                guard case .failed(let message) = runner.execute(source: source, key: "bad", title: "") else {
                    Issue.record("\(source) was accepted")
                    continue
                }
                let shown = Value.double(Double(value) ?? .nan).displayText
                let expected = "error: \(name)(): argument '\(parameter.name)' must be \(range), got "
                #expect(message.hasPrefix("<shell>:") && message.contains(expected), "\(source)\n\(message)")
                #expect(
                    message.contains(expected + value) || message.contains(expected + shown), "\(source)\n\(message)")
                cases += 1
            }
        }
        #expect(cases > 0 || signature.parameters.allSatisfy { $0.range?.allowsNonFinite != false })
        #expect(
            try store.run(runner.runID).cells.filter { $0.commit != nil }.count == commits,
            "a refused call committed something")
    }

    @Test(arguments: [
        ("a finite number > 0 and ≤ 100", ValidRange.number(above: 0, atMost: 100)),
        ("an integer between 1 and 1000000", ValidRange.integer(1...1_000_000)),
        ("a finite number between 0 and 1", ValidRange.number(from: 0, to: 1)),
        ("a finite number ≥ 0 and < 1", ValidRange.number(from: 0, to: 1, includingUpper: false)),
        ("an integer", ValidRange.anyInteger),
    ])
    func rangesDescribeThemselvesInWords(_ expected: String, _ range: ValidRange) {
        #expect(range.description == expected)
    }
}
