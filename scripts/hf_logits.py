#!/usr/bin/env python3
"""Loads a directory written by `rlhf export … --format hf` with Hugging Face transformers and compares its logits.

    pip install transformers safetensors numpy   # torch (CPU) as well
    python3 scripts/hf_logits.py DIR [--prompt TEXT] [--lab-logits FILE.json]

1. `GPT2LMHeadModel.from_pretrained(DIR)` and `AutoTokenizer.from_pretrained(DIR)` load the export; the tokenizer must
   encode the prompt to the ids vocab.json gives (one per character).
2. Its logits on the prompt are compared with a NumPy GPT-2 forward written here from the paper's equations over the
   same safetensors (pre-norm blocks, layer norm ε 1e-5, tanh GELU, causal attention scaled by 1/√head-width, head
   tied to wte), in float64: agreement shows transformers reads every tensor with the meaning the lab gives it.
3. With --lab-logits, a JSON file {"tokens": [...], "logits": [[...], ...]} of the lab's own forward (`GPT.logits`,
   the tape-free forward sampling and perplexity use) on the model as the lab imports DIR, both are compared with it.
   The lab writes that file from a test that runs only when asked:
       RLHF_LAB_LOGITS_DIR=DIR RLHF_LAB_LOGITS_OUT=lab.json swift test --filter dumpLabLogitsForHFComparison
Prints max |Δlogit| for each pair and exits 1 if any exceeds --tolerance (default 1e-4). Not part of CI (it needs
torch and transformers); see docs/huggingface.md.
"""
import argparse
import json
import os
import sys

import numpy as np
from safetensors.numpy import load_file


def reference_forward(weights, cfg, tokens):
    """GPT-2's forward in float64 NumPy: logits [T, vocab] for one sequence."""
    w = {k: v.astype(np.float64) for k, v in weights.items()}
    d, heads = cfg["n_embd"], cfg["n_head"]
    hd = d // heads
    t = len(tokens)

    def norm(x, p):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + cfg["layer_norm_epsilon"]) * w[p + ".weight"] + w[p + ".bias"]

    def gelu(x):
        return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))

    x = w["transformer.wte.weight"][tokens] + w["transformer.wpe.weight"][:t]
    mask = np.triu(np.ones((t, t), dtype=bool), 1)
    for i in range(cfg["n_layer"]):
        p = f"transformer.h.{i}."
        qkv = norm(x, p + "ln_1") @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]
        q, k, v = (qkv[:, j * d : (j + 1) * d].reshape(t, heads, hd).transpose(1, 0, 2) for j in range(3))
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(hd)
        scores[:, mask] = -np.inf
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        attn = (scores / scores.sum(-1, keepdims=True)) @ v
        x = x + attn.transpose(1, 0, 2).reshape(t, d) @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        h = gelu(norm(x, p + "ln_2") @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"])
        x = x + h @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
    return norm(x, "transformer.ln_f") @ w["transformer.wte.weight"].T


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--prompt", help="text to run (default: the vocabulary's first characters, cycled)")
    parser.add_argument("--lab-logits", help="JSON file with the lab's tokens and logits")
    parser.add_argument("--tolerance", type=float, default=1e-4)
    args = parser.parse_args()

    import torch
    import transformers
    from transformers import AutoTokenizer, GPT2LMHeadModel

    cfg = json.load(open(os.path.join(args.dir, "config.json"), encoding="utf-8"))
    vocab = json.load(open(os.path.join(args.dir, "vocab.json"), encoding="utf-8"))
    lab = json.load(open(args.lab_logits)) if args.lab_logits else None
    if lab is not None:
        tokens = lab["tokens"]
        prompt = "".join(sorted(vocab, key=vocab.get)[i] for i in tokens)
    else:
        chars = sorted(vocab, key=vocab.get)
        prompt = args.prompt or "".join(chars[i % len(chars)] for i in range(min(cfg["n_positions"], 3 * len(chars))))
        tokens = [vocab[c] for c in prompt]
    assert len(tokens) <= cfg["n_positions"], "the prompt is longer than the context"

    tokenizer = AutoTokenizer.from_pretrained(args.dir)
    hf_tokens = tokenizer(prompt)["input_ids"]
    assert hf_tokens == tokens, f"AutoTokenizer gives {hf_tokens[:10]}…, vocab.json {tokens[:10]}…"
    assert tokenizer.decode(tokens) == prompt, "AutoTokenizer does not decode the prompt back"

    model = GPT2LMHeadModel.from_pretrained(args.dir).eval()
    with torch.no_grad():
        hf = model(torch.tensor([tokens])).logits[0].double().numpy()
    ref = reference_forward(load_file(os.path.join(args.dir, "model.safetensors")), cfg, tokens)

    print(f"transformers {transformers.__version__}, torch {torch.__version__}; {args.dir}: "
          f"{cfg['n_layer']} layers, {cfg['n_head']} heads, {cfg['n_embd']} wide, vocabulary {cfg['vocab_size']}, "
          f"{sum(p.numel() for p in model.parameters())} parameters")
    print(f"prompt: {prompt!r} ({len(tokens)} tokens); AutoTokenizer encodes and decodes it as vocab.json does")
    rows = [("transformers vs NumPy GPT-2 (float64)", np.abs(hf - ref).max())]
    if lab is not None:
        ours = np.array(lab["logits"], dtype=np.float32).astype(np.float64)  # the lab's float32 values, exactly
        assert ours.shape == hf.shape, f"lab logits have shape {ours.shape}, transformers {hf.shape}"
        rows += [("transformers vs lab", np.abs(hf - ours).max()), ("NumPy GPT-2 vs lab", np.abs(ref - ours).max())]
    print(f"logits: {hf.shape[0]} positions × {hf.shape[1]}, |logit| up to {np.abs(hf).max():.4f}")
    ok = True
    for label, delta in rows:
        verdict = "ok" if delta <= args.tolerance else "TOO LARGE"
        ok &= delta <= args.tolerance
        print(f"max |Δlogit| {label}: {delta:.3e} ({verdict}, tolerance {args.tolerance:g})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
