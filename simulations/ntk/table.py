"""Spec §8.9 reference table (checks 15-17): Graphon-NTK Grams of the SNIP-type and Random graphons on
sampled Gaussian data, and their alignment, complexity term and spectrum diagnostics.

Setup: d = 64, x ~ N(0, I_64), informative coordinates = the first 16; SNIP-type graphon
W*(u, v) = 2Φ̄(τ/(R(u)C_j)), C_j = 1 (informative) or 0.1, τ calibrated per p on a 4000-node u grid; Random
graphon W ≡ p (Θ_p = p Θ_dense, so one dense Gram serves every p).  ReLU, σ_w = σ_a = 1, m ≡ 1, Q = 64.
Sign target y = sign(Σ_{j≤16} x_j) with N = 200; linear target y = (1/4) Σ_{j≤16} x_j with N = 600.
"""
from __future__ import annotations

import numpy as np

from theory import ntk as T

D, INFORMATIVE, Q = 64, 16, 64
STATS = ("align", "complexity", "spectrum")


def _data(rng, N: int, target: str):
    X = rng.standard_normal((N, D))
    s = X[:, :INFORMATIVE].sum(1)
    y = np.where(s >= 0, 1.0, -1.0) if target == "sign" else s / 4.0
    return X, y


def grams(X, p: float, method: str, dense=None, readout: str = "independent"):
    """Graphon-NTK Gram of the Random or SNIP-type graphon; ``readout="coupled"`` gives the SNIP-type kernel the
    score-coupled readout m(u) = A(u)² (spec §8.3; the Random graphon's readout is independent of its mask)."""
    if readout not in ("independent", "coupled"):
        raise ValueError(f"readout must be 'independent' or 'coupled', got {readout!r}")
    if method == "random":
        return p * (T.dense_ntk(X, q=Q) if dense is None else dense)
    C = T.column_profile(D, INFORMATIVE)
    W, _ = T.snip_graphon(p, C, q=Q)
    if readout == "coupled":
        return T.graphon_ntk(X, W=W, q=Q, m=T.coupled_readout())
    return T.graphon_ntk(X, W=W, q=Q)


def table_cell(cell) -> dict:
    """One seed: for every p and method, the statistics named in ``config["stats"]`` (``config["readout"]``,
    optional: the SNIP-type kernel's readout coupling, default independent)."""
    c = cell.config
    stats = c["stats"]
    if not set(stats) <= set(STATS):
        raise ValueError(f"stats must be a subset of {STATS}, got {stats!r}")
    rng = cell.numpy_rng()
    Xs, ys = _data(rng, c["N_sign"], "sign")
    Xl, yl = _data(rng, c["N_linear"], "linear") if "complexity" in stats else (None, None)
    dense_s = T.dense_ntk(Xs, q=Q)
    dense_l = T.dense_ntk(Xl, q=Q) if Xl is not None else None
    out = {}
    for p in c["densities"]:
        for method in ("random", "snip"):
            key = f"{method}@{p}"
            ro = c.get("readout", "independent")
            H = grams(Xs, p, method, dense_s, ro)
            row = {}
            if "align" in stats:
                row["align_uncentred"] = T.alignment(H, ys, centred=False)
                row["align_centred"] = T.alignment(H, ys, centred=True)
            if "spectrum" in stats:
                row["effective_rank"] = T.effective_rank(H)
                row["entropy_rank"] = T.entropy_rank(H)
                row["lambda_min"] = T.lambda_min(H)
                row["top5_share"] = T.top_k_share(H, 5)
            if "complexity" in stats:
                row["C_sign"] = T.complexity_term(H, ys)["value"]
                row["C_linear"] = T.complexity_term(grams(Xl, p, method, dense_l, ro), yl)["value"]
            out[key] = row
    return out


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), per_function={"grams": {"prob": ("p",), "ndim": {"X": 2}}})
