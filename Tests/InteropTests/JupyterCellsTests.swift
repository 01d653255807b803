import Interop
import Testing

/// A Jupyter notebook read back as percent-format cells (`rlhf run run.ipynb`): sources as strings or lists of lines,
/// the export's cell keys and titles, markdown as comment lines, raw cells and outputs left out; and one reason for
/// each way a file is not a runnable nbformat 4 notebook.
@Suite struct JupyterCellsTests {
    static func cells(_ json: String) throws -> String { try JupyterCells.percentFormat(of: Array(json.utf8)) }

    @Test func codeMarkdownAndRawCellsBecomePercentFormat() throws {
        let json = #"""
            {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
              {"cell_type": "markdown", "id": "header", "metadata": {}, "source": ["# Run 1\n", "\n", "prose"]},
              {"cell_type": "code", "id": "cell-1", "execution_count": 1, "outputs": [{"output_type": "stream"}],
               "metadata": {"rlhf": {"cell": "setup", "title": "Slide 1: set up"}}, "source": ["seed(5)\n", "x = 1"]},
              {"cell_type": "raw", "metadata": {}, "source": "not run"},
              {"cell_type": "code", "metadata": {"rlhf": {"cell": "has space", "title": "a=b [x] kept"}},
               "source": "print(x)\n"},
              {"cell_type": "code", "metadata": {}, "source": []}
            ]}
            """#
        #expect(
            try Self.cells(json) == """
                # %% [markdown]
                # # Run 1
                #
                # prose
                # %% Slide 1: set up id=setup
                seed(5)
                x = 1
                # %% kept
                print(x)
                # %%

                """)
    }

    /// One whole-file refusal each, with its reason.
    @Test(arguments: [
        ("{", "not a Jupyter notebook: not JSON: expected a quoted key at byte 1"),
        ("[1]", "not a Jupyter notebook: the file is an array, not a JSON object"),
        (#"{"cells": []}"#, "not a Jupyter notebook: it has no 'nbformat'"),
        (
            #"{"nbformat": 3, "worksheets": []}"#,
            "nbformat 3: rlhf reads nbformat 4 notebooks (Jupyter's format since 2015; `jupyter nbconvert --to notebook` upgrades an older one)"
        ),
        (#"{"nbformat": 4}"#, "not a Jupyter notebook: 'cells' is missing or not an array"),
        (#"{"nbformat": 4, "cells": [7]}"#, "cell 1 is a number, not an object"),
        (
            #"{"nbformat": 4, "cells": [{"cell_type": "code"}]}"#,
            "cell 1 has no 'source' (a string or a list of strings)"
        ),
        (
            #"{"nbformat": 4, "cells": [{"cell_type": "code", "source": ["a", 1]}]}"#,
            "cell 1's source holds a number, not only strings"
        ),
        (#"{"nbformat": 4, "cells": [{"source": "x"}]}"#, "cell 1 has no 'cell_type' string"),
        (
            #"{"nbformat": 4, "cells": [{"cell_type": "heading", "source": "x"}]}"#,
            "cell 1 has cell_type 'heading'; nbformat 4 has code, markdown and raw"
        ),
        (
            #"{"nbformat": 4, "cells": [{"cell_type": "code", "source": "a = 1\n  # %% next\nb = 2"}]}"#,
            "cell 1 has the line '  # %% next', which would start another cell; split the cell in Jupyter instead"
        ),
    ])
    func aFileThatIsNotARunnableNotebookIsRefused(json: String, reason: String) {
        let error = #expect(throws: JupyterCells.Refusal.self) { try Self.cells(json) }
        #expect(error?.description == reason)
    }
}
