import Language
import Store

/// A lab value the store keeps as a checkpoint (a model): built-ins that train one record `checkpoint` under the
/// variable's name. Each conformer forwards to its `CheckpointLabType`'s `checkpoint(_:)`.
protocol CheckpointedValue: LabValue {
    var checkpoint: Checkpoint { get }
}
