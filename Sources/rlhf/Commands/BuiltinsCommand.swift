import ArgumentParser
import Language
import Notebook

struct BuiltinsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "builtins",
        abstract: "List every built-in of the cell language with its parameters and one line of documentation.",
        discussion: "--markdown prints the tables the README's Language section holds (generated from this list).")

    @Flag(help: "Print Markdown tables (the README's built-in reference).") var markdown = false

    func run() throws {
        print(markdown ? BuiltinReference.markdown : BuiltinReference.text)
    }
}
