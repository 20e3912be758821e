"""Tests of the Python client against independent numpy references (closed-form kernels, the closed-form predictor)
and exact identities. Needs the tool: NTKSHARP_CLI or ntksharp on PATH. Run from python/:
    NTKSHARP_CLI="dotnet ../src/NtkSharp.Cli/bin/Release/net10.0/NtkSharp.Cli.dll" python3 -m unittest -v
"""

import math
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ntksharp  # noqa: E402

MLP = "Serial(Dense(512, wStd: 1.5, bStd: 0.05), Relu(), Dense(1, wStd: 1.2, bStd: 0.1))"


def relu_mlp_kernels(x1, x2, w1=1.5, b1=0.05, w2=1.2, b2=0.1):
    """NNGP and NTK of Dense–ReLU–Dense in the NTK parameterisation (arc-cosine kernel, Cho & Saul 2009)."""
    d = x1.shape[1]
    k12 = w1 ** 2 * x1 @ x2.T / d + b1 ** 2
    k11 = w1 ** 2 * np.sum(x1 * x1, axis=1) / d + b1 ** 2
    k22 = w1 ** 2 * np.sum(x2 * x2, axis=1) / d + b1 ** 2
    norms = np.sqrt(np.outer(k11, k22))
    cos = np.clip(k12 / norms, -1.0, 1.0)
    theta = np.arccos(cos)
    relu = norms * (np.sin(theta) + (math.pi - theta) * cos) / (2 * math.pi)   # E[relu(u) relu(v)]
    step = (math.pi - theta) / (2 * math.pi)                                     # E[relu'(u) relu'(v)]
    nngp = w2 ** 2 * relu + b2 ** 2
    ntk = nngp + w2 ** 2 * step * k12   # the first layer's NTK equals its NNGP k12
    return nngp, ntk


class KernelTests(unittest.TestCase):
    def test_kernel_relu_mlp_matches_arccosine_closed_form(self):
        rng = np.random.default_rng(0)
        x1, x2 = rng.normal(size=(7, 3)), rng.normal(size=(5, 3))
        k = ntksharp.kernel(MLP, x1, x2)
        nngp, ntk = relu_mlp_kernels(x1, x2)
        self.assertEqual(set(k), {"nngp", "ntk"})
        self.assertEqual(k["ntk"].shape, (7, 5))
        np.testing.assert_allclose(k["nngp"], nngp, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(k["ntk"], ntk, rtol=1e-10, atol=1e-12)

    def test_kernel_get_ntk_only_returns_symmetric_ntk(self):
        x = np.random.default_rng(1).normal(size=(6, 2))
        k = ntksharp.kernel(MLP, x, get="ntk")
        self.assertEqual(list(k), ["ntk"])
        np.testing.assert_allclose(k["ntk"], k["ntk"].T, rtol=0, atol=0)
        self.assertGreater(np.linalg.eigvalsh(k["ntk"]).min(), 0)

    def test_kernel_float32_input_and_image_shape(self):
        x = np.random.default_rng(2).normal(size=(3, 4, 4, 1)).astype(np.float32)
        k = ntksharp.kernel("Serial(Conv(8, (3, 3), padding: Same), Relu(), Flatten(), Dense(1))", x, get="nngp")
        self.assertEqual(k["nngp"].shape, (3, 3))


class PredictTests(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(3)
        self.x = rng.normal(size=(10, 3))
        self.t = rng.normal(size=(4, 3))
        self.y = rng.normal(size=(10, 2))
        _, self.ntk_dd = relu_mlp_kernels(self.x, self.x)
        self.nngp_td, self.ntk_td = relu_mlp_kernels(self.t, self.x)

    def reference(self, time, eta=1.0):
        lam, v = np.linalg.eigh(self.ntk_dd)
        n = self.y.size
        if math.isinf(time):
            coef = 1.0 / lam
        else:
            coef = -np.expm1(-eta * lam * time / n) / lam
        return self.ntk_td @ (v @ (coef[:, None] * (v.T @ self.y)))

    def test_predict_times_match_numpy_closed_form(self):
        times = [0.0, 0.5, 10.0, float("inf")]
        out = ntksharp.predict(ntk_train=self.ntk_dd, ntk_test=self.ntk_td, y_train=self.y, times=times, learning_rate=2.0)
        self.assertEqual(out["mean_test"].shape, (4, 4, 2))
        self.assertEqual(out["mean_train"].shape, (4, 10, 2))
        for i, t in enumerate(times):
            np.testing.assert_allclose(out["mean_test"][i], self.reference(t, eta=2.0), rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(out["mean_train"][-1], self.y, rtol=1e-8, atol=1e-8)   # interpolation at t = ∞

    def test_predict_steps_vector_targets_match_matrix_power(self):
        y = self.y[:, 0]
        n = y.size
        lam, v = np.linalg.eigh(self.ntk_dd)
        eta = 0.5 * 2 * n / lam.max()
        out = ntksharp.predict(ntk_train=self.ntk_dd, ntk_test=self.ntk_td, y_train=y, steps=[0, 1, 7], learning_rate=eta)
        self.assertEqual(out["mean_test"].shape, (3, 4))
        for i, k in enumerate([0, 1, 7]):
            coef = (1 - (1 - eta * lam / n) ** k) / lam
            np.testing.assert_allclose(out["mean_test"][i], self.ntk_td @ (v @ (coef * (v.T @ y))), rtol=1e-8, atol=1e-10)

    def test_predict_with_nngp_returns_symmetric_covariance(self):
        nngp_tt, _ = relu_mlp_kernels(self.t, self.t)
        nngp_dd, _ = relu_mlp_kernels(self.x, self.x)
        out = ntksharp.predict(ntk_train=self.ntk_dd, ntk_test=self.ntk_td, y_train=self.y, times=[0.0, 1.0],
                               nngp_train=nngp_dd, nngp_test=self.nngp_td, nngp_test_test=nngp_tt)
        self.assertEqual(out["cov_test"].shape, (2, 4, 4))
        np.testing.assert_allclose(out["cov_test"][0], nngp_tt, rtol=1e-10, atol=1e-12)   # the prior at t = 0

    def test_predict_learning_rate_too_large_for_steps_raises_with_cli_message(self):
        with self.assertRaises(ntksharp.NtkSharpError) as e:
            ntksharp.predict(ntk_train=self.ntk_dd, ntk_test=self.ntk_td, y_train=self.y, steps=[5], learning_rate=1e6)
        self.assertEqual(e.exception.exit_code, 2)
        self.assertIn("--learning-rate", e.exception.message)
        self.assertIn("2n/", str(e.exception))


class EnsembleTests(unittest.TestCase):
    def test_ensemble_shapes_mean_and_extra_inputs(self):
        rng = np.random.default_rng(4)
        x, y, t, extra = rng.normal(size=(6, 2)), rng.normal(size=(6,)), rng.normal(size=(3, 2)), rng.normal(size=(5, 2))
        arch = "Serial(Dense(32, wStd: 1.5, bStd: 0.1), Relu(), Dense(1, wStd: 1.2))"
        out = ntksharp.ensemble(arch, x, y, t, members=4, steps=[10, 0], learning_rate=0.3, seed=7, x_extra=extra)
        self.assertEqual(out["members_test"].shape, (2, 4, 3, 1))
        self.assertEqual(out["members_extra"].shape, (2, 4, 5, 1))
        np.testing.assert_allclose(out["mean_test"], out["members_test"].mean(axis=1), rtol=1e-12, atol=1e-14)
        # Member m does not depend on the test set: training with the extra inputs as test set gives the same outputs.
        again = ntksharp.ensemble(arch, x, y, extra, members=4, steps=[0, 10], learning_rate=0.3, seed=7)
        np.testing.assert_allclose(out["members_extra"], again["members_test"], rtol=0, atol=1e-12)

    def test_ensemble_divergence_raises_with_stability_limit(self):
        rng = np.random.default_rng(5)
        x, y = rng.normal(size=(6, 2)), rng.normal(size=(6,))
        with self.assertRaises(ntksharp.NtkSharpError) as e:
            ntksharp.ensemble("Serial(Dense(64), Relu(), Dense(1))", x, y, x, members=2, steps=[500], learning_rate=500.0)
        self.assertEqual(e.exception.exit_code, 2)
        self.assertIn("2n/", e.exception.message)


class EquivarianceTests(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(6)
        self.x = rng.normal(size=(4, 2))
        self.y = rng.normal(size=(4,))
        self.t = rng.normal(size=(3, 2))

    def test_equivariance_augmented_mean_is_exactly_invariant(self):
        out = ntksharp.equivariance(MLP, "C4", self.x, self.y, self.t, times=[0.5, float("inf")])
        report = out["report"]
        self.assertEqual(report["order"], 4)
        self.assertEqual(out["orbit_test"].shape, (2, 3, 4, 1))
        for entry in report["times"]:
            self.assertLess(entry["max_relative_error"], 1e-10)
        # The orbit predictions themselves: the same value on all four rotations of each test input.
        spread = out["orbit_test"].max(axis=2) - out["orbit_test"].min(axis=2)
        self.assertLess(np.abs(spread).max(), 1e-10 * np.abs(out["orbit_test"]).max())

    def test_equivariance_without_augmentation_is_not_invariant(self):
        out = ntksharp.equivariance(MLP, "C4", self.x, self.y, self.t, times=[float("inf")], augment=False)
        self.assertGreater(out["report"]["times"][0]["max_relative_error"], 1e-2)


class ErrorTests(unittest.TestCase):
    def test_misspelt_layer_raises_with_the_cli_suggestion(self):
        with self.assertRaises(ntksharp.NtkSharpError) as e:
            ntksharp.kernel("Serial(Dense(4), Rellu(), Dense(1))", np.ones((2, 3)))
        self.assertEqual(e.exception.exit_code, 2)
        self.assertEqual(e.exception.verb, "kernel")
        self.assertIn("did you mean 'Relu'?", e.exception.message)

    def test_wrong_width_names_the_option(self):
        with self.assertRaises(ntksharp.NtkSharpError) as e:
            ntksharp.kernel(MLP, np.ones((2, 3)), np.ones((2, 4)))
        self.assertIn("--x2", e.exception.message)

    def test_nan_input_is_refused_before_running(self):
        with self.assertRaises(ValueError):
            ntksharp.kernel(MLP, np.array([[0.0, float("nan")]]))

    def test_missing_tool_raises_not_found_naming_the_variable(self):
        saved_cli, saved_path = os.environ.get("NTKSHARP_CLI"), os.environ.get("PATH", "")
        try:
            os.environ.pop("NTKSHARP_CLI", None)
            os.environ["PATH"] = ""
            with self.assertRaises(ntksharp.NtkSharpNotFoundError) as e:
                ntksharp.kernel(MLP, np.ones((2, 3)))
            self.assertIn("NTKSHARP_CLI", str(e.exception))
        finally:
            if saved_cli is not None:
                os.environ["NTKSHARP_CLI"] = saved_cli
            os.environ["PATH"] = saved_path


if __name__ == "__main__":
    unittest.main()
