import Alignment
import Language

/// A task, rebuilt from its parameters and seed whenever needed (its vectors are never stored).
struct TaskValue: LabValue {
    var task: VectorTask

    var labType: any LabType.Type { VectorTaskType.self }

    var displayText: String {
        "VectorTask(dim: \(task.dim), prompts: \(task.promptCount), candidates: \(task.candidateCount), "
            + "test prompts: \(task.testCount))"
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
            LabMember("noise", "float", "spread of the prompts around the gold direction") {
                .double(Double($0.task.noise))
            },
            LabMember("gold_optimum", "float", "the highest gold reward any response can reach") {
                .double(Double($0.task.goldOptimum))
            },
        ]
    }

    /// `{"$type":"VectorTask","candidates":64,"dim":8,"noise":1.0,"prompts":256,"seed":"123","test_prompts":200}`.
    struct Parameters: Codable, Equatable {
        var candidates: Int
        var dim: Int
        var noise: Float
        var prompts: Int
        var seed: UInt64
        var testPrompts: Int

        enum CodingKeys: String, CodingKey {
            case candidates, dim, noise, prompts, seed
            case testPrompts = "test_prompts"
        }
    }

    static func parameters(of value: TaskValue) -> Parameters {
        let t = value.task
        return Parameters(
            candidates: t.candidateCount, dim: t.dim, noise: t.noise, prompts: t.promptCount, seed: t.seed,
            testPrompts: t.testCount)
    }

    static func restore(_ p: Parameters) throws -> TaskValue {
        TaskValue(
            task: try VectorTask(
                dim: p.dim, prompts: p.prompts, candidates: p.candidates, testPrompts: p.testPrompts, noise: p.noise,
                seed: p.seed))
    }
}
