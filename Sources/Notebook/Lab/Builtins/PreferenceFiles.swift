import Alignment
import Foundation
import Interop
import Language
import Store

/// `load_preferences`: a preference dataset from JSON Lines (`PreferenceImport`), as `rlhf export RUN/prefs -o
/// F.jsonl` writes it or as TRL's `prompt`/`chosen`/`rejected` records come from elsewhere.
extension LabBuiltins {
    static func preferenceFileBuiltins(_ lab: LabState) -> [Builtin] { [loadPreferencesBuiltin(lab)] }

    static func loadPreferencesBuiltin(_ lab: LabState) -> Builtin {
        let file = Param.positional("file", .string)
        let skipBad = Param.labelled("skip_bad", .bool, default: .bool(false))
        return Builtin(
            "load_preferences", [file, skipBad],
            doc:
                "A preference dataset from a JSON Lines file (path relative to the notebook's folder) of prompt/chosen/rejected records: one `rlhf export` wrote, or TRL's text records. Every bad line is named and nothing is loaded, unless skip_bad: true leaves them out."
        ) { args, _ in
            let typed = try file(args)
            guard !typed.isEmpty else { throw file.error(args, "must name a file, got an empty path") }
            let path = TextFile.resolve(typed, folder: lab.folder)
            let read: PreferenceFile
            do {
                read = try PreferenceFile(path: path)
            } catch {
                throw file.error(args, "cannot be loaded: \(error)")
            }
            let skipping = try skipBad(args)
            if !read.problems.isEmpty && !skipping {
                throw file.error(args, "cannot be loaded: \(read.refusal)")
            }
            guard !read.rows.isEmpty else {
                throw file.error(args, "cannot be loaded: it holds no good line, so there is no dataset to make")
            }
            return .native(try PreferencesType.restore(rows: read.rows))
        }
    }
}

/// A JSON Lines file of preferences as the lab reads it: its good rows and its bad lines, each with a reason.
struct PreferenceFile {
    var rows: [FeedbackRow]
    var problems: [PreferenceImport.Problem]

    /// The most bad lines an error lists one by one.
    static let listedProblems = 20

    init(path: String) throws {
        let read = PreferenceImport(bytes: [UInt8](try LabBuiltins.inputFile(path)))
        problems = read.problems
        rows = []
        for line in read.lines {
            // The sampling settings are checked here, where the lab's reader of them lives.
            if let sampling = line.row.text?.sampling, (try? TextSampling(name: sampling)) == nil {
                problems.append(
                    PreferenceImport.Problem(
                        line: line.number,
                        reason: "'sampling' must read like \"temperature: 1.0, top_k: 5\", got \"\(sampling)\""))
            } else {
                rows.append(line.row)
            }
        }
        problems.sort { $0.line < $1.line }
        if read.lines.isEmpty && problems.isEmpty {
            throw ExportRefusal(description: "it holds no preference record (every line is blank)")
        }
    }

    /// Why the file is refused as a whole: its bad lines, the first ``listedProblems`` of them one by one.
    var refusal: String {
        let listed = problems.prefix(Self.listedProblems).map(\.description).joined(separator: "; ")
        let more = problems.count > Self.listedProblems ? "; and \(problems.count - Self.listedProblems) more" : ""
        let count = problems.count == 1 ? "1 bad line" : "\(problems.count) bad lines"
        return "\(count) (\(listed)\(more)); mend them, or skip them with skip_bad: true"
    }
}

extension NotebookRunner {
    /// The bad lines of the preferences file at `path`, as `load_preferences` reads it, so `rlhf import` names each
    /// one before it creates a run; the number of good rows beside them.
    public static func checkPreferences(path: String) throws -> (rows: Int, problems: [PreferenceImport.Problem]) {
        let read: PreferenceFile
        do {
            read = try PreferenceFile(path: path)
        } catch {
            throw ExportRefusal(description: "cannot load '\(path)': \(error)")
        }
        return (read.rows.count, read.problems)
    }
}
