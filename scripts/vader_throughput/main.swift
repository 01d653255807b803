// Times `Vader().compound` on the equivalence fixture's texts, for scripts/vader_throughput.sh (which compiles this
// with the Sentiment sources at -O, whole-module, as a release build does).
import Foundation

struct Row: Decodable { let text: String }

let fixture = CommandLine.arguments[1]
let repeats = Int(CommandLine.arguments[2]) ?? 20
let lines = try String(contentsOfFile: fixture, encoding: .utf8).split(separator: "\n")
let texts = try lines.map { try JSONDecoder().decode(Row.self, from: Data($0.utf8)).text }
let vader = Vader()
_ = vader.compound("warm up the lexicon")
var checksum = 0.0
let start = DispatchTime.now().uptimeNanoseconds
for _ in 0..<repeats {
    for text in texts { checksum += vader.compound(text) }
}
let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
let count = texts.count * repeats
let rate = Int(Double(count) / seconds)
print("swift: \(count) texts in \(String(format: "%.3f", seconds)) s: \(rate) texts/s (checksum \(checksum))")
