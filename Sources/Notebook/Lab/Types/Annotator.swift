import Alignment
import Language

/// A simulated annotator.
struct AnnotatorValue: LabValue {
    var annotator: Annotator

    var labType: any LabType.Type { AnnotatorType.self }
    var displayText: String { annotator.name }
}

/// `Annotator`: a simulated human comparing two responses (`Coin()`, `Oracle()`, `BradleyTerry()`, `Biased()`,
/// `Panel()`); stored by its canonical name, which `Annotator(name:)` reads back.
enum AnnotatorType: BindingLabType {
    static let id = LabTypeID.annotator
    static let summary = "a simulated human who compares two responses; collect asks it about each pair"

    static var members: [LabMember<AnnotatorValue>] {
        [
            LabMember("name", "string", "its canonical name, as recorded on every row it labels") {
                .string($0.annotator.name)
            }
        ]
    }

    /// `{"$type":"Annotator","name":"bradleyTerry(noise: 0.1)"}`.
    struct Parameters: Codable, Equatable {
        var name: String
    }

    static func parameters(of value: AnnotatorValue) -> Parameters { Parameters(name: value.annotator.name) }
    static func restore(_ p: Parameters) throws -> AnnotatorValue {
        AnnotatorValue(annotator: try Annotator(name: p.name))
    }
}
