"""Bradley–Terry reward-model training in PyTorch, as the seed deck writes it: MLP 100→64→1, Adam.

Prints `pairs_per_s=<float>`, or `unavailable=<reason>` when torch cannot be imported.
Usage: python3 bt_torch.py BATCH PAIRS EPOCHS
"""
import sys
import time


def main():
    batch, pairs, epochs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    try:
        import torch
        import torch.nn as nn
    except Exception as error:  # noqa: BLE001 - any import failure means the peer is absent
        print(f"unavailable={type(error).__name__}")
        return
    torch.manual_seed(0)
    torch.set_num_threads(1)
    model = nn.Sequential(nn.Linear(100, 64), nn.ReLU(), nn.Linear(64, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    chosen = torch.randn(pairs, 100)
    rejected = torch.randn(pairs, 100)
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(pairs)
        for s in range(0, pairs, batch):
            idx = order[s:s + batch]
            z = model(chosen[idx]) - model(rejected[idx])
            loss = nn.functional.softplus(-z).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    elapsed = time.perf_counter() - start
    print(f"pairs_per_s={pairs * epochs / elapsed:.1f}")


if __name__ == "__main__":
    main()
