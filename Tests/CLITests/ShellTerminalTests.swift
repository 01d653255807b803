import Foundation
import Testing

/// The interactive shell driven through a pseudo-terminal, keystroke by keystroke.
@Suite(.serialized) struct ShellTerminalTests {
    @Test func tabCompletesMultiLineInputContinuesAndCtrlCClearsTheLine() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let shell = try PseudoTerminal(arguments: ["--store", cli.store], home: cli.folder.path)
        #expect(shell.waitFor("rlhf[1]> "))
        // `pri` + Tab completes to `print`; the rest of the line is typed after it.
        var mark = shell.mark
        shell.type("pri\t")
        #expect(shell.waitFor("print", after: mark))
        mark = shell.mark
        shell.type("(40 + 2)")
        #expect(shell.enter("", expecting: "\n42\n"))
        // A label completes too (`epo` → `epochs:`).
        mark = shell.mark
        shell.type("fit(rm, prefs, epo\t")
        #expect(shell.waitFor("epochs:", after: mark))
        // Ctrl-C abandons the typed line: nothing runs, no error, a fresh prompt.
        mark = shell.mark
        shell.type("\u{3}")
        #expect(shell.waitFor("rlhf[1]> ", after: mark))
        // An open bracket continues on a `...>` line; the cell runs once the bracket closes.
        mark = shell.mark
        shell.type("xs = [1,\r")
        #expect(shell.waitFor("...> ", after: mark))
        mark = shell.mark
        shell.type("2, 3]\r")
        #expect(shell.waitFor("rlhf[1]> ", after: mark))
        #expect(shell.enter("sum(xs) * 10", expecting: "\n60\n"))
        // Ctrl-C on a continuation line drops the whole unfinished input.
        mark = shell.mark
        shell.type("ys = [1,\r")
        #expect(shell.waitFor("...> ", after: mark))
        shell.type("\u{3}")
        #expect(shell.enter("print(type(ys))", expecting: "undefined variable 'ys'"))
        shell.type("\u{4}")
        #expect(shell.waitForExit() == 0)
        // Cells: print, xs, sum, and the failing type(ys) — the abandoned lines never ran.
        #expect(
            try cli.scalar("SELECT group_concat(status, '|') FROM (SELECT status FROM cells ORDER BY id)")
                == "ok|ok|ok|failed")
        #expect(try cli.scalar("SELECT status FROM runs WHERE id = 1") == "succeeded")
        let history = try String(contentsOf: cli.folder.appendingPathComponent(".rlhf_history"), encoding: .utf8)
        #expect(history.contains("sum(xs) * 10") && !history.contains("epo"))
    }

    /// Long cells Ctrl-C must stop: built-ins that train, collect or fit, and loops of the language.
    static let longCells = [
        "finetune(p, rm, task, steps: 300000, lr: 1e-3)",
        "while true { n = n + 1 }",
        "prefs = collect(task, policy: p, annotator: BradleyTerry(), pairs: 5000000)",
        "fit(rm, prefs, epochs: 100000, batch: 1)",
        "for i in range(100000) { for j in range(100000) { n = n + 1 } }",
        "ppo(sp, rm, task, steps: 1000000)",
    ]

    @Test(arguments: Build.all)
    func ctrlCCancelsARunningCellAndRollsItBackAndTheShellStays(_ build: Build) throws {
        let cli = try CLI()
        defer { cli.remove() }
        let shell = try PseudoTerminal(
            arguments: ["--store", cli.store], home: cli.folder.path, executable: build.executable)
        #expect(shell.waitFor("rlhf[1]> "))
        var mark = shell.mark
        shell.type(
            """
            seed(3); task = VectorTask(dim: 8, prompts: 32, candidates: 16, test_prompts: 10, contextual: false); \
            p = PolicyModel(input: 8, hidden: 8, output: 8); rm = RewardModel(input: 8, hidden: 8); \
            sp = SamplingPolicy(task, hidden: 8); prefs = collect(task, annotator: BradleyTerry(), pairs: 64)\r
            """)
        #expect(shell.waitFor("✓ commit", after: mark) && shell.waitFor("rlhf[1]> ", after: mark))
        mark = shell.mark
        shell.type("n = 1\r")
        #expect(shell.waitFor("rlhf[1]> ", after: mark))
        // Each long cell: Ctrl-C stops it at a check point; p, rm, prefs and n keep their values, no metric is stored.
        for cell in Self.longCells {
            mark = shell.mark
            shell.type(cell + "\r")
            Thread.sleep(forTimeInterval: 0.6)
            shell.type("\u{3}")
            #expect(shell.waitFor("error: cancelled", after: mark), "\(build.name): \(cell)")
            #expect(
                shell.waitFor("note: Ctrl-C cancelled the cell", after: mark) && shell.waitFor("rlhf[1]> ", after: mark)
            )
        }
        #expect(shell.enter("print(n, p.trained_steps, prefs.count)", expecting: "\n1 0 64\n"))
        #expect(shell.enter(":cells", expecting: "cancelled"))
        shell.type(":quit\r")
        #expect(shell.waitForExit() == 0)
        #expect(
            try cli.scalar("SELECT count(*) FROM versions v JOIN objects o ON o.id = v.object_id WHERE o.name = 'p'")
                == "1")
        #expect(try cli.scalar("SELECT count(*) FROM metrics") == "0")
        let statuses = ["ok", "ok"] + Self.longCells.map { _ in "cancelled" } + ["ok"]
        #expect(
            try cli.scalar("SELECT group_concat(status, '|') FROM (SELECT status FROM cells ORDER BY id)")
                == statuses.joined(separator: "|"))
        #expect(try cli.scalar("SELECT status FROM runs") == "succeeded")
    }

    @Test func metaCommandsListRollBackAndLoad() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let notebook = try cli.write(
            "nb.rlhf",
            """
            # %% setup
            seed(4)
            task = VectorTask(dim: 6, prompts: 20, candidates: 10, test_prompts: 10, contextual: false)
            p = PolicyModel(input: 6, hidden: 6, output: 6)
            rm = RewardModel(input: 6, hidden: 6)
            # %% train
            finetune(p, rm, task, steps: 5, lr: 1e-2)
            """)
        let shell = try PseudoTerminal(arguments: ["--store", cli.store], home: cli.folder.path)
        #expect(shell.waitFor("rlhf[1]> "))
        #expect(shell.enter(":load \(notebook)", expecting: "nb.rlhf: 2 cells run"))
        #expect(shell.enter(":log p", expecting: "v2       2:2"))
        #expect(shell.enter(":diff p@1 p@2", expecting: "tensors differ"))
        #expect(shell.enter(":rollback p 1", expecting: "p@3 = v1"))
        #expect(shell.enter("print(p.trained_steps)", expecting: "\n0\n"))
        #expect(shell.enter(":runs", expecting: "(shell)"))
        #expect(shell.enter(":cells", expecting: "finetune(p, rm, task, steps: 5, lr: 1e-2)"))
        #expect(shell.enter(":vars", expecting: "p = PolicyModel(6 → 6 → 6"))
        #expect(shell.enter(":rollback q 1", expecting: "error: run 1 has no model or dataset named 'q'"))
        #expect(shell.enter(":help fit", expecting: "fit(_ rm"))
        #expect(shell.enter(":lgo p", expecting: "error: unknown command ':lgo'; did you mean ':log'?"))
        shell.type("\u{4}")
        #expect(shell.waitForExit() == 0)
        #expect(
            try cli.scalar("SELECT group_concat(note, '|') FROM versions WHERE note IS NOT NULL") == "rollback to v1")
        // The rolled-back policy holds v1's content: the next cell that binds it writes no new version.
        #expect(
            try cli.scalar("SELECT count(*) FROM versions v JOIN objects o ON o.id = v.object_id WHERE o.name = 'p'")
                == "3")
    }

    @Test func historyIsKeptAndTruncatedToTheLastThousandEntries() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let history = cli.folder.appendingPathComponent(".rlhf_history")
        try (1...1200).map { "old_\($0) = \($0)" }.joined(separator: "\n").appending("\n")
            .write(to: history, atomically: true, encoding: .utf8)
        let shell = try PseudoTerminal(arguments: ["--store", cli.store], home: cli.folder.path)
        #expect(shell.waitFor("rlhf[1]> "))
        // Up-arrow recalls the last line of the previous sessions.
        let mark = shell.mark
        shell.type("\u{1B}[A")
        #expect(shell.waitFor("old_1200 = 1200", after: mark))
        shell.type("\u{15}")  // Ctrl-U clears the recalled line
        #expect(shell.enter("print(\"new\")", expecting: "\nnew\n"))
        shell.type("\u{4}")
        #expect(shell.waitForExit() == 0)
        let lines = try String(contentsOf: history, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1000)
        #expect(lines.first == "old_202 = 202" && lines.last == "print(\"new\")")
    }
}
