import ArgumentParser
import Interop
import Language
import Notebook
import Store

/// Reads and parses the notebook a command runs (`rlhf run`, `rlhf sweep`): its text, for the run's record, and its
/// cells. An unreadable file or a cell with syntax errors is printed on stderr (every error, then how many) and ends
/// the command with a failure before anything touches the store. A Jupyter notebook (`.ipynb`, nbformat 4) is read
/// as the percent-format text of its cells (``JupyterCells``), which is then what the run records.
func readNotebook(_ file: String) throws -> (text: String, parsed: CellFile) {
    var text: String
    do {
        text = try CellFile.readText(path: file)
        if file.hasSuffix(".ipynb") {
            do {
                text = try JupyterCells.percentFormat(of: Array(text.utf8))
            } catch {
                throw Diagnostic(location: SourceLocation(file: file, line: 1, column: 1), message: error.description)
            }
        }
    } catch let diagnostic as Diagnostic {
        printError(diagnostic.description)
        throw ExitCode.failure
    } catch {
        let reason = (error as? UnreadableNotebook)?.reason ?? FileProblem.reason(error)
        printError("error: cannot read notebook '\(file)': \(reason)")
        throw ExitCode.failure
    }
    let parsed = CellFile.parse(path: file, text: text)
    let syntaxErrors = NotebookRunner.syntaxErrors(in: parsed)
    if !syntaxErrors.isEmpty {
        for e in syntaxErrors { printError(e.description) }
        printError("\(syntaxErrors.count) error\(syntaxErrors.count == 1 ? "" : "s") in \(file); nothing was run")
        throw ExitCode.failure
    }
    return (text, parsed)
}
