import Dispatch
import Foundation
import GRDB
import GRDBSQLite

/// One `rlhf query` on a connection of its own: every statement is compiled under the ``QueryPolicy`` before any
/// runs, then they run under a deadline, and the last one's rows are handed over one at a time as SQLite reads them,
/// so a result of any size needs the memory of one row.
///
/// The policy is enforced by SQLite's authorizer while each statement compiles (and again whenever SQLite compiles
/// one while running, as a pragma's table-valued function does); a statement SQLite still calls writing
/// (`sqlite3_stmt_readonly`, e.g. `VACUUM`) is refused besides, unless it is a reporting pragma the policy allowed.
/// The deadline is checked by a progress handler every ``checkEvery`` virtual-machine steps, so an endless recursive
/// query stops too. Only time inside SQLite counts: a reader that takes its time with the rows (a pager, a slow
/// pipe) does not use up the query's time.
final class QueryExecution {
    /// Virtual-machine steps between two looks at the clock: about a few microseconds of work.
    static let checkEvery: Int32 = 1000

    private let connection: OpaquePointer
    private let policy: QueryPolicy
    /// The time limit in nanoseconds of work inside SQLite, nil for none.
    private let limit: UInt64?
    private let timeout: Double?
    /// Nanoseconds spent inside `sqlite3_step` by steps that have returned, and when the current one began.
    private var spent: UInt64 = 0
    private var stepStarted: UInt64 = 0
    /// The first thing the authorizer refused since the last statement began compiling.
    private var refusal: String?
    /// True when the statement being compiled is a pragma the policy allowed (it only reports): SQLite calls
    /// `PRAGMA journal_mode` writing whether or not it is given a mode, so its own verdict is not asked then.
    private var isReportingPragma = false
    private var pastDeadline = false
    /// Whether a blob is handed over with its bytes (``QueryCell/bytes(_:)``) or by its size only.
    private let readsBlobs: Bool

    /// Runs on `connection`, which must stay open and unused by anyone else until ``run(_:columns:row:)`` returns.
    init(connection: OpaquePointer, policy: QueryPolicy, timeout: Double?, readsBlobs: Bool = false) {
        self.connection = connection
        self.policy = policy
        self.timeout = timeout
        self.readsBlobs = readsBlobs
        limit = timeout.map { UInt64(min(max($0, 0), 1e9) * 1e9) }
    }

    /// Compiles every statement of `sql`, runs them in order, and hands `columns` the last statement's column names
    /// (before its first row) and `row` each of its rows.
    func run(_ sql: String, columns: ([String]) throws -> Void, row: ([QueryCell]) throws -> Void) throws {
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_set_authorizer(
            connection,
            { context, action, first, second, database, _ in
                let execution = Unmanaged<QueryExecution>.fromOpaque(context.unsafelyUnwrapped).takeUnretainedValue()
                return execution.authorize(
                    action, first.map(String.init(cString:)), second.map(String.init(cString:)),
                    database.map(String.init(cString:)))
            }, context)
        sqlite3_progress_handler(
            connection, Self.checkEvery,
            { context in
                Unmanaged<QueryExecution>.fromOpaque(context.unsafelyUnwrapped).takeUnretainedValue().isPastDeadline()
            }, context)
        defer {
            sqlite3_progress_handler(connection, 0, nil, nil)
            sqlite3_set_authorizer(connection, nil, nil)
        }
        let statements = try compile(sql)
        defer { for statement in statements { sqlite3_finalize(statement) } }
        guard let last = statements.last else { return try columns([]) }
        for statement in statements.dropLast() {
            while try step(statement) {}
        }
        let count = sqlite3_column_count(last)
        try columns((0..<count).map { sqlite3_column_name(last, $0).map(String.init(cString:)) ?? "" })
        while try step(last) {
            try row((0..<count).map { cell(last, $0) })
        }
    }

    private func authorize(_ action: Int32, _ first: String?, _ second: String?, _ database: String?) -> Int32 {
        guard let refused = policy.refusal(action: action, first, second, database) else {
            if action == SQLITE_PRAGMA { isReportingPragma = true }
            return SQLITE_OK
        }
        if refusal == nil { refusal = refused }
        return SQLITE_DENY
    }

    private func isPastDeadline() -> Int32 {
        guard let limit, spent &+ (DispatchTime.now().uptimeNanoseconds &- stepStarted) >= limit else { return 0 }
        pastDeadline = true
        return 1
    }

    /// Every statement of `sql`, compiled; the first refused or malformed one throws, and nothing has run.
    private func compile(_ sql: String) throws -> [OpaquePointer] {
        // SQLite stops reading at a NUL: whatever follows would be silently dropped.
        if let nul = sql.utf8.firstIndex(of: 0) {
            let offset = sql.utf8.distance(from: sql.utf8.startIndex, to: nul)
            throw StoreError.sql("the query holds a NUL character at byte \(offset); nothing after it would be read")
        }
        var statements: [OpaquePointer] = []
        var failure: Error?
        Array(sql.utf8CString).withUnsafeBufferPointer { buffer in
            guard let start = buffer.baseAddress else { return }
            let end = start + buffer.count - 1
            var next = start
            while next < end {
                refusal = nil
                isReportingPragma = false
                var statement: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let code = sqlite3_prepare_v2(connection, next, Int32(clamping: end - next), &statement, &tail)
                guard code == SQLITE_OK else {
                    failure = error(code, statement: String(cString: next))
                    return
                }
                if let statement {
                    statements.append(statement)
                    if sqlite3_stmt_readonly(statement) == 0 && !isReportingPragma {
                        let text = String(cString: sqlite3_sql(statement))
                        failure = QueryError.refused("a statement that writes", statement: text)
                        return
                    }
                }
                // No statement: only whitespace or comments, or one SQLite found nothing to do for
                // (`DROP TRIGGER IF EXISTS nosuch`); what follows it must still be compiled and checked.
                guard let tail, tail > next else { break }
                next = tail
            }
        }
        if let failure {
            for statement in statements { sqlite3_finalize(statement) }
            throw failure
        }
        return statements
    }

    /// Steps once: true with a row ready, false when done.
    private func step(_ statement: OpaquePointer) throws -> Bool {
        refusal = nil
        stepStarted = DispatchTime.now().uptimeNanoseconds
        let code = sqlite3_step(statement)
        spent &+= DispatchTime.now().uptimeNanoseconds &- stepStarted
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw error(code, statement: sqlite3_sql(statement).map(String.init(cString:)) ?? "")
        }
    }

    private func error(_ code: Int32, statement: String) -> Error {
        if let refusal { return QueryError.refused(refusal, statement: statement) }
        if pastDeadline, let timeout { return QueryError.timedOut(seconds: timeout) }
        let message = String(cString: sqlite3_errmsg(connection))
        switch code & 0xff {
        case SQLITE_ERROR, SQLITE_AUTH, SQLITE_RANGE, SQLITE_TOOBIG, SQLITE_MISMATCH, SQLITE_CONSTRAINT:
            return StoreError.sql(message)
        default:
            return DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
        }
    }

    /// Column `index` of the current row, as SQLite stored it; text that is not valid UTF-8 is repaired (U+FFFD).
    private func cell(_ statement: OpaquePointer, _ index: Int32) -> QueryCell {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            guard let bytes = sqlite3_column_text(statement, index) else { return .text("") }
            let count = Int(sqlite3_column_bytes(statement, index))
            return .text(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
        case SQLITE_BLOB where readsBlobs:
            // The pointer first, then the size, as SQLite asks.
            let start = sqlite3_column_blob(statement, index)
            let count = Int(sqlite3_column_bytes(statement, index))
            return .bytes(start.map { Data(bytes: $0, count: count) } ?? Data())
        case SQLITE_BLOB:
            return .blob(Int(sqlite3_column_bytes(statement, index)))
        default:
            return .null
        }
    }
}
