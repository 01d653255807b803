import GRDB

extension LabStore {
    /// For each row alive at a dataset version (the latest without `@N`), ordered by uid: the version and cell that
    /// added it, its annotator and seed, for a relabelled row the version of the row it replaced, and for a text row
    /// its words.
    ///
    /// ```swift
    /// let lines = try store.blame(VersionRef(parsing: "3/prefs"))
    /// ```
    public func blame(_ ref: VersionRef) throws -> (VersionInfo, [BlameLine]) {
        try read { db in
            let (info, version) = try resolve(db, ref, as: .dataset)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT f.uid, f.prompt, f.annotator, f.seed, va.version AS added_in, c.ordinal, c.key,
                           f.prompt_text, f.chosen_text, f.rejected_text, f.sampling,
                           (SELECT pv.version FROM feedback p JOIN versions pv ON pv.id = p.added_in
                            WHERE p.object_id = f.object_id AND p.uid = f.uid AND p.removed_in = f.added_in
                            ORDER BY p.id DESC LIMIT 1) AS replaces
                    FROM feedback f
                    JOIN versions va ON va.id = f.added_in
                    LEFT JOIN versions vr ON vr.id = f.removed_in
                    JOIN commits co ON co.id = va.commit_id
                    LEFT JOIN cells c ON c.id = co.cell_id
                    WHERE f.object_id = ? AND va.version <= ? AND (vr.version IS NULL OR vr.version > ?)
                    ORDER BY f.uid, f.id
                    """, arguments: [version.objectId, version.version, version.version])
            return (
                info,
                rows.map { row in
                    let seed: Int64 = row["seed"]
                    var text: FeedbackRow.Text?
                    if let prompt: String = row["prompt_text"], let chosen: String = row["chosen_text"],
                        let rejected: String = row["rejected_text"]
                    {
                        text = FeedbackRow.Text(
                            prompt: prompt, chosen: chosen, rejected: rejected, sampling: row["sampling"])
                    }
                    return BlameLine(
                        uid: row["uid"], prompt: row["prompt"], annotator: row["annotator"],
                        seed: UInt64(bitPattern: seed),
                        addedIn: row["added_in"], cellOrdinal: row["ordinal"], cellKey: row["key"],
                        replacesVersion: row["replaces"], text: text)
                }
            )
        }
    }
}
