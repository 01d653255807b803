/// A grid of braille characters, each 2 dots wide and 4 dots tall, remembering which series drew in each cell.
struct BrailleCanvas {
    let columns: Int
    let rows: Int
    private var dots: [UInt8]
    private var owner: [Int?]

    init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
        dots = Array(repeating: 0, count: columns * rows)
        owner = Array(repeating: nil, count: columns * rows)
    }

    /// Bit of the dot at (dx, dy) within a cell, in Unicode's braille numbering.
    private static let bits: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]

    /// Sets the dot at (x, y) in dot coordinates (x to the right, y downwards); dots outside are ignored.
    mutating func plot(_ x: Double, _ y: Double, series: Int) {
        guard x.isFinite, y.isFinite, abs(x) < 1e9, abs(y) < 1e9 else { return }
        let (dx, dy) = (Int(x.rounded()), Int(y.rounded()))
        guard dx >= 0, dy >= 0, dx < columns * 2, dy < rows * 4 else { return }
        let cell = (dy / 4) * columns + dx / 2
        dots[cell] |= BrailleCanvas.bits[dy % 4][dx % 2]
        owner[cell] = series
    }

    /// Draws a straight segment, one dot per step along its longer direction.
    mutating func line(from a: (Double, Double), to b: (Double, Double), series: Int) {
        let length = max(abs(b.0 - a.0), abs(b.1 - a.1))
        guard length.isFinite, length < 1e6 else { return }
        let steps = max(Int(length.rounded(.up)), 1)
        for i in 0...steps {
            let t = Double(i) / Double(steps)
            plot(a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t, series: series)
        }
    }

    /// Rows of (character, series that last drew there).
    func characters() -> [[(glyph: Character, series: Int?)]] {
        (0..<rows).map { r in
            (0..<columns).map { c in
                let bits = dots[r * columns + c]
                guard bits != 0, let scalar = Unicode.Scalar(0x2800 + UInt32(bits)) else { return (" ", nil) }
                return (Character(scalar), owner[r * columns + c])
            }
        }
    }
}
