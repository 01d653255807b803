import Foundation
import GRDB
import Testing

/// `rlhf replay` redoes rollbacks from the store's typed events: the commit notes (which only say the same in words)
/// are never parsed, so a store whose notes read differently, or one from before events that migration v9
/// backfilled, replays the rollback where it happened.
@Suite struct ReplayEventsCLITests {
    static let session = """
        seed(1); task = VectorTask(dim: 4, prompts: 8, candidates: 4, test_prompts: 4, contextual: false)
        p = PolicyModel(input: 4, hidden: 4, output: 4); rm = RewardModel(input: 4, hidden: 4)
        finetune(p, rm, task, steps: 3)
        :rollback p 1
        finetune(p, rm, task, steps: 3)
        """

    static let notes =
        "SELECT group_concat(coalesce(v.note, '-'), '|') FROM versions v "
        + "JOIN objects o ON o.id = v.object_id WHERE o.name = 'p' AND o.run_id = "

    @Test(arguments: [
        // The note of the rollback's commit and version rewritten: the typed event still says what happened.
        "UPDATE commits SET note = 'put p back' WHERE note = 'rollback to v1'; "
            + "UPDATE versions SET note = 'put p back' WHERE note = 'rollback to v1'",
        // A store from before events: v9 backfills the event from the note when the store is opened.
        "DROP TABLE commit_events; DELETE FROM grdb_migrations WHERE identifier = 'v9-commit-events'",
    ])
    func theRollbackIsReplayedFromItsTypedEvent(edit: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli(stdin: Self.session + "\n").status == 0)
        var config = Configuration()
        config.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: cli.store, configuration: config)
        try queue.writeWithoutTransaction { db in try db.execute(sql: edit) }
        try queue.close()
        let r = try cli("replay", "1", "--verify", "-q")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "run 2 replays run 1\nverified: 4 checkpoints, 24 metrics identical\n")
        // The replay rolled p back after its second version, as the shell did.
        #expect(try cli.scalar(Self.notes + "2") == "-|-|rollback to v1|-")
        let hashes =
            "SELECT group_concat(v.content_hash, '|') FROM versions v JOIN objects o ON o.id = v.object_id "
            + "WHERE o.name = 'p' AND o.run_id = "
        #expect(try cli.scalar(hashes + "1") == cli.scalar(hashes + "2"))
    }
}
