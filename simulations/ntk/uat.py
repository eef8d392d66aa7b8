"""Universal approximation on active coordinates, numerically (spec §7.3, check 18) [reconstructed].

d = 16 inputs, k = 2 active coordinates; g(x) = sin(2 x1 x2) + cos(x1 + x2) with x1, x2 ~ U[-2, 2] and every
other coordinate 0.  Mask: a random half of the rows keep iid Bernoulli(p₀ = 0.3) entries, the rest are empty.
Kept weights ~ N(0, 4), biases ~ U[-4, 4] on every row (unmasked).  Features relu(Wx + b), readout by
minimum-norm least squares (no ridge, no intercept), relative test MSE = MSE / Var(g on test).  The
"disconnected" variant zeroes column 2 of the mask (x2 has zero path density).
"""
from __future__ import annotations

import numpy as np
from scipy import linalg

from simulations.ntk.masks import uat_mask
from theory.ntk_graphons import uat_target


def uat_run(n: int, seed: int, *, d: int = 16, alpha: float = 0.5, p0: float = 0.3, n_train: int = 4000,
            n_test: int = 2000, weight_sd: float = 2.0, bias_range: float = 4.0, half_width: float = 2.0) -> dict:
    """One draw: returns relative test MSE with and without x2 connected, and the full-neuron count."""
    if n < 1 or n_train < 2 or n_test < 2:
        raise ValueError(f"need n >= 1 and n_train, n_test >= 2; got {n}, {n_train}, {n_test}")
    rng = np.random.default_rng(seed)
    M, active = uat_mask(rng, n, d, alpha, p0)
    W = rng.normal(0.0, weight_sd, (n, d))
    b = rng.uniform(-bias_range, bias_range, n)

    def data(m):
        X = np.zeros((m, d))
        X[:, :2] = rng.uniform(-half_width, half_width, (m, 2))
        return X, uat_target(X[:, 0], X[:, 1])

    Xtr, ytr = data(n_train)
    Xte, yte = data(n_test)
    out = {"full_neurons": int(np.sum(M[:, 0] * M[:, 1])), "active_rows": int(active.sum())}
    for name, Mv in (("connected", M), ("disconnected", M * (np.arange(d) != 1))):
        We = Mv * W
        # Rows without a kept edge to x1 or x2 compute the constant relu(b_i) (other inputs are 0): their
        # columns span at most the constants, so they are replaced by one constant column (same fitted
        # function, a much smaller least-squares problem).
        live = np.any(We[:, :2] != 0, axis=1)
        const = bool(np.any((~live) & (b > 0)))
        Ftr = np.maximum(Xtr @ We[live].T + b[live], 0.0)
        Fte = np.maximum(Xte @ We[live].T + b[live], 0.0)
        if const:
            Ftr = np.hstack([Ftr, np.ones((n_train, 1))])
            Fte = np.hstack([Fte, np.ones((n_test, 1))])
        coef = linalg.lstsq(Ftr, ytr, lapack_driver="gelsy")[0]     # minimum-norm least squares
        out[f"rel_mse_{name}"] = float(np.mean((Fte @ coef - yte) ** 2) / np.var(yte))
    return out


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals())
