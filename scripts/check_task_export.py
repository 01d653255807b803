#!/usr/bin/env python3
"""Independent check of a task written by `rlhf export RUN/NAME -o DIR` (DIR/task.safetensors, DIR/task.json).

    python3 scripts/check_task_export.py DIR

Reads the files with the Python `safetensors`, `numpy` and `json` packages and, for a VectorTask, recomputes from the
exported numbers alone what task.json says gold is: u(x) = (u0 + W·x/dim) / ‖u0 + W·x/dim‖ (u0 when not contextual)
for every training and held-out prompt, gold(x, y) = u(x)·y − curvature·‖y‖² for every candidate, and each response
as a reward model reads it (x then y when contextual, y otherwise). For every task type it checks the shapes task.json
lists and that every value is finite. Prints one line per check and exits 1 with `error: …` on the first mismatch.
"""
import argparse
import json
import os
import sys

import numpy as np
from safetensors.numpy import load_file


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)


def directions(u0, w, x):
    if w is None:
        return np.tile(u0, (x.shape[0], 1))
    u = u0[None, :] + x @ w.T / len(u0)
    return u / np.linalg.norm(u, axis=1, keepdims=True)


def check_vector_task(t, doc):
    u0, w = t["gold_direction"], t.get("context")
    expect((w is not None) == doc["contextual"], "context W present exactly when contextual")
    c, alpha = t["candidates"], doc["curvature"]
    for split in ("", "test_"):
        x = t[split + "prompts"]
        u = directions(u0.astype(np.float64), None if w is None else w.astype(np.float64), x.astype(np.float64))
        d = np.abs(u - t["test_directions" if split else "prompt_directions"]).max()
        expect(d < 1e-5, f"{split}directions differ from u(x) by {d}")
        gold = u @ c.T.astype(np.float64) - alpha * (c.astype(np.float64) ** 2).sum(1)[None, :]
        d = np.abs(gold - t[split + "gold"]).max()
        expect(d < 1e-4, f"{split}gold differs from the stated formula by {d}")
        n, k = x.shape[0], c.shape[0]
        ys = np.broadcast_to(c[None, :, :], (n, k, c.shape[1]))
        expected = np.concatenate([np.broadcast_to(x[:, None, :], (n, k, x.shape[1])), ys], 2) if doc["contextual"] else ys
        expect(np.array_equal(expected, t[split + "responses"]), f"{split}responses are not the readings of the candidates")
    print(f"VectorTask: u(x), gold and responses of {t['prompts'].shape[0]} + {t['test_prompts'].shape[0]} prompts "
          f"× {c.shape[0]} candidates recomputed from the exported numbers")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    args = parser.parse_args()
    t = load_file(os.path.join(args.dir, "task.safetensors"))
    doc = json.load(open(os.path.join(args.dir, "task.json"), encoding="utf-8"))
    expect(set(t) == set(doc["tensors"]), f"tensors {sorted(t)} are not those task.json lists")
    for name, array in t.items():
        stated = json.loads(doc["tensors"][name].split(":", 1)[0])
        expect(list(array.shape) == stated, f"{name}: shape {list(array.shape)}, task.json says {stated}")
        expect(np.isfinite(array).all(), f"{name}: non-finite values")
    print(f"{doc['type']}: {len(t)} tensors of the shapes task.json states, all finite")
    if doc["type"] == "VectorTask":
        check_vector_task(t, doc)
    if doc["type"] == "TextTask":
        vocab = doc["vocabulary"]
        texts = ["".join(vocab[int(i)] for i in row) for row in t["prompts"]]
        expect(texts == doc["prompt_texts"], "prompt token ids do not decode to prompt_texts")
        print(f"TextTask: {len(texts)} prompts decode to their texts")
    print(f"{args.dir}: task export checked")


if __name__ == "__main__":
    main()
