import Alignment
import Language

/// A task, rebuilt from its parameters and seed whenever needed (its vectors are never stored).
struct TaskValue: LabValue {
    var task: VectorTask

    var labType: any LabType.Type { VectorTaskType.self }

    var displayText: String {
        "VectorTask(dim: \(task.dim), prompts: \(task.promptCount), candidates: \(task.candidateCount), "
            + "test prompts: \(task.testCount)\(task.contextual ? ", contextual" : ""))"
    }
}

/// `VectorTask`: prompts and candidate responses as vectors, with a hidden gold reward.
enum VectorTaskType: BindingLabType {
    static let id = LabTypeID.vectorTask
    static let summary = "prompts and shared candidate responses as vectors, scored by a hidden gold reward"

    static var members: [LabMember<TaskValue>] {
        [
            LabMember("dim", "int", "length of a prompt and of a response") { .int($0.task.dim) },
            LabMember("prompts", "int", "training prompts") { .int($0.task.promptCount) },
            LabMember("candidates", "int", "candidate responses shared by every prompt") {
                .int($0.task.candidateCount)
            },
            LabMember("test_prompts", "int", "held-out prompts, never trained on") { .int($0.task.testCount) },
            LabMember("noise", "float", "spread σ of a policy's samples around its output (the σ its KL reads)") {
                .double(Double($0.task.noise))
            },
            LabMember("contextual", "bool", "whether gold's direction depends on the prompt") {
                .bool($0.task.contextual)
            },
            LabMember("reward_input", "int", "values a reward model reads: dim, or prompt then response (2·dim)") {
                .int($0.task.responseDim)
            },
            LabMember("gold_optimum", "float", "the highest gold reward any response can reach") {
                .double(Double($0.task.goldOptimum))
            },
            LabMember(
                "expected_gold_optimum", "float",
                "the highest expected gold of a policy's samples (gold_optimum less the spread's cost α·dim·noise²)"
            ) { .double(Double($0.task.expectedGoldOptimum)) },
        ]
    }

    /// `{"$type":"VectorTask","candidates":64,"dim":8,"noise":1.0,"prompts":256,"seed":"123","test_prompts":200}`;
    /// `"contextual":true` only when it is, so every task stored before contextual tasks existed keeps its form.
    struct Parameters: Codable, Equatable {
        var candidates: Int
        var contextual: Bool?
        var dim: Int
        var noise: Float
        var prompts: Int
        var seed: UInt64
        var testPrompts: Int

        enum CodingKeys: String, CodingKey {
            case candidates, contextual, dim, noise, prompts, seed
            case testPrompts = "test_prompts"
        }
    }

    static func parameters(of value: TaskValue) -> Parameters {
        let t = value.task
        return Parameters(
            candidates: t.candidateCount, contextual: t.contextual ? true : nil, dim: t.dim, noise: t.noise,
            prompts: t.promptCount, seed: t.seed,
            testPrompts: t.testCount)
    }

    static func restore(_ p: Parameters) throws -> TaskValue {
        TaskValue(
            task: try VectorTask(
                dim: p.dim, prompts: p.prompts, candidates: p.candidates, testPrompts: p.testPrompts, noise: p.noise,
                contextual: p.contextual ?? false, seed: p.seed))
    }
}
