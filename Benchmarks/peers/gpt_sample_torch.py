"""P10 peer: sampling from nanoGPT's shakespeare_char CPU model size in PyTorch with a KV cache.

The model is GPT-2 as nanoGPT writes it (learned positions, pre-norm blocks, fused c_attn, GELU tanh form, final
ln_f, lm head tied to wte), with random GPT-2 initialisation. Generation keeps a hand-written KV cache per layer,
grown with torch.cat as Hugging Face's dynamic cache does: the prompt is run once (prefill), then each new token runs
one position through every layer against the cached keys and values. Sampling is nanoGPT's: logits / temperature,
top-k, softmax, torch.multinomial. Runs under torch.no_grad on torch's default thread count.

Prints `tokens_per_s=<float> threads=<int>` (new tokens per second, the median of several runs), or
`unavailable=<reason>` when torch cannot be imported. THREADS sets torch's thread count (default: torch's own).
Usage: python3 gpt_sample_torch.py SEQUENCES NEW_TOKENS [REPEATS [THREADS]]
"""
import math
import sys
import time

VOCAB, LAYERS, HEADS, DIM, CONTEXT = 65, 4, 4, 128, 64
TEMPERATURE, TOP_K = 0.8, 10


def build(torch):
    """The GPT-2 parameters with GPT-2's initialisation, in Hugging Face layouts ([in, out] projections)."""
    g = torch.Generator().manual_seed(0)

    def normal(*shape, std=0.02):
        return torch.randn(*shape, generator=g) * std

    residual = 0.02 / math.sqrt(2 * LAYERS)
    p = {"wte": normal(VOCAB, DIM), "wpe": normal(CONTEXT, DIM), "layers": []}
    for _ in range(LAYERS):
        p["layers"].append({
            "ln_1": (torch.ones(DIM), torch.zeros(DIM)),
            "c_attn": (normal(DIM, 3 * DIM), torch.zeros(3 * DIM)),
            "attn_proj": (normal(DIM, DIM, std=residual), torch.zeros(DIM)),
            "ln_2": (torch.ones(DIM), torch.zeros(DIM)),
            "c_fc": (normal(DIM, 4 * DIM), torch.zeros(4 * DIM)),
            "mlp_proj": (normal(4 * DIM, DIM, std=residual), torch.zeros(DIM)),
        })
    p["ln_f"] = (torch.ones(DIM), torch.zeros(DIM))
    return p


def forward(torch, F, p, idx, start, cache):
    """Logits of the last position of idx [B, T] whose first token sits at position `start`; appends to cache."""
    b, t = idx.shape
    hd = DIM // HEADS
    x = p["wte"][idx] + p["wpe"][start:start + t]
    for i, layer in enumerate(p["layers"]):
        h = F.layer_norm(x, (DIM,), *layer["ln_1"], eps=1e-5)
        qkv = torch.addmm(layer["c_attn"][1], h.view(-1, DIM), layer["c_attn"][0]).view(b, t, 3 * DIM)
        q, k, v = qkv.split(DIM, dim=2)
        q = q.view(b, t, HEADS, hd).transpose(1, 2)
        k = k.view(b, t, HEADS, hd).transpose(1, 2)
        v = v.view(b, t, HEADS, hd).transpose(1, 2)
        if cache[i] is not None:
            k = torch.cat([cache[i][0], k], dim=2)
            v = torch.cat([cache[i][1], v], dim=2)
        cache[i] = (k, v)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=t > 1)
        y = y.transpose(1, 2).contiguous().view(-1, DIM)
        x = x + torch.addmm(layer["attn_proj"][1], y, layer["attn_proj"][0]).view(b, t, DIM)
        h = F.layer_norm(x, (DIM,), *layer["ln_2"], eps=1e-5)
        f = F.gelu(torch.addmm(layer["c_fc"][1], h.view(-1, DIM), layer["c_fc"][0]), approximate="tanh")
        x = x + torch.addmm(layer["mlp_proj"][1], f, layer["mlp_proj"][0]).view(b, t, DIM)
    x = F.layer_norm(x[:, -1, :], (DIM,), *p["ln_f"], eps=1e-5)
    return x @ p["wte"].t()


def generate(torch, F, p, prompt, new_tokens, generator):
    """nanoGPT's sampling loop with a KV cache; the prompt plus new tokens must fit in the context."""
    idx = prompt
    cache = [None] * LAYERS
    logits = forward(torch, F, p, idx, 0, cache)
    for step in range(new_tokens):
        logits = logits / TEMPERATURE
        v, _ = torch.topk(logits, min(TOP_K, logits.size(-1)))
        logits[logits < v[:, [-1]]] = -float("inf")
        probs = F.softmax(logits, dim=-1)
        token = torch.multinomial(probs, num_samples=1, generator=generator)
        idx = torch.cat((idx, token), dim=1)
        if step + 1 < new_tokens:
            logits = forward(torch, F, p, token, idx.size(1) - 1, cache)
    return idx


def main():
    sequences, new_tokens = int(sys.argv[1]), int(sys.argv[2])
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    try:
        import torch
        import torch.nn.functional as F
    except Exception as error:  # noqa: BLE001 - any import failure means the peer is absent
        print(f"unavailable={type(error).__name__}")
        return
    if threads > 0:
        torch.set_num_threads(threads)
    torch.manual_seed(0)
    p = build(torch)
    prompt = torch.zeros(sequences, 1, dtype=torch.long)
    generator = torch.Generator().manual_seed(1)
    times = []
    with torch.no_grad():
        generate(torch, F, p, prompt, new_tokens, generator)  # warm-up
        for _ in range(repeats):
            start = time.perf_counter()
            out = generate(torch, F, p, prompt, new_tokens, generator)
            times.append(time.perf_counter() - start)
    assert out.shape == (sequences, 1 + new_tokens)
    times.sort()
    print(f"tokens_per_s={sequences * new_tokens / times[len(times) // 2]:.1f} threads={torch.get_num_threads()}")


if __name__ == "__main__":
    main()
