import Foundation

/// A file a cell produced (a chart's SVG), stored with the cell's commit. Its bytes are content-addressed in
/// `blobs` by SHA-256, so the same chart drawn twice is stored once.
///
/// ```swift
/// let chart = Artifact(name: "loss.svg", mediaType: "image/svg+xml", data: Data(svg.utf8))
/// try store.commit(run: run, CellCommit(cell: cell, output: text, durationMs: 3, artifacts: [chart]))
/// ```
public struct Artifact: Sendable, Equatable {
    /// File name, unique within its commit (`loss.svg`).
    public var name: String
    /// MIME type (`image/svg+xml`).
    public var mediaType: String
    public var data: Data
    /// The same content as text, exactly as the cell printed it (a chart drawn for the terminal), if it has one.
    public var text: String?

    public init(name: String, mediaType: String, data: Data, text: String? = nil) {
        self.name = name
        self.mediaType = mediaType
        self.data = data
        self.text = text
    }
}

/// An artifact as read back from the store, with the cell and commit that produced it.
public struct StoredArtifact: Sendable, Equatable {
    public var run: Int64
    public var commit: Int64
    /// Ordinal and key of the producing cell.
    public var cell: Int?
    public var cellKey: String?
    /// Position within its commit (1-based), in the order the cell produced them.
    public var position: Int
    public var name: String
    public var mediaType: String
    /// SHA-256 of `data`, hex.
    public var hash: String
    public var data: Data
    /// The text form the cell printed, if any.
    public var text: String?
}
