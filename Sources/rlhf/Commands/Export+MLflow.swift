import ArgumentParser
import Foundation
import Interop
import Notebook
import Store

/// `rlhf export RUN --mlflow URI`: a whole run logged to an MLflow tracking server (``MLflowLog``).
extension Export {
    /// Refuses what does not go with `--mlflow`, and `--experiment`/`--with-models` without it.
    func checkMLflowOptions() throws {
        guard let uri = mlflow else {
            if experiment != nil || withModels {
                printError("error: \(experiment != nil ? "--experiment" : "--with-models") applies to --mlflow only")
                throw ExitCode.failure
            }
            return
        }
        let clash = out != nil ? "-o" : format != nil ? "--format" : withOptimizer ? "--with-optimizer" : nil
        if let clash {
            printError("error: --mlflow logs the run to a tracking server; drop \(clash)")
            throw ExitCode.failure
        }
        let scheme = uri.lowercased()
        guard scheme.hasPrefix("http://") || scheme.hasPrefix("https://"), URL(string: uri)?.host != nil else {
            printError("error: --mlflow needs the tracking server's http:// or https:// URI, not '\(uri)'")
            throw ExitCode.failure
        }
        if experiment?.isEmpty == true {
            printError("error: --experiment needs a name; it is empty")
            throw ExitCode.failure
        }
    }

    /// Logs run `model` (a run id) to the tracking server at `uri`, saying what it does, then where to look.
    func exportToMLflow(uri: String) throws {
        guard let id = Int64(model), id > 0 else {
            printError(
                "error: '\(model)' is not a run id; --mlflow logs a whole run, e.g. rlhf export 1 --mlflow "
                    + "http://127.0.0.1:5000")
            throw ExitCode.failure
        }
        let lab = try store.openReadOnly()
        let storePath = URL(fileURLWithPath: store.path).standardizedFileURL.path
        var log = try failing {
            try MLflowLog(
                store: lab, run: id, storePath: storePath, version: LabVersion.number, experiment: experiment)
        }
        if withModels { log.artifacts += try failing { try modelFiles(lab, run: id) } }
        for line in log.shortened { print("note: \(line)") }
        let client = MLflowHTTP(uri: uri)
        // The batches' progress on stderr, as a long cell's: a bar on a terminal, else a line every few seconds.
        let reporter = ProgressReporter(quiet: false)
        let outcome = try failing {
            try log.send(through: client, progress: { print($0) }, sentBatches: { reporter.update($0, $1) })
        }
        reporter.finish()
        print("\(client.base)/#/experiments/\(outcome.experimentID)/runs/\(outcome.runID)")
    }

    /// Each model of the run at its latest version, as `models/NAME.safetensors` (without Adam's state).
    private func modelFiles(_ lab: LabStore, run id: Int64) throws -> [MLflowLog.Artifact] {
        try lab.run(id).objects.filter { $0.kind == .checkpoint }.compactMap { object in
            guard let latest = object.versions.last else { return nil }
            let (info, checkpoint) = try lab.checkpoint(
                VersionRef(run: id, object: object.name, version: latest.version))
            let bytes = try Self.safetensors(info, checkpoint, withOptimizer: false)
            return MLflowLog.Artifact(
                path: "models/" + OutputFolder.safeName(object.name + ".safetensors"), data: Data(bytes))
        }
    }

    /// A version as a safetensors file whose metadata says where it came from (`rlhf.source`, its content hash,
    /// the exporting rlhf's version).
    static func safetensors(_ info: VersionInfo, _ checkpoint: Checkpoint, withOptimizer: Bool) throws -> [UInt8] {
        let provenance = [
            (key: "rlhf.source", value: "\(info.run)/\(info.object)@\(info.version)"),
            (key: "rlhf.content_hash", value: info.contentHash), (key: "rlhf.version", value: LabVersion.number),
        ]
        return try CheckpointSafetensors.file(checkpoint, withOptimizer: withOptimizer, provenance: provenance)
            .encoded()
    }
}
