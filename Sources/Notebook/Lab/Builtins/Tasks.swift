import Alignment
import Language
import Models

/// The tasks a notebook aligns policies on: the seed's vector world, moderation (Slide 9) and customer service
/// (Slide 10). Each draws its hidden world from the run's generator; the values it returns are rebuilt from their
/// parameters and seed whenever needed.
extension LabBuiltins {
    static func taskBuiltins(_ lab: LabState) -> [Builtin] {
        [vectorTask(lab), moderationTask(lab), supportTask(lab), textTaskBuiltin(lab)]
    }

    static func vectorTask(_ lab: LabState) -> Builtin {
        let dim = Param.labelled("dim", .int, in: taskDimension)
        let prompts = Param.labelled("prompts", .int, default: 256, in: rows)
        let candidates = Param.labelled("candidates", .int, default: 64, in: .integer(2...maxRows))
        let testPrompts = Param.labelled("test_prompts", .int, default: 200, in: testRows)
        let noise = Param.labelled("noise", .number, default: 1.0, in: .number(above: 0, atMost: 1000))
        let contextual = Param.labelled("contextual", .bool, default: true)
        return Builtin(
            "VectorTask", [dim, prompts, candidates, testPrompts, noise, contextual],
            doc:
                "The seed's vector world: prompts, candidate responses and a hidden gold reward (prompt-dependent when contextual; a reward model then reads task.reward_input values), drawn from the run's generator."
        ) { args, context in
            let task = try context.lab {
                let counts = try [prompts(args), candidates(args), testPrompts(args)]
                try checkValues(counts.reduce(0, +), dim(args), args, dim.name)
                return try VectorTask(
                    dim: dim(args), prompts: counts[0], candidates: counts[1], testPrompts: counts[2],
                    noise: Float(noise(args)), contextual: contextual(args), seed: lab.rng.next())
            }
            return .native(TaskValue(task: task))
        }
    }

    static func moderationTask(_ lab: LabState) -> Builtin {
        let dim = Param.labelled("dim", .int, default: 16, in: taskDimension)
        let items = Param.labelled("items", .int, default: 500, in: rows)
        let testItems = Param.labelled("test_items", .int, default: 500, in: testRows)
        let noise = Param.labelled("noise", .number, default: 0.3, in: LabBuiltins.noise)
        return Builtin(
            "ModerationTask", [dim, items, testItems, noise],
            doc:
                "Slide 9: content items in five categories, actions allow/label/remove, and a hidden gold moderation policy."
        ) { args, context in
            let task = try context.lab {
                let counts = try [items(args), testItems(args)]
                try checkValues(counts.reduce(0, +), dim(args), args, dim.name)
                return try ModerationTask(
                    dim: dim(args), items: counts[0], testItems: counts[1],
                    noise: Float(noise(args)), seed: lab.rng.next())
            }
            return .native(ModerationTaskValue(task: task))
        }
    }

    static func supportTask(_ lab: LabState) -> Builtin {
        let dim = Param.labelled("dim", .int, default: 16, in: taskDimension)
        let conversations = Param.labelled("conversations", .int, default: 500, in: rows)
        let testConversations = Param.labelled("test_conversations", .int, default: 500, in: testRows)
        let noise = Param.labelled("noise", .number, default: 0.3, in: LabBuiltins.noise)
        return Builtin(
            "SupportTask", [dim, conversations, testConversations, noise],
            doc:
                "Slide 10: customer issues in four categories, eight replies (fix, clarify, escalate, deflect; polite or curt), and hidden gold satisfaction 1–5."
        ) { args, context in
            let task = try context.lab {
                let counts = try [conversations(args), testConversations(args)]
                try checkValues(counts.reduce(0, +), dim(args), args, dim.name)
                return try SupportTask(
                    dim: dim(args), conversations: counts[0], testConversations: counts[1],
                    noise: Float(noise(args)), seed: lab.rng.next())
            }
            return .native(SupportTaskValue(task: task))
        }
    }
}
