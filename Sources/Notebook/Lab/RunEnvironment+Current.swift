import Engine
import Foundation
import Store

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension RunEnvironment {
    /// The environment of this process, for a run of the notebook at `notebook` (nil for the shell, whose
    /// repository is the working folder's). Nothing here fails: a missing `git` or repository is recorded as such.
    public static func current(notebook: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> RunEnvironment
    {
        let folder =
            notebook.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
            ?? FileManager.default.currentDirectoryPath
        let (state, revision) = gitState(folder: folder, path: environment["PATH"] ?? "")
        return RunEnvironment(
            rlhfVersion: LabVersion.number, build: LabVersion.build, gitState: state, gitRevision: revision,
            host: ProcessInfo.processInfo.hostName, os: operatingSystem(), kernels: KernelConfiguration.level,
            threads: KernelConfiguration.threads)
    }

    /// `Linux 6.8.0-45-generic x86_64`, from uname(2).
    static func operatingSystem() -> String {
        var name = utsname()
        guard uname(&name) == 0 else { return ProcessInfo.processInfo.operatingSystemVersionString }
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        }
        return "\(text(name.sysname)) \(text(name.release)) \(text(name.machine))"
    }

    /// HEAD and whether tracked files differ from it, for the repository holding `folder`. Untracked files (a store
    /// beside the notebook, say) do not make a repository dirty.
    static func gitState(folder: String, path: String) -> (GitState, String?) {
        let git = path.split(separator: ":").lazy.map { URL(fileURLWithPath: String($0)).appendingPathComponent("git") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        guard let git else { return (.noGit, nil) }
        guard let head = run(git, ["-C", folder, "rev-parse", "--verify", "-q", "HEAD"]), head.status == 0 else {
            return (.noRepository, nil)
        }
        let revision = head.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !revision.isEmpty else { return (.noRepository, nil) }
        let status = run(git, ["-C", folder, "status", "--porcelain", "--untracked-files=no"])
        let clean = status.map { $0.status == 0 && $0.output.isEmpty } ?? false
        return (clean ? .clean : .dirty, revision)
    }

    /// Runs `executable` with its standard error discarded; nil when it cannot be started.
    private static func run(_ executable: URL, _ arguments: [String]) -> (status: Int32, output: String)? {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
