/// What a name was bound to after a commit: a plain value (JSON text) or the current version of the object of that name.
///
/// ```swift
/// [("lr", .value(json: "0.0003")), ("policy", .object(name: "policy"))]
/// ```
public enum BindingValue: Sendable, Equatable {
    case value(json: String)
    /// The object's version current after the commit (the store pins the exact version).
    case object(name: String)
}
