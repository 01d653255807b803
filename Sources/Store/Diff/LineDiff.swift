/// A line diff of two texts by longest common subsequence: each line of the result is `" "` (in both), `"-"`
/// (only in a) or `"+"` (only in b) followed by the line, in order.
enum LineDiff {
    static func unified(_ a: String, _ b: String) -> [String] {
        let (x, y) = (
            a.split(separator: "\n", omittingEmptySubsequences: false).map(String.init),
            b.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        )
        // common[i][j]: length of the LCS of x[i...] and y[j...].
        var common = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in stride(from: x.count - 1, through: 0, by: -1) {
            for j in stride(from: y.count - 1, through: 0, by: -1) {
                common[i][j] = x[i] == y[j] ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
            }
        }
        var lines: [String] = []
        var (i, j) = (0, 0)
        while i < x.count || j < y.count {
            if i < x.count, j < y.count, x[i] == y[j] {
                lines.append(" " + x[i])
                i += 1
                j += 1
            } else if i < x.count, j == y.count || common[i + 1][j] >= common[i][j + 1] {
                lines.append("-" + x[i])
                i += 1
            } else {
                lines.append("+" + y[j])
                j += 1
            }
        }
        return lines
    }
}
