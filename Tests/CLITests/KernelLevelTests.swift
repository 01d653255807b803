import Foundation
import Testing

/// The engine's kernels run at the best instruction set the CPU has and split big products over two threads; neither
/// may change a single bit of what a notebook computes. Forcing the portable loops on one thread must give the same
/// checkpoints and metrics as the default run.
@Suite struct KernelLevelTests {
    static let quickstart = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("notebooks/quickstart.rlhf").path

    /// Every version's content hash, then every metric point, of run 1.
    private func fingerprint(_ cli: CLI) throws -> (hashes: String, metrics: String) {
        let hashes = try cli(
            "query",
            "SELECT o.name, v.version, v.content_hash FROM versions v JOIN objects o ON o.id = v.object_id ORDER BY v.id",
            "--csv")
        let metrics = try cli("query", "SELECT name, step, value FROM metrics ORDER BY name, step", "--csv")
        return (hashes.stdout, metrics.stdout)
    }

    @Test func portableLoopsOnOneThreadGiveTheSameBitsAsTheDefault() throws {
        let (fast, portable) = (try CLI(), try CLI())
        defer {
            fast.remove()
            portable.remove()
        }
        let a = try fast("run", Self.quickstart, "--quiet")
        let b = try portable(
            "run", Self.quickstart, "--quiet", environment: ["RLHF_KERNELS": "portable", "RLHF_THREADS": "1"])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr)\(b.stderr)")
        let (fa, fb) = (try fingerprint(fast), try fingerprint(portable))
        #expect(fa.hashes.split(separator: "\n").count > 10)
        #expect(fa.metrics.split(separator: "\n").count > 1_000)
        #expect(fa.hashes == fb.hashes)
        #expect(fa.metrics == fb.metrics)
    }
}
