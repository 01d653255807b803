import Alignment
import Foundation
import Store
import Testing

@testable import Language
@testable import Notebook

/// The repository's Shakespeare, by absolute path so the tests read it from any working directory.
let shakespearePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("data/tinyshakespeare.txt").path

/// One notebook binding every lab type (and a record holding natives, a non-finite number, the generator). The
/// language-model types come first, so the generator's state after `seed(123)` is what it was before they existed.
let everyType = """
    # %% all
    c = Corpus(file: "\(shakespearePath)")
    lm = GPT(vocab: c, layers: 1, heads: 1, dim: 4, context: 8)
    tt = TextTask(c, policy: lm, prompt_chars: 3, continuation: 4, prompts: 5, test_prompts: 2)
    trm = TextRewardModel(lm)
    seed(123)
    vt = VectorTask(dim: 8, contextual: false)
    vt2 = VectorTask(dim: 3, prompts: 10, candidates: 5, test_prompts: 7, noise: 0.1, contextual: false)
    mt = ModerationTask(dim: 6, items: 40, test_items: 30, noise: 0.25)
    st = SupportTask(dim: 5, conversations: 20, test_conversations: 10, noise: 1e-3)
    coin = Coin()
    oracle = Oracle()
    bt = BradleyTerry(noise: 0.1)
    bt2 = BradleyTerry(noise: 0.05, temperature: 2.5)
    bi = Biased(toward: "length", weight: -0.75)
    pan = Panel(annotators: [Oracle(), Panel(annotators: [Coin(), BradleyTerry(noise: 0.2)]), Biased(weight: 1e-7)])
    mixed = {judges: [Coin(), bt], task: vt2, x: 1.5, bad: exp(1000.0)}
    p = PolicyModel(input: 3, hidden: 2, output: 3)
    rm = RewardModel(input: 3, hidden: 2)
    sp = SamplingPolicy(vt2, hidden: 2)
    ens = RewardEnsemble(input: 3, hidden: 2, members: 2)
    prefs = collect(vt2, annotator: bt, pairs: 4)
    finetune(p, rm, vt2, steps: 2)
    fit(ens, prefs, epochs: 1, batch: 2)
    vt3 = VectorTask(dim: 4, prompts: 6, candidates: 3, test_prompts: 2, contextual: true)
    vt4 = VectorTask(dim: 2, prompts: 2, candidates: 2, test_prompts: 1)
    """

/// The stored forms `everyType` commits, byte for byte (the Corpus, GPT and TextRewardModel rows added with those types). Obtained once from the code before the type registry (commit
/// 4daa65d, which built these strings by hand): `rlhf run enc.rlhf`, then `rlhf query "SELECT name, value FROM
/// bindings WHERE kind = 'value'"` and `… SELECT o.name, v.kind, v.config FROM versions v JOIN objects o …`. Any
/// change here changes every commit hash of every store.
private let expectedBindings: [(name: String, json: String)] = [
    (
        // The generator's state at the end: it moved when `finetune` began drawing the Gaussian policy's samples and
        // when vt3 and vt4 were added (issue 16); every other binding kept its bytes.
        "$rng",
        #"{"$type":"RNG","state":["5792637922876065829","792927421344674264","14825047242700596614","4020090560843523922"]}"#
    ),
    ("bi", #"{"$type":"Annotator","name":"biased(toward: length, weight: -0.75)"}"#),
    ("bt", #"{"$type":"Annotator","name":"bradleyTerry(noise: 0.1)"}"#),
    ("bt2", #"{"$type":"Annotator","name":"bradleyTerry(noise: 0.05, temperature: 2.5)"}"#),
    (
        "c",
        #"{"$type":"Corpus","path":"\#(shakespearePath)","#
            + #""sha256":"86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed","split":0.9}"#
    ),
    ("coin", #"{"$type":"Annotator","name":"coin"}"#),
    (
        "mixed",
        #"{"judges":[{"$type":"Annotator","name":"coin"},{"$type":"Annotator","name":"bradleyTerry(noise: 0.1)"}],"task":{"$type":"VectorTask","candidates":5,"dim":3,"noise":0.1,"prompts":10,"seed":"17885451940711451998","test_prompts":7},"x":1.5,"bad":{"$double":"inf"}}"#
    ),
    ("mt", #"{"$type":"ModerationTask","dim":6,"items":40,"noise":0.25,"seed":"8622752019489400367","test_items":30}"#),
    ("oracle", #"{"$type":"Annotator","name":"oracle"}"#),
    (
        "pan",
        #"{"$type":"Annotator","name":"panel(oracle, panel(coin, bradleyTerry(noise: 0.2)), biased(toward: length, weight: 1e-07))"}"#
    ),
    (
        "st",
        #"{"$type":"SupportTask","conversations":20,"dim":5,"noise":0.001,"seed":"2342437615205057030","test_conversations":10}"#
    ),
    (
        // Added with the TextTask type (issue 15): its corpus by path and SHA-256, the GPT's vocabulary, its seed.
        "tt",
        #"{"$type":"TextTask","continuation":4,"corpus":"\#(shakespearePath)","objective":"positive","#
            + #""prompt_chars":3,"prompts":5,"scorer":"vader 3.3.2","seed":"10444599505604636551","#
            + #""sha256":"86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed","split":0.9,"#
            + #""test_prompts":2,"vocabulary":"\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}"#
    ),
    (
        "vt",
        #"{"$type":"VectorTask","candidates":64,"dim":8,"noise":1.0,"prompts":256,"seed":"3628370374969813497","test_prompts":200}"#
    ),
    (
        "vt2",
        #"{"$type":"VectorTask","candidates":5,"dim":3,"noise":0.1,"prompts":10,"seed":"17885451940711451998","test_prompts":7}"#
    ),
    // Added with contextual tasks (issue 16): the flag is written only when true, so vt and vt2 keep their bytes;
    // vt4 says that a notebook's VectorTask is contextual unless it says otherwise.
    (
        "vt3",
        #"{"$type":"VectorTask","candidates":3,"contextual":true,"dim":4,"noise":1.0,"prompts":6,"seed":"5583860683093352827","test_prompts":2}"#
    ),
    (
        "vt4",
        #"{"$type":"VectorTask","candidates":2,"contextual":true,"dim":2,"noise":1.0,"prompts":2,"seed":"6344849385534932729","test_prompts":1}"#
    ),
]

private let expectedObjects: [(name: String, kind: String, config: String)] = [
    ("ens", "reward_ensemble", #"{"hidden":2,"input":3,"member0.adam.step":2,"member1.adam.step":2,"members":2}"#),
    ("lm", "gpt", #"{"context":8,"dim":4,"heads":1,"layers":1,"vocab":65}"#),
    ("p", "policy", #"{"adam.step":2,"hidden":2,"input":3,"output":3}"#),
    ("prefs", "preferences", #"{"dim":3}"#),
    ("rm", "reward", #"{"hidden":2,"input":3,"output":1}"#),
    ("sp", "sampling_policy", #"{"hidden":2,"input":3,"output":5}"#),
    ("trm", "text_reward", #"{"context":8,"dim":4,"heads":1,"layers":1,"vocab":65}"#),
]

/// Runs `everyType` into a fresh store; returns the store, the runner (holding every variable) and the folder.
func runEveryType() throws -> (store: LabStore, runner: NotebookRunner, folder: URL) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("StoredFormTests-\(UUID().uuidString)")
    let store = try LabStore(path: folder.appendingPathComponent("lab.sqlite").path)
    let file = CellFile.parse(path: "every.rlhf", text: everyType)
    let runner = try NotebookRunner(store: store, notebook: file, source: everyType, output: { _ in })
    for cell in file.codeCells {
        guard case .committed = runner.execute(cell) else { throw CellFailed(key: cell.key) }
    }
    return (store, runner, folder)
}

private struct CellFailed: Error {
    var key: String
}

private func text(_ cell: QueryCell) -> String {
    if case let .text(value) = cell { return value }
    return "\(cell)"
}

@Test func everyLabTypeIsStoredInTheBytesTheHandBuiltEncoderWrote() throws {
    let (store, runner, folder) = try runEveryType()
    let run = runner.runID
    defer { try? FileManager.default.removeItem(at: folder) }
    let bindings = try store.query(
        """
        SELECT b.name, b.value FROM bindings b JOIN commits c ON c.id = b.commit_id
        WHERE b.kind = 'value' AND c.run_id = \(run) ORDER BY b.name
        """
    ).rows.map { (text($0[0]), text($0[1])) }
    #expect(bindings.map(\.0) == expectedBindings.map(\.name))
    for (actual, expected) in zip(bindings, expectedBindings) {
        #expect(actual.1 == expected.json, "\(expected.name)")
    }
    let objects = try store.query(
        """
        SELECT o.name, v.kind, v.config FROM versions v JOIN objects o ON o.id = v.object_id
        WHERE o.run_id = \(run) ORDER BY o.name
        """
    ).rows.map { (text($0[0]), text($0[1]), text($0[2])) }
    #expect(objects.map(\.0) == expectedObjects.map(\.name))
    for (actual, expected) in zip(objects, expectedObjects) {
        #expect(actual.1 == expected.kind && actual.2 == expected.config, "\(expected.name)")
    }
}

/// decode(encode(x)) == x: each expected binding read back through the one decoder and written again is the same text.
@Test(arguments: expectedBindings)
func everyBindingRoundTripsThroughTheDecoder(_ name: String, _ json: String) throws {
    if name == BindingEncoder.rngBinding {
        #expect(BindingEncoder.generatorJSON(try StoredValueReader.generator(json: json)) == json)
        return
    }
    let value = try StoredValueReader.value(ofBinding: json, name: name)
    #expect(BindingEncoder.json(value) == json)
}

/// Every model and dataset version read back through the one decoder is stored as exactly the same state.
@Test func everyObjectRoundTripsThroughTheDecoder() throws {
    let (store, runner, folder) = try runEveryType()
    let run = runner.runID
    defer { try? FileManager.default.removeItem(at: folder) }
    for (name, kind, _) in expectedObjects {
        let (_, state) = try store.state(VersionRef(run: run, object: name, version: 1))
        guard case let .native(native as any LabValue) = try StoredValueReader.value(of: state, name: name) else {
            Issue.record("\(name) did not decode to a lab value")
            continue
        }
        #expect(BindingEncoder.objectState(native).map(sortedTensors) == sortedTensors(state), "\(name) (\(kind))")
    }
}

/// The store hands tensors back in name order; a model writes them in its own order.
private func sortedTensors(_ state: ObjectState) -> ObjectState {
    guard case var .checkpoint(checkpoint) = state else { return state }
    checkpoint.tensors.sort { $0.name < $1.name }
    return .checkpoint(checkpoint)
}

/// The shell's `:rollback` (and replay redoing an `rlhf rollback`) rebinds every kind of stored object through the
/// one decoder. Before it, a SamplingPolicy or RewardEnsemble failed: "a checkpoint of kind '…' cannot be loaded here".
@Test(arguments: expectedObjects.map(\.name))
func theShellRollsBackEveryKindOfObject(_ name: String) throws {
    let (store, runner, folder) = try runEveryType()
    defer { try? FileManager.default.removeItem(at: folder) }
    let info = try runner.rollback(name, to: 1)
    #expect(info.note == "rollback to v1")
    let (_, state) = try store.state(VersionRef(run: runner.runID, object: name, version: 1))
    guard case let .native(native as any LabValue)? = runner.interpreter.globals[name] else {
        Issue.record("\(name) is not bound to a lab value after the rollback")
        return
    }
    #expect(BindingEncoder.objectState(native).map(sortedTensors) == sortedTensors(state))
}
