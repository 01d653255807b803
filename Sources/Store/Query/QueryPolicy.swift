import GRDBSQLite

/// What a statement of `rlhf query` may do, decided on what SQLite says the statement does, not on its spelling.
///
/// SQLite calls the authorizer (`sqlite3_set_authorizer`) while it compiles a statement, once for every table
/// column read, function called, pragma, write, schema change, transaction or attachment, with the names already
/// parsed and unquoted. So `PRAGMA "query_only"(0)`, `/* x */ dElEtE …` and `WITH … DELETE` all arrive as the same
/// PRAGMA or DELETE action. This policy is an allow-list; anything not named here is refused:
///
/// - `SELECT` and recursive common table expressions;
/// - reads of the store's own tables and views in the main database, `sqlite_schema`, and the table-valued
///   functions `json_each` and `json_tree`;
/// - the pure functions in ``functions`` (aggregates, window functions, math, text, date and time, JSON).
///   Left out on purpose: `fts3_tokenizer` (it returns a memory address), `load_extension`, functions that report
///   on the connection rather than the data (`changes`, `last_insert_rowid`, `sqlite_offset`, …), and
///   `randomblob`/`zeroblob`, whose only use here would be to allocate (the output shows a blob's size only);
///   `random()` stays, for sampling rows;
/// - the reporting pragmas in ``readingPragmas`` without a value (`PRAGMA user_version`), and those in
///   ``pragmasNamingATable`` with a table or index name (`PRAGMA table_info(runs)`, `pragma_table_info('runs')`).
struct QueryPolicy {
    /// Lower-cased names of the tables and views a statement may read.
    let readable: Set<String>

    /// A policy for a store whose own tables and views are `tables` (as listed in `sqlite_schema`).
    init(tables: some Sequence<String>) {
        readable = Set(tables.map { $0.lowercased() })
            .union(["sqlite_master", "sqlite_schema", "json_each", "json_tree"])
    }

    /// Nil when the action is allowed; otherwise what was refused, in words for the error message.
    func refusal(action: Int32, _ first: String?, _ second: String?, _ database: String?) -> String? {
        let name = first ?? "", detail = second ?? ""
        switch action {
        case SQLITE_SELECT, SQLITE_RECURSIVE:
            return nil
        case SQLITE_READ:
            return refusal(reading: name, column: detail, database: database)
        case SQLITE_FUNCTION:
            return Self.functions.contains(detail.lowercased()) ? nil : "the function \(detail)() (not a pure function)"
        case SQLITE_PRAGMA:
            return refusal(pragma: name, value: second)
        // SQLite reports this while it sets up a table-valued function such as json_each (it compiles, never runs,
        // the schema update of a `CREATE TABLE` describing it). A real UPDATE of sqlite_master is refused by SQLite
        // itself ("may not be modified", as writable_schema cannot be set here), and by the statement's
        // read-only check besides.
        case SQLITE_UPDATE where name == "sqlite_master" && database == "main":
            return nil
        case SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE:
            // A CREATE or DROP first asks to write the schema table, and compiling stops at that refusal.
            if Self.schemaTables.contains(name) { return "a change to the schema (CREATE or DROP)" }
            return action == SQLITE_INSERT
                ? "INSERT into '\(name)'"
                : action == SQLITE_UPDATE ? "UPDATE of '\(name)'" : "DELETE from '\(name)'"
        case SQLITE_TRANSACTION: return name.uppercased()
        case SQLITE_SAVEPOINT: return "SAVEPOINT (\(name.uppercased()) \(detail))"
        case SQLITE_ATTACH: return "ATTACH '\(name)'"
        case SQLITE_DETACH: return "DETACH '\(name)'"
        case SQLITE_ALTER_TABLE: return "ALTER TABLE '\(detail)'"
        case SQLITE_REINDEX: return "REINDEX"
        case SQLITE_ANALYZE: return "ANALYZE"
        default:
            if let verb = Self.schemaChanges[action] { return "\(verb) '\(name)'" }
            return "an action SQLite numbers \(action)"
        }
    }

    private func refusal(reading table: String, column: String, database: String?) -> String? {
        let lowered = table.lowercased()
        // No column read: SQLite counting the rows of a common table expression, a view or a table.
        if column.isEmpty && database == nil { return nil }
        if database != nil && database != "main" { return "reading '\(database ?? "")'.'\(table)' (not the store)" }
        // A pragma's table-valued function is also checked as the PRAGMA it runs.
        if readable.contains(lowered) || lowered.hasPrefix("pragma_") { return nil }
        return "reading '\(table)' (not one of the store's tables or views)"
    }

    private func refusal(pragma: String, value: String?) -> String? {
        let name = pragma.lowercased()
        if Self.pragmasNamingATable.contains(name) { return nil }
        if Self.readingPragmas.contains(name) && value == nil { return nil }
        let setting = value.map { " = \($0)" } ?? ""
        return "PRAGMA \(pragma)\(setting) (only reporting pragmas without a value may run)"
    }

    /// The tables that hold the schema.
    static let schemaTables: Set<String> = [
        "sqlite_master", "sqlite_temp_master", "sqlite_schema", "sqlite_temp_schema",
    ]

    /// The verbs of the schema-changing actions, all refused.
    static let schemaChanges: [Int32: String] = [
        SQLITE_CREATE_INDEX: "CREATE INDEX", SQLITE_CREATE_TABLE: "CREATE TABLE",
        SQLITE_CREATE_TEMP_INDEX: "CREATE TEMP INDEX", SQLITE_CREATE_TEMP_TABLE: "CREATE TEMP TABLE",
        SQLITE_CREATE_TEMP_TRIGGER: "CREATE TEMP TRIGGER", SQLITE_CREATE_TEMP_VIEW: "CREATE TEMP VIEW",
        SQLITE_CREATE_TRIGGER: "CREATE TRIGGER", SQLITE_CREATE_VIEW: "CREATE VIEW",
        SQLITE_CREATE_VTABLE: "CREATE VIRTUAL TABLE",
        SQLITE_DROP_INDEX: "DROP INDEX", SQLITE_DROP_TABLE: "DROP TABLE", SQLITE_DROP_TEMP_INDEX: "DROP TEMP INDEX",
        SQLITE_DROP_TEMP_TABLE: "DROP TEMP TABLE", SQLITE_DROP_TEMP_TRIGGER: "DROP TEMP TRIGGER",
        SQLITE_DROP_TEMP_VIEW: "DROP TEMP VIEW", SQLITE_DROP_TRIGGER: "DROP TRIGGER", SQLITE_DROP_VIEW: "DROP VIEW",
        SQLITE_DROP_VTABLE: "DROP VIRTUAL TABLE",
    ]

    /// Pragmas that only report, allowed without a value.
    static let readingPragmas: Set<String> = [
        "user_version", "schema_version", "application_id", "journal_mode", "foreign_keys", "page_size", "page_count",
        "freelist_count", "encoding", "compile_options",
    ]

    /// Pragmas whose argument names a table or an index to describe.
    static let pragmasNamingATable: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    ]

    /// Functions whose result depends on their arguments only (and the clock, and `random()`), by SQLite's
    /// lower-case name. Names this SQLite lacks are harmless here: an unknown function fails to compile anyway.
    static let functions: Set<String> = [
        // Aggregates and window functions.
        "avg", "count", "group_concat", "string_agg", "max", "min", "sum", "total", "median", "percentile",
        "percentile_cont", "percentile_disc", "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile",
        "lag", "lead", "first_value", "last_value", "nth_value",
        // Text, numbers and values.
        "abs", "char", "coalesce", "concat", "concat_ws", "format", "glob", "hex", "ifnull", "iif", "if", "instr",
        "length", "like", "likelihood", "likely", "lower", "ltrim", "nullif", "octet_length", "printf", "quote",
        "random", "replace", "round", "rtrim", "sign", "soundex", "substr", "substring", "trim", "typeof", "unhex",
        "unicode", "unistr", "unistr_quote", "unlikely", "upper", "sqlite_version",
        // Math.
        "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "ceiling", "cos", "cosh", "degrees", "exp",
        "floor", "ln", "log", "log10", "log2", "mod", "pi", "pow", "power", "radians", "sin", "sinh", "sqrt", "tan",
        "tanh", "trunc",
        // Date and time.
        "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff", "current_date", "current_time",
        "current_timestamp",
        // JSON.
        "json", "jsonb", "json_array", "jsonb_array", "json_array_length", "json_error_position", "json_extract",
        "jsonb_extract", "json_insert", "jsonb_insert", "json_object", "jsonb_object", "json_patch", "jsonb_patch",
        "json_pretty", "json_quote", "json_remove", "jsonb_remove", "json_replace", "jsonb_replace", "json_set",
        "jsonb_set", "json_type", "json_valid", "json_group_array", "jsonb_group_array", "json_group_object",
        "jsonb_group_object", "->", "->>",
    ]
}
