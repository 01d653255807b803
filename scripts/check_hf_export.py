#!/usr/bin/env python3
"""Independent check of a Hugging Face directory written by `rlhf export RUN/NAME[@N] --format hf -o DIR`.

    python3 scripts/check_hf_export.py DIR [--store STORE.sqlite --ref RUN/NAME[@N]]

Reads the directory with the Python `safetensors` and `numpy` packages (not the lab's reader) and checks:
- model.safetensors: the raw layout (8-byte little-endian header length, header padded with spaces to a multiple of 8,
  tensors contiguous in name order, `__metadata__` with "format": "pt"), then through `safetensors.numpy.load_file`:
  exactly the GPT-2 names a model of config.json's sizes has (recomputed here from GPT-2's layout, no lm_head.weight),
  each with its shape ([in, out] projections, 1-D biases), dtype float32, all values finite;
- config.json: the GPT2Config keys and values the lab's GPT computes with;
- vocab.json: one character per token, ids 0..vocab_size-1 in increasing code-point order; tokenizer.json agrees;
- with --store: every tensor equals, bit for bit, the checkpoint version as the store keeps it, read straight from the
  SQLite file (tables versions, version_tensors, blobs: raw little-endian float32, as store/README.md documents), and
  vocab.json equals the stored tensor `tokenizer.scalars`.
Prints one line per check group and exits 1 with `error: …` on the first mismatch.
"""
import argparse
import json
import math
import os
import sqlite3
import struct
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)


def gpt2_shapes(cfg):
    """GPT-2's parameter names and shapes (Hugging Face's GPT2LMHeadModel.state_dict, lm_head tied and omitted)."""
    v, d, c, n = cfg["vocab_size"], cfg["n_embd"], cfg["n_positions"], cfg["n_layer"]
    shapes = {"transformer.wte.weight": (v, d), "transformer.wpe.weight": (c, d)}
    for i in range(n):
        p = f"transformer.h.{i}."
        shapes.update({
            p + "ln_1.weight": (d,), p + "ln_1.bias": (d,),
            p + "attn.c_attn.weight": (d, 3 * d), p + "attn.c_attn.bias": (3 * d,),
            p + "attn.c_proj.weight": (d, d), p + "attn.c_proj.bias": (d,),
            p + "ln_2.weight": (d,), p + "ln_2.bias": (d,),
            p + "mlp.c_fc.weight": (d, 4 * d), p + "mlp.c_fc.bias": (4 * d,),
            p + "mlp.c_proj.weight": (4 * d, d), p + "mlp.c_proj.bias": (d,),
        })
    shapes["transformer.ln_f.weight"] = (d,)
    shapes["transformer.ln_f.bias"] = (d,)
    return shapes


def check_config(path):
    cfg = json.load(open(path, encoding="utf-8"))
    expected = {
        "model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "activation_function": "gelu_new",
        "layer_norm_epsilon": 1e-5, "tie_word_embeddings": True, "scale_attn_weights": True,
        "scale_attn_by_inverse_layer_idx": False, "n_inner": None,
        "attn_pdrop": 0.0, "embd_pdrop": 0.0, "resid_pdrop": 0.0,
    }
    for key, value in expected.items():
        expect(cfg.get(key, "missing") == value, f"{path}: '{key}' is {cfg.get(key, 'missing')!r}, expected {value!r}")
    for key in ("n_layer", "n_head", "n_embd", "n_positions", "n_ctx", "vocab_size"):
        expect(isinstance(cfg.get(key), int) and cfg[key] > 0, f"{path}: '{key}' is not a positive integer")
    expect(cfg["n_ctx"] == cfg["n_positions"], f"{path}: n_ctx {cfg['n_ctx']} != n_positions {cfg['n_positions']}")
    expect(cfg["n_embd"] % cfg["n_head"] == 0, f"{path}: n_head does not divide n_embd")
    print(f"config.json: GPT-2, {cfg['n_layer']} layers, {cfg['n_head']} heads, {cfg['n_embd']} wide, "
          f"context {cfg['n_positions']}, vocabulary {cfg['vocab_size']}")
    return cfg


def check_layout(path):
    """The raw file, as the format (and the reference writer) lays it out."""
    data = open(path, "rb").read()
    expect(len(data) >= 8, f"{path}: shorter than 8 bytes")
    n = struct.unpack("<Q", data[:8])[0]
    expect(n % 8 == 0, f"{path}: header length {n} is not a multiple of 8")
    header_bytes = data[8 : 8 + n]
    expect(header_bytes.rstrip(b" ").endswith(b"}") and len(header_bytes) - len(header_bytes.rstrip(b" ")) < 8,
           f"{path}: header is not padded with fewer than 8 spaces")
    header = json.loads(header_bytes)
    meta = header.pop("__metadata__", None)
    expect(isinstance(meta, dict) and meta.get("format") == "pt", f"{path}: __metadata__ lacks \"format\": \"pt\"")
    names = sorted(header, key=lambda s: s.encode("utf-8"))
    offset = 0
    for name in names:
        info = header[name]
        expect(info["dtype"] == "F32", f"{path}: {name} has dtype {info['dtype']}")
        begin, end = info["data_offsets"]
        expect(begin == offset, f"{path}: {name} starts at {begin}, expected {offset} (name order, contiguous)")
        expect(end - begin == 4 * math.prod(info["shape"]), f"{path}: {name}'s offsets do not match its shape")
        offset = end
    expect(8 + n + offset == len(data), f"{path}: {len(data) - 8 - n - offset} bytes not covered by tensors")
    extra = {k: v for k, v in meta.items() if k != "format"}
    print(f"model.safetensors layout: header {n} bytes, {len(names)} tensors contiguous in name order, "
          f"{offset} data bytes; metadata format=pt {extra}")


def check_tensors(path, cfg):
    tensors = load_file(path)
    shapes = gpt2_shapes(cfg)
    missing, extra = sorted(set(shapes) - set(tensors)), sorted(set(tensors) - set(shapes))
    expect(not missing, f"{path}: missing tensors {missing}")
    expect(not extra, f"{path}: unexpected tensors {extra}")
    for name, shape in shapes.items():
        t = tensors[name]
        expect(t.dtype == np.float32, f"{path}: {name} is {t.dtype}, not float32")
        expect(t.shape == shape, f"{path}: {name} has shape {t.shape}, GPT-2 needs {shape}")
        expect(np.isfinite(t).all(), f"{path}: {name} holds a non-finite value")
    with safe_open(path, framework="np") as f:
        expect(f.metadata().get("format") == "pt", f"{path}: metadata format is not pt")
    count = sum(t.size for t in tensors.values())
    print(f"model.safetensors: {len(tensors)} tensors, {count} parameters, names/shapes/dtypes as GPT-2's")
    return tensors


def check_vocabulary(folder, cfg):
    vocab = json.load(open(os.path.join(folder, "vocab.json"), encoding="utf-8"))
    expect(len(vocab) == cfg["vocab_size"], f"vocab.json: {len(vocab)} entries, config says {cfg['vocab_size']}")
    by_id = sorted(vocab.items(), key=lambda kv: kv[1])
    expect([i for _, i in by_id] == list(range(len(vocab))), "vocab.json: ids are not 0..vocab_size-1")
    expect(all(len(c) == 1 for c in vocab), "vocab.json: a token is not one character")
    points = [ord(c) for c, _ in by_id]
    expect(points == sorted(points), "vocab.json: ids do not follow increasing code points")
    tokenizer = json.load(open(os.path.join(folder, "tokenizer.json"), encoding="utf-8"))
    expect(tokenizer["model"]["vocab"] == vocab, "tokenizer.json: its vocabulary differs from vocab.json")
    print(f"vocab.json: {len(vocab)} characters, ids in code-point order; tokenizer.json agrees")
    return [c for c, _ in by_id]


def stored_checkpoint(store, ref):
    """The tensors of a checkpoint version, read from the store's SQLite file without the lab."""
    run_text, rest = ref.split("/", 1)
    name, _, version = rest.partition("@")
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    rows = db.execute(
        "SELECT v.id, v.version, v.kind FROM versions v JOIN objects o ON o.id = v.object_id "
        "WHERE o.run_id = ? AND o.name = ? ORDER BY v.version", (int(run_text), name)).fetchall()
    expect(rows, f"{store}: no versions of {ref}")
    chosen = [r for r in rows if r[1] == int(version)] if version else rows[-1:]
    expect(chosen, f"{store}: no version {version} of {run_text}/{name}")
    version_id, number, kind = chosen[0]
    expect(kind == "gpt", f"{store}: {ref} is a '{kind}' checkpoint")
    tensors = {}
    for tname, shape, dtype, data in db.execute(
            "SELECT t.name, t.shape, t.dtype, b.data FROM version_tensors t JOIN blobs b ON b.hash = t.blob_hash "
            "WHERE t.version_id = ?", (version_id,)):
        expect(dtype == "f32", f"{store}: tensor {tname} has dtype {dtype}")
        tensors[tname] = np.frombuffer(data, dtype="<f4").reshape(json.loads(shape))
    return f"{run_text}/{name}@{number}", tensors


def compare_with_store(tensors, characters, store, ref):
    label, stored = stored_checkpoint(store, ref)
    for name, t in tensors.items():
        expect(name in stored, f"{name} is not in {label}")
        s = stored[name]
        expect(s.shape == t.shape, f"{name}: shape {t.shape} in the export, {s.shape} in {label}")
        differing = int((s.view(np.uint32) != t.view(np.uint32)).sum())
        expect(differing == 0, f"{name}: {differing} values differ in bits from {label}")
    scalars = stored["tokenizer.scalars"]
    expect([ord(c) for c in characters] == [int(x) for x in scalars], f"vocab.json differs from {label}'s tokenizer")
    print(f"values: all {len(tensors)} tensors equal {label} in {store} bit for bit; vocabulary equal")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--store", help="the store the export came from")
    parser.add_argument("--ref", help="RUN/NAME[@N] of the exported version (with --store)")
    args = parser.parse_args()
    expect((args.store is None) == (args.ref is None), "--store and --ref go together")
    cfg = check_config(os.path.join(args.dir, "config.json"))
    weights = os.path.join(args.dir, "model.safetensors")
    check_layout(weights)
    tensors = check_tensors(weights, cfg)
    characters = check_vocabulary(args.dir, cfg)
    if args.store:
        compare_with_store(tensors, characters, args.store, args.ref)
    print(f"{args.dir}: export checked")


if __name__ == "__main__":
    main()
