#!/usr/bin/env python3
"""Independent check of a checkpoint written by `rlhf export RUN/NAME[@N] -o FILE.safetensors`.

    python3 scripts/check_safetensors_export.py FILE --store STORE.sqlite --ref RUN/NAME[@N] [--with-optimizer]

Reads the file with the Python `safetensors` and `numpy` packages (not the lab's reader) and the store's SQLite file
with Python's sqlite3 (tables versions, version_tensors, blobs: raw little-endian float32, as store/README.md says),
and checks:
- `__metadata__`: format "pt", rlhf.kind equal to the version's kind, rlhf.config equal to the version's config
  without Adam's step (unless --with-optimizer), rlhf.source naming the version, rlhf.content_hash its hash;
- the tensors: exactly the stored tensors (Adam's `adam.*` left out unless --with-optimizer), under the same names,
  each float32 and equal to the stored values bit for bit; for the vector models (policy, reward, sampling_policy,
  reward_ensemble) every bias is a vector [out] where the store keeps a row [1, out], as PyTorch's nn.Linear has it;
- for a policy or reward model, the seed's forward pass (layer1, ReLU, layer2, as PyTorch's nn.Linear computes it:
  x @ W.T + b) runs on the exported arrays, so a PyTorch module of the seed's class loads them as they are.
Prints one line per check group and exits 1 with `error: …` on the first mismatch.
"""
import argparse
import json
import sqlite3
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file

MLP_KINDS = {"policy", "reward", "sampling_policy", "reward_ensemble"}


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)


def is_optimizer_state(name):
    return name.startswith("adam.") or ".adam." in name


def stored_version(store, ref):
    """Kind, config, content hash and tensors of a checkpoint version, read straight from the SQLite file."""
    run_text, rest = ref.split("/", 1)
    name, _, version = rest.partition("@")
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    rows = db.execute(
        "SELECT v.id, v.version, v.kind, v.config, v.content_hash FROM versions v "
        "JOIN objects o ON o.id = v.object_id WHERE o.run_id = ? AND o.name = ? ORDER BY v.version",
        (int(run_text), name)).fetchall()
    expect(rows, f"{store}: no versions of {ref}")
    chosen = [r for r in rows if r[1] == int(version)] if version else rows[-1:]
    expect(chosen, f"{store}: no version {version} of {run_text}/{name}")
    version_id, number, kind, config, content_hash = chosen[0]
    tensors = {}
    for tname, shape, dtype, data in db.execute(
            "SELECT t.name, t.shape, t.dtype, b.data FROM version_tensors t JOIN blobs b ON b.hash = t.blob_hash "
            "WHERE t.version_id = ?", (version_id,)):
        expect(dtype == "f32", f"{store}: tensor {tname} has dtype {dtype}")
        tensors[tname] = np.frombuffer(data, dtype="<f4").reshape(json.loads(shape))
    return f"{run_text}/{name}@{number}", kind, json.loads(config), content_hash, tensors


def check_metadata(path, label, kind, config, content_hash, with_optimizer):
    with safe_open(path, framework="np") as f:
        metadata = f.metadata() or {}
    expect(metadata.get("format") == "pt", f"{path}: metadata format is {metadata.get('format')!r}, not 'pt'")
    expect(metadata.get("rlhf.kind") == kind, f"{path}: rlhf.kind {metadata.get('rlhf.kind')!r}, stored {kind!r}")
    wanted = {k: v for k, v in config.items() if with_optimizer or not is_optimizer_state(k)}
    got = json.loads(metadata.get("rlhf.config", "null"))
    expect(got == wanted, f"{path}: rlhf.config {got} is not the stored config {wanted}")
    expect(metadata.get("rlhf.source") == label, f"{path}: rlhf.source {metadata.get('rlhf.source')!r}, not {label}")
    expect(metadata.get("rlhf.content_hash") == content_hash, f"{path}: rlhf.content_hash is not {label}'s hash")
    expect(metadata.get("rlhf.version"), f"{path}: no rlhf.version")
    print(f"metadata: format pt, kind {kind}, config {wanted}, source {label}, rlhf {metadata['rlhf.version']}")


def check_tensors(path, label, kind, stored, with_optimizer):
    exported = load_file(path)
    wanted = {k: v for k, v in stored.items() if with_optimizer or not is_optimizer_state(k)}
    expect(set(exported) == set(wanted),
           f"{path}: names {sorted(set(exported) ^ set(wanted))} differ from {label}'s tensors")
    for name, s in wanted.items():
        t = exported[name]
        expect(t.dtype == np.float32, f"{name}: dtype {t.dtype}, not float32")
        shape = s.shape
        if kind in MLP_KINDS and name.endswith("bias") and len(shape) == 2 and shape[0] == 1:
            shape = (shape[1],)
        expect(t.shape == shape, f"{name}: shape {t.shape} in the file, expected {shape} for {label}")
        differing = int((s.reshape(shape).view(np.uint32) != t.view(np.uint32)).sum())
        expect(differing == 0, f"{name}: {differing} values differ in bits from {label}")
    print(f"tensors: {len(exported)} equal to {label} bit for bit, PyTorch layouts")
    return exported


def check_forward(exported, kind, config):
    """The seed's PolicyModel/RewardModel forward on the arrays as they are (no reshaping): it must run and be finite."""
    if kind not in ("policy", "reward"):
        return
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, config["input"])).astype(np.float32)
    h = np.maximum(x @ exported["layer1.weight"].T + exported["layer1.bias"], 0)
    y = h @ exported["layer2.weight"].T + exported["layer2.bias"]
    expect(y.shape == (5, config["output"]), f"forward: output shape {y.shape}, expected (5, {config['output']})")
    expect(np.isfinite(y).all(), "forward: non-finite outputs")
    print(f"forward: the seed's {kind} forward pass gives {y.shape[0]} × {y.shape[1]} finite outputs")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--store", required=True, help="the store the export came from")
    parser.add_argument("--ref", required=True, help="RUN/NAME[@N] of the exported version")
    parser.add_argument("--with-optimizer", action="store_true", help="the file was exported --with-optimizer")
    args = parser.parse_args()
    label, kind, config, content_hash, stored = stored_version(args.store, args.ref)
    check_metadata(args.file, label, kind, config, content_hash, args.with_optimizer)
    exported = check_tensors(args.file, label, kind, stored, args.with_optimizer)
    check_forward(exported, kind, config)
    print(f"{args.file}: export checked")


if __name__ == "__main__":
    main()
