import Alignment
import Language
import Store

/// A preference dataset bound to a name.
struct DatasetValue: LabValue {
    var dataset: PreferenceDataset

    var labType: any LabType.Type { PreferencesType.self }

    /// Annotators in the order they first labelled a row.
    var annotators: [String] {
        var seen: [String] = []
        for row in dataset.rows where !seen.contains(row.annotator) { seen.append(row.annotator) }
        return seen
    }

    var displayText: String {
        let responses = dataset.rows.first?.text == nil ? "value responses" : "token continuations"
        return "Preferences(\(dataset.count) pairs of \(dataset.dim)-\(responses), "
            + "annotators: \(annotators.joined(separator: ", ")))"
    }
}

/// `Preferences`: rows of (prompt, chosen, rejected, annotator, seed), versioned row by row in the store.
enum PreferencesType: DatasetLabType {
    static let id = LabTypeID.preferences
    static let summary = "preference pairs (prompt, chosen, rejected, annotator, seed); the store versions its rows"
    static let datasetKind = DatasetKind.preferences

    static var members: [LabMember<DatasetValue>] {
        [
            LabMember("count", "int", "number of pairs") { .int($0.dataset.count) },
            LabMember("dim", "int", "length of each response vector") { .int($0.dataset.dim) },
            LabMember("annotators", "list of string", "who labelled the rows, in order of first appearance") {
                .list($0.annotators.map { .string($0) })
            },
            LabMember("disagreement", "float", "mean fraction of a panel's judges who voted against the verdict") {
                .double($0.dataset.disagreement)
            },
        ]
    }

    /// Config `{"dim":8}`; each pair is a feedback row (a text pair with its words and sampling settings).
    static func dataset(of value: DatasetValue) -> (config: IntegerFields, rows: [FeedbackRow]) {
        let rows = value.dataset.rows.map { pair in
            FeedbackRow(
                uid: pair.uid, prompt: pair.prompt, chosen: pair.chosen, rejected: pair.rejected,
                annotator: pair.annotator, seed: pair.seed,
                text: pair.text.map {
                    FeedbackRow.Text(
                        prompt: $0.prompt, chosen: $0.chosen, rejected: $0.rejected, sampling: pair.sampling?.name)
                })
        }
        return (IntegerFields([("dim", value.dataset.dim)]), rows)
    }

    static func restore(rows: [FeedbackRow]) throws -> DatasetValue {
        DatasetValue(
            dataset: PreferenceDataset(
                rows: try rows.map { row in
                    PreferencePair(
                        uid: row.uid, prompt: row.prompt, chosen: row.chosen, rejected: row.rejected,
                        annotator: row.annotator, seed: row.seed,
                        disagreement: Judgement.disagreement(label: row.annotator),
                        text: row.text.map {
                            PreferenceText(prompt: $0.prompt, chosen: $0.chosen, rejected: $0.rejected)
                        },
                        sampling: try row.text?.sampling.map { try TextSampling(name: $0) })
                }))
    }
}
