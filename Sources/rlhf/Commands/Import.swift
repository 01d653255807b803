import ArgumentParser
import Foundation
import Interop
import Language
import Notebook
import Store

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Bring a model or a preference dataset into the store as a new run binding NAME to it: a safetensors "
            + "file, a Hugging Face GPT-2 directory or a JSON Lines file of preferences.",
        discussion: """
            Example: rlhf import rm.safetensors --as rm. The run has one cell, NAME = \
            load_safetensors("/absolute/FILE"), committed like any other, so the model is versioned (RUN/NAME@1), \
            replayable while FILE is unchanged, and load("RUN/NAME") reads it in a cell. FILE is what rlhf export \
            -o FILE.safetensors writes, or a PyTorch state_dict of the seed's PolicyModel or RewardModel saved by \
            safetensors.torch.save_file; for such a file, which does not say what it holds, add --type RewardModel.

            Example: rlhf import lm-hf --as lm. The cell is NAME = load_hf("/absolute/DIR"); DIR is what rlhf export \
            --format hf writes: config.json, model.safetensors, vocab.json.

            Example: rlhf import prefs.jsonl --as prefs. The cell is NAME = load_preferences("/absolute/FILE"); FILE \
            holds one JSON object per line with prompt, chosen and rejected: what rlhf export RUN/prefs -o F.jsonl \
            writes (it comes back with the same content hash), or TRL's text records. Every line is checked first and \
            each bad one is named (FILE:LINE: error: why); nothing is imported unless --skip-bad, which leaves the \
            bad lines out.
            """)

    @OptionGroup var store: StoreOptions
    @ArgumentParser.Argument(
        help: ArgumentHelp(
            "The .safetensors or .jsonl file, or the Hugging Face directory, to read.", valueName: "path"))
    var dir: String
    @Option(name: .customLong("as"), help: ArgumentHelp("The name to bind the model to.", valueName: "name"))
    var name: String
    @Option(
        help: ArgumentHelp(
            "A .safetensors file's model type (PolicyModel, RewardModel, …) when its metadata does not say.",
            valueName: "type"))
    var type: String?
    @Flag(help: "A .jsonl file: import its good lines and leave out the bad ones (each still named on stderr).")
    var skipBad = false

    func run() throws {
        guard Self.isIdentifier(name) else {
            printError(
                "error: --as '\(name)' is not a variable name (letters, digits and _, not starting with a digit)")
            throw ExitCode.failure
        }
        if dir.isEmpty {
            printError(
                "error: the path to import is empty; give a .safetensors or .jsonl file or a Hugging Face directory")
            throw ExitCode.failure
        }
        // Read it once before anything is written: a bad file or directory is an error and the store is left as
        // it was.
        let absolute = URL(fileURLWithPath: dir).standardizedFileURL.path
        let source: String
        var imported = ""
        if dir.hasSuffix(".jsonl") {
            if type != nil {
                printError("error: --type applies to a .safetensors file; a .jsonl file holds preferences")
                throw ExitCode.failure
            }
            let (rows, skipped) = try checkPreferences(absolute)
            func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
            imported =
                " (\(counted(rows, "pair"))" + (skipped > 0 ? ", \(counted(skipped, "bad line")) left out)" : ")")
            let skip = skipBad ? ", skip_bad: true" : ""
            source = "\(name) = load_preferences(\(Lexer.stringLiteral(absolute))\(skip))"
        } else if skipBad {
            printError("error: --skip-bad applies to a .jsonl file of preferences")
            throw ExitCode.failure
        } else if dir.hasSuffix(".safetensors") {
            try failing { try NotebookRunner.checkSafetensors(path: absolute, type: type) }
            let typeArgument = type.map { ", as: \(Lexer.stringLiteral($0))" } ?? ""
            source = "\(name) = load_safetensors(\(Lexer.stringLiteral(absolute))\(typeArgument))"
        } else {
            if type != nil {
                printError("error: --type applies to a .safetensors file; a Hugging Face directory holds a GPT")
                throw ExitCode.failure
            }
            _ = try failing { try GPT2Directory.read(from: dir) }
            source = "\(name) = load_hf(\(Lexer.stringLiteral(absolute)))"
        }
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
            print("imported \(dir) as \(runner.runID)/\(name)\(version)\(imported)")
        case let .failed(message), let .cancelled(message, _):
            try? runner.finish(status: .failed)
            printError(message)
            throw ExitCode.failure
        }
    }

    /// Names every bad line of a preferences file on stderr, `FILE:LINE: error: why`, and fails unless --skip-bad
    /// (then each is a warning); fails too when no line is good.
    /// Returns the number of good rows and of bad lines.
    private func checkPreferences(_ absolute: String) throws -> (rows: Int, skipped: Int) {
        let (rows, problems) = try failing { try NotebookRunner.checkPreferences(path: absolute) }
        let severity = skipBad ? "warning" : "error"
        for problem in problems { printError("\(dir):\(problem.line): \(severity): \(problem.reason)") }
        if rows == 0 {
            printError("error: \(dir) holds no good line; nothing imported")
            throw ExitCode.failure
        }
        if !problems.isEmpty && !skipBad {
            let count = problems.count == 1 ? "1 bad line" : "\(problems.count) bad lines"
            printError(
                "error: \(dir) has \(count); nothing imported (mend them, or add --skip-bad to import the \(rows) good "
                    + "ones)")
            throw ExitCode.failure
        }
        return (rows, problems.count)
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return s.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
        }
    }
}
