import Store
import Testing

@testable import Language
@testable import Notebook

/// A stored form the reader cannot rebuild is one error naming the binding and what is wrong with what was stored.
@Test(arguments: [
    (#"{"$type":"VectorTask","dim":8}"#, "its VectorTask has no 'candidates'"),
    (
        #"{"$type":"VectorTask","candidates":4,"dim":"8","noise":1.0,"prompts":8,"seed":"1","test_prompts":4}"#,
        #"its VectorTask has 'dim' expected an integer, found "8""#
    ),
    (
        #"{"$type":"VectorTask","candidates":4,"dim":8,"noise":1.0,"prompts":8,"seed":1,"test_prompts":4}"#,
        "its VectorTask has 'seed' expected a decimal string, found 1"
    ),
    (
        #"{"$type":"VectorTask","candidates":4,"dim":0,"noise":1.0,"prompts":8,"seed":"1","test_prompts":4}"#,
        "VectorTask needs dim ≥ 2, got 0"
    ),
    (#"{"$type":"Annotator","name":"nobody"}"#, "unknown annotator 'nobody'"),
    (#"{"$type":"Annotator"}"#, "its Annotator has no 'name'"),
    (
        #"{"$type":"Tokenizer","vocab":3}"#,
        "a Tokenizer cannot be rebuilt from what the store keeps of it; create it in the cell you resume from or later"
    ),
    (
        #"{"$type":"PolicyModel"}"#,
        "a PolicyModel cannot be rebuilt from what the store keeps of it; create it in the cell you resume from or later"
    ),
    (
        #"{"$type":"function","name":"f"}"#,
        "a function is not stored in the bindings; define it in the cell you resume from or later"
    ),
    (#"{"$type":"RNG","state":["1","2","3","4"]}"#, "only the run's own generator ($rng) is restored"),
    (#"{"$double":"zero"}"#, "'zero' is not a number"),
    (#"[1, {"$type":"Annotator","name":"coin!"}]"#, "unknown annotator 'coin!'"),
    ("{not json", "its stored value is not JSON: {not json"),
])
func unreadableBindingsAreOneErrorNamingTheBinding(_ json: String, _ why: String) {
    #expect(throws: ResumeError.cannotRestore("x", why)) { try StoredValueReader.value(ofBinding: json, name: "x") }
}

@Test(arguments: [
    (Checkpoint(kind: "tokenizer", config: "{}", tensors: []), "unknown model kind 'tokenizer'"),
    (
        Checkpoint(kind: "policy", config: #"{"hidden":"4"}"#, tensors: []),
        #"its PolicyModel has 'hidden' expected an integer, found "4""#
    ),
    (Checkpoint(kind: "policy", config: "[1]", tensors: []), "its PolicyModel has '' expected an object, found [1]"),
    (
        Checkpoint(kind: "policy", config: #"{"hidden":4,"input":2,"output":2}"#, tensors: []),
        "checkpoint lacks tensor 'layer1.weight'"
    ),
    (Checkpoint(kind: "reward_ensemble", config: #"{"input":2}"#, tensors: []), "checkpoint config lacks 'members'"),
])
func unreadableCheckpointsAreOneErrorNamingTheObject(_ checkpoint: Checkpoint, _ why: String) {
    #expect(throws: ResumeError.cannotRestore("m", why)) {
        try StoredValueReader.value(of: .checkpoint(checkpoint), name: "m")
    }
}

@Test func aGeneratorStateOfTheWrongShapeIsRefused() {
    let why = "not a generator state: it has 'state.1' expected a decimal string, found 2"
    #expect(throws: ResumeError.cannotRestore("$rng", why)) {
        try StoredValueReader.generator(json: #"{"$type":"RNG","state":["1",2]}"#)
    }
    #expect(throws: ResumeError.cannotRestore("$rng", "not a generator state")) {
        try StoredValueReader.generator(json: #"{"$type":"RNG","state":["1","2"]}"#)
    }
}
