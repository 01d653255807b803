"""Bradley–Terry reward-model training in hand-written numpy: MLP 100→64→1, ReLU, Adam.

Prints `pairs_per_s=<float>` for the given batch size. The peer of RLHF Lab's P1/P2 workloads.
Usage: python3 bt_numpy.py BATCH PAIRS EPOCHS
"""
import sys
import time

import numpy as np


def main():
    batch, pairs, epochs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    rng = np.random.default_rng(0)
    d, h = 100, 64
    chosen = rng.standard_normal((pairs, d), dtype=np.float32)
    rejected = rng.standard_normal((pairs, d), dtype=np.float32)
    b1 = 1 / np.sqrt(d)
    b2 = 1 / np.sqrt(h)
    params = [
        rng.uniform(-b1, b1, (h, d)).astype(np.float32),
        rng.uniform(-b1, b1, (1, h)).astype(np.float32),
        rng.uniform(-b2, b2, (1, h)).astype(np.float32),
        rng.uniform(-b2, b2, (1, 1)).astype(np.float32),
    ]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    lr, beta1, beta2, eps = 1e-3, 0.9, 0.999, 1e-8
    step = 0
    start = time.perf_counter()
    for _ in range(epochs):
        order = rng.permutation(pairs)
        for s in range(0, pairs, batch):
            idx = order[s:s + batch]
            xc, xr = chosen[idx], rejected[idx]
            w1, c1, w2, c2 = params
            hc_pre = xc @ w1.T + c1
            hr_pre = xr @ w1.T + c1
            hc = np.maximum(hc_pre, 0)
            hr = np.maximum(hr_pre, 0)
            rc = hc @ w2.T + c2
            rr = hr @ w2.T + c2
            z = rc - rr
            n = len(idx)
            # loss = mean(softplus(-z)); dloss/dz = -sigmoid(-z)/n
            gz = -1 / (1 + np.exp(z)) / n
            g_w2 = gz.T @ hc - gz.T @ hr
            g_c2 = np.zeros_like(c2)
            ghc = gz @ w2 * (hc_pre > 0)
            ghr = -gz @ w2 * (hr_pre > 0)
            g_w1 = ghc.T @ xc + ghr.T @ xr
            g_c1 = ghc.sum(0, keepdims=True) + ghr.sum(0, keepdims=True)
            grads = [g_w1, g_c1, g_w2, g_c2]
            step += 1
            k1 = 1 - beta1 ** step
            k2 = 1 - beta2 ** step
            for i, g in enumerate(grads):
                m[i] = beta1 * m[i] + (1 - beta1) * g
                v[i] = beta2 * v[i] + (1 - beta2) * g * g
                params[i] -= lr * (m[i] / k1) / (np.sqrt(v[i] / k2) + eps)
    elapsed = time.perf_counter() - start
    print(f"pairs_per_s={pairs * epochs / elapsed:.1f}")


if __name__ == "__main__":
    main()
