/// A Jupyter notebook (nbformat 4) read back as the lab's percent-format cell file, so `rlhf run run.ipynb` runs a
/// notebook `rlhf export RUN -o run.ipynb` wrote, or one edited in Jupyter: each code cell becomes a `# %%` cell (its
/// key and title from the `rlhf` metadata the export writes, when present), each markdown cell a `# %% [markdown]`
/// cell of comment lines; raw cells and every output are left out (outputs are what a run makes, not its input).
///
/// The text is what the run records as its source, so a replay needs only the store, as for a `.rlhf` file.
public enum JupyterCells {
    /// Why a file is not a notebook the lab can run.
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// The percent-format text of the nbformat 4 notebook `bytes`.
    public static func percentFormat(of bytes: [UInt8]) throws(Refusal) -> String {
        let value: JSONValue
        do { value = try JSONReader.parse(bytes) } catch {
            throw Refusal(description: "not a Jupyter notebook: not JSON: \(error)")
        }
        guard case let .object(top) = value else {
            throw Refusal(description: "not a Jupyter notebook: the file is \(value.kindName), not a JSON object")
        }
        guard let format = member(top, "nbformat") else {
            throw Refusal(description: "not a Jupyter notebook: it has no 'nbformat'")
        }
        guard format.nonNegativeInteger == 4 else {
            throw Refusal(
                description: "nbformat \(format.compactText): rlhf reads nbformat 4 notebooks (Jupyter's format since "
                    + "2015; `jupyter nbconvert --to notebook` upgrades an older one)")
        }
        guard case let .array(cells)? = member(top, "cells") else {
            throw Refusal(description: "not a Jupyter notebook: 'cells' is missing or not an array")
        }
        var text = ""
        for (index, cell) in cells.enumerated() {
            let number = index + 1
            guard case let .object(fields) = cell else {
                throw Refusal(description: "cell \(number) is \(cell.kindName), not an object")
            }
            let source = try Self.source(fields, cell: number)
            guard case let .string(kind)? = member(fields, "cell_type") else {
                throw Refusal(description: "cell \(number) has no 'cell_type' string")
            }
            switch kind {
            case "code":
                if let line = source.split(separator: "\n").first(where: { isMarker($0) }) {
                    throw Refusal(
                        description: "cell \(number) has the line '\(line)', which would start another cell; "
                            + "split the cell in Jupyter instead")
                }
                text += marker(fields) + "\n" + source + (source.hasSuffix("\n") || source.isEmpty ? "" : "\n")
            case "markdown":
                text += "# %% [markdown]\n"
                for line in source.split(separator: "\n", omittingEmptySubsequences: false).dropLast(
                    source.hasSuffix("\n") ? 1 : 0)
                {
                    text += line.isEmpty ? "#\n" : "# \(line)\n"
                }
            case "raw":
                continue
            default:
                throw Refusal(
                    description: "cell \(number) has cell_type '\(kind)'; nbformat 4 has code, markdown and raw")
            }
        }
        return text
    }

    /// A cell's source: nbformat stores it as one string or as a list of lines to join.
    private static func source(_ fields: [JSONMember], cell number: Int) throws(Refusal) -> String {
        switch member(fields, "source") {
        case .string(let text)?:
            return text
        case .array(let parts)?:
            var text = ""
            for part in parts {
                guard case let .string(line) = part else {
                    throw Refusal(description: "cell \(number)'s source holds \(part.kindName), not only strings")
                }
                text += line
            }
            return text
        default:
            throw Refusal(description: "cell \(number) has no 'source' (a string or a list of strings)")
        }
    }

    /// `# %% TITLE id=KEY` from the cell's `rlhf` metadata (an exported run's cell key and title); plain `# %%`
    /// when it has none, or when a value would not read back as the same key and title.
    private static func marker(_ fields: [JSONMember]) -> String {
        guard case let .object(metadata)? = member(fields, "metadata"),
            case let .object(rlhf)? = member(metadata, "rlhf")
        else { return "# %%" }
        var line = "# %%"
        if case let .string(title)? = member(rlhf, "title") {
            let words = title.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
                .filter { !$0.contains("=") && !$0.hasPrefix("[") && !$0.contains("\"") }
            if !words.isEmpty { line += " " + words.joined(separator: " ") }
        }
        if case let .string(key)? = member(rlhf, "cell"), !key.isEmpty,
            key.unicodeScalars.allSatisfy({ isKeyCharacter($0) })
        {
            line += " id=\(key)"
        }
        return line
    }

    private static func isKeyCharacter(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
            || c == "."
    }

    /// A line the cell-file reader takes for a cell marker: `#`, optional blanks, `%%`.
    private static func isMarker(_ line: Substring) -> Bool {
        let rest = line.drop(while: { $0 == " " || $0 == "\t" })
        guard rest.first == "#" else { return false }
        return rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("%%")
    }

    /// The last member named `key` (JSON's usual reading of a repeated key).
    private static func member(_ members: [JSONMember], _ key: String) -> JSONValue? {
        members.last { $0.key == key }?.value
    }
}
