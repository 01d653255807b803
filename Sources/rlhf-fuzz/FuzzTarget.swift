// libFuzzer target over the cell language: lexer, parser and interpreter (see `FuzzInput`).
//
// Built for fuzzing by `scripts/fuzz.sh` with `-sanitize=fuzzer -parse-as-library -DFUZZING`: the program's entry hands
// control to libFuzzer's driver, which calls `LLVMFuzzerTestOneInput` for each input. In a plain `swift build`,
// `FuzzReplay` is the program instead: `rlhf-fuzz FILE…` runs each file as one input, to replay a crash the fuzzer
// saved. (One file, not `main.swift`, so that SwiftPM compiles it as a library and `@main` can be left out of the
// fuzzing build; SwiftPM links an executable's `main` to `<module>_main`, which the fuzzing build defines.)
import Foundation
import Language

/// libFuzzer's entry point: one input, run by `FuzzInput`. Always returns 0 (the input may be kept in the corpus).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzInput.run(bytes)
    return 0
}

/// One fuzz input, run the way `rlhf run` runs a notebook but with no store: the bytes are checked as UTF-8 and split
/// into cells, every cell is lexed and parsed, and, when none has a syntax error, the code cells run in one
/// interpreter with the core built-ins only.
///
/// A step budget and a cap on the length of strings and lists keep every input within a few milliseconds and a few
/// megabytes, so the fuzzer finds crashes rather than programs that are merely slow (`while true {}`) or big
/// (`range(10000000) * 5`). Any error the language reports is a correct outcome; only a crash is a finding.
enum FuzzInput {
    /// Evaluation steps per input.
    static let maximumSteps = 2_000
    /// Longest string or list per value.
    static let maximumLength = 512
    /// The core built-ins, built once: they hold no state between calls, and building the table for every input cost
    /// more than running most inputs. (The fuzzer calls `run` from one thread only.)
    nonisolated(unsafe) static let builtins = BuiltinRegistry()

    static func run(_ bytes: [UInt8]) {
        let file = "fuzz.rlhf"
        // Both readings of the bytes: validated (as `rlhf run` reads a file) and repaired, so that the lexer also
        // sees the replacement characters a bad byte decodes to.
        let text: String
        do {
            text = try SourceBytes.text(of: bytes, file: file)
        } catch {
            _ = String(describing: error)
            text = String(decoding: bytes, as: UTF8.self)
        }
        let notebook = CellFile.parse(path: file, text: text)
        // As `rlhf run` does: a notebook with syntax errors is reported whole and nothing runs. (Running its cells
        // anyway would only parse them again and rebuild the same diagnostics, at half the fuzzer's speed.)
        let diagnostics = notebook.diagnostics()
        guard diagnostics.isEmpty else {
            for diagnostic in diagnostics { _ = diagnostic.description }
            return
        }
        let interpreter = Interpreter(builtins: builtins, output: { _ in })
        interpreter.maximumSteps = maximumSteps
        interpreter.maximumLength = maximumLength
        for cell in notebook.codeCells {
            do {
                if let value = try interpreter.run(source: cell.source, file: file, firstLine: cell.firstLine) {
                    _ = value.quotedText
                }
            } catch {
                _ = String(describing: error)
            }
        }
    }
}

#if FUZZING
    /// libFuzzer's driver (LLVM 11 and later): parses libFuzzer's options from the command line and fuzzes `callback`.
    @_silgen_name("LLVMFuzzerRunDriver")
    private func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    /// The program's `main` in the fuzzing build.
    @_cdecl("rlhf_fuzz_main")
    public func fuzzingMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
        var count = argc
        var arguments = argv
        return runFuzzerDriver(&count, &arguments, fuzzOneInput)
    }
#else
    /// `rlhf-fuzz FILE…`: each file as one fuzz input.
    @main
    enum FuzzReplay {
        static func main() {
            for path in CommandLine.arguments.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else {
                    FileHandle.standardError.write(Data("error: cannot read '\(path)'\n".utf8))
                    exit(1)
                }
                FuzzInput.run([UInt8](data))
                print("\(path): ran without crashing")
            }
        }
    }
#endif
