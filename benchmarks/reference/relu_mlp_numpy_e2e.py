#!/usr/bin/env python3
"""Whole-process numpy yardstick for `ntksharp kernel` end to end (docs/performance.md, "CLI end to end").

    /usr/bin/python3 benchmarks/reference/relu_mlp_numpy_e2e.py X.npy OUTDIR

Loads X (N, d) float64, computes the NNGP K and NTK Theta of the depth-5 ReLU MLP
Serial(Dense(512, wStd: 1.5, bStd: 0.05), Relu()) x 5, Dense(1, wStd: 1.5, bStd: 0.05) (NTK parameterisation, x2 = x1)
with whole-matrix numpy operations (the textbook arccos form), and saves OUTDIR/nngp.npy and OUTDIR/ntk.npy.
Time the whole process (interpreter start, import, load, compute, save) with /usr/bin/time.
"""
import sys

import numpy as np

W_STD, B_STD, DEPTH = 1.5, 0.05, 5

x = np.load(sys.argv[1])
n, d = x.shape
k = x @ x.T / d
theta = np.zeros_like(k)
w2, b2 = W_STD * W_STD, B_STD * B_STD
for _ in range(DEPTH):
    k = w2 * k + b2
    theta = w2 * theta + k
    diag = np.sqrt(np.diag(k))
    norms = np.outer(diag, diag)
    cos = np.clip(k / norms, -1.0, 1.0)
    ang = np.arccos(cos)
    k = norms * (np.sin(ang) + (np.pi - ang) * cos) / (2 * np.pi)
    theta = theta * (np.pi - ang) / (2 * np.pi)
k = w2 * k + b2
theta = w2 * theta + k
np.save(sys.argv[2] + "/nngp.npy", k)
np.save(sys.argv[2] + "/ntk.npy", theta)
