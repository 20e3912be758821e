#!/usr/bin/env python3
"""Straightforward numpy + OpenBLAS reference for the NtkSharp fully-connected kernel benchmark.

Depth-5 ReLU MLP in NTK parameterisation, as neural-tangents' stax:
    Serial(Dense(512, wStd, bStd), Relu()) x 5, Dense(1, wStd, bStd)
NNGP K and NTK Theta of N inputs of dimension d (x2 = x1), float64, end to end (input Gram included).

    /usr/bin/python3 benchmarks/reference/relu_mlp_numpy.py [N] [d] [repeats] [--check out.npz]

Prints the best wall time of `repeats` runs (the machine is shared: take the best). This script is not part of the
tests; it is the yardstick of docs/performance.md ("Fully-connected kernels").
"""
import os
import sys
import time

import numpy as np

W_STD, B_STD, DEPTH = 1.5, 0.05, 5


def relu_mlp_kernels(x, depth=DEPTH, w_std=W_STD, b_std=B_STD):
    """The textbook implementation: whole-matrix numpy operations, arccos form of the arc-cosine kernel."""
    n, d = x.shape
    k = x @ x.T / d                       # input kernel x.x'/d (OpenBLAS dgemm)
    theta = np.zeros_like(k)
    w2, b2 = w_std * w_std, b_std * b_std
    for _ in range(depth):
        # Dense: K = w^2 K + b^2, Theta = w^2 Theta + K
        k = w2 * k + b2
        theta = w2 * theta + k
        # Relu: arc-cosine kernel of degree 1 (Cho & Saul 2009)
        diag = np.sqrt(np.diag(k))
        norms = np.outer(diag, diag)
        cos = np.clip(k / norms, -1.0, 1.0)
        ang = np.arccos(cos)
        k = norms * (np.sin(ang) + (np.pi - ang) * cos) / (2 * np.pi)
        theta = theta * (np.pi - ang) / (2 * np.pi)
    # readout Dense(1)
    k = w2 * k + b2
    theta = w2 * theta + k
    return k, theta


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if len(args) > 0 else 4000
    d = int(args[1]) if len(args) > 1 else 784
    repeats = int(args[2]) if len(args) > 2 else 3
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, d))
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        k, theta = relu_mlp_kernels(x)
        best = min(best, time.perf_counter() - t0)
    print(f"numpy {np.__version__}, N={n}, d={d}, depth={DEPTH}, threads={os.cpu_count()}: best of {repeats} = {best * 1e3:.0f} ms")
    if "--check" in sys.argv:
        out = sys.argv[sys.argv.index("--check") + 1]
        np.savez(out, x=x, nngp=k, ntk=theta)


if __name__ == "__main__":
    main()
