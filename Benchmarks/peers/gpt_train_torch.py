"""P9's peer: nanoGPT's CPU shakespeare_char model (context 64, batch 12, 4 layers, 4 heads, 128 dims, vocabulary 65,
no dropout) trained with AdamW (lr 1e-3, betas (0.9, 0.99), weight decay 0.1 on matrices and embeddings) and gradient
clipping at 1.0, on random tokens, as RLHF Lab's `GPT.trainStep` trains it.

Usage: python3 gpt_train_torch.py [STEPS] [THREADS]
Prints: tokens_per_s=… tokens_per_cpu_s=… peak_rss_mb=… threads=…
(tokens per second of CPU time, user + system, summed over threads: a figure a busy machine disturbs less)
"""
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

V, L, H, D, T, B = 65, 4, 4, 128, 64, 12


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(D), nn.LayerNorm(D)
        self.c_attn, self.c_proj = nn.Linear(D, 3 * D), nn.Linear(D, D)
        self.c_fc, self.mlp_proj = nn.Linear(D, 4 * D), nn.Linear(4 * D, D)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(D, dim=2)
        q, k, v = (z.view(b, t, H, c // H).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).contiguous().view(b, t, c)
        x = x + self.c_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, D), nn.Embedding(T, D)
        self.h = nn.ModuleList([Block() for _ in range(L)])
        self.ln_f = nn.LayerNorm(D)
        self.head = nn.Linear(D, V, bias=False)
        self.head.weight = self.wte.weight  # tied, as GPT-2

    def forward(self, idx, targets):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for block in self.h:
            x = block(x)
        logits = self.head(self.ln_f(x))
        return F.cross_entropy(logits.view(-1, V), targets.view(-1))


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else torch.get_num_threads()
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = GPT()
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}], lr=1e-3,
        betas=(0.9, 0.99))
    data = torch.randint(0, V, (100_000,))

    def batch():
        ix = torch.randint(len(data) - T - 1, (B,))
        return torch.stack([data[i:i + T] for i in ix]), torch.stack([data[i + 1:i + T + 1] for i in ix])

    def step():
        x, y = batch()
        loss = model(x, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()

    for _ in range(5):  # warm-up
        step()
    start, cpu_start = time.perf_counter(), cpu_seconds()
    for _ in range(steps):
        step()
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    tokens = steps * B * T
    print(f"tokens_per_s={tokens / seconds:.1f} tokens_per_cpu_s={tokens / cpu:.1f} peak_rss_mb={peak_mb:.1f} "
          f"threads={threads}")


if __name__ == "__main__":
    main()
