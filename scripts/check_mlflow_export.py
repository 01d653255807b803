#!/usr/bin/env python3
"""Logs a stored run to a running MLflow tracking server with `rlhf export RUN --mlflow URI` and reads it back with
MLflow's own client, comparing everything with the store read by `sqlite3`.

With `mlflow.tracking.MlflowClient`: the run's status, start and end times and name; its params (each the store's
parameter: a string as is, anything else as its JSON value); its tags (rlhf.run_id, rlhf.cells, the note as
mlflow.note.content, the run's own tags); every metric's full history by `get_metric_history`, compared value for
value, step for step and timestamp for timestamp with the store's `metric_points` (NaN for a NULL value; MLflow's SQL
store keeps ±infinity as ±1.7976931348623157e308); the artifact list, and each artifact's bytes: every chart's SVG is
an artifact of the run's commits, and run-RUN.ipynb is what `rlhf export RUN -o run.ipynb` writes.

Installs nothing: it needs the mlflow package and a server started with artifact serving (the default), e.g.
`mlflow server --host 127.0.0.1 --port 5077 --backend-store-uri sqlite:///mlflow.db --artifacts-destination art`.

    python3 scripts/check_mlflow_export.py --store lab.sqlite --uri http://127.0.0.1:5077 --bin .build/debug/rlhf
"""
import argparse
import datetime
import json
import math
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
from mlflow.tracking import MlflowClient  # noqa: E402 (after the progress bar is turned off)

STATUS = {"succeeded": "FINISHED", "failed": "FAILED", "interrupted": "FAILED", "cancelled": "KILLED",
          "running": "RUNNING"}
LARGEST = 1.7976931348623157e308


def milliseconds(timestamp):
    """A store timestamp (`2025-11-25T13:12:52.123Z`) as milliseconds since 1970."""
    moment = datetime.datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    return round(moment.timestamp() * 1000)


def same_value(logged, stored):
    """Whether MLflow's value is the store's (None is NaN; MLflow keeps infinities as the largest double)."""
    if stored is None:
        return math.isnan(logged)
    if math.isinf(stored):
        return logged == math.copysign(LARGEST, stored)
    return logged == stored


def check_metrics(client, run_id, db, run, where):
    """Every series' full history equals the store's points; returns (points, series)."""
    names = [name for (name,) in db.execute(
        "SELECT n.name FROM metric_series s JOIN metric_names n ON n.id = s.name_id WHERE s.run_id = ? ORDER BY n.name",
        (run,))]
    logged_keys = set(client.get_run(run_id).data.metrics)
    if logged_keys != set(names):
        sys.exit(f"{where}: MLflow has metrics {sorted(logged_keys)}, the store {names}")
    points = 0
    for name in names:
        stored = db.execute(
            """
            SELECT p.step, p.value, c.created_at FROM metric_points p JOIN metric_names n ON n.id = p.name_id
            JOIN commits c ON c.id = p.commit_id WHERE p.run_id = ? AND n.name = ? ORDER BY p.step
            """, (run, name)).fetchall()
        history = sorted(client.get_metric_history(run_id, name), key=lambda m: m.step)
        if len(history) != len(stored):
            sys.exit(f"{where}: metric {name!r} has {len(history)} points in MLflow, {len(stored)} in the store")
        for logged, (step, value, created) in zip(history, stored):
            if logged.step != step or not same_value(logged.value, value) or logged.timestamp != milliseconds(created):
                sys.exit(f"{where}: metric {name!r} step {step}: MLflow has (step {logged.step}, {logged.value!r}, "
                         f"{logged.timestamp}), the store ({step}, {value!r}, {milliseconds(created)})")
        points += len(stored)
    return points, len(names)


def check_artifacts(client, run_id, db, run, notebook, where):
    """The artifacts are the run's charts and its notebook, byte for byte; returns how many."""
    def walk(path=None):
        for entry in client.list_artifacts(run_id, path):
            yield from walk(entry.path) if entry.is_dir else [entry.path]

    paths = sorted(walk())
    charts = sorted(bytes(data) for (data,) in db.execute(
        """
        SELECT b.data FROM artifacts a JOIN blobs b ON b.hash = a.blob_hash JOIN commits c ON c.id = a.commit_id
        WHERE c.run_id = ? AND a.media_type = 'image/svg+xml'
        """, (run,)))
    expected = sorted([f"run-{run}.ipynb"] + [p for p in paths if p.startswith("charts/")])
    if paths != expected or len(paths) != len(charts) + 1:
        sys.exit(f"{where}: artifacts {paths}; expected run-{run}.ipynb and {len(charts)} charts")
    with tempfile.TemporaryDirectory() as folder:
        local = client.download_artifacts(run_id, "", folder)
        def read(path):
            with open(os.path.join(local, path), "rb") as f:
                return f.read()
        if read(f"run-{run}.ipynb") != notebook:
            sys.exit(f"{where}: run-{run}.ipynb differs from rlhf export {run} -o run.ipynb")
        if sorted(read(p) for p in paths if p.startswith("charts/")) != charts:
            sys.exit(f"{where}: the charts' bytes differ from the store's SVG artifacts")
    return len(paths)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True)
    parser.add_argument("--uri", required=True, help="the tracking server, e.g. http://127.0.0.1:5077")
    parser.add_argument("--bin", default="rlhf", help="the rlhf executable")
    parser.add_argument("--run", type=int, default=1)
    args = parser.parse_args()
    where = f"{args.store} run {args.run}"

    started = time.monotonic()
    export = subprocess.run([args.bin, "export", str(args.run), "--mlflow", args.uri, "--store", args.store],
                            capture_output=True, text=True)
    exported = time.monotonic() - started
    if export.returncode != 0:
        sys.exit(f"{where}: rlhf export --mlflow failed: {export.stderr.strip()}")
    url = export.stdout.strip().splitlines()[-1]
    run_id = url.rsplit("/runs/", 1)[-1]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "run.ipynb")
        subprocess.run([args.bin, "export", str(args.run), "-o", path, "--store", args.store], check=True,
                       capture_output=True)
        with open(path, "rb") as f:
            notebook = f.read()

    client = MlflowClient(tracking_uri=args.uri)
    logged = client.get_run(run_id)
    db = sqlite3.connect(f"file:{args.store}?mode=ro", uri=True)
    name, status, started_at, finished_at, note, parameters = db.execute(
        "SELECT name, status, started_at, finished_at, note, parameters FROM runs WHERE id = ?", (args.run,)).fetchone()
    info = logged.info
    if info.status != STATUS[status] or info.start_time != milliseconds(started_at):
        sys.exit(f"{where}: MLflow has status {info.status}, start {info.start_time}; the store {status}, {started_at}")
    if finished_at and info.end_time != milliseconds(finished_at):
        sys.exit(f"{where}: MLflow's end time {info.end_time}, the store's {finished_at}")
    if info.run_name != (name or f"run {args.run}"):
        sys.exit(f"{where}: MLflow's run name {info.run_name!r}")

    params = logged.data.params
    stored_params = json.loads(parameters or "{}")
    if set(params) != set(stored_params):
        sys.exit(f"{where}: MLflow has params {sorted(params)}, the store {sorted(stored_params)}")
    for key, value in stored_params.items():
        if (params[key] if isinstance(value, str) else json.loads(params[key])) != value:
            sys.exit(f"{where}: param {key!r} is {params[key]!r} in MLflow, {value!r} in the store")

    tags = logged.data.tags
    cells = db.execute("SELECT count(*) FROM cells WHERE run_id = ?", (args.run,)).fetchone()[0]
    expected_tags = {"rlhf.run_id": str(args.run), "rlhf.cells": str(cells),
                     "rlhf.store": os.path.abspath(args.store), "mlflow.runName": name or f"run {args.run}"}
    if note:
        expected_tags["mlflow.note.content"] = note[:8000]
    expected_tags.update({tag: "" for (tag,) in db.execute("SELECT tag FROM run_tags WHERE run_id = ?", (args.run,))})
    for key, value in expected_tags.items():
        if tags.get(key) != value:
            sys.exit(f"{where}: tag {key!r} is {tags.get(key)!r} in MLflow, expected {value!r}")

    points, series = check_metrics(client, run_id, db, args.run, where)
    artifacts = check_artifacts(client, run_id, db, args.run, notebook, where)
    print(f"{where} -> MLflow run {run_id}: status, times, {len(params)} params, {len(expected_tags)} tags checked, "
          f"{points} metric points in {series} series (every value, step and timestamp) and {artifacts} artifacts "
          f"equal the store's; export took {exported:.1f} s, check {time.monotonic() - started - exported:.1f} s")


if __name__ == "__main__":
    main()
