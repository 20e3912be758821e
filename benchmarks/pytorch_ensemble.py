"""PyTorch reference for docs/performance.md ("Finite networks and ensembles"); one-off, not part of the tests.

Full-batch gradient descent on L = 0.5 * mean((f - y)^2) for the 784->512->512->10 ReLU MLP on 256 examples,
the same problem as EnsembleTrainingBenchmarks / `NtkSharp.Benchmarks ensemble-throughput`.
Prints member-steps per second for float64 and float32, one member with all threads and one member per core.

    python3 benchmarks/pytorch_ensemble.py
"""
import os
import time

import torch


def make(dtype):
    g = torch.Generator().manual_seed(1)
    x = torch.randn(256, 784, generator=g, dtype=dtype)
    y = torch.zeros(256, 10, dtype=dtype)
    y[torch.arange(256), torch.arange(256) % 10] = 1.0
    net = torch.nn.Sequential(
        torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10)
    ).to(dtype)
    return net, x, y


def steps_per_second(dtype, steps_short=5, steps_long=45):
    net, x, y = make(dtype)
    opt = torch.optim.SGD(net.parameters(), lr=0.1)

    def run(k):
        for _ in range(k):
            opt.zero_grad(set_to_none=False)
            loss = 0.5 * torch.mean((net(x) - y) ** 2)
            loss.backward()
            opt.step()

    run(3)
    t0 = time.perf_counter()
    run(steps_short)
    a = time.perf_counter() - t0
    t0 = time.perf_counter()
    run(steps_long)
    b = time.perf_counter() - t0
    return (steps_long - steps_short) / (b - a)


if __name__ == "__main__":
    cores = os.cpu_count()
    print(f"torch {torch.__version__}, {cores} cores")
    for dtype in (torch.float64, torch.float32):
        for threads in sorted({1, cores}):
            torch.set_num_threads(threads)
            print(f"{str(dtype):14s} threads {threads}: {steps_per_second(dtype):.1f} member-steps/s (one member)")
