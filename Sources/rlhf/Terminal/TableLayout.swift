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
        let line = row.enumerated().map { column, cell in
            let pad = String(repeating: " ", count: max(0, (column < widths.count ? widths[column] : 0) - cell.count))
            return column > 0 && Self.isNumber(cell) ? pad + cell : cell + pad
        }.joined(separator: "  ")
        // Trimming is costly per line; most lines have nothing to trim.
        guard Self.isSpace(line.unicodeScalars.first) || Self.isSpace(line.unicodeScalars.last) else { return line }
        return line.trimmingCharacters(in: .whitespaces)
    }

    private static func isSpace(_ scalar: Unicode.Scalar?) -> Bool {
        scalar.map { CharacterSet.whitespaces.contains($0) } == true
    }

    /// Whether the cell reads as a number (commas allowed): `Double` parses it. Only text starting with a digit, a
    /// sign, a dot, a comma or the first letter of `inf`/`nan` can be one, which spares parsing every word.
    private static func isNumber(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, "0123456789+-.,iInN".unicodeScalars.contains(first) else {
            return false
        }
        // Byte tests, not Foundation's `contains`, which costs a CFString search per cell of a long listing.
        return Double(s.utf8.contains(UInt8(ascii: ",")) ? String(s.filter { $0 != "," }) : s) != nil
    }
}
