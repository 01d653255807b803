"""P11's peer: one PPO iteration on text as TRL's classic `PPOTrainer.step` takes it, in PyTorch on the CPU, on the
Shakespeare GPT (nanoGPT's CPU shakespeare_char sizes: vocabulary 65, 4 layers, 4 heads, 128 dims, context 64).

One iteration, as RLHF Lab's text `ppo` takes it:
  1. rollout: BATCH prompts of PROMPT tokens, each continued by RESPONSE tokens sampled at temperature 1 with a KV cache;
  2. scoring, without gradients: the policy's log-probabilities and values, the frozen reference's log-probabilities,
     and the reward model's score (a GPT trunk with a scalar head on the last token);
  3. per-token rewards −β·(log π − log π_ref), plus the score at the last token; GAE (γ = 1, λ = 0.95); returns;
     advantages whitened;
  4. EPOCHS passes over the batch in shuffled minibatches of MINIBATCH sequences: clipped policy loss + 0.1 × clipped
     value loss (clip 0.2 both), one Adam step per minibatch.

Usage: python3 ppo_text_torch.py [ITERATIONS] [THREADS] [--batch 64] [--prompt 32] [--response 32] [--epochs 4]
       [--minibatch 16]
Prints: seconds_per_iteration=… (median) cpu_seconds_per_iteration=… threads=… and the phases' shares.
"""
import argparse
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

V, L, H, D, T = 65, 4, 4, 128, 64


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(D), nn.LayerNorm(D)
        self.c_attn, self.c_proj = nn.Linear(D, 3 * D), nn.Linear(D, D)
        self.c_fc, self.mlp_proj = nn.Linear(D, 4 * D), nn.Linear(4 * D, D)

    def forward(self, x, cache=None):
        """x [b, t, D]; with `cache` (a dict this block fills), the keys and values of earlier positions are reused."""
        b, t, c = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(D, dim=2)
        q, k, v = (z.view(b, t, H, c // H).transpose(1, 2) for z in (q, k, v))
        causal = True
        if cache is not None:
            if "k" in cache:
                k, v = torch.cat([cache["k"], k], dim=2), torch.cat([cache["v"], v], dim=2)
                causal = False  # one new position attends to every cached one
            cache["k"], cache["v"] = k, v
        y = F.scaled_dot_product_attention(q, k, v, is_causal=causal).transpose(1, 2).contiguous().view(b, t, c)
        x = x + self.c_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class GPT(nn.Module):
    """GPT-2 with a tied head; `hidden` gives the final hidden states, which the value and score heads read."""

    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, D), nn.Embedding(T, D)
        self.h = nn.ModuleList([Block() for _ in range(L)])
        self.ln_f = nn.LayerNorm(D)

    def hidden(self, idx, caches=None, start=0):
        x = self.wte(idx) + self.wpe(torch.arange(start, start + idx.shape[1]))
        for i, block in enumerate(self.h):
            x = block(x, None if caches is None else caches[i])
        return self.ln_f(x)

    def logits(self, hidden):
        return hidden @ self.wte.weight.T


class PolicyWithValueHead(nn.Module):
    """TRL's AutoModelForCausalLMWithValueHead: the language model and `v_head.summary` on its hidden states."""

    def __init__(self):
        super().__init__()
        self.lm = GPT()
        self.v_head = nn.Linear(D, 1)

    def forward(self, idx):
        h = self.lm.hidden(idx)
        return self.lm.logits(h), self.v_head(h).squeeze(-1)


class RewardModel(nn.Module):
    """GPT2ForSequenceClassification with one label: a GPT trunk and `score` (no bias) on the last token."""

    def __init__(self):
        super().__init__()
        self.transformer = GPT()
        self.score = nn.Linear(D, 1, bias=False)

    def forward(self, idx):
        return self.score(self.transformer.hidden(idx)[:, -1]).squeeze(-1)


@torch.no_grad()
def generate(lm, prompts, tokens):
    caches = [{} for _ in range(L)]
    h = lm.hidden(prompts, caches)
    out = prompts
    for step in range(tokens):
        probs = F.softmax(lm.logits(h[:, -1]), dim=-1)
        nxt = torch.multinomial(probs, 1)
        out = torch.cat([out, nxt], dim=1)
        if step + 1 < tokens:
            h = lm.hidden(nxt, caches, start=out.shape[1] - 1)
    return out


def logprobs_of(logits, tokens):
    return torch.gather(F.log_softmax(logits, dim=-1), 2, tokens.unsqueeze(-1)).squeeze(-1)


def whiten(x):
    mean, var = x.mean(), x.var()  # unbiased, as TRL's masked_var
    return (x - mean) * torch.rsqrt(var + 1e-8)


def ppo_iteration(policy, reference, reward_model, optimizer, args, phases):
    beta, gamma, lam, clip, clip_value, vf_coef = 0.1, 1.0, 0.95, 0.2, 0.2, 0.1
    p, r = args.prompt, args.response
    t0 = time.perf_counter()
    prompts = torch.randint(0, V, (args.batch, p))
    sequences = generate(policy.lm, prompts, r)
    t1 = time.perf_counter()
    with torch.no_grad():
        logits, values = policy(sequences)
        old_logprobs = logprobs_of(logits[:, p - 1:-1], sequences[:, p:])
        values = values[:, p - 1:-1]
        ref_logprobs = logprobs_of(reference.logits(reference.hidden(sequences))[:, p - 1:-1], sequences[:, p:])
        scores = reward_model(sequences)
    t2 = time.perf_counter()
    rewards = -beta * (old_logprobs - ref_logprobs)
    rewards[:, -1] += scores
    advantages = torch.zeros_like(rewards)
    last = torch.zeros(args.batch)
    for t in reversed(range(r)):
        next_value = values[:, t + 1] if t + 1 < r else torch.zeros(args.batch)
        delta = rewards[:, t] + gamma * next_value - values[:, t]
        last = delta + gamma * lam * last
        advantages[:, t] = last
    returns = advantages + values
    advantages = whiten(advantages)
    t3 = time.perf_counter()
    for _ in range(args.epochs):
        order = torch.randperm(args.batch)
        for start in range(0, args.batch, args.minibatch):
            idx = order[start:start + args.minibatch]
            logits, vpred = policy(sequences[idx])
            logprobs = logprobs_of(logits[:, p - 1:-1], sequences[idx, p:])
            vpred = vpred[:, p - 1:-1]
            vclipped = values[idx] + torch.clamp(vpred - values[idx], -clip_value, clip_value)
            vf_loss = 0.5 * torch.max((vpred - returns[idx]) ** 2, (vclipped - returns[idx]) ** 2).mean()
            ratio = torch.exp(logprobs - old_logprobs[idx])
            pg_loss = torch.max(
                -advantages[idx] * ratio, -advantages[idx] * torch.clamp(ratio, 1 - clip, 1 + clip)).mean()
            optimizer.zero_grad(set_to_none=True)
            (pg_loss + vf_coef * vf_loss).backward()
            optimizer.step()
    t4 = time.perf_counter()
    for name, seconds in (("rollout", t1 - t0), ("scoring", t2 - t1), ("advantages", t3 - t2), ("updates", t4 - t3)):
        phases[name] = phases.get(name, 0.0) + seconds


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("iterations", nargs="?", type=int, default=5)
    parser.add_argument("threads", nargs="?", type=int, default=torch.get_num_threads())
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--prompt", type=int, default=32)
    parser.add_argument("--response", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--minibatch", type=int, default=16)
    args = parser.parse_args()
    assert args.prompt + args.response <= T
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    policy, reference, reward_model = PolicyWithValueHead(), GPT(), RewardModel()
    reference.load_state_dict(policy.lm.state_dict())
    optimizer = torch.optim.Adam(policy.parameters(), lr=1e-5)
    phases = {}
    ppo_iteration(policy, reference, reward_model, optimizer, args, {})  # warm-up
    times, cpu = [], []
    for _ in range(args.iterations):
        start, start_cpu = time.perf_counter(), cpu_seconds()
        ppo_iteration(policy, reference, reward_model, optimizer, args, phases)
        times.append(time.perf_counter() - start)
        cpu.append(cpu_seconds() - start_cpu)
    total = sum(phases.values())
    shares = " ".join(f"{name}={seconds / total:.2f}" for name, seconds in phases.items())
    print(
        f"seconds_per_iteration={statistics.median(times):.4f} cpu_seconds_per_iteration={statistics.median(cpu):.4f} "
        f"threads={args.threads} {shares}")


if __name__ == "__main__":
    main()
