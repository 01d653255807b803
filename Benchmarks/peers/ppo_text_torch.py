"""P11 peer: one PPO iteration on text in PyTorch, the step RLHF Lab's `ppo` takes, at nanoGPT's shakespeare_char CPU
model size (vocab 65, 4 layers, 4 heads, dim 128, context 64), GPT-2-initialised.

One iteration, as TRL's PPOTrainer.step runs it: sample 64 continuations of 32 tokens after 32-token prompts with a KV
cache (temperature 1, multinomial); score each whole sequence with a reward model (a second GPT of the same size read
at the last token through a scalar head); log-probabilities of the sampled tokens and values under the policy (value
head on the final hidden states) and log-probabilities under the frozen reference, without gradients; per-token
rewards -beta*(logp - ref) plus the score at the last token; GAE (gamma 1, lambda 0.95) and whitened advantages; then
4 epochs over shuffled minibatches of 16 sequences of the clipped policy loss + 0.1 x the clipped value loss, each
followed by an Adam step of policy and value head.

Prints `seconds=<float> threads=<int>` (median seconds per iteration after one warm-up), or `unavailable=<reason>`
when torch cannot be imported. THREADS sets torch's thread count (0: torch's own).
Usage: python3 ppo_text_torch.py [REPEATS [THREADS]]
"""
import math
import sys
import time

VOCAB, LAYERS, HEADS, DIM, CONTEXT = 65, 4, 4, 128, 64
BATCH, PROMPT, CONTINUATION, MINIBATCH, EPOCHS = 64, 32, 32, 16, 4
BETA, CLIP, CLIP_VALUE, VF_COEF, GAMMA, LAMBDA, LR = 0.2, 0.2, 0.2, 0.1, 1.0, 0.95, 1.41e-5


def build(torch, seed):
    """GPT-2 parameters with GPT-2's initialisation, Hugging Face layouts ([in, out] projections), as a flat list."""
    g = torch.Generator().manual_seed(seed)

    def normal(*shape, std=0.02):
        return torch.randn(*shape, generator=g) * std

    residual = 0.02 / math.sqrt(2 * LAYERS)
    params = [normal(VOCAB, DIM), normal(CONTEXT, DIM)]
    for _ in range(LAYERS):
        params += [torch.ones(DIM), torch.zeros(DIM), normal(DIM, 3 * DIM), torch.zeros(3 * DIM),
                   normal(DIM, DIM, std=residual), torch.zeros(DIM), torch.ones(DIM), torch.zeros(DIM),
                   normal(DIM, 4 * DIM), torch.zeros(4 * DIM), normal(4 * DIM, DIM, std=residual), torch.zeros(DIM)]
    params += [torch.ones(DIM), torch.zeros(DIM)]
    return params


def blocks(x, p, torch, F, cache=None, start=0):
    """The transformer over x [B, T, D]; with a cache, keys and values are appended to it and attention reads it."""
    b, t, _ = x.shape
    hd = DIM // HEADS
    for i in range(LAYERS):
        w = p[2 + 12 * i: 14 + 12 * i]
        h = F.layer_norm(x, (DIM,), w[0], w[1], eps=1e-5)
        qkv = torch.addmm(w[3], h.reshape(-1, DIM), w[2]).view(b, t, 3 * DIM)
        q, k, v = qkv.split(DIM, dim=2)
        q, k, v = (z.view(b, t, HEADS, hd).transpose(1, 2) for z in (q, k, v))
        if cache is not None:
            if cache[i] is not None:
                k = torch.cat([cache[i][0], k], dim=2)
                v = torch.cat([cache[i][1], v], dim=2)
            cache[i] = (k, v)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=t > 1)
        y = y.transpose(1, 2).contiguous().view(-1, DIM)
        x = x + torch.addmm(w[5], y, w[4]).view(b, t, DIM)
        h = F.layer_norm(x, (DIM,), w[6], w[7], eps=1e-5)
        f = F.gelu(torch.addmm(w[9], h.reshape(-1, DIM), w[8]), approximate="tanh")
        x = x + torch.addmm(w[11], f, w[10]).view(b, t, DIM)
    return F.layer_norm(x, (DIM,), p[-2], p[-1], eps=1e-5)


def hidden(torch, F, p, idx):
    """Final hidden states [B, T, D] of whole sequences."""
    t = idx.size(1)
    return blocks(p[0][idx] + p[1][:t], p, torch, F)


def generate(torch, F, p, prompts, new_tokens, generator):
    """Continuations sampled with a KV cache: the prompts run once, then one position per new token."""
    cache = [None] * LAYERS
    x = blocks(p[0][prompts] + p[1][: prompts.size(1)], p, torch, F, cache)
    logits = x[:, -1, :] @ p[0].t()
    out = []
    for step in range(new_tokens):
        token = torch.multinomial(F.softmax(logits, dim=-1), num_samples=1, generator=generator)
        out.append(token)
        if step + 1 < new_tokens:
            position = prompts.size(1) + step
            x = blocks(p[0][token] + p[1][position: position + 1], p, torch, F, cache)
            logits = x[:, -1, :] @ p[0].t()
    return torch.cat(out, dim=1)


def scores(torch, F, p, head, idx):
    """Log-probabilities [B, C] of the continuation tokens of idx and, with a head, the values [B, C] before them."""
    h = hidden(torch, F, p, idx)[:, PROMPT - 1: -1, :]
    logp = torch.log_softmax(h @ p[0].t(), dim=-1).gather(2, idx[:, PROMPT:].unsqueeze(-1)).squeeze(-1)
    values = None if head is None else (h @ head[0].t() + head[1]).squeeze(-1)
    return logp, values


def whiten(x):
    return (x - x.mean()) * torch_rsqrt(x.var(unbiased=True) + 1e-8)


def iteration(torch, F, policy, head, reference, rm, rm_head, optimizer, prompts_pool, generator):
    prompts = prompts_pool[torch.randint(len(prompts_pool), (BATCH,), generator=generator)]
    with torch.no_grad():
        continuations = generate(torch, F, policy, prompts, CONTINUATION, generator)
        idx = torch.cat([prompts, continuations], dim=1)
        score = (hidden(torch, F, rm, idx)[:, -1, :] @ rm_head[0].t() + rm_head[1]).squeeze(-1)
        old_logp, old_values = scores(torch, F, policy, head, idx)
        ref_logp, _ = scores(torch, F, reference, None, idx)
        rewards = -BETA * (old_logp - ref_logp)
        rewards[:, -1] += score
        last = torch.zeros(BATCH)
        advantages = torch.zeros(BATCH, CONTINUATION)
        for t in reversed(range(CONTINUATION)):
            following = old_values[:, t + 1] if t + 1 < CONTINUATION else 0.0
            delta = rewards[:, t] + GAMMA * following - old_values[:, t]
            last = delta + GAMMA * LAMBDA * last
            advantages[:, t] = last
        returns = advantages + old_values
        advantages = whiten(advantages)
    for _ in range(EPOCHS):
        order = torch.randperm(BATCH, generator=generator)
        for start in range(0, BATCH, MINIBATCH):
            rows = order[start: start + MINIBATCH]
            logp, values = scores(torch, F, policy, head, idx[rows])
            ratio = torch.exp(logp - old_logp[rows])
            a = advantages[rows]
            pg = torch.max(-a * ratio, -a * torch.clamp(ratio, 1 - CLIP, 1 + CLIP)).mean()
            clipped = torch.max(torch.min(values, old_values[rows] + CLIP_VALUE), old_values[rows] - CLIP_VALUE)
            vf = 0.5 * torch.max((values - returns[rows]) ** 2, (clipped - returns[rows]) ** 2).mean()
            loss = pg + VF_COEF * vf
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    try:
        import torch
        import torch.nn.functional as F
    except Exception as error:  # noqa: BLE001 - any import failure means the peer is absent
        print(f"unavailable={type(error).__name__}")
        return
    global torch_rsqrt
    torch_rsqrt = torch.rsqrt
    if threads > 0:
        torch.set_num_threads(threads)
    torch.manual_seed(0)
    policy = [t.requires_grad_() for t in build(torch, 1)]
    bound = 1 / math.sqrt(DIM)
    head = [(torch.rand(1, DIM) * 2 - 1).mul_(bound).requires_grad_(), (torch.rand(1) * 2 - 1).mul_(bound).requires_grad_()]
    reference = [t.detach().clone() for t in policy]
    rm, rm_head = build(torch, 2), [torch.randn(1, DIM) * bound, torch.zeros(1)]
    optimizer = torch.optim.Adam(policy + head, lr=LR)
    generator = torch.Generator().manual_seed(3)
    prompts_pool = torch.randint(VOCAB, (256, PROMPT), generator=generator)
    times = []
    iteration(torch, F, policy, head, reference, rm, rm_head, optimizer, prompts_pool, generator)  # warm-up
    for _ in range(repeats):
        start = time.perf_counter()
        iteration(torch, F, policy, head, reference, rm, rm_head, optimizer, prompts_pool, generator)
        times.append(time.perf_counter() - start)
    times.sort()
    print(f"seconds={times[len(times) // 2]:.4f} threads={torch.get_num_threads()}")


if __name__ == "__main__":
    main()
