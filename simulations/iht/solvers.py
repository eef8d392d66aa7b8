"""Solvers on the matrix-free operator (spec §3.1-3.3): IHT with an inflated level and a fixed step, normalized
IHT with the Blumensath-Davies safeguard, the authors' AIHT (code-faithful), and a streaming IHT whose state is
the sparse iterate only.  Every solver works with the numpy and the torch backend of the operator."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulations.iht.topk import StreamingTopK, hard_threshold

STEPS = ("fixed", "jtk")


def _sq(a) -> float:
    return float((a * a).sum())


def _np(a) -> np.ndarray:
    return a.detach().cpu().numpy() if hasattr(a, "detach") else np.asarray(a)


@dataclass
class SolveResult:
    w: object                      # final iterate (dense dp vector, backend array) or (idx, val) for sparse solvers
    iterations: int
    converged: bool                # relative residual <= tol
    rel_err: list = field(default_factory=list)     # ‖w_k - w*‖/‖w*‖ per iteration (if w_true given)
    objective: list = field(default_factory=list)   # f(w_k) = ½‖A w_k - y‖² per iteration
    topk_support_stable_from: int | None = None     # first k from which the top-s support equals supp(w*)
    extra: dict = field(default_factory=dict)


def _check_level(level, N: int) -> int:
    if isinstance(level, bool) or not isinstance(level, (int, np.integer)) or not 1 <= level <= N:
        raise ValueError(f"level (projection level s̃) must be an integer in [1, {N}], got {level!r}")
    return int(level)


class _Tracker:
    def __init__(self, op, y, w_true, s_true):
        self.y2 = _sq(y)
        self.wt = None if w_true is None else op.asarray(w_true)
        self.wt2 = None if w_true is None else _sq(self.wt)
        self.supp = None if w_true is None else set(np.flatnonzero(_np(w_true)).tolist())
        self.s = len(self.supp) if self.supp is not None else s_true
        self.rel, self.obj, self.stable_from = [], [], None

    def record(self, k, w, r2):
        self.obj.append(0.5 * r2)
        if self.wt is None:
            return
        self.rel.append((_sq(w - self.wt) / self.wt2) ** 0.5)
        top = set(np.flatnonzero(_np(hard_threshold(w, self.s))).tolist())
        if top == self.supp:
            if self.stable_from is None:
                self.stable_from = k
        else:
            self.stable_from = None


def iht(op, y, level: int, *, step: str | float = "fixed", c: float = 0.9, beta_hat: float | None = None,
        max_iter: int = 3000, tol: float = 1e-12, w_true=None, norm_A: float | None = None) -> SolveResult:
    """w_{k+1} = H_level(w_k - η Aᵀ(A w_k - y)), w_0 = 0 (§3.1).

    ``step``: ``fixed`` (η = c/‖A‖₂², ‖A‖₂ by power iteration), ``jtk`` (η = 2/(3 beta_hat)) or a number.
    """
    N = op.shape[1]
    level = _check_level(level, N)
    if step == "fixed":
        nA = op.norm_est() if norm_A is None else norm_A
        eta = c / nA ** 2
    elif step == "jtk":
        if beta_hat is None or beta_hat <= 0:
            raise ValueError("step='jtk' needs beta_hat > 0 (the measured RSS constant)")
        eta = 2.0 / (3.0 * beta_hat)
    elif isinstance(step, (int, float)) and not isinstance(step, bool) and step > 0:
        eta = float(step)
    else:
        raise ValueError(f"step must be one of {STEPS} or a positive number, got {step!r}")
    y = op.asarray(y)
    tr = _Tracker(op, y, w_true, level)
    w = op.zeros(N)
    r = -y
    k, conv = 0, False
    for k in range(max_iter + 1):
        r2 = _sq(r)
        tr.record(k, w, r2)
        if r2 <= tol ** 2 * tr.y2:
            conv = True
            break
        if k == max_iter:
            break
        w = hard_threshold(w - eta * op.rmatvec(r), level)
        r = op.matvec(w) - y
    return SolveResult(w, k, conv, tr.rel, tr.obj, tr.stable_from, {"eta": eta})


def niht(op, y, level: int, *, safeguard: bool = True, c: float = 0.01, kappa: float = 2.0,
         max_reductions: int = 60, max_iter: int = 3000, tol: float = 1e-12, w_true=None) -> SolveResult:
    """Normalized IHT (Blumensath-Davies 2010) with the support-change safeguard (§3.2)."""
    N = op.shape[1]
    level = _check_level(level, N)
    if not (0 < c < 1 and kappa > 1 / (1 - c)):
        raise ValueError(f"need 0 < c < 1 and kappa > 1/(1-c), got c={c}, kappa={kappa}")
    y = op.asarray(y)
    tr = _Tracker(op, y, w_true, level)
    w = op.zeros(N)
    r = y * 1.0                                    # residual y - A w
    k, conv, reductions = 0, False, 0
    for k in range(max_iter + 1):
        r2 = _sq(r)
        tr.record(k, w, r2)
        if r2 <= tol ** 2 * tr.y2:
            conv = True
            break
        if k == max_iter:
            break
        g = op.rmatvec(r)
        gam = (w != 0) if bool((w != 0).any()) else (hard_threshold(g, level) != 0)
        gG = g * gam
        den = _sq(op.matvec(gG))
        if den == 0:
            break
        mu = _sq(gG) / den
        wn = hard_threshold(w + mu * g, level)
        if safeguard:
            for _ in range(max_reductions):
                if bool(((wn != 0) == gam).all()):
                    break
                dw = wn - w
                Adw2 = _sq(op.matvec(dw))
                omega = (1 - c) * _sq(dw) / Adw2 if Adw2 > 0 else np.inf
                if mu <= omega:
                    break
                mu = mu / (kappa * (1 - c))
                reductions += 1
                wn = hard_threshold(w + mu * g, level)
        w = wn
        r = y - op.matvec(w)
    return SolveResult(w, k, conv, tr.rel, tr.obj, tr.stable_from, {"reductions": reductions})


# ---------------------------------------------------------------------------- streaming (sparse state)
def stream_threshold(op, idx: np.ndarray, val: np.ndarray, res, mu: float, t: int,
                     order: list | None = None) -> tuple[np.ndarray, np.ndarray, int]:
    """H_t(x + mu Aᵀ res) for the sparse x = (idx, val), over chunks of generators, never storing Aᵀ res.

    Returns (indices, values, buffer peak).  ``order`` permutes the chunks (the result must not depend on it).
    """
    d = op.d
    buf = StreamingTopK(t)
    res = op.asarray(res)
    bounds = op.chunks()
    if order is not None:
        bounds = list(bounds)
        bounds = [bounds[i] for i in order]
    for j0, j1 in bounds:
        C = mu * _np(op.grad_chunk(res, j0, j1))
        sel = (idx >= j0 * d) & (idx < j1 * d)
        C.reshape(-1)[idx[sel] - j0 * d] += val[sel]
        buf.push(np.arange(j0 * d, j1 * d), C.reshape(-1))
    i, v = buf.result()
    return i, v, buf.peak


def iht_streaming(op, y, level: int, *, eta: float, max_iter: int = 100, tol: float = 1e-12) -> SolveResult:
    """IHT with a fixed step whose persistent state is the sparse iterate (idx, val): O(level) (§3.9)."""
    level = _check_level(level, op.shape[1])
    y = op.asarray(y)
    y2 = _sq(y)
    idx, val = np.zeros(0, dtype=np.int64), np.zeros(0)
    peak, k, conv, obj = 0, 0, False, []
    for k in range(max_iter + 1):
        res = y - op.matvec_sparse(idx, val)
        obj.append(0.5 * _sq(res))
        if 2 * obj[-1] <= tol ** 2 * y2:
            conv = True
            break
        if k == max_iter:
            break
        idx, val, pk = stream_threshold(op, idx, val, res, eta, level)
        peak = max(peak, pk)
    return SolveResult((idx, val), k, conv, [], obj, None, {"buffer_peak": peak})


def aiht_code(op, y, s: int, *, steps: int = 15, R: int = 10, state=None, armijo: float = 0.9,
              halvings: int = 11) -> SolveResult:
    """The authors' AIHT as their code runs it (§3.3): normalized step on the old support (μ₀ = 1e-14 when
    the support is empty, +1e-8 in the denominator, no safeguard), streaming threshold at level s, then R
    Armijo-backtracked gradient steps on the new support (gradient without the factor 2; μ carries over).
    ``state`` = (idx, val) to continue from; returns the sparse iterate (idx, val)."""
    s = _check_level(s, op.shape[1])
    y = op.asarray(y)
    idx, val = (np.zeros(0, dtype=np.int64), np.zeros(0)) if state is None else state
    obj = []
    for _ in range(steps):
        if idx.size == 0:
            mu, r = 1e-14, -y
        else:
            A_G = op.restricted(idx)
            r = A_G @ op.asarray(val) - y
            g = A_G.T @ r
            mu = _sq(g) / (_sq(A_G @ g) + 1e-8)
        idx, val, _ = stream_threshold(op, idx, val, -r, mu, s)
        z0 = op.asarray(val)
        if R and idx.size:
            A_G = op.restricted(idx)
            z = z0
            rz = A_G @ z - y
            for _ in range(R):
                F, g = _sq(rz), A_G.T @ rz
                g2, ok = _sq(g), False
                for attempt in range(halvings + 1):
                    zn = z - mu * g
                    rn = A_G @ zn - y
                    if _sq(rn) <= F - armijo * mu * g2:
                        ok = True
                        break
                    if attempt < halvings:
                        mu = mu / 2
                if not ok:
                    z = z0
                    break
                z, rz = zn, rn
            val = _np(z).astype(np.float64)
        else:
            val = _np(z0).astype(np.float64)
        obj.append(0.5 * _sq(op.matvec_sparse(idx, val) - y))
    return SolveResult((idx, val), steps, False, [], obj, None, {})
