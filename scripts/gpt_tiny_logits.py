"""Expected logits for GPTInferenceTests: a tiny GPT-2 written out in PyTorch, in float64.

vocab 7, 2 layers, 2 heads, dim 8, context 5. Every parameter (in GPT.parameterNames order, index p, Hugging Face
layouts: projection weights [in, out]) has element i (row-major) = ((37·i + 11·p) mod 23 − 11) / 16, exact in float32
and float64. Tokens: two sequences of five. Prints the [10, 7] logits as a Swift array literal.
Usage: python3 scripts/gpt_tiny_logits.py
"""
import math

import torch
import torch.nn.functional as F

VOCAB, LAYERS, HEADS, DIM, CONTEXT = 7, 2, 2, 8, 5
TOKENS = [[0, 3, 6, 1, 2], [5, 5, 4, 0, 6]]
BLOCK = [("ln_1.weight", [DIM]), ("ln_1.bias", [DIM]), ("attn.c_attn.weight", [DIM, 3 * DIM]),
         ("attn.c_attn.bias", [3 * DIM]), ("attn.c_proj.weight", [DIM, DIM]), ("attn.c_proj.bias", [DIM]),
         ("ln_2.weight", [DIM]), ("ln_2.bias", [DIM]), ("mlp.c_fc.weight", [DIM, 4 * DIM]),
         ("mlp.c_fc.bias", [4 * DIM]), ("mlp.c_proj.weight", [4 * DIM, DIM]), ("mlp.c_proj.bias", [DIM])]


def parameters():
    shapes = [("wte", [VOCAB, DIM]), ("wpe", [CONTEXT, DIM])]
    for layer in range(LAYERS):
        shapes += [(f"h.{layer}.{name}", shape) for name, shape in BLOCK]
    shapes += [("ln_f.weight", [DIM]), ("ln_f.bias", [DIM])]
    out = {}
    for p, (name, shape) in enumerate(shapes):
        count = math.prod(shape)
        values = [((37 * i + 11 * p) % 23 - 11) / 16 for i in range(count)]
        out[name] = torch.tensor(values, dtype=torch.float64).reshape(shape)
    return out


def logits(w, idx):
    b, t = idx.shape
    hd = DIM // HEADS
    x = w["wte"][idx] + w["wpe"][:t]
    mask = torch.ones(t, t, dtype=torch.bool).tril()
    for layer in range(LAYERS):
        g = lambda name: w[f"h.{layer}.{name}"]  # noqa: E731
        h = F.layer_norm(x, (DIM,), g("ln_1.weight"), g("ln_1.bias"), eps=1e-5)
        q, k, v = (h @ g("attn.c_attn.weight") + g("attn.c_attn.bias")).split(DIM, dim=2)
        q, k, v = (z.view(b, t, HEADS, hd).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))
        att = att.masked_fill(~mask, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, DIM)
        x = x + y @ g("attn.c_proj.weight") + g("attn.c_proj.bias")
        h = F.layer_norm(x, (DIM,), g("ln_2.weight"), g("ln_2.bias"), eps=1e-5)
        f = F.gelu(h @ g("mlp.c_fc.weight") + g("mlp.c_fc.bias"), approximate="tanh")
        x = x + f @ g("mlp.c_proj.weight") + g("mlp.c_proj.bias")
    x = F.layer_norm(x, (DIM,), w["ln_f.weight"], w["ln_f.bias"], eps=1e-5)
    return (x @ w["wte"].t()).reshape(b * t, VOCAB)


def main():
    out = logits(parameters(), torch.tensor(TOKENS))
    print(f"// torch {torch.__version__}, float64")
    print("[")
    for row in out.tolist():
        print("    " + ", ".join(f"{v:.9g}" for v in row) + ",")
    print("]")


if __name__ == "__main__":
    main()
