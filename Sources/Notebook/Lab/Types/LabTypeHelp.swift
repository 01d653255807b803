/// What `:help TYPE` prints about a lab type and what Tab offers after `x.`, both from the type's members table.
extension LabTypeID {
    /// ```
    /// type PolicyModel: an MLP mapping a prompt vector to … (stored as a checkpoint of kind "policy")
    ///     .input          int    length of the vector the network reads
    /// ```
    var help: String {
        let docs = type.memberDocs
        let nameWidth = docs.map(\.name.count).max() ?? 0
        let typeWidth = docs.map(\.type.count).max() ?? 0
        let lines = docs.map { member in
            "    ." + member.name.padding(toLength: nameWidth + 2, withPad: " ", startingAt: 0)
                + member.type.padding(toLength: typeWidth + 2, withPad: " ", startingAt: 0) + member.doc
        }
        return (["type \(rawValue): \(type.summary) (\(type.storage.help))"] + lines).joined(separator: "\n")
    }
}

extension LabType {
    /// The members table without its readers: name, type and doc of each member, in order.
    static var memberDocs: [(name: String, type: String, doc: String)] { members.map { ($0.name, $0.type, $0.doc) } }
}

extension LabStorage {
    /// `stored as a checkpoint of kind "policy"`.
    var help: String {
        switch self {
        case let .checkpoint(type): "stored as a checkpoint of kind \"\(type.checkpointKind.rawValue)\""
        case let .dataset(type): "stored as versioned rows of a dataset of kind \"\(type.datasetKind.rawValue)\""
        case .binding: "stored in the bindings as the parameters that rebuild it"
        }
    }
}
