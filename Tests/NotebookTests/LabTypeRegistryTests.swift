import Foundation
import Testing

@testable import Language
@testable import Notebook

/// The registry is consistent: each id names the type that claims it, each checkpoint or dataset kind the type
/// stored under it, and each members table is documented and is what `x.member` reads.
@Test(arguments: LabTypeID.allCases)
func everyLabTypeIsRegisteredUnderItsOwnIdWithDocumentedMembers(_ id: LabTypeID) {
    let type = id.type
    #expect(type.id == id)
    #expect(!type.summary.isEmpty)
    let docs = type.memberDocs
    #expect(!docs.isEmpty)
    #expect(Set(docs.map(\.name)).count == docs.count, "duplicate member in \(id)")
    for member in docs { #expect(!member.type.isEmpty && !member.doc.isEmpty, "\(id).\(member.name)") }
    switch type.storage {
    case let .checkpoint(stored): #expect(stored.checkpointKind.type.id == id)
    case let .dataset(stored): #expect(stored.datasetKind.type.id == id)
    case .binding: break
    }
}

@Test(arguments: CheckpointKind.allCases)
func everyCheckpointKindIsStoredByTheTypeThatReadsIt(_ kind: CheckpointKind) {
    #expect(kind.type.checkpointKind == kind)
}

/// Every variable of `everyType` reads every member its type documents, and its type name is its registry id.
@Test func everyDocumentedMemberReadsOnARealValue() throws {
    let (_, runner, folder) = try runEveryType()
    defer { try? FileManager.default.removeItem(at: folder) }
    var seen = Set<LabTypeID>()
    for (name, value) in runner.interpreter.globals {
        guard case let .native(native as any LabValue) = value else { continue }
        seen.insert(native.labType.id)
        #expect(native.typeName == native.labType.id.rawValue)
        #expect(native.memberNames == native.labType.memberDocs.map(\.name))
        for member in native.memberNames { #expect(native.member(member) != nil, "\(name).\(member)") }
        #expect(native.member("no_such_member") == nil)
    }
    #expect(seen == Set(LabTypeID.allCases))
}

/// `:help TYPE` lists the members with their docs (after the constructor's signature when there is one), and Tab
/// after `x.` offers the members of `x`.
@Test func helpListsAMembersTableAndCompletionOffersMembers() throws {
    let (_, runner, folder) = try runEveryType()
    defer { try? FileManager.default.removeItem(at: folder) }
    let policy = try #require(runner.help("PolicyModel"))
    #expect(policy.hasPrefix("PolicyModel(input: int"))
    #expect(policy.contains("\ntype PolicyModel: an MLP mapping a prompt vector to a response vector"))
    #expect(policy.contains(#"(stored as a checkpoint of kind "policy")"#))
    #expect(policy.contains("\n    .trained_steps  int  Adam steps taken so far (0 before any training)"))
    let preferences = try #require(runner.help("Preferences"))
    #expect(preferences.hasPrefix("type Preferences: "))
    #expect(preferences.contains("\n    .annotators    list of string  who labelled the rows"))
    #expect(runner.help("fit") == runner.interpreter.builtins.help("fit"))
    #expect(runner.help("Nothing") == nil)
    let words = runner.completionWords
    #expect(words.contains("p.trained_steps") && words.contains("prefs.disagreement"))
    #expect(words.contains("vt.gold_optimum"))
    #expect(words.contains("ens.members") && words.contains("pan.name") && words.contains("st.replies"))
}
