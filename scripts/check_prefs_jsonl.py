#!/usr/bin/env python3
"""Checks an `rlhf export RUN/NAME[@N] --format jsonl` file against the store it came from, with Python's own readers.

Every line must parse with `json.loads` into an object whose keys are, in order, TRL's `prompt`, `chosen`, `rejected`
and then `uid`, `annotator`, `seed`, `version` (a text row then has `prompt_index`, `chosen_tokens`,
`rejected_tokens` and, when recorded, `sampling`); lines are in increasing uid order; and each record must equal the
feedback row alive at that dataset version, read here with `sqlite3` straight from the `feedback` table: a text row's
strings, prompt index, token ids and sampling as stored, a vector row's prompt index and its Float32 values (the
blobs unpacked with `struct`). If the
`datasets` package imports, `datasets.load_dataset("json", ...)` must load the file with one example per line.

    python3 scripts/check_prefs_jsonl.py prefs.jsonl --store lab.sqlite --ref 1/prefs@2
"""
import argparse
import json
import sqlite3
import struct
import sys

KEYS = ["prompt", "chosen", "rejected", "uid", "annotator", "seed", "version"]
TEXT_KEYS = KEYS + ["prompt_index", "chosen_tokens", "rejected_tokens"]


def alive_rows(db, run, name, version):
    """The feedback rows alive at `version` of dataset `name` in run `run`, by uid (as the store defines alive)."""
    return db.execute(
        """
        SELECT f.uid, f.prompt, f.chosen, f.rejected, f.annotator, f.seed, f.prompt_text, f.chosen_text,
               f.rejected_text, f.sampling
        FROM feedback f JOIN objects o ON o.id = f.object_id
        JOIN versions va ON va.id = f.added_in LEFT JOIN versions vr ON vr.id = f.removed_in
        WHERE o.run_id = ? AND o.name = ? AND va.version <= ? AND (vr.version IS NULL OR vr.version > ?)
        ORDER BY f.uid, f.id
        """,
        (run, name, version, version),
    ).fetchall()


def floats(blob):
    return list(struct.unpack(f"<{len(blob) // 4}f", blob))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--store", required=True)
    parser.add_argument("--ref", required=True, help="RUN/NAME@N, the version exported")
    args = parser.parse_args()
    run, rest = args.ref.split("/", 1)
    name, version = rest.split("@")
    records = []
    with open(args.file, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            record = json.loads(line)
            keys = list(record)
            if keys not in (KEYS, TEXT_KEYS, TEXT_KEYS + ["sampling"]):
                sys.exit(f"{args.file}:{number}: keys {keys}, expected {KEYS} (then {TEXT_KEYS[len(KEYS):]} for text)")
            records.append(record)
    db = sqlite3.connect(f"file:{args.store}?mode=ro", uri=True)
    rows = alive_rows(db, int(run), name, int(version))
    if len(rows) != len(records):
        sys.exit(f"{args.file}: {len(records)} records, the store has {len(rows)} rows at {args.ref}")
    for record, (uid, prompt, chosen, rejected, annotator, seed, prompt_text, chosen_text, rejected_text, sampling) in (
        zip(records, rows)
    ):
        if prompt_text is None:
            expected_prompt, expected_chosen, expected_rejected = prompt, floats(chosen), floats(rejected)
        else:
            expected_prompt, expected_chosen, expected_rejected = prompt_text, chosen_text, rejected_text
        expected = {
            "prompt": expected_prompt, "chosen": expected_chosen, "rejected": expected_rejected, "uid": uid,
            "annotator": annotator, "seed": str(seed % 2**64), "version": int(version),
        }
        if prompt_text is not None:
            expected["prompt_index"] = prompt
            expected["chosen_tokens"] = [int(x) for x in floats(chosen)]
            expected["rejected_tokens"] = [int(x) for x in floats(rejected)]
            if sampling is not None:
                expected["sampling"] = sampling
        if prompt_text is None:
            # JSON numbers are the Float32 values' shortest text: read back, they round to the same Float32.
            for key in ("chosen", "rejected"):
                record[key] = [struct.unpack("<f", struct.pack("<f", x))[0] for x in record[key]]
        if record != expected:
            sys.exit(f"{args.file}: uid {uid}: {record} != the store's {expected}")
    try:
        import datasets
    except ImportError:
        print(f"{args.file}: {len(records)} records equal the store's rows at {args.ref} (datasets not installed)")
        return
    loaded = datasets.load_dataset("json", data_files=args.file, split="train")
    if loaded.num_rows != len(records) or loaded.column_names != (list(records[0]) if records else KEYS):
        sys.exit(f"{args.file}: datasets loaded {loaded.num_rows} rows with columns {loaded.column_names}")
    print(f"{args.file}: {len(records)} records equal the store's rows at {args.ref}; datasets.load_dataset agrees")


if __name__ == "__main__":
    main()
