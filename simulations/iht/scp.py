"""The authors' practical algorithm (spec §3.3-3.4): AIHT at level s with sequential-convex (SCP) generator
updates, h_j := ŵ_j after step 1, strict indicator; plus PSNR and canonicalised weight recovery (§5.3, IHT-17)."""
from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

from simulations.iht.operator import GatedOperator
from simulations.iht.solvers import aiht_code


def initial_generators(d: int, m: int, seed: int) -> np.ndarray:
    """h_j ~ N(0, I_d) seeded with j + offset; offset = 0 for seed 0, else a random integer in [0, d m)."""
    offset = 0 if seed == 0 else int(np.random.default_rng(seed).integers(0, d * m))
    return np.stack([np.random.default_rng(j + offset).standard_normal(d) for j in range(m)], axis=1)


def psnr(y: np.ndarray, yhat: np.ndarray) -> float:
    """20 log10(max |y|) - 10 log10(MSE); +inf for an exact fit."""
    mse = float(np.mean((np.asarray(y, np.float64) - np.asarray(yhat, np.float64)) ** 2))
    return float("inf") if mse == 0 else float(20 * np.log10(np.max(np.abs(y))) - 10 * np.log10(mse))


def scp_aiht(X: np.ndarray, y: np.ndarray, m: int, s: int, *, steps: int = 15, R: int = 10, seed: int = 0,
             strict: bool = True, scp: bool = True, backend: str = "numpy", device: str = "cpu",
             chunk: int = 64) -> dict:
    """Run code-faithful AIHT with SCP; returns W_hat (d x m), the solver's prediction, per-step alive-block
    counts and objective values.  Dead blocks (ŵ_j = 0 at a switch) get a zero pattern and never return, so
    after the switch the operator is built over the alive blocks only (the same iterates, O(n d a) work)."""
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(f"X must be (n, d) and y (n,), got X {X.shape} and y {y.shape}")
    n, d = X.shape
    H = initial_generators(d, m, seed)
    blocks = np.arange(m)                          # global block ids of the operator's columns
    idx, val = np.zeros(0, dtype=np.int64), np.zeros(0)
    alive, obj = [], []
    op = GatedOperator(X, H, strict=strict, backend=backend, device=device, chunk=chunk)
    for k in range(steps):
        res = aiht_code(op, y, min(s, op.shape[1]), steps=1, R=R, state=(idx, val))
        idx, val = res.w
        obj.append(res.objective[-1])
        gidx = blocks[idx // d] * d + idx % d      # global flat indices
        if scp and k >= 1:
            W = np.zeros((d, m))
            W[gidx % d, gidx // d] = val
            blocks = np.unique(gidx // d)
            op = GatedOperator(X, W[:, blocks], strict=strict, backend=backend, device=device, chunk=chunk)
            pos = np.searchsorted(blocks, gidx // d)
            idx = pos * d + gidx % d
            order = np.argsort(idx, kind="stable")
            idx, val = idx[order], val[order]
        alive.append(int(np.unique(blocks[idx // d]).size) if idx.size else 0)
    gidx = blocks[idx // d] * d + idx % d
    W = np.zeros((d, m))
    W[gidx % d, gidx // d] = val
    pred = np.asarray(op.matvec_sparse(idx, val)) if idx.size else np.zeros(n)
    if hasattr(pred, "detach"):
        pred = pred.detach().cpu().numpy()
    return {"W": W, "pred": np.asarray(pred, np.float64), "alive": alive, "objective": obj}


def canonical_neurons(W: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """Neurons of sum_j relu(X w_j) with zero columns dropped and positively parallel columns merged."""
    W = np.asarray(W)
    if W.ndim != 2:
        raise ValueError(f"W must be a 2-D (d, m) array of neurons, got shape {W.shape}")
    cols = [W[:, j] for j in range(W.shape[1]) if np.linalg.norm(W[:, j]) > tol]
    merged: list[np.ndarray] = []
    for c in cols:
        u = c / np.linalg.norm(c)
        for i, mcol in enumerate(merged):
            if np.allclose(mcol / np.linalg.norm(mcol), u, atol=1e-9):
                merged[i] = mcol + c
                break
        else:
            merged.append(c.copy())
    return np.stack(merged, axis=1) if merged else np.zeros((W.shape[0], 0))


def recovery_error(W_true: np.ndarray, W_hat: np.ndarray) -> float:
    """Relative Frobenius error after canonicalising both and matching neurons (Hungarian, zero-padded)."""
    A, B = canonical_neurons(W_true), canonical_neurons(W_hat)
    k = max(A.shape[1], B.shape[1])
    A = np.pad(A, ((0, 0), (0, k - A.shape[1])))
    B = np.pad(B, ((0, 0), (0, k - B.shape[1])))
    C = ((A[:, :, None] - B[:, None, :]) ** 2).sum(0)
    r, c = linear_sum_assignment(C)
    return float(np.sqrt(C[r, c].sum()) / max(np.linalg.norm(A), 1e-300))


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), ndim={"W_true": 2, "W_hat": 2, "W": 2, "X": 2, "y": 1})
