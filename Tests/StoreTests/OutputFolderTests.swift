import Foundation
import Testing

@testable import Store

/// File names derived from stored names: sanitised to a safe set, capped, unique, and confined to their folder.
@Suite struct OutputFolderTests {
    static let long = String(repeating: "a", count: 10_000)

    /// Hostile stored names and the file name each becomes.
    @Test(arguments: [
        ("loss.svg", "loss.svg"),
        ("3-reward-rm-loss.svg", "3-reward-rm-loss.svg"),
        ("x/../../../ESCAPED", "x_.._.._.._ESCAPED"),
        ("3-x/../../../ESCAPED-loss.svg", "3-x_.._.._.._ESCAPED-loss.svg"),
        ("..", "_."),
        (".", "_"),
        ("", "_"),
        ("/", "_"),
        ("/etc/passwd", "_etc_passwd"),
        ("..\\..\\windows", "_._.._windows"),
        ("C:\\evil.svg", "C__evil.svg"),
        ("a\u{0}b.svg", "a_b.svg"),
        ("a\nb\r.svg", "a_b_.svg"),
        ("tab\there", "tab_here"),
        (".hidden", "_hidden"),
        ("-rf", "_rf"),
        ("~/x", "__x"),
        ("$(rm -rf ~)", "__rm_-rf___"),
        ("ünï.svg", "_n_.svg"),
        ("e\u{301}.svg", "e_.svg"),
        ("😀.svg", "_.svg"),
        ("名前", "__"),
        ("a b*c?d|e<f>g\"h'i:j", "a_b_c_d_e_f_g_h_i_j"),
    ])
    func hostileNamesBecomeSafeFileNames(stored: String, expected: String) {
        #expect(OutputFolder.safeName(stored) == expected)
    }

    /// Whatever the name, the result keeps to the documented set, the length cap, and starts with neither dot nor
    /// dash; a long name keeps its extension and a hash that tells it from another with the same start.
    @Test(arguments: [
        long, long + ".svg", "." + long, String(repeating: "/..", count: 4000), String(repeating: "é", count: 3000),
        String(repeating: "\u{0}", count: 500), "x." + long, long + "." + long,
    ])
    func everyNameKeepsToTheSafeSetAndTheCap(stored: String) {
        let name = OutputFolder.safeName(stored)
        #expect(name == OutputFolder.safeName(stored), "the same name twice gives the same file name")
        #expect(!name.isEmpty && name.count <= OutputFolder.maximumLength)
        #expect(name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }, "\(name)")
        #expect(!name.hasPrefix(".") && !name.hasPrefix("-"))
        #expect(OutputFolder.safeName(stored + "b") != name)
    }

    @Test func aLongNameKeepsItsExtension() {
        let name = OutputFolder.safeName(Self.long + ".svg")
        #expect(name.count == OutputFolder.maximumLength && name.hasSuffix(".svg"))
        #expect(name.hasPrefix("aaaa") && name.dropLast(4).suffix(9).hasPrefix("_"))
    }

    /// Names that collide once sanitised (or that differ only in case) get `-2`, `-3`… before the extension.
    @Test func collidingNamesAreMadeUnique() throws {
        let root = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        var folder = try OutputFolder(path: root.appendingPathComponent("out").path)
        let stored = ["a/b.svg", "a\\b.svg", "a:b.svg", "A_B.svg", "a_b.svg", Self.long + ".svg", Self.long + ".svg"]
        let names = try stored.map { try folder.write(Data($0.utf8), named: $0).lastPathComponent }
        #expect(names.prefix(5) == ["a_b.svg", "a_b-2.svg", "a_b-3.svg", "A_B-4.svg", "a_b-5.svg"])
        #expect(Set(names.map { $0.lowercased() }).count == stored.count)
        #expect(names.allSatisfy { $0.count <= OutputFolder.maximumLength })
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.url.path)
        #expect(written.count == stored.count)
    }

    /// Every hostile name lands directly inside the folder; nothing is created beside or above it.
    @Test func everyFileLandsInsideTheFolder() throws {
        let root = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        var folder = try OutputFolder(path: root.appendingPathComponent("a/b/out").path)
        let hostile = [
            "../ESCAPED", "../../ESCAPED", "/tmp/ESCAPED", "x/../../../ESCAPED", "..", ".", "", "\u{0}",
            String(repeating: "../", count: 3000) + "ESCAPED",
        ]
        for name in hostile {
            let file = try folder.write(Data("x".utf8), named: name)
            #expect(file.deletingLastPathComponent().path == folder.url.path)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["a"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("a").path) == ["b"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).count == hostile.count)
    }

    /// A symbolic link planted under a name the export will use is refused, not written through; a folder that is
    /// itself a symbolic link is followed (the user chose it).
    @Test func symbolicLinksInTheFolderAreNeverWrittenThrough() throws {
        let root = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let outside = root.appendingPathComponent("outside.txt")
        try Data("keep".utf8).write(to: outside)
        let real = root.appendingPathComponent("real")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: real.appendingPathComponent("loss.svg"), withDestinationURL: outside)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("link"), withDestinationURL: real)
        var folder = try OutputFolder(path: root.appendingPathComponent("link").path)
        #expect(folder.url.path == real.resolvingSymlinksInPath().path)
        #expect {
            try folder.write(Data("evil".utf8), named: "loss.svg")
        } throws: { error in
            "\(error)".hasPrefix("refusing to write through the symbolic link '") && "\(error)".hasSuffix("loss.svg'")
        }
        #expect(try Data(contentsOf: outside) == Data("keep".utf8))
        let other = try folder.write(Data("ok".utf8), named: "other.svg")
        #expect(other.path == real.resolvingSymlinksInPath().appendingPathComponent("other.svg").path)
    }
}
