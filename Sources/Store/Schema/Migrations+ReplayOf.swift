import GRDB

extension Migrations {
    /// A replay names the run it replays (`runs.replay_of`), so `rlhf runs` and `rlhf show` say "replay of 1" and a
    /// chain of replays can be followed back. Runs from before the column have none, whatever they were: nothing in
    /// an old store says which runs were replays. Not part of any commit's hash (no run column is).
    static func v14ReplayOf(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE runs ADD COLUMN replay_of INTEGER REFERENCES runs(id)")
    }
}
