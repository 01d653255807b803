import Language
import Store

/// Anything a notebook binds that the store keeps as a checkpoint (a model) rather than as JSON.
protocol CheckpointedValue: NativeValue {
    var checkpoint: Checkpoint { get }
}

extension ModelValue: CheckpointedValue {}
