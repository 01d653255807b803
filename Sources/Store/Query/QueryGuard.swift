import Foundation
import GRDB

/// Decides, before anything runs, whether a statement of `rlhf query` is read-only.
///
/// SQLite's own verdict (`sqlite3_stmt_readonly`) is not enough: it calls ATTACH, DETACH, BEGIN, COMMIT and several
/// pragmas read-only because they do not change the file's content. They do change the connection or the file's
/// mode, so they are refused here by their leading keyword. The connection is read-only besides.
enum QueryGuard {
    /// Statement kinds refused whatever SQLite says.
    static let refusedKeywords: Set<String> = [
        "INSERT", "UPDATE", "DELETE", "REPLACE", "UPSERT", "CREATE", "DROP", "ALTER", "ATTACH", "DETACH", "BEGIN",
        "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "VACUUM", "REINDEX", "ANALYZE",
    ]
    /// Pragmas that take an argument in parentheses only to read (`PRAGMA table_info(runs)`).
    static let readingPragmasWithArgument: Set<String> = [
        "TABLE_INFO", "TABLE_XINFO", "TABLE_LIST", "INDEX_LIST", "INDEX_INFO", "INDEX_XINFO", "FOREIGN_KEY_LIST",
        "FOREIGN_KEY_CHECK", "INTEGRITY_CHECK", "QUICK_CHECK", "PRAGMA_LIST", "FUNCTION_LIST", "MODULE_LIST",
        "COLLATION_LIST", "DATABASE_LIST", "COMPILE_OPTIONS",
    ]
    /// Pragmas that act on the database even without an argument.
    static let actingPragmas: Set<String> = [
        "WAL_CHECKPOINT", "OPTIMIZE", "INCREMENTAL_VACUUM", "SHRINK_MEMORY", "LEGACY_FILE_FORMAT",
    ]

    /// Throws `StoreError.readOnlyQuery` quoting the statement when it could write or change the connection.
    static func check(_ statement: Statement) throws {
        let text = statement.sql.trimmingCharacters(in: .whitespacesAndNewlines)
        var words = Words(text)
        guard let first = words.next() else { return }
        let refused: Bool
        if first == "PRAGMA" {
            refused = isActingPragma(text: text, words: &words)
        } else {
            refused = refusedKeywords.contains(first) || !statement.isReadonly
        }
        if refused { throw StoreError.readOnlyQuery(text) }
    }

    private static func isActingPragma(text: String, words: inout Words) -> Bool {
        if text.contains("=") { return true }
        guard var name = words.next() else { return false }
        // `PRAGMA main.table_info(x)`: the schema prefix is not the pragma's name.
        if words.peekDot(), let qualified = words.afterDot() { name = qualified }
        if actingPragmas.contains(name) { return true }
        return text.contains("(") && !readingPragmasWithArgument.contains(name)
    }

    /// Upper-cased identifiers of SQL text, skipping whitespace and comments.
    struct Words {
        private let scalars: [Unicode.Scalar]
        private var index = 0

        init(_ text: String) {
            scalars = Array(text.unicodeScalars)
        }

        mutating func next() -> String? {
            skipTrivia()
            var word = ""
            while index < scalars.count, Self.isWordScalar(scalars[index]) {
                word.unicodeScalars.append(scalars[index])
                index += 1
            }
            return word.isEmpty ? nil : word.uppercased()
        }

        mutating func peekDot() -> Bool {
            skipTrivia()
            return index < scalars.count && scalars[index] == "."
        }

        mutating func afterDot() -> String? {
            index += 1
            return next()
        }

        private mutating func skipTrivia() {
            while index < scalars.count {
                let scalar = scalars[index]
                if scalar.properties.isWhitespace {
                    index += 1
                } else if scalar == "-", index + 1 < scalars.count, scalars[index + 1] == "-" {
                    while index < scalars.count, scalars[index] != "\n" { index += 1 }
                } else if scalar == "/", index + 1 < scalars.count, scalars[index + 1] == "*" {
                    index += 2
                    while index + 1 < scalars.count, !(scalars[index] == "*" && scalars[index + 1] == "/") { index += 1 }
                    index = min(index + 2, scalars.count)
                } else {
                    return
                }
            }
        }

        private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "_" || scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
        }
    }
}
