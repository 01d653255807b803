import Foundation
import Testing

/// `rlhf run --name/--tag/--note`, `rlhf tag`, `rlhf --version`, `rlhf runs --columns` and what `rlhf show` prints
/// of a run's environment.
@Suite struct RunMetadataCLITests {
    static let notebook = """
        # %% parameters
        lr = 0.01
        label = "a,b"
        # %% train
        log_metric("loss", 2.5)
        log_metric("loss", lr)
        log_metric("gold", 7)
        """

    /// Runs `git` in `folder`, for a repository the test controls.
    static func git(_ arguments: String..., in folder: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder.path, "-c", "user.name=t", "-c", "user.email=t@t"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(arguments)")
    }

    static func gitHead(_ folder: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder.path, "rev-parse", "HEAD"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func namesTagsNotesAndTheEnvironmentAreRecorded() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let repo = cli.folder.appendingPathComponent("repo")
        try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
        let nb = repo.appendingPathComponent("nb.rlhf")
        try Self.notebook.write(to: nb, atomically: true, encoding: .utf8)
        try Self.git("init", "-q", in: repo)
        try Self.git("add", "nb.rlhf", in: repo)
        try Self.git("commit", "-q", "-m", "nb", in: repo)
        let head = try Self.gitHead(repo)

        let first = try cli("run", nb.path, "--name", "base", "--tag", "b", "--tag", "a", "--note", "the first")
        #expect(first.status == 0, "\(first.stderr)")
        let state = try cli("query", "SELECT git_state, git_revision, threads FROM run_environment", "--csv")
        #expect(state.stdout == "git_state,git_revision,threads\nclean,\(head),2\n")

        try "\n# changed\n".appendingToFile(nb)
        let second = try cli("run", nb.path, "--param", "lr=0.5", environment: ["RLHF_THREADS": "1"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try cli.scalar("SELECT git_state FROM run_environment WHERE run_id = 2") == "dirty")
        #expect(try cli.scalar("SELECT threads FROM run_environment WHERE run_id = 2") == "1")

        // Outside any repository, and with no git at all: recorded as such, never an error.
        let outside = try cli.write("nb.rlhf", Self.notebook)
        let third = try cli("run", outside, "--tag", "x")
        #expect(third.status == 0, "\(third.stderr)")
        #expect(try cli.scalar("SELECT git_state FROM run_environment WHERE run_id = 3") == "no repository")
        let fourth = try cli("run", outside, environment: ["PATH": cli.folder.path])
        #expect(fourth.status == 0, "\(fourth.stderr)")
        #expect(try cli.scalar("SELECT git_state FROM run_environment WHERE run_id = 4") == "no git")

        let show = try cli("show", "1")
        #expect(show.stdout.contains("name: base\ntags: a, b\nnote: the first\n"))
        #expect(show.stdout.contains("rlhf 0.16.0 (debug) · git \(head.prefix(12)) · host "))
        #expect(show.stdout.contains(" · 2 threads\n"))

        let tagged = try cli("tag", "base", "c", "--remove", "a")
        #expect(tagged.status == 0 && tagged.stdout == "run 1 tags: b, c\n", "\(tagged.stderr)")
        let byID = try cli("tag", "3", "--remove", "x")
        #expect(byID.stdout == "run 3 tags: (none)\n")

        let runs = try cli("runs", "--columns", "params,metrics,tags")
        #expect(runs.status == 0, "\(runs.stderr)")
        let lines = runs.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.count == 5)
        #expect(lines[0][1] == "NAME" && Array(lines[0].suffix(5)) == ["lr", "label", "gold", "loss", "TAGS"])
        #expect(lines[1][1] == "base" && Array(lines[1].suffix(5)) == ["0.01", "a,b", "7", "0.01", "b,c"])
        #expect(lines[2][1] == "-" && Array(lines[2].suffix(5)) == ["0.5", "a,b", "7", "0.5", "-"])
    }

    @Test func versionPrintsTheVersionAndBuild() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let version = try cli("--version", withStore: false)
        #expect(version.status == 0 && version.stdout == "rlhf 0.16.0 (debug build)\n")
    }
}

extension String {
    func appendingToFile(_ url: URL) throws {
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(utf8))
    }
}
