import Foundation
import Testing

@Suite struct StoreCommandsTests {
    @Test func blameCheckRemoveAndCollectGarbage() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let edits =
            smallNotebook + """

                # %% clean id=clean
                print(remove(prefs, where: fn(r) { r.uid > 100 }))
                """
        let nb = try cli.write("small.rlhf", edits)
        #expect(try cli("run", nb, "--quiet").status == 0)
        #expect(try cli("run", nb, "--quiet").status == 0)

        let blame = try cli("blame", "1/prefs")
        #expect(blame.status == 0, "\(blame.stderr)")
        let lines = blame.stdout.split(separator: "\n")
        #expect(lines.first == "1/prefs@2 · 100 rows")
        #expect(
            lines.dropFirst(2).allSatisfy {
                $0.contains("v1") && $0.contains("2:feedback") && $0.contains("bradleyTerry(noise: 0.05)")
            })
        let json =
            try JSONSerialization.jsonObject(with: Data(try cli("blame", "1/prefs@1", "--json").stdout.utf8))
            as? [[String: Any]]
        #expect(json?.count == 150)
        #expect(json?.last?["uid"] as? Int == 150)

        #expect(try cli("check").stdout.hasPrefix("ok:"))
        // Two runs of one notebook: same sources, bitwise-same objects and final metrics.
        let runs = try cli("diff", "1", "2", "--json")
        let d = try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [String: Any]
        #expect(
            (d?["cells"] as? [[String: Any]])?.map { $0["status"] as? String } == Array(repeating: "same", count: 6))
        let finals = (d?["metrics"] as? [[String: Any]]) ?? []
        #expect(!finals.isEmpty && finals.allSatisfy { ($0["lastA"] as? Double) == ($0["lastB"] as? Double) })
        let text = try cli("diff", "1", "2").stdout
        #expect(text.hasPrefix("run 1 → run 2\n") && text.contains("parameters: same") && !text.contains("differs"))
        let rm = try cli("rm", "2")
        #expect(rm.stdout == "run 2 marked deleted; `rlhf gc` frees its space\n")
        #expect(try cli("rm", "2").stderr == "error: run 2 is already deleted; `rlhf gc` purges deleted runs\n")
        #expect(!(try cli("runs").stdout.contains("\n2 ")))
        #expect(try cli("runs", "--all").stdout.contains("\n2    deleted (succeeded)"))
        // The two runs are bitwise equal, so every blob of run 2 is shared with run 1: nothing to free but rows.
        let dry = try cli("gc", "--dry-run")
        #expect(dry.stdout.hasPrefix("would remove: deleted run 2 ("))
        #expect(dry.stdout.hasSuffix("; 0 unreferenced blobs (0 B)\n"))
        #expect(try cli.scalar("SELECT count(*) FROM runs") == "2")
        let gc = try cli("gc", "--json")
        let report = try JSONSerialization.jsonObject(with: Data(gc.stdout.utf8)) as? [String: Any]
        #expect(report?["purgedRuns"] as? [Int] == [2])
        #expect(report?["feedbackRows"] as? Int == 150)
        #expect(try cli.scalar("SELECT count(*) FROM runs") == "1")
        #expect(try cli.scalar("SELECT count(*) FROM feedback") == "150")
        #expect(try cli("check").status == 0)
        #expect(try cli("rm", "7").stderr == "error: unknown run '7' (latest is 1)\n")

        // --vacuum gives the freed pages back: the file shrinks and stays sound; with --dry-run it is refused.
        let refused = try cli("gc", "--dry-run", "--vacuum")
        #expect(
            refused.status != 0
                && refused.stderr.contains("--vacuum changes the store; it cannot be combined with --dry-run"))
        let vacuumed = try cli("gc", "--vacuum", "--json")
        let sizes = try JSONSerialization.jsonObject(with: Data(vacuumed.stdout.utf8)) as? [String: Any]
        let (before, after) = (sizes?["bytesBefore"] as? Int ?? 0, sizes?["bytesAfter"] as? Int ?? 0)
        #expect(after > 0 && after < before, "\(vacuumed.stdout)")
        #expect(try cli("check").status == 0)
        #expect(try cli.scalar("SELECT count(*) FROM feedback") == "150")
    }
}
