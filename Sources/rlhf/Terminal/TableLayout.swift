import Foundation

/// Column widths for aligned text tables: left-aligned text, right-aligned numbers (after the first column), two
/// spaces between columns. Built from a sample of rows, it lays out later rows with the same widths, so a long
/// result can be printed as it streams (a later, wider cell pushes its line out rather than re-laying the table).
struct TableLayout {
    let widths: [Int]

    init(header: [String], rows: some Sequence<[String]>) {
        var widths = header.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.count)
            }
        }
        self.widths = widths
    }

    /// One line of the table, trailing spaces trimmed.
    func line(_ row: [String]) -> String {
        row.enumerated().map { column, cell in
            let pad = String(repeating: " ", count: max(0, (column < widths.count ? widths[column] : 0) - cell.count))
            return Self.isNumber(cell) && column > 0 ? pad + cell : cell + pad
        }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }

    private static func isNumber(_ s: String) -> Bool {
        !s.isEmpty && Double(s.replacingOccurrences(of: ",", with: "")) != nil
    }
}
