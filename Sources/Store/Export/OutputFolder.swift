import Crypto
import Foundation

/// A folder that exported files are written into, under names derived from stored names (cell keys, object and
/// chart names, run notebooks), which anyone who could write the store chose; every such file goes through here.
///
/// A stored name becomes a file name by ``safeName(_:)``: only the characters `A–Z a–z 0–9 . _ -`, no leading dot
/// or dash, at most ``maximumLength`` characters, so it cannot name another folder (`..`, `/`, `\`), hide, pass for
/// a command-line option, or carry a NUL or a line break. Names are unique within one export, compared ignoring
/// case as macOS does (`-2`, `-3` before the extension). The final path is checked to lie directly inside the
/// folder (symbolic links of the folder itself resolved), and an existing symbolic link in the folder is never
/// written through.
///
/// ```swift
/// var folder = try OutputFolder(path: "charts")
/// let file = try folder.write(svgData, named: "3-x/../../../ESCAPED-loss.svg")
/// // file is charts/3-x_.._.._.._ESCAPED-loss.svg
/// ```
public struct OutputFolder {
    /// The longest file name written, in characters (bytes: the safe set is ASCII); file systems allow 255.
    public static let maximumLength = 120

    /// A refused write: the file, why.
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// The folder, symbolic links resolved.
    public let url: URL
    /// Lower-cased names written so far.
    private var used: Set<String> = []

    /// Creates the folder if missing (with its parents) and resolves where it really is.
    public init(path: String) throws {
        let given = URL(fileURLWithPath: path, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: given, withIntermediateDirectories: true)
        } catch {
            throw Refusal(description: "cannot create the folder '\(path)': \(FileProblem.reason(error))")
        }
        url = given.resolvingSymlinksInPath().standardizedFileURL
    }

    /// Writes `data` into the folder under the safe, unique form of `stored`, and returns the file.
    public mutating func write(_ data: Data, named stored: String) throws -> URL {
        let file = try reserve(stored)
        do {
            try data.write(to: file, options: .atomic)
        } catch {
            throw Refusal(description: "cannot write '\(file.path)': \(FileProblem.reason(error))")
        }
        return file
    }

    /// The file `stored` would be written to, now reserved in this export; refuses a path that would leave the
    /// folder or a symbolic link already in its place.
    public mutating func reserve(_ stored: String) throws -> URL {
        let name = Self.uniqueName(stored, among: &used)
        let file = url.appendingPathComponent(name, isDirectory: false).standardizedFileURL
        guard file.deletingLastPathComponent().path == url.path, file.lastPathComponent == name else {
            throw Refusal(description: "refusing to write '\(name)': it would land outside '\(url.path)'")
        }
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: file.path)) != nil {
            throw Refusal(description: "refusing to write through the symbolic link '\(file.path)'")
        }
        return file
    }

    /// The safe form of `stored` (``safeName(_:)``), numbered `-2`, `-3`… before its extension while `used` (lower-cased
    /// names) holds it, then added to `used`: the names files get in one export, also where no folder is written.
    public static func uniqueName(_ stored: String, among used: inout Set<String>) -> String {
        let safe = safeName(stored)
        var name = safe
        var n = 1
        while used.contains(name.lowercased()) {
            n += 1
            name = numbered(safe, n)
        }
        used.insert(name.lowercased())
        return name
    }

    /// `stored` as a file name: characters outside `A–Z a–z 0–9 . _ -` become `_` (one per Unicode scalar), a
    /// leading dot or dash becomes `_`, and a name longer than ``maximumLength`` keeps its start and its extension
    /// around `_` and a hash of the whole name, so two long names that share a start stay apart. Empty becomes `_`.
    public static func safeName(_ stored: String) -> String {
        var name = String(String.UnicodeScalarView(stored.unicodeScalars.map { isSafe($0) ? $0 : "_" }))
        if name.isEmpty { name = "_" }
        if name.hasPrefix(".") || name.hasPrefix("-") { name = "_" + name.dropFirst() }
        guard name.count > maximumLength else { return name }
        let hash = SHA256.hash(data: Data(stored.utf8)).prefix(4).map { String(format: "%02x", $0) }.joined()
        let (stem, ext) = split(name)
        let keptExtension = ext.count <= 16 ? ext : ""
        return String(stem.prefix(maximumLength - keptExtension.count - hash.count - 1)) + "_" + hash + keptExtension
    }

    private static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", ".", "_", "-": true
        default: false
        }
    }

    /// `name-n.ext` for `name.ext`, kept within ``maximumLength``.
    private static func numbered(_ name: String, _ n: Int) -> String {
        let (stem, ext) = split(name)
        let suffix = "-\(n)" + ext
        return String(stem.prefix(max(1, maximumLength - suffix.count))) + suffix
    }

    /// The name before its last dot, and the dot with what follows (`""` when there is no extension).
    private static func split(_ name: String) -> (stem: String, ext: String) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (name, "") }
        return (String(name[..<dot]), String(name[dot...]))
    }
}
