/// The runs a piece of notebook source loads by a literal reference: `load("2/policy")`, `load( "2/prefs@3" )`,
/// `load(ref: "2/policy")`. A reference computed at run time (`load(str(r) + "/policy")`) cannot be seen in the text.
enum LoadReferences {
    static func runs(in source: String) -> Set<Int64> {
        var runs = Set<Int64>()
        for match in source.matches(of: #/\bload\s*\(\s*(?:ref\s*:\s*)?"\s*(\d{1,18})\s*\//#) {
            if let run = Int64(match.output.1) { runs.insert(run) }
        }
        return runs
    }
}
