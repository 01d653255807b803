import Engine
import Interop
import Models
import Store
import Testing

/// A checkpoint as a safetensors file with a PyTorch `state_dict`'s layouts, and back.
@Suite struct CheckpointSafetensorsTests {
    /// A trained-looking reward model: weights, biases and Adam's moments all distinct values.
    static func rewardCheckpoint() -> Checkpoint {
        var rng = RNG(seed: 7)
        let network = TwoLayerMLP(input: 3, hidden: 4, output: 1, rng: &rng)
        let moments = network.parameters.map { rng.normalTensor($0.shape, scale: 1) }
        let model = RewardModel(
            network: network,
            optimizer: Adam(
                step: 5, m: moments, v: moments.map { Tensor(shape: $0.shape, data: $0.data.map { $0 * $0 }) }))
        return checkpoint(model.stateDict)
    }

    static func checkpoint(_ dict: StateDict) -> Checkpoint {
        let config = dict.config.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }
        return Checkpoint(
            kind: dict.kind, config: "{" + config.joined(separator: ",") + "}",
            tensors: dict.tensors.map { StoredTensor(name: $0.name, shape: $0.tensor.shape, values: $0.tensor.data) })
    }

    static func sortedTensors(_ c: Checkpoint) -> [StoredTensor] { c.tensors.sorted { $0.name < $1.name } }

    @Test func writesPyTorchNamesAndLayoutsWithoutAdam() throws {
        let stored = Self.rewardCheckpoint()
        let file = try CheckpointSafetensors.file(stored, withOptimizer: false, provenance: [("rlhf.source", "1/rm@2")])
        #expect(file.tensors.map(\.name) == ["layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias"])
        #expect(file.tensors.map(\.shape) == [[4, 3], [4], [1, 4], [1]])
        for tensor in file.tensors {
            #expect(tensor.values == stored.tensors.first { $0.name == tensor.name }?.values, "\(tensor.name)")
        }
        #expect(file.metadata.map(\.key) == ["format", "rlhf.kind", "rlhf.config", "rlhf.source"])
        #expect(file.metadata.map(\.value) == ["pt", "reward", #"{"hidden":4,"input":3,"output":1}"#, "1/rm@2"])
    }

    @Test func withTheOptimizerItRoundTripsExactly() throws {
        let stored = Self.rewardCheckpoint()
        let file = try CheckpointSafetensors.file(stored, withOptimizer: true)
        #expect(file.tensors.count == 12)
        #expect(file.tensor("adam.m.layer1.bias")?.shape == [4])
        #expect(
            file.metadata.first { $0.key == "rlhf.config" }?.value
                == #"{"adam.step":5,"hidden":4,"input":3,"output":1}"#)
        let back = try CheckpointSafetensors.checkpoint(try Safetensors(bytes: try file.encoded()), kind: nil)
        #expect(back.kind == stored.kind && back.config == stored.config)
        #expect(Self.sortedTensors(back) == Self.sortedTensors(stored))
        #expect(try back.contentHash() == (try stored.contentHash()))
    }

    @Test func withoutTheOptimizerItComesBackUntrained() throws {
        let stored = Self.rewardCheckpoint()
        let file = try CheckpointSafetensors.file(stored, withOptimizer: false)
        let back = try CheckpointSafetensors.checkpoint(try Safetensors(bytes: try file.encoded()), kind: "reward")
        #expect(back.config == #"{"hidden":4,"input":3,"output":1}"#)
        #expect(Self.sortedTensors(back) == Self.sortedTensors(stored).filter { !$0.name.hasPrefix("adam.") })
    }

    /// What `safetensors.torch.save_file(model.state_dict(), …)` writes for the seed's classes: no rlhf metadata.
    @Test(arguments: [("policy", [5, 2], 3), ("reward", [6, 4], 1)] as [(String, [Int], Int)])
    func aPyTorchStateDictTakesItsSizesFromItsShapes(kind: String, layer1: [Int], output: Int) throws {
        let (hidden, input) = (layer1[0], layer1[1])
        func tensor(_ name: String, _ shape: [Int]) -> Safetensors.Tensor {
            Safetensors.Tensor(name: name, shape: shape, values: (0..<shape.reduce(1, *)).map { Float($0) / 8 })
        }
        let file = Safetensors(
            tensors: [
                tensor("layer1.weight", layer1), tensor("layer1.bias", [hidden]),
                tensor("layer2.weight", [output, hidden]), tensor("layer2.bias", [output]),
            ], metadata: [("format", "pt")])
        let back = try CheckpointSafetensors.checkpoint(file, kind: kind)
        #expect(back.config == #"{"hidden":\#(hidden),"input":\#(input),"output":\#(output)}"#)
        #expect(back.tensors.first { $0.name == "layer1.bias" }?.shape == [1, hidden])
        #expect(back.tensors.first { $0.name == "layer2.bias" }?.shape == [1, output])
        #expect(back.tensors.first { $0.name == "layer2.weight" }?.values == file.tensor("layer2.weight")?.values)
    }

    @Test(
        arguments: [
            (
                Safetensors(tensors: [], metadata: [("rlhf.kind", "policy")]), "reward",
                "the file holds a 'policy' checkpoint (its rlhf.kind), not a 'reward'"
            ),
            (
                Safetensors(tensors: [], metadata: []), nil,
                "the file does not say which model it holds (no rlhf.kind in its metadata); name the type"
            ),
            (
                Safetensors(tensors: [], metadata: []), "gpt",
                "a 'gpt' file needs its sizes in the metadata key rlhf.config, which rlhf export writes; this file has none"
            ),
            (
                Safetensors(tensors: [], metadata: []), "reward",
                "the file has no tensor 'layer1.weight', so the model's sizes are unknown"
            ),
            (
                Safetensors(tensors: [], metadata: [("rlhf.kind", "reward"), ("rlhf.config", #"{"input":"3"}"#)]), nil,
                #"the config's 'input' is "3", not an integer"#
            ),
            (
                Safetensors(tensors: [], metadata: [("rlhf.kind", "reward"), ("rlhf.config", "[1]")]), nil,
                #"the config "[1]" is not a JSON object"#
            ),
        ] as [(Safetensors, String?, String)])
    func refusesWhatItCannotRead(file: Safetensors, kind: String?, message: String) {
        #expect {
            _ = try CheckpointSafetensors.checkpoint(file, kind: kind)
        } throws: { "\($0)" == message }
    }
}
