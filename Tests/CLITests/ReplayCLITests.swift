import Foundation
import GRDB
import Testing

/// `rlhf replay`, `rlhf run --param/--check/--continue-on-error` through the built executable.
@Suite struct ReplayCLITests {
    /// Copies the store (with its WAL files, if any) so a test can tamper with the copy.
    static func copyStore(_ cli: CLI, to name: String) throws -> String {
        let copy = cli.folder.appendingPathComponent(name).path
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: cli.store + suffix) {
            try FileManager.default.copyItem(atPath: cli.store + suffix, toPath: copy + suffix)
        }
        return copy
    }

    @Test func replayVerifyReportsIdenticalCheckpointsAndMetrics() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli("run", try cli.write("small.rlhf", smallNotebook), "--quiet").status == 0)
        let r = try cli("replay", "1", "--verify")
        #expect(r.status == 0, "\(r.stderr)")
        // policy@1, rm@1, rm@2, policy@2, same@1 (the copy is a checkpoint of its own); prefs@1; 4 × 2 rm + 30 × 4.
        #expect(r.stdout.contains("run 2 replays run 1"))
        #expect(r.stdout.hasSuffix("verified: 5 checkpoints, 1 dataset version, 128 metrics identical\n"))
        #expect(r.stdout.contains("── [2/5] feedback ──") && r.stdout.contains("pairs: 150"))
        #expect(
            try cli.scalar("SELECT notebook = (SELECT notebook FROM runs WHERE id = 1) FROM runs WHERE id = 2") == "1")
        #expect(try cli.scalar("SELECT status FROM runs WHERE id = 2") == "succeeded")
        let quiet = try cli("replay", "2", "--verify", "-q")
        #expect(
            quiet.stdout == "run 3 replays run 2\nverified: 5 checkpoints, 1 dataset version, 128 metrics identical\n")
    }

    @Test func replayVerifyFindsATamperedMetric() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli("run", try cli.write("small.rlhf", smallNotebook), "--quiet").status == 0)
        let copy = try Self.copyStore(cli, to: "tampered.sqlite")
        let original = try DatabaseQueue(path: copy).write { db in
            let value =
                try Double.fetchOne(db, sql: "SELECT value FROM metrics WHERE name = 'rm.loss' AND step = 2") ?? 0
            try db.execute(
                sql: """
                    UPDATE metric_points SET value = ?
                    WHERE name_id = (SELECT id FROM metric_names WHERE name = 'rm.loss') AND step = 2
                    """, arguments: [value.nextUp])
            return value
        }
        let r = try cli("replay", "1", "--verify", "--quiet", "--store", copy, withStore: false)
        #expect(r.status == 1)
        let expected =
            "diverged at cell 3 ('reward'): metric rm.loss step 2: \(original.nextUp) "
            + "(0x\(String(original.nextUp.bitPattern, radix: 16))) in run 1, \(original) "
            + "(0x\(String(original.bitPattern, radix: 16))) in run 2\n"
        #expect(r.stderr == expected)
        // The untouched store still verifies.
        #expect(try cli("replay", "1", "--verify", "--quiet").status == 0)
    }

    @Test func replayVerifyNamesTheFirstDifferingTensorElement() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli("run", try cli.write("small.rlhf", smallNotebook), "--quiet").status == 0)
        let copy = try Self.copyStore(cli, to: "tampered.sqlite")
        // Point rm@2's layer2.bias at a blob whose first float differs, and give the version another hash.
        try DatabaseQueue(path: copy).write { db in
            let versionID =
                try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT v.id FROM versions v JOIN objects o ON o.id = v.object_id
                        WHERE o.run_id = 1 AND o.name = 'rm' AND v.version = 2
                        """) ?? -1
            let data =
                try Data.fetchOne(
                    db,
                    sql: """
                        SELECT b.data FROM blobs b JOIN version_tensors t ON t.blob_hash = b.hash
                        WHERE t.version_id = ? AND t.name = 'layer2.bias'
                        """, arguments: [versionID]) ?? Data()
            var bytes = [UInt8](data)
            bytes[0] ^= 1
            try db.execute(
                sql: "INSERT INTO blobs (hash, size, data) VALUES ('tampered', ?, ?)",
                arguments: [bytes.count, Data(bytes)])
            try db.execute(
                sql: "UPDATE version_tensors SET blob_hash = 'tampered' WHERE version_id = ? AND name = 'layer2.bias'",
                arguments: [versionID])
            try db.execute(sql: "UPDATE versions SET content_hash = 'tampered' WHERE id = ?", arguments: [versionID])
        }
        let r = try cli("replay", "1", "--verify", "--quiet", "--store", copy, withStore: false)
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("diverged at cell 3 ('reward'): rm@2 tensor layer2.bias[0]: "), "\(r.stderr)")
    }

    @Test func replayOfAnUnknownRunIsOneClearLine() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli("run", try cli.write("small.rlhf", smallNotebook), "--quiet").status == 0)
        let r = try cli("replay", "7")
        #expect(r.status == 1 && r.stderr.hasPrefix("error: ") && r.stderr.contains("7"))
        #expect(try cli.scalar("SELECT count(*) FROM runs") == "1")
    }

    @Test func paramsOverrideTheParametersCellAndAreRecorded() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write(
            "p.rlhf", "# %% parameters\nrounds = 2\nname = \"a\"\n# %% go\nprint(name, rounds * 10)\n")
        let r = try cli("run", nb, "--param", "rounds=4", "--param", #"name="zz""#, "-q")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "zz 40\n")
        #expect(try cli.scalar(#"SELECT parameters = '{"rounds": 4, "name": "zz"}' FROM runs WHERE id = 1"#) == "1")
        let replay = try cli("replay", "1", "--verify", "-q")
        #expect(replay.status == 0 && replay.stdout.contains("verified: 0 checkpoints, 0 metrics identical"))
        #expect(try cli.scalar("SELECT output FROM cells WHERE run_id = 2 AND key = '2'") == "zz 40")

        let unknown = try cli("run", nb, "--param", "round=4")
        #expect(unknown.status == 1)
        #expect(
            unknown.stderr
                == "error: unknown parameter 'round'; did you mean 'rounds'? (the parameters cell at \(nb):2 declares rounds, name)\n"
        )
        #expect(try cli.scalar("SELECT count(*) FROM runs") == "2")
    }

    @Test func checkReportsEverySyntaxErrorAndCreatesNoStore() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let bad = try cli.write("bad.rlhf", "# %% one\nx = (1 +\n# %% two\ny = ]\n# %% three\nprint(2)\n")
        let r = try cli("run", "--check", bad)
        #expect(r.status == 1)
        #expect(r.stderr.contains("bad.rlhf:2:") && r.stderr.contains("bad.rlhf:4:5: error:"))
        #expect(r.stderr.hasSuffix("2 errors in \(bad); nothing was run\n"))
        let good = try cli("run", "--check", try cli.write("good.rlhf", smallNotebook))
        #expect(good.status == 0 && good.stdout.hasSuffix("no syntax errors in 5 cells\n"))
        #expect(!FileManager.default.fileExists(atPath: cli.store))
    }

    @Test func continueOnErrorRecordsFailuresAndRunsTheRest() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let nb = try cli.write("c.rlhf", "# %% a\nx = 1\n# %% b\ny = x + nope\n# %% c\nz = x + 1\nprint(z)\n")
        let r = try cli("run", nb, "--continue-on-error", "-q")
        #expect(r.status == 1)
        #expect(r.stdout == "2\n")
        #expect(r.stderr.contains("undefined variable 'nope'"))
        #expect(r.stderr.hasSuffix("run 1: 1 of 3 cells failed: 2 ('2')\n"))
        #expect(
            try cli.scalar("SELECT group_concat(status, '|') FROM (SELECT status FROM cells ORDER BY id)")
                == "ok|failed|ok")
        #expect(try cli.scalar("SELECT status FROM runs") == "failed")
        // Replay reproduces the failure in place and verifies.
        let replay = try cli("replay", "1", "--verify", "-q")
        #expect(replay.status == 0, "\(replay.stderr)")
    }

    @Test func aShellSessionReplaysAndVerifies() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let session = """
            seed(2); task = VectorTask(dim: 6, prompts: 20, candidates: 10, test_prompts: 10, contextual: false)
            p = PolicyModel(input: 6, hidden: 6, output: 6); rm = RewardModel(input: 6, hidden: 6)
            prefs = collect(task, policy: p, annotator: BradleyTerry(noise: 0.1), pairs: 40)
            print(nope)
            fit(rm, prefs, epochs: 2, lr: 1e-2, batch: 8)
            2 + 3
            """
        let shell = try cli(stdin: session + "\n")
        #expect(shell.stdout.hasSuffix("}\n5\n"))
        let r = try cli("replay", "1", "--verify")
        #expect(r.status == 0, "\(r.stderr)")
        // The shell's echo of `2 + 3` replays too; the failing input fails again in its place.
        #expect(r.stdout.contains("replaying run 1 (shell session, 6 cells)") && r.stdout.contains("\n5\n"))
        #expect(r.stderr.contains("undefined variable 'nope'"))
        #expect(r.stdout.hasSuffix("verified: 3 checkpoints, 1 dataset version, 4 metrics identical\n"))
    }

    @Test func rollbacksBetweenCellsAreRedoneWhereTheyHappened() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let session = """
            seed(1); task = VectorTask(dim: 4, prompts: 8, candidates: 4, test_prompts: 4, contextual: false)
            p = PolicyModel(input: 4, hidden: 4, output: 4); rm = RewardModel(input: 4, hidden: 4)
            finetune(p, rm, task, steps: 3)
            :rollback p 1
            finetune(p, rm, task, steps: 3)
            """
        #expect(try cli(stdin: session + "\n").status == 0)
        let r = try cli("replay", "1", "--verify", "-q")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "run 2 replays run 1\nverified: 4 checkpoints, 24 metrics identical\n")
        // Both runs: v1, v2 trained, v3 = v1 by rollback, v4 trained from v1 again.
        let notes =
            "SELECT group_concat(coalesce(v.note, '-'), '|') FROM versions v JOIN objects o ON o.id = v.object_id "
            + "WHERE o.name = 'p' AND o.run_id = "
        #expect(try cli.scalar(notes + "1") == "-|-|rollback to v1|-")
        #expect(try cli.scalar(notes + "2") == "-|-|rollback to v1|-")
    }
}
