import Engine
import Testing

@testable import Models

@Test func policyAndRewardShapesMatchTheSeed() {
    var rng = RNG(seed: 1)
    let policy = PolicyModel(input: 100, hidden: 64, output: 10, rng: &rng)
    let rm = RewardModel(input: 100, hidden: 64, rng: &rng)
    let x = rng.normalTensor([3, 100])
    #expect(policy(x).shape == [3, 10])
    #expect(rm.scores(x).count == 3)
    #expect(policy.network.parameterCount == 100 * 64 + 64 + 64 * 10 + 10)
}

@Test func initialisationIsPyTorchUniform() {
    var rng = RNG(seed: 5)
    let layer = Linear(input: 100, output: 64, rng: &rng)
    let bound: Float = 1 / 10
    #expect(layer.weight.shape == [64, 100] && layer.bias.shape == [1, 64])
    #expect(layer.weight.data.allSatisfy { abs($0) <= bound })
    #expect(layer.weight.data.contains { abs($0) > 0.9 * bound })
}

@Test func inferenceAgreesWithTheRecordedForwardPass() {
    var rng = RNG(seed: 2)
    let net = TwoLayerMLP(input: 5, hidden: 7, output: 3, rng: &rng)
    let x = rng.normalTensor([4, 5])
    let tape = Tape()
    let (y, _) = net.forward(tape.leaf(x), on: tape)
    #expect(tape.value(y) == net(x))
}

@Test func stateDictRoundTripsWithAndWithoutOptimiser() throws {
    var rng = RNG(seed: 3)
    var policy = PolicyModel(input: 4, hidden: 3, output: 4, rng: &rng)
    #expect(try PolicyModel(stateDict: policy.stateDict) == policy as PolicyModel)
    policy.optimizer = Adam(
        step: 7, m: policy.network.parameters.map { rng.normalTensor($0.shape) },
        v: policy.network.parameters.map { rng.normalTensor($0.shape) })
    #expect(try PolicyModel(stateDict: policy.stateDict) == policy as PolicyModel)
    let rm = RewardModel(input: 4, hidden: 3, rng: &rng)
    #expect(try RewardModel(stateDict: rm.stateDict) == rm)
}

@Test func stateDictOfTheWrongKindOrShapeIsRefused() {
    var rng = RNG(seed: 4)
    let rm = RewardModel(input: 4, hidden: 3, rng: &rng)
    #expect(throws: StateDictError.wrongKind(expected: "policy", got: "reward")) {
        try PolicyModel(stateDict: rm.stateDict)
    }
    var broken = rm.stateDict
    broken.tensors[0].tensor = Tensor(zeros: [2, 2])
    #expect(throws: StateDictError.wrongShape(name: "layer1.weight", expected: [3, 4], got: [2, 2])) {
        try RewardModel(stateDict: broken)
    }
}
