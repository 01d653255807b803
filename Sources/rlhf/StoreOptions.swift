import ArgumentParser
import Foundation
import Store

/// `--store PATH`, shared by every command.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("Path of the store database (default: $RLHF_STORE or store/lab.sqlite).", valueName: "path"))
    var store: String?

    var path: String {
        store ?? ProcessInfo.processInfo.environment["RLHF_STORE"] ?? "store/lab.sqlite"
    }

    /// The path, refused when empty (`--store ""`, `RLHF_STORE=`): it names no file, and must not fall back to one.
    /// A URI (`postgresql://…`, `https://…`) is refused too: read as a path it would make a folder named after the
    /// scheme and a new SQLite store in it, silently.
    func checkedPath() throws -> String {
        let given = store != nil ? "--store" : "RLHF_STORE"
        if path.isEmpty {
            let how = store != nil ? "--store \"\"" : "RLHF_STORE is set but empty"
            throw ValidationError("the store path is empty (\(how)); give the path of the store file")
        }
        if let scheme = Self.uriScheme(path) {
            throw ValidationError(
                "\(given) '\(path)' is a \(scheme):// URI, not a path: stores are SQLite files here "
                    + "(give a path such as store/lab.sqlite)")
        }
        return path
    }

    /// The scheme of `text` when it starts like a URI with an authority (`scheme://`), else nil.
    static func uriScheme(_ text: String) -> String? {
        guard let range = text.range(of: "://") else { return nil }
        let scheme = text[..<range.lowerBound]
        guard let first = scheme.first, first.isASCII, first.isLetter,
            scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { return nil }
        return String(scheme)
    }

    /// Opens the store for writing (creating it if missing).
    func open() throws -> LabStore {
        try failing { try LabStore(path: try checkedPath()) }
    }

    /// Opens a store that must exist for writing: commands that change what a store records (`rm`, `gc`,
    /// `rollback`, `replay`, `run --resume`) have nothing to work on in a new one, and must not create it.
    func openExisting() throws -> LabStore {
        try failing {
            let path = try checkedPath()
            guard FileManager.default.fileExists(atPath: path) else { throw StoreError.noStore(path) }
            return try LabStore(path: path)
        }
    }

    /// Opens an existing store read-only: listing and querying never create or change a database.
    func openReadOnly() throws -> LabStore {
        try failing { try LabStore.openReadOnly(path: try checkedPath()) }
    }
}

/// Runs `body`, turning any error into one `error: …` line on stderr and exit code 1 (no stack trace).
func failing<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ExitCode {
        throw error
    } catch {
        printError("error: \(error)")
        throw ExitCode.failure
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Parses `RUN/NAME@N`, reporting a bad reference as a usage error that quotes it.
func parseReference(_ text: String) throws -> VersionRef {
    try failing { try VersionRef(parsing: text) }
}
