import Language
import Store

/// A type a notebook can bind: its name, its documented members (for `x.member`, `:help TYPE` and completion after
/// `x.`) and how the store keeps it. Each is a caseless enum in its own file in `Lab/Types/`, next to the value it
/// describes, and has one case in `LabTypeID`; how it is stored is one of the refinements `BindingLabType`,
/// `CheckpointLabType` or `DatasetLabType`, so the compiler refuses a type that does not say.
protocol LabType {
    /// The Swift value a notebook binds (`ModelValue` serves both `PolicyModel` and `RewardModel`).
    associatedtype Native: LabValue
    static var id: LabTypeID { get }
    /// One line for `:help TYPE`: what the type is.
    static var summary: String { get }
    /// Every member `x.name` reads, in the order `:help` lists them.
    static var members: [LabMember<Native>] { get }
    /// How the store keeps a value of this type; supplied by the refinement the type adopts.
    static var storage: LabStorage { get }
}

/// A native value that is one of the lab's types: its name and members come from its `LabType`.
protocol LabValue: NativeValue {
    var labType: any LabType.Type { get }
}

extension LabValue {
    var typeName: String { labType.id.rawValue }
    var memberNames: [String] { labType.memberNames }
    func member(_ name: String) -> Value? { labType.member(name, of: self) }
}

extension LabType {
    static var memberNames: [String] { members.map(\.name) }

    /// The member `name` of `value`; nil if there is none or `value` is not this type's native.
    static func member(_ name: String, of value: any NativeValue) -> Value? {
        guard let native = value as? Native else { return nil }
        return members.first { $0.name == name }?.read(native)
    }
}

/// One member of a lab type, documented where it is defined.
struct LabMember<Native> {
    let name: String
    /// The member's type as `:help` prints it: `int`, `float`, `list of string`.
    let type: String
    /// One line: what the member means.
    let doc: String
    let read: (Native) -> Value

    init(_ name: String, _ type: String, _ doc: String, _ read: @escaping (Native) -> Value) {
        self.name = name
        self.type = type
        self.doc = doc
        self.read = read
    }
}
