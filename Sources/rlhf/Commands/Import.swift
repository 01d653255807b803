import ArgumentParser
import Foundation
import Interop
import Language
import Notebook
import Store

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Bring a Hugging Face GPT-2 directory into the store as a new run binding NAME to the model.",
        discussion: """
            Example: rlhf import lm-hf --as lm. The run has one cell, NAME = load_hf("/absolute/DIR"), committed like \
            any other, so the model is versioned (RUN/NAME@1), replayable while DIR is unchanged, and load("RUN/NAME") \
            reads it in a cell. DIR is what rlhf export --format hf writes: config.json, model.safetensors, vocab.json.
            """)

    @OptionGroup var store: StoreOptions
    @ArgumentParser.Argument(help: ArgumentHelp("The directory to read.", valueName: "dir")) var dir: String
    @Option(name: .customLong("as"), help: ArgumentHelp("The name to bind the model to.", valueName: "name"))
    var name: String

    func run() throws {
        guard Self.isIdentifier(name) else {
            printError(
                "error: --as '\(name)' is not a variable name (letters, digits and _, not starting with a digit)")
            throw ExitCode.failure
        }
        if dir.isEmpty {
            printError("error: the directory to import is empty; give the path of a Hugging Face directory")
            throw ExitCode.failure
        }
        // Read it once before anything is written: a bad directory is an error and the store is left as it was.
        _ = try failing { try GPT2Directory.read(from: dir) }
        let absolute = URL(fileURLWithPath: dir).standardizedFileURL.path
        let source = "\(name) = load_hf(\(Lexer.stringLiteral(absolute)))"
        let parsed = CellFile.parse(path: "rlhf import", text: source)
        let syntaxErrors = NotebookRunner.syntaxErrors(in: parsed)
        if let first = syntaxErrors.first {
            printError("error: --as '\(name)' cannot be bound: \(first.message)")
            throw ExitCode.failure
        }
        let lab = try store.open()
        let runner = try failing {
            try NotebookRunner(store: lab, notebook: nil, source: source, output: { print($0) })
        }
        switch runner.execute(source: source, key: "import", title: "rlhf import \(dir)") {
        case let .committed(summary, _):
            try failing { try runner.finish(status: .succeeded) }
            let version = summary.newVersions.first { $0.object == name }.map { "@\($0.version)" } ?? ""
            print("imported \(dir) as \(runner.runID)/\(name)\(version)")
        case let .failed(message), let .cancelled(message, _):
            try? runner.finish(status: .failed)
            printError(message)
            throw ExitCode.failure
        }
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return s.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
        }
    }
}
