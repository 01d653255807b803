import Foundation
import Testing

/// A GPT binding through the store's commands with the built executable: log, show, replay --verify, rollback then
/// replay, --resume, and diff with the two versions' samples side by side.
@Suite struct LanguageModelCLITests {
    static let text = String(
        repeating: "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n", count: 8)

    static let notebook = """
        # %% setup id=setup
        seed(3)
        c = Corpus(file: "t.txt")
        lm = GPT(vocab: c, layers: 1, heads: 2, dim: 8, context: 8)
        # %% train id=train
        r = pretrain(lm, c, iters: 10, batch: 2, warmup: 2, eval_every: 5, eval_iters: 1)
        frozen = lm
        # %% more id=more
        r = pretrain(lm, c, iters: 10, batch: 2, warmup: 2, eval_every: 5, eval_iters: 1)
        s = sample(lm, prompt: "All:", tokens: 20, n: 2)
        print(s[0])
        print(round(r.val_loss, digits: 4), perplexity(lm, "Speak, speak.") > 1)
        """

    /// A folder with the corpus and the notebook, run once.
    static func ranNotebook() throws -> CLI {
        let cli = try CLI()
        try text.write(to: cli.folder.appendingPathComponent("t.txt"), atomically: true, encoding: .utf8)
        let r = try cli("run", try cli.write("lm.rlhf", notebook), "--quiet")
        #expect(r.status == 0, "\(r.stderr)")
        return cli
    }

    @Test func aGPTIsVersionedLikeEveryModel() throws {
        let cli = try Self.ranNotebook()
        defer { cli.remove() }
        let log = try cli("log", "1/lm")
        #expect(log.status == 0, "\(log.stderr)")
        #expect(log.stdout.split(separator: "\n").count == 4)  // a header and three versions
        #expect(
            try cli.scalar("SELECT count(*) FROM versions v JOIN objects o ON o.id = v.object_id WHERE o.name = 'lm'")
                == "3")
        let show = try cli("show", "1")
        #expect(show.stdout.contains("lm ") && show.stdout.contains("frozen "))
        // The frozen copy reuses every tensor of lm@2.
        #expect(
            try cli.scalar(
                "SELECT v.bytes_written FROM versions v JOIN objects o ON o.id = v.object_id WHERE o.name = 'frozen'")
                == "0")
    }

    @Test func aRunWithAGPTReplaysBitwise() throws {
        let cli = try Self.ranNotebook()
        defer { cli.remove() }
        let r = try cli("replay", "1", "--verify", "--quiet")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasSuffix("verified: 4 checkpoints, 30 metrics identical\n"), "\(r.stdout)")
    }

    @Test func rollbackThenReplayAndResumeWorkWithAGPT() throws {
        let cli = try Self.ranNotebook()
        defer { cli.remove() }
        let rollback = try cli("rollback", "1/lm", "--to", "1")
        #expect(rollback.status == 0, "\(rollback.stderr)")
        let replay = try cli("replay", "1", "--verify", "--quiet")
        #expect(replay.status == 0, "\(replay.stderr)")
        let resumed = try cli(
            "run", cli.folder.appendingPathComponent("lm.rlhf").path, "--resume", "1", "--from-cell", "3")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        // The resumed run's final model is the original run's, bit for bit.
        let hashes = try cli(
            "query",
            "SELECT o.run_id, v.content_hash FROM versions v JOIN objects o ON o.id = v.object_id "
                + "WHERE o.name = 'lm' AND v.note IS NULL ORDER BY v.id", "--csv")
        let rows = hashes.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        let original = rows.last { $0.first == "1" }?.last
        let latest = try cli.scalar("SELECT max(id) FROM runs")
        let child = rows.last { $0.first.map(String.init) == latest }?.last
        #expect(original != nil && original == child)
    }

    @Test func resumingRefusesACorpusFileThatChanged() throws {
        let cli = try Self.ranNotebook()
        defer { cli.remove() }
        try (Self.text + "x").write(to: cli.folder.appendingPathComponent("t.txt"), atomically: true, encoding: .utf8)
        let r = try cli("run", cli.folder.appendingPathComponent("lm.rlhf").path, "--resume", "1", "--from-cell", "2")
        #expect(r.status == 1)
        #expect(
            r.stderr.contains(
                "error: cannot restore 'c': '\(cli.folder.appendingPathComponent("t.txt").path)' has changed since the run read it (its SHA-256 is "
            ), "\(r.stderr)")
    }

    @Test func diffOfTwoGPTVersionsShowsTheirSamplesSideBySide() throws {
        let cli = try Self.ranNotebook()
        defer { cli.remove() }
        let r = try cli("diff", "1/lm@1", "1/lm@3", "--prompt", "All:", "--tokens", "30", "--seed", "5")
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.contains { $0.hasPrefix("transformer.h.0.attn.c_attn.weight") && $0.contains("changed") })
        #expect(lines.contains("samples: 30 characters after the prompt \"All:\", seed 5, temperature 1"))
        let header = try #require(lines.firstIndex { $0.hasPrefix("1/lm@1 ") && $0.hasSuffix(" │ 1/lm@3") })
        #expect(lines[header + 1].contains("┼"))
        // Each column holds the prompt and 30 characters: 34 characters over the wrapped lines of its side.
        let body = lines[(header + 2)...].prefix { $0.contains(" │ ") }
        let column = (80 - 3) / 2
        let left = body.map { String($0.prefix(column)) }
        #expect(left.first?.hasPrefix("All:") == true)
        #expect(body.allSatisfy { $0.count <= 80 })
        // The same seed gives the same samples: diffing a version with itself shows two equal columns.
        let same = try cli("diff", "1/lm@3", "1/lm@3", "--prompt", "All:", "--tokens", "30", "--seed", "5")
        let sameBody = same.stdout.split(separator: "\n").drop { !$0.contains("┼") }.dropFirst()
        #expect(!sameBody.isEmpty)
        for line in sameBody {
            let parts = line.components(separatedBy: " │ ")
            #expect(parts.count == 2 && parts[0].trimmingCharacters(in: .whitespaces) == parts[1])
        }
        // A prompt a version cannot read is refused by name.
        let bad = try cli("diff", "1/lm@1", "1/lm@3", "--prompt", "Zé")
        #expect(bad.status == 1)
        #expect(
            bad.stderr
                == "error: --prompt cannot be read by 1/lm@1: character 'Z' (U+005A) at offset 0 is not in the "
                + "tokenizer's vocabulary\n")
    }
}
