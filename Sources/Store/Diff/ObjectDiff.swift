/// The difference between two versions of objects of the same family (possibly from different runs).
public enum ObjectDiff: Sendable {
    case model(ModelDiff)
    case dataset(DatasetDiff)
}
