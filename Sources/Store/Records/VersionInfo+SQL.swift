import GRDB

extension VersionInfo {
    /// Versions joined with their object, commit and cell; `condition` filters on aliases `v`, `o`, `co`, `c`.
    static func fetchAll(_ db: Database, where condition: String, arguments: StatementArguments) throws -> [VersionInfo]
    {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT o.run_id, o.name, v.kind, v.version, v.commit_id, c.ordinal, c.key, v.content_hash,
                       v.bytes_written, v.rows, v.note, co.created_at
                FROM versions v
                JOIN objects o ON o.id = v.object_id
                JOIN commits co ON co.id = v.commit_id
                LEFT JOIN cells c ON c.id = co.cell_id
                WHERE \(condition)
                ORDER BY o.name, v.version
                """, arguments: arguments)
        return rows.map { row in
            VersionInfo(
                run: row[0], object: row[1], kind: row[2], version: row[3], commit: row[4], cellOrdinal: row[5],
                cellKey: row[6], contentHash: row[7], bytesWritten: row[8], rows: row[9], note: row[10],
                createdAt: row[11])
        }
    }

    /// The listing of one stored version.
    static func fetch(_ db: Database, version: DBVersion, path: String) throws -> VersionInfo {
        guard let id = version.id,
            let info = try fetchAll(db, where: "v.id = ?", arguments: [id]).first
        else {
            throw StoreError.corrupt(path, "version \(version.version) of object \(version.objectId) has no commit")
        }
        return info
    }
}
