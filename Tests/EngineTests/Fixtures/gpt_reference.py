"""Reference numbers for GPTReferenceTests.swift, from PyTorch.

A tiny GPT-2 (vocab 7, 2 layers, 2 heads, dim 8, context 5) whose parameters come from a formula both sides compute,
in Hugging Face's layouts (Conv1D weights [in, out]); its logits and loss on a fixed batch, the per-tensor gradient
norms, then four AdamW steps as nanoGPT takes them (clip_grad_norm_ 1.0, decay only on matrices and embeddings,
betas (0.9, 0.99), weight decay 0.1, nanoGPT's get_lr with lr 1e-2, min_lr 1e-3, warmup 1, lr_decay_iters 3).

Where Adam steps along a gradient that is mostly rounding (the attention output bias, whose gradient is a sum of
terms that nearly cancel), float32 arithmetic in any order moves a parameter differently; the script prints the final
parameter sums of the same run in float64 too, so the test can allow each entry PyTorch's own float32 error.

Run: python3 Tests/EngineTests/Fixtures/gpt_reference.py   (torch 2.x, CPU)
"""
import math

import torch
import torch.nn.functional as F

V, L, H, D, T, B = 7, 2, 2, 8, 5, 2

names = ["wte", "wpe"]
shapes = [[V, D], [T, D]]
block = [("ln_1.weight", [D]), ("ln_1.bias", [D]), ("attn.c_attn.weight", [D, 3 * D]), ("attn.c_attn.bias", [3 * D]),
         ("attn.c_proj.weight", [D, D]), ("attn.c_proj.bias", [D]), ("ln_2.weight", [D]), ("ln_2.bias", [D]),
         ("mlp.c_fc.weight", [D, 4 * D]), ("mlp.c_fc.bias", [4 * D]), ("mlp.c_proj.weight", [4 * D, D]),
         ("mlp.c_proj.bias", [D])]
for layer in range(L):
    for suffix, shape in block:
        names.append(f"h.{layer}.{suffix}")
        shapes.append(shape)
names += ["ln_f.weight", "ln_f.bias"]
shapes += [[D], [D]]



def run(dtype, show):
    torch.set_default_dtype(dtype)
    def value(k, i, name):
        """Parameter k's entry i: 0.3·sin(0.7·i + 1.3·k + 0.5), plus 1 for a norm's weight."""
        v = 0.3 * math.sin(0.7 * i + 1.3 * k + 0.5)
        return v + 1.0 if name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or name == "ln_f.weight" else v


    params = []
    for k, (name, shape) in enumerate(zip(names, shapes)):
        n = math.prod(shape)
        t = torch.tensor([value(k, i, name) for i in range(n)], dtype=torch.float64).to(dtype).reshape(shape)
        params.append(t.requires_grad_())


    def forward(tokens):
        p = dict(zip(names, params))
        x = p["wte"][tokens] + p["wpe"][torch.arange(T)]  # [B, T, D]
        for layer in range(L):
            w = lambda s: p[f"h.{layer}.{s}"]
            h = F.layer_norm(x, (D,), w("ln_1.weight"), w("ln_1.bias"), eps=1e-5)
            q, k, v = (h @ w("attn.c_attn.weight") + w("attn.c_attn.bias")).split(D, dim=2)
            q, k, v = (t.view(B, T, H, D // H).transpose(1, 2) for t in (q, k, v))
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).contiguous().view(B, T, D)
            x = x + y @ w("attn.c_proj.weight") + w("attn.c_proj.bias")
            h = F.layer_norm(x, (D,), w("ln_2.weight"), w("ln_2.bias"), eps=1e-5)
            h = F.gelu(h @ w("mlp.c_fc.weight") + w("mlp.c_fc.bias"), approximate="tanh")
            x = x + h @ w("mlp.c_proj.weight") + w("mlp.c_proj.bias")
        x = F.layer_norm(x, (D,), p["ln_f.weight"], p["ln_f.bias"], eps=1e-5)
        return x @ p["wte"].t()  # [B, T, V]


    tokens = torch.tensor([(3 * i + 1) % V for i in range(B * T)]).view(B, T)
    targets = torch.tensor([(5 * i + 2) % V for i in range(B * T)]).view(B, T)


    def get_lr(it, learning_rate=1e-2, min_lr=1e-3, warmup_iters=1, lr_decay_iters=3):
        if it < warmup_iters:
            return learning_rate * (it + 1) / (warmup_iters + 1)
        if it > lr_decay_iters:
            return min_lr
        decay_ratio = (it - warmup_iters) / (lr_decay_iters - warmup_iters)
        return min_lr + 0.5 * (1.0 + math.cos(math.pi * decay_ratio)) * (learning_rate - min_lr)



    logits = forward(tokens)
    loss = F.cross_entropy(logits.view(-1, V), targets.view(-1))
    show("logits", logits.detach().flatten().tolist())
    loss.backward()
    show("gradientNorms", [p.grad.norm().item() for p in params])

    decay = [p for p in params if p.dim() >= 2]
    no_decay = [p for p in params if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}], lr=1e-2, betas=(0.9, 0.99),
        eps=1e-8)
    losses, norms, rates = [], [], []
    for it in range(4):
        lr = get_lr(it)
        for group in optimizer.param_groups:
            group["lr"] = lr
        optimizer.zero_grad()
        loss = F.cross_entropy(forward(tokens).view(-1, V), targets.view(-1))
        loss.backward()
        norms.append(torch.nn.utils.clip_grad_norm_(params, 1.0).item())
        optimizer.step()
        losses.append(loss.item())
        rates.append(lr)
    with torch.no_grad():
        losses.append(F.cross_entropy(forward(tokens).view(-1, V), targets.view(-1)).item())
    show("losses", losses)
    show("norms", norms)
    show("rates", rates)
    show("parameterSums", [p.detach().abs().sum().item() for p in params])
    show("firstEntries", [p.detach().flatten()[0].item() for p in params])


run(torch.float32, show=lambda label, values: print(
    f"let {label}: [Float] = [" + ", ".join(f"{v:.9g}" for v in values) + "]"))
run(torch.float64, show=lambda label, values: label == "parameterSums" and print(
    "let parameterSums64: [Float] = [" + ", ".join(f"{v:.9g}" for v in values) + "]"))
