import Foundation
import Store

/// `/api/runs/RUN/metrics/NAME`'s body, `{"name":…,"run":3,"steps":[…],"values":[…]}`, written a page of points at a
/// time as the socket takes it: the steps column page by page, then the values column the same way. Each page is a
/// short read of its own on a lent connection, so a 10 M-point series costs the server one page of memory, and a
/// client that reads slowly holds no connection and no thread while it is behind.
///
/// Both columns stop at the last step the series had when the request came, so a run that goes on writing does not
/// make them differ in length; should a point before it change in between (a rollback), the columns' counts differ
/// and the body is cut short with an error rather than finished wrong.
public struct PagedSeries: Sendable {
    public let run: Int64
    public let name: String
    /// The series' size when the request came; both columns stop at `lastStep`.
    public let points: Int
    public let lastStep: Int
    let pageSize: Int
    private var phase = Phase.head

    private enum Phase {
        case head
        /// Writing the steps column, `written` of them so far, the last at `after`.
        case steps(after: Int?, written: Int)
        /// Writing the values column, which must come to as many as the steps column had.
        case values(after: Int?, written: Int, steps: Int)
        case done
    }

    /// The series `name` of run `run` in `store`; 404 when the run logged no such metric.
    public init(_ store: LabStore, run: Int64, name: String, pageSize: Int = 16_384) throws {
        guard let size = try store.metricSeriesSize(run: run, name: name) else {
            throw WebProblem.notFound("run \(run) logged no metric '\(name)'")
        }
        self.run = run
        self.name = name
        points = size.points
        lastStep = size.lastStep
        self.pageSize = max(1, pageSize)
    }

    /// The next piece of the body, read from `store`; nil once the body is whole.
    public mutating func next(_ store: LabStore) throws -> Data? {
        switch phase {
        case .head:
            phase = .steps(after: nil, written: 0)
            return try Data("{\"name\":".utf8) + WebAPI.encode(name) + Data(",\"run\":\(run),\"steps\":[".utf8)
        case .steps(let after, let written):
            let (text, last, count, finished) = try page(store, after: after, written: written, values: false)
            phase = finished ? .values(after: nil, written: 0, steps: count) : .steps(after: last, written: count)
            return Data((finished ? text + "],\"values\":[" : text).utf8)
        case .values(let after, let written, let steps):
            let (text, last, count, finished) = try page(store, after: after, written: written, values: true)
            guard finished else {
                phase = .values(after: last, written: count, steps: steps)
                return Data(text.utf8)
            }
            guard count == steps else {
                throw WebProblem(
                    500, "run \(run)'s series '\(name)' changed while it was sent (\(steps) steps, \(count) values)")
            }
            phase = .done
            return Data((text + "]}").utf8)
        case .done:
            return nil
        }
    }

    /// One page of a column as JSON text (comma-led after the column's first), the last step it read, how many the
    /// column now has, and whether the column is finished.
    private func page(
        _ store: LabStore, after: Int?, written: Int, values: Bool
    ) throws -> (text: String, last: Int?, count: Int, finished: Bool) {
        let page = try store.metricPoints(run: run, name: name, after: after, through: lastStep, limit: pageSize)
        var text = ""
        text.reserveCapacity(page.steps.count * (values ? 22 : 8))
        for i in page.steps.indices {
            if written + i > 0 { text += "," }
            if values {
                let value = page.values[i]
                text += value.isFinite ? "\(value)" : value.isNaN ? "\"nan\"" : value > 0 ? "\"inf\"" : "\"-inf\""
            } else {
                text += String(page.steps[i])
            }
        }
        let last = page.steps.last ?? after
        let finished = page.steps.count < pageSize || last == lastStep
        return (text, last, written + page.steps.count, finished)
    }

    /// The whole body at once (tests and benchmarks; the server sends it page by page).
    public func collected(_ store: LabStore) throws -> Data {
        var body = self, out = Data()
        while let piece = try body.next(store) { out.append(piece) }
        return out
    }
}
