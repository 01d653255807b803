// libFuzzer target over the cell language: lexer, parser and interpreter (see `FuzzInput`).
//
// Built for fuzzing by `scripts/fuzz.sh` with `-sanitize=fuzzer -parse-as-library -DFUZZING`: libFuzzer then provides
// `main` and calls `LLVMFuzzerTestOneInput` for each input. In a plain `swift build` this file is the program's top
// level instead: `rlhf-fuzz FILE…` runs each file as one input, to replay a crash the fuzzer saved.

/// libFuzzer's entry point: one input, run by `FuzzInput`. Always returns 0 (the input may be kept in the corpus).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzInput.run(bytes)
    return 0
}

#if !FUZZING
    import Foundation

    for path in CommandLine.arguments.dropFirst() {
        guard let data = FileManager.default.contents(atPath: path) else {
            FileHandle.standardError.write("error: cannot read '\(path)'\n".data(using: .utf8) ?? Data())
            exit(1)
        }
        FuzzInput.run([UInt8](data))
        print("\(path): ran without crashing")
    }
#endif
