#!/usr/bin/env python3
"""Writes Tests/InteropTests/Fixtures/reference.safetensors with the Python `safetensors` package (the reference
writer), for SafetensorsTests to compare byte for byte with what the lab writes for the same tensors.

    pip install safetensors numpy && python3 scripts/make_safetensors_fixture.py

The tensors' values are exact binary fractions (k/8, k/1024) so they read the same in Swift's source text; one name is
non-ASCII and one needs JSON escaping, the shapes include a scalar-free 1-D, a 3-D and an empty tensor, and the names
are given out of order (the writer sorts them). One metadata key: the reference writer keeps metadata in a Rust
HashMap, whose order is not fixed when there are several keys.
"""
import os
import sys

import numpy as np
from safetensors.numpy import save_file

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "InteropTests", "Fixtures", "reference.safetensors")

tensors = {
    "transformer.wte.weight": (np.arange(12, dtype=np.float32).reshape(3, 4) - 5) / 8,
    "b.bias": np.array([0.5, -0.25, 1024.0], dtype=np.float32),
    "a.cube": (np.arange(8, dtype=np.float32).reshape(2, 2, 2) + 1) / 1024,
    "é\"quoted\"\tname": np.array([-1.0], dtype=np.float32),
    "empty": np.zeros((0, 3), dtype=np.float32),
}
save_file(tensors, OUT, metadata={"format": "pt"})
data = open(OUT, "rb").read()
n = int.from_bytes(data[:8], "little")
print(f"{OUT}: {len(data)} bytes, header {n} bytes", file=sys.stderr)
print(data[8 : 8 + n].decode("utf-8"))
