import Foundation
import Testing

/// `rlhf rollback` on every kind of checkpoint a notebook can bind, then `rlhf replay`: the replay redoes the rollback
/// (rebinding the variable from the store) and verifies. Before the type registry, the shell's rollback knew only
/// policy and reward checkpoints, so replay failed with "a checkpoint of kind 'sampling_policy' cannot be loaded here".
@Suite struct RollbackReplayCLITests {
    static let notebook = """
        # %% setup
        seed(5)
        task = VectorTask(dim: 4, prompts: 16, candidates: 6, test_prompts: 8, contextual: false)
        sp = SamplingPolicy(task, hidden: 4)
        rm = RewardModel(input: 4, hidden: 4)
        ens = RewardEnsemble(input: 4, hidden: 4, members: 2)
        prefs = collect(task, annotator: BradleyTerry(noise: 0.1), pairs: 24)
        # %% train
        dpo(sp, prefs, task, epochs: 2, batch: 8)
        fit(ens, prefs, epochs: 2, batch: 8)
        """

    /// One row per checkpoint kind today's runner could not rebind: a SamplingPolicy and a RewardEnsemble.
    @Test(arguments: ["sp", "ens"])
    func rollbackThenReplayRestoresTheCheckpoint(_ name: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        let run = try cli("run", try cli.write("nb.rlhf", Self.notebook), "--quiet")
        #expect(run.status == 0, "\(run.stderr)")
        let rollback = try cli("rollback", "1/\(name)", "--to", "1")
        #expect(rollback.status == 0, "\(rollback.stderr)")
        #expect(rollback.stdout.hasPrefix("1/\(name)@3 = v1"))
        let replay = try cli("replay", "1", "--verify", "-q")
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(!replay.stderr.contains("cannot be loaded"))
        #expect(replay.stdout.hasPrefix("run 2 replays run 1\nverified:"), "\(replay.stdout)")
        // The replay redid the rollback: its copy of the object also has v3 = v1, noted as such.
        let notes =
            "SELECT group_concat(coalesce(v.note, '-'), '|') FROM versions v "
            + "JOIN objects o ON o.id = v.object_id WHERE o.name = '\(name)' AND o.run_id = 2"
        #expect(try cli.scalar(notes) == "-|-|rollback to v1")
    }
}
