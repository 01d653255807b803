#!/usr/bin/env python3
"""Checks an `rlhf export RUN --format ipynb` notebook against the store it came from, with Jupyter's own reader.

`nbformat.read` must read the file and `nbformat.validate` accept it against the nbformat 4.5 schema, and
`nbformat.writes` of what was read must give back the file's bytes (keys sorted, one space of indent, strings split
into lines as Jupyter splits them). Then, against the store read with `sqlite3`: a markdown cell first, then one code
cell per row of `cells` in execution order, each with the row's source, its ordinal as execution_count and the row's
status; its stream outputs and the terminal drawings of the charts it printed, in order, are the row's output; its
display_data outputs are the SVG artifacts of the row's commit, byte for byte; a failed or cancelled cell ends in one
error output whose traceback lines are the row's message.

    python3 scripts/check_ipynb_export.py run.ipynb --store lab.sqlite --run 1
"""
import argparse
import hashlib
import sqlite3
import sys

import nbformat


def stored_cells(db, run):
    """The run's cells in execution order, as the store holds them."""
    return db.execute(
        "SELECT ordinal, source, status, output, error, commit_id FROM cells WHERE run_id = ? ORDER BY id", (run,)
    ).fetchall()


def stored_charts(db, commit):
    """The SVG artifacts of one commit, by name: their bytes."""
    if commit is None:
        return {}
    rows = db.execute(
        """
        SELECT a.name, b.data FROM artifacts a JOIN blobs b ON b.hash = a.blob_hash
        WHERE a.commit_id = ? AND a.media_type = 'image/svg+xml' ORDER BY a.position
        """,
        (commit,),
    ).fetchall()
    return {name: bytes(data) for name, data in rows}


def check_cell(where, cell, row, db):
    ordinal, source, status, stored_output, error, commit = row
    if cell.cell_type != "code":
        sys.exit(f"{where}: a {cell.cell_type} cell where the store has cell {ordinal}")
    if cell.source != source:
        sys.exit(f"{where}: source {cell.source!r} != the store's {source!r}")
    if cell.execution_count != ordinal:
        sys.exit(f"{where}: execution_count {cell.execution_count}, the store's ordinal is {ordinal}")
    if cell.metadata.get("rlhf", {}).get("status") != status:
        sys.exit(f"{where}: metadata.rlhf.status {cell.metadata.get('rlhf')}, the store's status is {status}")
    printed, charts, errors = [], {}, []
    for output in cell.outputs:
        if output.output_type == "stream":
            if output.name != "stdout":
                sys.exit(f"{where}: a stream named {output.name!r}")
            printed.append(output.text)
        elif output.output_type == "display_data":
            svg = output.data["image/svg+xml"].encode("utf-8")
            meta = output.metadata["rlhf"]
            if hashlib.sha256(svg).hexdigest() != meta["sha256"]:
                sys.exit(f"{where}: chart {meta['name']}'s SVG does not hash to its sha256")
            charts[meta["name"]] = svg
            if meta["printed"]:
                printed.append(output.data["text/plain"])
        elif output.output_type == "error":
            errors.append(output)
        else:
            sys.exit(f"{where}: unexpected output type {output.output_type!r}")
    if "".join(printed) != stored_output:
        sys.exit(f"{where}: printed {''.join(printed)!r} != the store's output {stored_output!r}")
    expected_charts = stored_charts(db, commit)
    if charts != expected_charts:
        sys.exit(f"{where}: charts {sorted(charts)} != the store's {sorted(expected_charts)} (or their bytes differ)")
    if error is None:
        if errors:
            sys.exit(f"{where}: an error output, but the store's cell {ordinal} has no error")
    elif len(errors) != 1 or cell.outputs[-1] is not errors[0] or "\n".join(errors[0].traceback) != error:
        sys.exit(f"{where}: the error outputs {errors} are not the store's message {error!r}")
    return len(charts)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook")
    parser.add_argument("--store", required=True)
    parser.add_argument("--run", required=True, type=int, help="the run exported")
    args = parser.parse_args()
    with open(args.notebook, encoding="utf-8") as f:
        text = f.read()
    nb = nbformat.reads(text, as_version=4)
    nbformat.validate(nb, version=4, version_minor=5)
    if (nb.nbformat, nb.nbformat_minor) != (4, 5):
        sys.exit(f"{args.notebook}: nbformat {nb.nbformat}.{nb.nbformat_minor}, expected 4.5")
    if nbformat.writes(nb) + "\n" != text:
        sys.exit(f"{args.notebook}: nbformat.writes of the notebook read back differs from the file")
    kernelspec = nb.metadata.kernelspec
    if (kernelspec.name, kernelspec.language, nb.metadata.language_info.name) != ("rlhf", "rlhf", "rlhf"):
        sys.exit(f"{args.notebook}: kernelspec {kernelspec}, language_info {nb.metadata.language_info}")
    if nb.metadata.rlhf.run != args.run:
        sys.exit(f"{args.notebook}: metadata.rlhf.run is {nb.metadata.rlhf.run}, expected {args.run}")
    ids = [cell.id for cell in nb.cells]
    if len(set(ids)) != len(ids):
        sys.exit(f"{args.notebook}: cell ids repeat: {ids}")
    db = sqlite3.connect(f"file:{args.store}?mode=ro", uri=True)
    rows = stored_cells(db, args.run)
    if not nb.cells or nb.cells[0].cell_type != "markdown" or len(nb.cells) != len(rows) + 1:
        sys.exit(f"{args.notebook}: {len(nb.cells)} cells; expected a markdown header and the store's {len(rows)}")
    charts = sum(
        check_cell(f"{args.notebook}: cell {cell.id}", cell, row, db) for cell, row in zip(nb.cells[1:], rows)
    )
    print(f"{args.notebook}: valid nbformat 4.5; {len(rows)} cells and {charts} chart{'' if charts == 1 else 's'} equal run {args.run}'s in the store")


if __name__ == "__main__":
    main()
