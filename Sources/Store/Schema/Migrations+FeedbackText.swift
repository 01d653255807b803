import GRDB

extension Migrations {
    /// Text preferences (issue 15): a feedback row of a text task keeps its prompt and both continuations as text
    /// beside their token ids, and the sampling settings that drew them, so `blame`, `diff` and `query` show words.
    ///
    /// The columns are nullable and NULL on every vector row. A row's hash covers them only when the row has text
    /// (`ContentHash.row`), so no existing row hash, dataset hash or commit hash changes. `v_feedback` is recreated
    /// with the text columns appended, so queries written against its old columns read the same.
    static func v12FeedbackText(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE feedback ADD COLUMN prompt_text TEXT;
                ALTER TABLE feedback ADD COLUMN chosen_text TEXT;
                ALTER TABLE feedback ADD COLUMN rejected_text TEXT;
                ALTER TABLE feedback ADD COLUMN sampling TEXT;
                DROP VIEW v_feedback;
                CREATE VIEW v_feedback AS
                SELECT o.run_id AS run, o.name AS dataset, f.uid, f.prompt, f.annotator, f.seed,
                       va.version AS added_in, vr.version AS removed_in, c.ordinal AS added_by_cell,
                       c.key AS added_by_cell_key, f.prompt_text, f.chosen_text, f.rejected_text, f.sampling
                FROM feedback f
                JOIN objects o ON o.id = f.object_id
                JOIN versions va ON va.id = f.added_in
                LEFT JOIN versions vr ON vr.id = f.removed_in
                JOIN commits co ON co.id = va.commit_id
                LEFT JOIN cells c ON c.id = co.cell_id;
                """)
    }
}
