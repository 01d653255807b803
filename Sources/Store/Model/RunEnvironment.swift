/// Where and with what a run ran: recorded once when it starts, shown by `rlhf show`, never hashed into a commit.
public struct RunEnvironment: Sendable, Codable, Equatable {
    /// What was found of the notebook's git repository.
    public enum GitState: String, Sendable, Codable, CaseIterable {
        /// A repository whose tracked files match its HEAD.
        case clean
        /// A repository with uncommitted changes to tracked files.
        case dirty
        /// `git` ran, but the notebook's folder is in no repository (or the shell has no notebook).
        case noRepository = "no repository"
        /// No `git` executable on the PATH.
        case noGit = "no git"
    }

    /// `0.16.0`, as `rlhf --version` prints it.
    public var rlhfVersion: String
    /// `debug` or `release`.
    public var build: String
    public var gitState: GitState
    /// HEAD's full hash when ``gitState`` is clean or dirty.
    public var gitRevision: String?
    public var host: String
    /// `Linux 6.8.0 x86_64`: system name, release and machine.
    public var os: String
    /// The C kernels' instruction set in use: `avx512`, `avx2` or `portable` (`RLHF_KERNELS` caps it).
    public var kernels: String
    /// Threads a big product may use (`RLHF_THREADS`).
    public var threads: Int

    public init(
        rlhfVersion: String, build: String, gitState: GitState, gitRevision: String?, host: String, os: String,
        kernels: String, threads: Int
    ) {
        self.rlhfVersion = rlhfVersion
        self.build = build
        self.gitState = gitState
        self.gitRevision = gitRevision
        self.host = host
        self.os = os
        self.kernels = kernels
        self.threads = threads
    }

    /// `git 77f7b36 (dirty)`, `git 77f7b36`, `no repository`, `no git`.
    public var gitDescription: String {
        guard let revision = gitRevision else { return gitState.rawValue }
        return "git \(revision.prefix(12))" + (gitState == .dirty ? " (dirty)" : "")
    }
}
