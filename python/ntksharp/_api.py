"""The verbs of the ntksharp tool as functions on numpy arrays."""

import json
import math
import os
import tempfile

import numpy as np

from ._cli import run

_GET = {"nngp": "nngp", "ntk": "ntk"}


def _save(folder, name, array, what):
    a = np.asarray(array, dtype=np.float64)
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{what} contains NaN or infinite values")
    path = os.path.join(folder, name)
    np.save(path, np.ascontiguousarray(a))
    return path


def _load(folder, name):
    return np.load(os.path.join(folder, name))


def _times(values):
    out = []
    for t in values:
        t = float(t)
        out.append("inf" if math.isinf(t) and t > 0 else repr(t))
    return ",".join(out)


def _common(args, device=None, threads=None):
    if device is not None:
        args += ["--device", device]
    if threads is not None:
        args += ["--threads", int(threads)]
    return args


def kernel(arch, x1, x2=None, get=("nngp", "ntk"), device=None, precision=None, threads=None):
    """The infinite-width NNGP kernel K and NTK Θ of an architecture between the examples of x1 and of x2 (x1 itself
    when x2 is None), like neural-tangents' ``kernel_fn(x1, x2, get)``.

    arch: architecture text, e.g. ``"Serial(Dense(512, wStd: 1.5, bStd: 0.05), Relu(), Dense(1))"``.
    x1, x2: arrays with the batch axis first: (N, d), (N, L, C) or (N, H, W, C).
    get: "nngp", "ntk" or a sequence of them.
    device: "cpu" (default), "cuda", "cuda:N"; precision: "float64" (default) or "float32" (GPU storage).
    Returns a dict {"nngp": (N1, N2) array, "ntk": (N1, N2) array} with the requested kernels.
    """
    names = [get] if isinstance(get, str) else list(get)
    for n in names:
        if n not in _GET:
            raise ValueError(f"get: unknown kernel {n!r}; use 'nngp', 'ntk' or both")
    with tempfile.TemporaryDirectory(prefix="ntksharp-") as d:
        args = ["--arch", arch, "--x1", _save(d, "x1.npy", x1, "x1"), "--get", ",".join(names), "--out", d]
        if x2 is not None:
            args += ["--x2", _save(d, "x2.npy", x2, "x2")]
        if precision is not None:
            args += ["--precision", precision]
        run("kernel", _common(args, device, threads))
        return {n: _load(d, n + ".npy") for n in names}


def predict(ntk_train, ntk_test, y_train, times=None, steps=None, learning_rate=1.0, diag_reg=0.0,
            diag_reg_absolute=False, nngp_train=None, nngp_test=None, nngp_test_test=None, device=None):
    """The mean output of infinitely wide networks trained by gradient descent on the MSE loss,
    μ_t(x) = Θ(x, X) Θ(X, X)⁻¹ (I − e^{−ηΘ(X, X)t/n}) Y (n = y_train.size), at each time (float('inf'): kernel
    regression), or after each number of discrete steps (``steps``), as neural-tangents' gradient_descent_mse.

    ntk_train: Θ(X, X), (N, N); ntk_test: Θ(x, X), (M, N); y_train: (N,) or (N, K).
    With nngp_train (K(X, X)), nngp_test (K(x, X)) and nngp_test_test (K(x, x)) also the covariance of the
    NTK-trained ensemble over the test points.
    Returns {"mean_train": (T, N[, K]), "mean_test": (T, M[, K]), and "cov_test": (T, M, M) with the NNGP}; the K
    axis is dropped when y_train is one-dimensional.
    """
    if (times is None) == (steps is None):
        raise ValueError("give exactly one of times and steps")
    nngp = [nngp_train, nngp_test, nngp_test_test]
    if sum(a is not None for a in nngp) not in (0, 3):
        raise ValueError("nngp_train, nngp_test and nngp_test_test go together")
    with tempfile.TemporaryDirectory(prefix="ntksharp-") as d:
        args = ["--ntk-train", _save(d, "ntk_train.npy", ntk_train, "ntk_train"),
                "--ntk-test", _save(d, "ntk_test.npy", ntk_test, "ntk_test"),
                "--y-train", _save(d, "y_train.npy", y_train, "y_train"),
                "--learning-rate", repr(float(learning_rate)), "--diag-reg", repr(float(diag_reg)), "--out", d]
        args += ["--times", _times(times)] if times is not None else ["--steps", ",".join(str(int(s)) for s in steps)]
        if diag_reg_absolute:
            args.append("--diag-reg-absolute")
        if nngp_train is not None:
            args += ["--nngp-train", _save(d, "nngp_train.npy", nngp_train, "nngp_train"),
                     "--nngp-test", _save(d, "nngp_test.npy", nngp_test, "nngp_test"),
                     "--nngp-test-test", _save(d, "nngp_test_test.npy", nngp_test_test, "nngp_test_test")]
        run("predict", _common(args, device))
        out = {"mean_train": _load(d, "mean_train.npy"), "mean_test": _load(d, "mean_test.npy")}
        if nngp_train is not None:
            out["cov_test"] = _load(d, "cov_test.npy")
        return out


def ensemble(arch, x_train, y_train, x_test, members, steps, learning_rate, seed=0, batch_size=None, x_extra=None,
             device=None, threads=None):
    """Trains ``members`` finite-width networks of the architecture (its declared widths) from independent
    initialisations by gradient descent on ½·mean((f − y)²) and records their outputs after each number of steps.

    y_train: (N,) or (N, K) with K the network's output size. batch_size: mini-batch SGD (default full batch).
    x_extra: further inputs on which the trained members are also evaluated (e.g. the orbit of x_test under a group).
    Returns {"members_test": (S, M, Ntest, K), "mean_test": (S, Ntest, K)} and, with x_extra,
    {"members_extra": (S, M, Nextra, K), "mean_extra": (S, Nextra, K)}; S = len(steps), steps in ascending order.
    """
    with tempfile.TemporaryDirectory(prefix="ntksharp-") as d:
        args = ["--arch", arch, "--x-train", _save(d, "x_train.npy", x_train, "x_train"),
                "--y-train", _save(d, "y_train.npy", y_train, "y_train"),
                "--x-test", _save(d, "x_test.npy", x_test, "x_test"),
                "--members", int(members), "--steps", ",".join(str(int(s)) for s in steps),
                "--learning-rate", repr(float(learning_rate)), "--seed", int(seed), "--out", d]
        if batch_size is not None:
            args += ["--batch-size", int(batch_size)]
        if x_extra is not None:
            args += ["--x-extra", _save(d, "x_extra.npy", x_extra, "x_extra")]
        run("ensemble", _common(args, device, threads))
        out = {"members_test": _load(d, "members_test.npy"), "mean_test": _load(d, "mean_test.npy")}
        if x_extra is not None:
            out["members_extra"] = _load(d, "members_extra.npy")
            out["mean_extra"] = _load(d, "mean_extra.npy")
        return out


def equivariance(arch, group, x_train, y_train, x_test, times, output_rep="invariant", augment=True,
                 group_averaged=False, learning_rate=1.0, kernel="ntk", threads=None):
    """How equivariant the infinite-width mean trained on data augmented over a group is on test inputs
    (Gerken & Kessel, ICML 2024): the relative error ‖μ_t(ρ_X(g)x) − ρ_Y(g)μ_t(x)‖/‖μ_t(x)‖ per time.

    group: "C4", "D4", "Cn:k", "Translations", "Permutations" or "Trivial" (the kind of input is read from the
    examples' shape). augment=False trains on the original data only (the control).
    Returns {"report": dict parsed from report.json (per time: max_relative_error, mean_relative_error, …),
    "orbit_test": (T, M, |G|, K) predictions on every group image of every test input}.
    """
    with tempfile.TemporaryDirectory(prefix="ntksharp-") as d:
        args = ["--arch", arch, "--group", group, "--x-train", _save(d, "x_train.npy", x_train, "x_train"),
                "--y-train", _save(d, "y_train.npy", y_train, "y_train"),
                "--x-test", _save(d, "x_test.npy", x_test, "x_test"), "--times", _times(times),
                "--output-rep", output_rep, "--learning-rate", repr(float(learning_rate)), "--kernel", kernel,
                "--out", d]
        if not augment:
            args.append("--no-augment")
        if group_averaged:
            args.append("--group-averaged")
        run("equivariance", _common(args, None, threads))
        with open(os.path.join(d, "report.json"), encoding="utf-8") as f:
            report = json.load(f)
        return {"report": report, "orbit_test": _load(d, "orbit_test.npy")}
