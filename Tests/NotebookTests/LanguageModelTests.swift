import Alignment
import Engine
import Foundation
import Models
import Store
import Testing

@testable import Language
@testable import Notebook

/// A folder holding a notebook `lm.rlhf`, the text files it reads, and its store.
struct LanguageModelFixture {
    let folder: URL
    let store: LabStore
    let notebookPath: String

    init(files: [String: [UInt8]] = [:]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "LanguageModelTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, bytes) in files {
            try Data(bytes).write(to: folder.appendingPathComponent(name))
        }
        store = try LabStore(path: folder.appendingPathComponent("lab.sqlite").path)
        notebookPath = folder.appendingPathComponent("lm.rlhf").path
    }

    init(text: [String: String]) throws {
        try self.init(files: text.mapValues { Array($0.utf8) })
    }

    /// A runner of a notebook at `lm.rlhf` in the folder, so relative paths resolve against the folder.
    func runner(_ source: String = "", output: @escaping (String) -> Void = { _ in }) throws -> NotebookRunner {
        try NotebookRunner(
            store: store, notebook: CellFile.parse(path: notebookPath, text: source), source: source, output: output)
    }

    /// Runs each cell source in order on one runner; returns the runner and the outcomes.
    func run(_ cells: [String]) throws -> (NotebookRunner, [CellOutcome]) {
        let runner = try self.runner(cells.joined(separator: "\n"))
        let outcomes = cells.enumerated().map { runner.execute(source: $1, key: "c\($0 + 1)", title: "") }
        return (runner, outcomes)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

func allCommitted(_ outcomes: [CellOutcome]) -> Bool { outcomes.allSatisfy { $0.isCommitted } }

extension CellOutcome {
    var isCommitted: Bool { if case .committed = self { true } else { false } }
    var failure: String? { if case let .failed(message) = self { message } else { nil } }
    var summary: CommitSummary? { if case let .committed(summary, _) = self { summary } else { nil } }
}

// MARK: - Corpus

/// Split sizes follow nanoGPT's `int(n * split)` over characters (Unicode scalars); the vocabulary is every distinct
/// scalar in increasing order.
@Test(arguments: [
    ("abcabcabca", 0.9, 10, "abc", 9),
    ("hello world\n", 0.5, 12, "\n dehlorw", 6),
    ("aé😀b", 0.75, 4, "abé😀", 3),
    ("xy", 0.1, 2, "xy", 0),
])
func corpusSplitsItsCharactersAsNanoGPTDoes(
    text: String, split: Double, characters: Int, vocabulary: String, train: Int
) throws {
    let fixture = try LanguageModelFixture(text: ["t.txt": text])
    defer { fixture.remove() }
    let (runner, outcomes) = try fixture.run(["c = Corpus(file: \"t.txt\", split: \(split))"])
    #expect(allCommitted(outcomes), "\(outcomes)")
    func member(_ name: String) -> Value? {
        guard case let .native(native as any LabValue)? = runner.interpreter.globals["c"] else { return nil }
        return native.member(name)
    }
    #expect(member("characters") == .int(characters))
    #expect(member("vocabulary") == .string(vocabulary))
    #expect(member("vocab") == .int(vocabulary.unicodeScalars.count))
    #expect(member("train_tokens") == .int(train))
    #expect(member("val_tokens") == .int(characters - train))
    #expect(member("file") == .string(fixture.folder.appendingPathComponent("t.txt").path))
    let bytes = try Data(contentsOf: fixture.folder.appendingPathComponent("t.txt"))
    #expect(member("sha256") == .string(sha256Hex(bytes)))
}

/// The training half is the first `split` of the text and the validation half the rest, in token ids.
@Test func corpusHalvesAreTheTextInOrder() throws {
    let corpus = try Corpus(text: "abcdefghij", split: 0.7)
    #expect(corpus.tokenizer.decode(Array(corpus.part(.train))) == "abcdefg")
    #expect(corpus.tokenizer.decode(Array(corpus.part(.validation))) == "hij")
}

/// nanoGPT's `get_batch`: windows at offsets drawn uniformly below `len - context`, targets shifted by one.
@Test func batchesAreWindowsAtSeededOffsetsWithShiftedTargets() throws {
    let tokens = ArraySlice(Array(100..<120))
    var rng = RNG(seed: 9)
    let (x, y) = Corpus.batch(tokens, size: 3, context: 4, rng: &rng)
    var expected = RNG(seed: 9)
    let offsets = (0..<3).map { _ in expected.int(below: 16) }
    #expect(x == offsets.flatMap { o in (0..<4).map { 100 + o + $0 } })
    #expect(y == offsets.flatMap { o in (0..<4).map { 101 + o + $0 } })
    #expect(rng == expected)
}

/// What a user sees for each file a corpus cannot be read from: one located error quoting the resolved path.
@Test(arguments: [
    ("missing.txt", "no such file"),
    ("sub", "it is a directory"),
    ("bad.txt", "it is not UTF-8 (byte 0xFF at line 2, column 3)"),
])
func corpusRefusesAFileItCannotRead(name: String, reason: String) throws {
    let fixture = try LanguageModelFixture(files: ["bad.txt": Array("ok\nab".utf8) + [0xFF, 0x41]])
    defer { fixture.remove() }
    try FileManager.default.createDirectory(
        at: fixture.folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
    let (_, outcomes) = try fixture.run(["x = 1\nc = Corpus(file: \"\(name)\")"])
    let path = fixture.folder.appendingPathComponent(name).path
    #expect(
        outcomes.first?.failure?.hasPrefix(
            "\(fixture.notebookPath):2:12: error: Corpus(): argument 'file' cannot be read: '\(path)': \(reason)")
            == true, "\(outcomes)")
}

@Test func anEmptyFileIsNoCorpus() throws {
    let fixture = try LanguageModelFixture(text: ["empty.txt": ""])
    defer { fixture.remove() }
    let (_, outcomes) = try fixture.run(["c = Corpus(file: \"empty.txt\")"])
    let path = fixture.folder.appendingPathComponent("empty.txt").path
    #expect(
        outcomes.first?.failure?.hasPrefix(
            "\(fixture.notebookPath):1:12: error: Corpus(): argument 'file' cannot be a corpus: '\(path)': the text is "
                + "empty") == true, "\(outcomes)")
}

/// Relative paths resolve against the notebook's folder, lexically (`..` removed where it can be).
@Test(arguments: [
    ("../data/t.txt", "notebooks", "data/t.txt"),
    ("t.txt", "", "t.txt"),
    ("./a/../t.txt", "nb", "nb/t.txt"),
    ("/abs/t.txt", "nb", "/abs/t.txt"),
    ("../../t.txt", "nb", "../t.txt"),
    ("../t.txt", "/", "/t.txt"),
])
func relativePathsResolveAgainstTheNotebooksFolder(typed: String, folder: String, resolved: String) {
    #expect(TextFile.resolve(typed, folder: folder) == resolved)
}

@Test(arguments: [("notebooks/a.rlhf", "notebooks"), ("a.rlhf", ""), ("/a.rlhf", "/"), ("/x/y/a.rlhf", "/x/y")])
func aNotebooksFolderIsItsPathWithoutTheFileName(path: String, folder: String) {
    #expect(TextFile.folder(ofNotebook: path) == folder)
}

/// A stored corpus is restored by reading its file again; a file whose bytes changed is refused by name.
@Test func aRestoredCorpusIsTheSameTextOrAnError() throws {
    let fixture = try LanguageModelFixture(text: ["t.txt": "to be or not to be"])
    defer { fixture.remove() }
    let (runner, outcomes) = try fixture.run(["c = Corpus(file: \"t.txt\", split: 0.5)"])
    #expect(allCommitted(outcomes))
    let json = BindingEncoder.json(try #require(runner.interpreter.globals["c"]))
    let path = fixture.folder.appendingPathComponent("t.txt").path
    let hash = sha256Hex(Data("to be or not to be".utf8))
    #expect(json == #"{"$type":"Corpus","path":"\#(path)","sha256":"\#(hash)","split":0.5}"#)
    guard case let .native(restored as CorpusValue) = try StoredValueReader.value(ofBinding: json, name: "c") else {
        Issue.record("not a corpus")
        return
    }
    #expect(restored.corpus.tokens == (try Corpus(text: "to be or not to be", split: 0.5)).tokens)
    #expect(restored.corpus.trainCount == 9)
    try Data("to be or not to bee".utf8).write(to: fixture.folder.appendingPathComponent("t.txt"))
    let changed = sha256Hex(Data("to be or not to bee".utf8))
    #expect(throws: ResumeError.self) { try StoredValueReader.value(ofBinding: json, name: "c") }
    do {
        _ = try StoredValueReader.value(ofBinding: json, name: "c")
    } catch {
        #expect(
            "\(error)"
                == "cannot restore 'c': '\(path)' has changed since the run read it (its SHA-256 is \(changed), the "
                + "store has \(hash))")
    }
}

/// SHA-256 by the system's `sha256sum`, an implementation independent of the store's.
func sha256Hex(_ data: Data) -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: file) }
    try? data.write(to: file)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sha256sum", file.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try? process.run()
    process.waitUntilExit()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return String(output.prefix { $0 != " " })
}
