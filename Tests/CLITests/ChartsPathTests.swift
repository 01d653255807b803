import Foundation
import GRDB
import Testing

/// `rlhf charts --out DIR` with hostile stored names: every file lands inside DIR under a safe, unique name.
@Suite struct ChartsPathTests {
    /// The notebook of issue 12: a cell `id=` that climbs out of the output folder.
    static let notebook = """
        # %% escape id=x/../../../ESCAPED
        plot.bars(["a"], series: {v: [1.0]}, title: "loss")
        # %% hidden id=.hidden
        plot.bars(["a"], series: {v: [2.0]}, title: "loss")
        # %% again id=x\\..\\..\\ESCAPED
        plot.bars(["a"], series: {v: [3.0]}, title: "loss")
        """

    /// Every file below `root`, relative to it.
    private func files(under root: URL) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        return (enumerator?.allObjects as? [String] ?? []).sorted()
    }

    @Test func cellKeysCannotLeadOutOfTheOutputFolder() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let deep = cli.folder.appendingPathComponent("a/b/c")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        let run = try cli("run", try cli.write("escape.rlhf", Self.notebook), "-q")
        #expect(run.status == 0, "\(run.stderr)")
        let export = try cli("charts", "1", "--out", "a/b/c/out")
        #expect(export.status == 0, "\(export.stderr)")
        let out = deep.appendingPathComponent("out")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
                == ["1-x_.._.._.._ESCAPED-loss.svg", "2-.hidden-loss.svg", "3-x_.._.._ESCAPED-loss.svg"])
        #expect(files(under: cli.folder).filter { $0.contains("ESCAPED") }.allSatisfy { $0.hasPrefix("a/b/c/out/") })
        #expect(
            export.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix(out.resolvingSymlinksInPath().path + "/") })
    }

    /// Names written straight into the store (as anyone with the file could): NUL, line breaks, 10 KB, `..`, and
    /// two names that collide once sanitised.
    @Test func namesTamperedInTheStoreStayInsideAndUnique() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli("run", try cli.write("c.rlhf", Self.notebook), "-q").status == 0)
        let queue = try DatabaseQueue(path: cli.store)
        try queue.write { db in
            try db.execute(
                sql: "UPDATE cells SET key = ? WHERE ordinal = 1",
                arguments: ["../\u{0}\n../" + String(repeating: "z", count: 10_000)])
            try db.execute(sql: "UPDATE cells SET key = ? WHERE ordinal = 2", arguments: ["/etc"])
            try db.execute(sql: "UPDATE cells SET key = ? WHERE ordinal = 3", arguments: ["\\etc"])
            try db.execute(sql: "UPDATE artifacts SET name = '../../../../ESCAPED.svg'")
        }
        try queue.close()
        let export = try cli("charts", "1", "--out", "out")
        #expect(export.status == 0, "\(export.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.folder.appendingPathComponent("out").path)
            .sorted()
        #expect(names.count == 3)
        #expect(names.contains("2-_etc-.._.._.._.._ESCAPED.svg") && names.contains("3-_etc-.._.._.._.._ESCAPED.svg"))
        #expect(names.allSatisfy { $0.count <= 120 && !$0.hasPrefix(".") })
        #expect(files(under: cli.folder).filter { $0.contains("ESCAPED") }.allSatisfy { $0.hasPrefix("out/") })
    }
}
