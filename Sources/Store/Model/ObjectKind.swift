/// The family of a versioned object: a checkpoint (named tensors) or a dataset of feedback rows.
///
/// A name keeps its family for the whole run; each version also carries a finer `kind` label
/// (e.g. `"policy"`, `"reward"`, `"preferences"`), see ``VersionInfo/kind``.
public enum ObjectKind: String, Sendable, Codable, CaseIterable {
    case checkpoint, dataset
}
