import Foundation
import GRDB
import Testing

/// The store's lifecycle through the binary: `check` and its chain, reading a store in a folder one cannot write,
/// run ids never reused, a newer store refused by writing commands.
@Suite struct StoreLifecycleCLITests {
    static let notebook = """
        # %% setup id=setup
        seed(3)
        policy = PolicyModel(input: 4, hidden: 4, output: 4)
        xs = range(1000)
        # %% more id=more
        y = 1
        # %% again id=again
        z = 2
        """

    /// `check` prints the runs and commits verified and the chain's head; the same notebook run into two fresh stores
    /// gives the same head; a changed cell output is named as the first bad commit.
    @Test func checkVerifiesTheChainAndNamesTheFirstBadCommit() throws {
        let (a, b) = (try CLI(), try CLI())
        defer {
            a.remove()
            b.remove()
        }
        var heads: [String] = []
        for cli in [a, b] {
            let nb = try cli.write("nb.rlhf", Self.notebook)
            #expect(try cli("run", nb, "--quiet").status == 0)
            let check = try cli("check")
            #expect(check.status == 0, "\(check.stderr)")
            let line = check.stdout.trimmingCharacters(in: .newlines)
            #expect(
                line.hasPrefix("ok: 1 run, 3 commits, chain ") && line.hasSuffix(" verified, integrity ok"), "\(line)")
            heads.append(line)
        }
        #expect(heads[0] == heads[1])

        let queue = try DatabaseQueue(path: a.store)
        try queue.write { db in try db.execute(sql: "UPDATE cells SET output = 'forged' WHERE ordinal = 2") }
        try queue.close()
        let bad = try a("check")
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("error: commit 2 (run 1, cell 2 'more'): its cell differs"), "\(bad.stderr)")
    }

    /// A store in a folder nobody may write (a shared or archived store) can be listed, queried and checked by a
    /// user who cannot write there; writing commands fail with one error line. Runs as `nobody` (root bypasses
    /// folder permissions, so the test drops to an unprivileged user with setpriv).
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func readCommandsWorkInAReadOnlyFolder() throws {
        let cli = try CLI()
        defer {
            chmod(cli.folder.path, 0o755)
            cli.remove()
        }
        let nb = try cli.write("nb.rlhf", Self.notebook)
        #expect(try cli("run", nb, "--quiet").status == 0)
        // The binary and the folders above the store must be reachable by nobody.
        guard Self.reachableByOthers(CLI.executable.path) else { return }
        chmod(cli.folder.path, 0o555)
        func asNobody(_ arguments: String...) throws -> BoundedProcess.Result {
            try BoundedProcess.run(
                URL(fileURLWithPath: "/usr/bin/setpriv"),
                arguments: ["--reuid=65534", "--regid=65534", "--clear-groups", "--", CLI.executable.path]
                    + arguments + ["--store", cli.store],
                in: URL(fileURLWithPath: "/tmp"), stdin: nil, environment: ["HOME": "/tmp"], timeout: 60)
        }
        let runs = try asNobody("runs")
        #expect(runs.status == 0 && runs.stdout.contains("succeeded"), "\(runs.stderr)")
        let query = try asNobody("query", "SELECT count(*) AS n FROM cells", "--csv")
        #expect(query.status == 0 && query.stdout == "n\n3\n", "\(query.stdout)\(query.stderr)")
        let check = try asNobody("check")
        #expect(check.status == 0 && check.stdout.hasPrefix("ok: 1 run, 3 commits"), "\(check.stderr)")
        let rm = try asNobody("rm", "1")
        #expect(
            rm.status == 1 && rm.stderr.hasPrefix("error: ") && rm.stderr.split(separator: "\n").count == 1,
            "\(rm.stderr)")
        #expect(!rm.stderr.contains("Fatal error"))
    }

    /// Whether every folder above `path` lets others through and the file lets others run it.
    static func reachableByOthers(_ path: String) -> Bool {
        var url = URL(fileURLWithPath: path)
        while url.path != "/" {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
                let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o001 != 0
            else { return false }
            url.deleteLastPathComponent()
        }
        return true
    }

    /// The newest run, purged, never hands its id on: the next run gets a new id and `load("N/policy")` of the
    /// purged id fails instead of loading another run's policy.
    @Test func aPurgedRunsIDIsNeverReused() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write("nb.rlhf", Self.notebook)
        #expect(try cli("run", nb, "--quiet").status == 0)
        #expect(try cli("run", nb, "--quiet").status == 0)
        #expect(try cli("rm", "2").status == 0)
        #expect(try cli("gc").status == 0)
        #expect(try cli("run", nb, "--quiet").status == 0)
        #expect(try cli.scalar("SELECT group_concat(id, ' ') FROM runs") == "1 3")
        let loader = try cli.write("load.rlhf", "# %% a id=a\np = load(\"2/policy\")\n")
        let load = try cli("run", loader, "--quiet")
        #expect(load.status == 1)
        #expect(load.stderr.contains("unknown run '2' (latest is"), "\(load.stderr)")
    }

    /// gc names the run that depends on the deleted one and changes nothing; --force purges it.
    @Test func garbageCollectionKeepsARunThatAnotherResumes() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write("nb.rlhf", Self.notebook)
        #expect(try cli("run", nb, "--quiet").status == 0)
        #expect(try cli("run", nb, "--quiet", "--resume", "1", "--from-cell", "2").status == 0)
        #expect(try cli("rm", "1").status == 0)
        let gc = try cli("gc")
        #expect(gc.status == 1)
        #expect(
            gc.stderr == "error: cannot purge deleted run 1: run 2 resumes it; they could no longer be resumed or "
                + "replayed (`rlhf gc --force` purges it anyway; nothing was changed)\n", "\(gc.stderr)")
        #expect(try cli.scalar("SELECT count(*) FROM runs") == "2")
        #expect(try cli("gc", "--force").status == 0)
        #expect(try cli.scalar("SELECT group_concat(id, ' ') FROM runs") == "2")
        #expect(try cli("check").status == 0)
    }
}

/// A store written before bindings were stored by content and commits were chained (schema v6) opens, resumes and
/// replays bit for bit, and checks clean once upgraded.
@Suite struct OldStoreCLITests {
    /// Turns a current store back into the v6 schema: `bindings` a table holding each value, no chain columns.
    static let downgrade = """
        CREATE TABLE bindings_v6 (
            commit_id INTEGER NOT NULL REFERENCES commits(id),
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('value', 'object')),
            value TEXT,
            version_id INTEGER REFERENCES versions(id),
            PRIMARY KEY (commit_id, name)
        );
        INSERT INTO bindings_v6 SELECT commit_id, name, kind, value, version_id FROM bindings;
        DROP VIEW bindings;
        DROP TABLE commit_bindings;
        DELETE FROM blobs WHERE hash NOT IN (SELECT blob_hash FROM version_tensors)
            AND hash NOT IN (SELECT blob_hash FROM artifacts);
        ALTER TABLE bindings_v6 RENAME TO bindings;
        ALTER TABLE commits DROP COLUMN parts;
        ALTER TABLE commits DROP COLUMN hash;
        DELETE FROM grdb_migrations WHERE identifier IN ('v7-binding-values', 'v8-commit-chain');
        """

    @Test func aVersion6StoreResumesAndReplays() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let broken = StoreLifecycleCLITests.notebook + "\nprint(nope)\n"
        let nb = try cli.write("nb.rlhf", broken)
        #expect(try cli("run", nb, "--quiet").status == 1)
        var config = Configuration()
        config.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: cli.store, configuration: config)
        try queue.writeWithoutTransaction { db in try db.execute(sql: Self.downgrade) }
        let oldValues = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM bindings") }
        try queue.close()

        _ = try cli.write("nb.rlhf", StoreLifecycleCLITests.notebook + "\nprint(len(xs))\n")
        let resumed = try cli("run", nb, "--quiet", "--resume", "1")
        #expect(resumed.status == 0 && resumed.stdout == "1000\n", "\(resumed.stdout)\(resumed.stderr)")
        let replay = try cli("replay", "1", "--verify", "--quiet")
        #expect(replay.status == 0 && replay.stdout.contains("verified:"), "\(replay.stdout)\(replay.stderr)")
        let kept = try cli.scalar(
            "SELECT count(*) FROM bindings WHERE commit_id IN (SELECT id FROM commits WHERE run_id = 1)")
        #expect(kept == "\(oldValues ?? -1)")
        let check = try cli("check")
        #expect(check.status == 0 && check.stdout.hasPrefix("ok: 3 runs, "), "\(check.stdout)\(check.stderr)")
    }
}
