#!/usr/bin/env python3
"""Loads a reward model exported by `rlhf export RUN/rm -o rm.safetensors` into the seed's own PyTorch class and
scores a preference dataset exported by `rlhf export RUN/prefs -o prefs.jsonl`.

    python3 scripts/torch_seed_check.py rm.safetensors prefs.jsonl [--expect ACCURACY]

The class is the tutorial deck's RewardModel (Slide 3: layer1 = nn.Linear(input, hidden), ReLU, layer2 =
nn.Linear(hidden, 1)); `load_state_dict(..., strict=True)` must accept the file's tensors as they are. Prints the
fraction of pairs whose chosen response scores higher, which must equal the lab's `accuracy(rm, prefs)` (--expect).
Needs torch, which CI does not install; the figure from a run is in the issue notes.
"""
import argparse
import json
import sys

import torch
from safetensors.torch import load_file


class RewardModel(torch.nn.Module):
    def __init__(self, input_size, hidden_size):
        super().__init__()
        self.layer1 = torch.nn.Linear(input_size, hidden_size)
        self.layer2 = torch.nn.Linear(hidden_size, 1)
        self.activation = torch.nn.ReLU()

    def forward(self, x):
        return self.layer2(self.activation(self.layer1(x)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("prefs")
    parser.add_argument("--expect", type=float)
    args = parser.parse_args()
    state = load_file(args.model)
    hidden, input_size = state["layer1.weight"].shape
    model = RewardModel(input_size, hidden)
    model.load_state_dict(state, strict=True)
    rows = [json.loads(line) for line in open(args.prefs, encoding="utf-8")]
    chosen = torch.tensor([r["chosen"] for r in rows], dtype=torch.float32)
    rejected = torch.tensor([r["rejected"] for r in rows], dtype=torch.float32)
    with torch.no_grad():
        margin = model(chosen) - model(rejected)
    accuracy = (margin > 0).float().mean().item()
    print(f"torch {torch.__version__}: the seed's RewardModel({input_size}, {hidden}) loaded strictly; "
          f"accuracy on {len(rows)} pairs {accuracy:.6f}")
    if args.expect is not None and abs(accuracy - args.expect) > 0.5 / len(rows):
        print(f"error: the lab's accuracy is {args.expect}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
