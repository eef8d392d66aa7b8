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
                     order: list | None = None, keep_patterns: bool = False):
    """H_t(x + mu Aᵀ res) for the sparse x = (idx, val), over chunks of generators (each itself streamed over
    chunks of rows), never storing Aᵀ res.

    Returns (indices, values, buffer peak), and with ``keep_patterns`` a fourth item: (blocks, store, rows) for
    the blocks that hold the returned entries -- their patterns (bit-packed on numpy) kept in a store of
    min(t, p) rows while each chunk's candidates are merged, so the refinement needs no second pattern
    product -- or None when the operator keeps none.
    ``order`` permutes the chunks (the result must not depend on it).
    """
    d = op.d
    buf = StreamingTopK(t)
    res = op.asarray(res)
    idx = np.asarray(idx, dtype=np.int64)
    val = np.asarray(val)
    bounds = op.chunks()
    if order is not None:
        bounds = list(bounds)
        bounds = [bounds[i] for i in order]
    # patterns of the blocks in the buffer, in a slot store of min(t, p) rows (no compaction copies); the
    # bookkeeping is O(t): the blocks holding a row (ascending) and their rows
    store = sb = ss = None
    for j0, j1 in bounds:
        if keep_patterns:
            G, pat = op.grad_chunk(res, j0, j1, keep_patterns=True)
        else:
            G, pat = op.grad_chunk(res, j0, j1), None
        C = mu * _np(G)
        del G
        sel = (idx >= j0 * d) & (idx < j1 * d)
        C.reshape(-1)[idx[sel] - j0 * d] += val[sel]
        buf.push(np.arange(j0 * d, j1 * d), C.reshape(-1))
        del C
        if pat is not None:
            if store is None:
                cap = min(t, op.p)
                store = pat.new_empty((cap, pat.shape[1])) if hasattr(pat, "detach") else \
                    np.empty((cap, pat.shape[1]), dtype=pat.dtype)
                sb, ss = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
            liveb = np.unique(buf.idx // d)
            stay = np.isin(sb, liveb, assume_unique=True)   # blocks that left the buffer free their rows
            sb, ss = sb[stay], ss[stay]
            newb = liveb[(liveb >= j0) & (liveb < j1)]
            if newb.size:
                used = np.zeros(store.shape[0], dtype=bool)
                used[ss] = True
                free = np.flatnonzero(~used)[:newb.size]
                store[_sel(store, free)] = pat[_sel(pat, newb - j0)]
                sb, ss = np.concatenate([sb, newb]), np.concatenate([ss, free])
                o = np.argsort(sb, kind="stable")
                sb, ss = sb[o], ss[o]
            del pat
    i, v = buf.result()
    if not keep_patterns:
        return i, v, buf.peak
    if store is None:
        return i, v, buf.peak, None
    return i, v, buf.peak, (sb, store, ss)


def _sel(a, m):
    """Index an array or tensor with a numpy boolean mask or integer array."""
    if hasattr(a, "detach"):
        import torch

        return torch.as_tensor(np.asarray(m), device=a.device)
    return m


def iht_step(op, y, idx: np.ndarray, val: np.ndarray, eta: float, level: int, *, res=None):
    """One IHT iteration on the sparse iterate (idx, val): r = y - A w (over the support, O(n s)), then the
    streaming threshold H_level(w + eta Aᵀ r).  ``res`` = y - A w when already known.
    Returns (indices, values, buffer peak)."""
    if res is None:
        res = op.asarray(y) - op.matvec_sparse(idx, val)
    return stream_threshold(op, idx, val, res, eta, level)


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
        idx, val, pk = iht_step(op, y, idx, val, eta, level, res=res)
        peak = max(peak, pk)
    return SolveResult((idx, val), k, conv, [], obj, None, {"buffer_peak": peak})


@dataclass
class AIHTState:
    """The sparse iterate (idx, val) of :func:`aiht_step`, with what the next step can reuse on the same
    operator: the residual A x - y, the gradient A_Γᵀ(A x - y) on Γ = idx and the support's products (its
    bit-packed patterns).  ``op`` guards against reuse on another operator (SCP rebuilds it every step)."""
    idx: np.ndarray
    val: np.ndarray
    residual: object = None
    grad: object = None
    support: object = None
    op: object = None
    reset: int = 0                 # refinement steps in this step where all tries failed (z reset to x̃)


def aiht_step(op, y, s: int, state=None, *, R: int = 10, armijo: float = 0.9, tries: int = 11) -> AIHTState:
    """One outer step of the authors' AIHT as their code runs it (§3.3, F15).

    1. μ = ‖g_Γ‖² / (‖A_Γ g_Γ‖² + 1e-8) with g_Γ = A_Γᵀ(A_Γ x - y) on the old support (μ = 1e-14 if Γ = ∅);
    2. x̃ = H_s(x - μ Aᵀ(A x - y)) by the streaming threshold over all p blocks;
    3. R refinement steps on Γ̃ = supp(x̃) from z = x̃: g = A_Γ̃ᵀ(A z - y) (no factor 2), try z - μ g, accept if
       ‖A z' - y‖² <= ‖A z - y‖² - armijo μ ‖g‖², else halve μ; at most ``tries`` tries, μ halved after each
       failure.  When all tries fail, z resets to x̃ (F to its value there) and the remaining steps go on with
       the halved μ.  μ carries over between the refinement steps.

    Products: each refinement step is one fused sweep over the rows computing A_Γ̃ g and A_Γ̃ᵀ A_Γ̃ g; a try
    costs O(n) (A(z - μ g) - y = r_z - μ A g) and the next gradient is g - μ A_Γ̃ᵀ A_Γ̃ g -- the code's values up
    to rounding.  ``state``: None (x = 0), (idx, val) or an :class:`AIHTState` from the previous step.
    """
    y = op.asarray(y)
    if state is None:
        state = AIHTState(np.zeros(0, dtype=np.int64), np.zeros(0))
    elif not isinstance(state, AIHTState):
        state = AIHTState(np.asarray(state[0], dtype=np.int64), np.asarray(state[1], dtype=np.float64))
    idx, val = state.idx, state.val
    if idx.size == 0:
        mu, r = 1e-14, -y
    else:
        if state.op is op and state.residual is not None and state.grad is not None:
            sup, r, g = state.support, state.residual, state.grad
        else:
            sup = op.support(idx)
            r, g = sup.apply(val, y)                         # r = A_Γ x - y, g = A_Γᵀ r
        mu = _sq(g) / (_sq(sup.matvec(g)) + 1e-8)
        del sup, g                                           # (a carried state keeps its own reference)
    # the threshold keeps the new support's patterns only when its store (min(s, p) blocks) fits the operator's
    # pattern budget; otherwise the support recomputes them per window of rows (memory independent of n s)
    fits = getattr(op, "fits_patterns", None)
    keep = R > 0 and fits is not None and fits(min(s, op.p))
    out = stream_threshold(op, idx, val, -r, mu, s, keep_patterns=keep)
    del r
    idx2, z0 = out[0], out[1]
    pats = out[3] if keep else None
    del out
    if not (R and idx2.size):
        val2 = _np(z0).astype(np.float64)
        return AIHTState(idx2, val2, None, None, None, None)
    sup = op.support(idx2, patterns=pats) if pats is not None else op.support(idx2)
    del pats
    z0 = op.asarray(z0)
    rz0, g0 = sup.apply(z0, y)                               # A z0 - y and its restricted gradient
    F0 = _sq(rz0)
    z, rz, g, F, resets = z0, rz0, g0, F0, 0
    for _ in range(R):
        g2 = _sq(g)
        Ag, Hg = sup.apply(g)                                # A g and Aᵀ A g, one sweep
        ok = False
        for _ in range(tries):
            rn = rz - mu * Ag
            Fn = _sq(rn)
            if Fn <= F - armijo * mu * g2:
                ok = True
                break
            mu = mu / 2
        if ok:
            z, rz, g, F = z - mu * g, rn, g - mu * Hg, Fn
        else:                                                # the code's branch: back to x̃, μ stays halved
            z, rz, g, F = z0, rz0, g0, F0
            resets += 1
    return AIHTState(idx2, _np(z).astype(np.float64), rz, g, sup, op, resets)


def aiht_code(op, y, s: int, *, steps: int = 15, R: int = 10, state=None, armijo: float = 0.9,
              tries: int = 11) -> SolveResult:
    """The authors' AIHT as their code runs it (§3.3): ``steps`` outer steps of :func:`aiht_step` (normalized
    step on the old support with μ₀ = 1e-14 when the support is empty and +1e-8 in the denominator, no
    safeguard; streaming threshold at level s; R Armijo-backtracked gradient steps on the new support, μ
    carried over, reset to x̃ when all ``tries`` fail).  ``state`` = (idx, val) or an :class:`AIHTState` to
    continue from; returns the sparse iterate (idx, val), ``extra["state"]`` the final state and
    ``extra["resets"]`` the number of refinement steps that hit the reset branch."""
    s = _check_level(s, op.shape[1])
    if isinstance(tries, bool) or not isinstance(tries, (int, np.integer)) or tries < 1:
        raise ValueError(f"tries must be a positive integer, got {tries!r}")
    y = op.asarray(y)
    obj, resets = [], 0
    for _ in range(steps):
        state = aiht_step(op, y, s, state, R=R, armijo=armijo, tries=tries)
        resets += state.reset
        if state.residual is not None:
            obj.append(0.5 * _sq(state.residual))
        else:
            obj.append(0.5 * _sq(op.matvec_sparse(state.idx, state.val) - y))
    if state is None:
        state = AIHTState(np.zeros(0, dtype=np.int64), np.zeros(0))
    elif not isinstance(state, AIHTState):
        state = AIHTState(np.asarray(state[0], dtype=np.int64), np.asarray(state[1], dtype=np.float64))
    return SolveResult((state.idx, state.val), steps, False, [], obj, None, {"state": state, "resets": resets})


# ---------------------------------------------------------------------------- the authors' per-block design
def _block(X, h, strict: bool):
    """D_j X = diag(1[X h_j >= 0]) X, the n x d block of generator h_j (built on the fly, as the authors do)."""
    z = X @ h
    return ((z > 0) if strict else (z >= 0))[:, None] * X


def _pb_matvec(X, H, idx, val, strict):
    """A w over the blocks of the support, one D_j X at a time (B_j @ w_j with w_j the dense d-block)."""
    n, d = X.shape
    out = np.zeros(n)
    blocks = idx // d
    for j in np.unique(blocks):
        wj = np.zeros(d)
        sel = blocks == j
        wj[idx[sel] - j * d] = val[sel]
        out += _block(X, H[:, j], strict) @ wj
    return out


def _pb_rmatvec(X, H, r, idx, strict):
    """(Aᵀ r) on the support, one D_j X at a time."""
    d = X.shape[1]
    out = np.zeros(idx.size)
    blocks = idx // d
    for j in np.unique(blocks):
        sel = blocks == j
        out[sel] = (_block(X, H[:, j], strict).T @ r)[idx[sel] - j * d]
    return out


def _pb_threshold(X, H, idx, val, res, mu, t, strict):
    """H_t(x + mu Aᵀ res), block by block into a buffer of t + d entries (the authors' streaming threshold)."""
    d = X.shape[1]
    buf = StreamingTopK(t)
    x = dict(zip(idx.tolist(), val.tolist()))
    for j in range(H.shape[1]):
        c = mu * (_block(X, H[:, j], strict).T @ res)
        for k in range(j * d, (j + 1) * d):
            if k in x:
                c[k - j * d] += x[k]
        buf.push(np.arange(j * d, (j + 1) * d), c)
    return buf.result()


def _pb_args(X, H, y) -> None:
    """Shapes of the per-block baselines: X (n, d), H (d, p), y (n,)."""
    n, d = np.shape(X)
    if np.shape(H)[0] != d:
        raise ValueError(f"H must be d x p with d = X.shape[1] = {d} rows, got shape {np.shape(H)}")
    if np.shape(y) != (n,):
        raise ValueError(f"y must be a vector of n = X.shape[0] = {n} entries, got shape {np.shape(y)}")


def _pb_support(idx, val, N: int, what: str):
    """A sparse iterate (indices, values) on N = d p coordinates, as (int64, float64) arrays."""
    i, v = np.asarray(idx), np.asarray(val)
    if i.dtype.kind not in "iuf" or i.ndim != 1 or (i.size and (np.any(~np.isfinite(i)) or np.any(i != np.round(i)))):
        raise ValueError(f"{what}: idx must be a vector of integer indices, got dtype {i.dtype}, shape {i.shape}")
    if i.size and (i.min() < 0 or i.max() >= N):
        raise ValueError(f"{what}: idx must lie in [0, d p) = [0, {N}), got [{i.min()}, {i.max()}]")
    if v.dtype.kind not in "iuf" or v.shape != i.shape or not np.all(np.isfinite(v)):
        raise ValueError(f"{what}: val must be finite numbers, one per index in idx ({i.size}), got dtype {v.dtype}, "
                         f"shape {v.shape}")
    return i.astype(np.int64), v.astype(np.float64)


def iht_step_per_block(X, H, y, idx, val, eta: float, level: int, strict: bool = False):
    """Baseline for :func:`iht_step`: the same iteration with every product a loop over blocks building the
    n x d block D_j X (A w over the active blocks, Aᵀ r over all p).  Returns (indices, values)."""
    X, H, y = np.asarray(X), np.asarray(H), np.asarray(y, dtype=np.float64)
    _pb_args(X, H, y)
    idx, val = _pb_support(idx, val, X.shape[1] * H.shape[1], "the iterate (idx, val)")
    res = y - _pb_matvec(X, H, idx, val, strict)
    return _pb_threshold(X, H, idx, val, res, eta, level, strict)


def aiht_step_per_block(X, H, y, s: int, state=None, *, R: int = 10, armijo: float = 0.9, tries: int = 11,
                        strict: bool = False):
    """Baseline for :func:`aiht_step`: one AIHT step in the authors' per-block design (spec §3.3, §3.8,
    §3.10 'per-block scheme': one n x d block alive at a time).  Every product with A is a Python loop over
    blocks building D_j X: A_Γ x, A_Γᵀ r and A_Γ g for the step size, Aᵀ r over all p blocks for the
    threshold (buffer of s + d), and in the refinement A_Γ̃ᵀ r_z for each gradient and A_Γ̃ z' for each try
    (the accepted try's residual is reused).  Returns (indices, values, resets)."""
    X, H, y = np.asarray(X), np.asarray(H), np.asarray(y, dtype=np.float64)
    _pb_args(X, H, y)
    if state is None:
        idx, val = np.zeros(0, dtype=np.int64), np.zeros(0)
    else:
        if len(state) != 2:
            raise ValueError(f"state must be None or an (indices, values) pair, got {len(state)} items")
        idx, val = _pb_support(state[0], state[1], X.shape[1] * H.shape[1], "state")
    if idx.size == 0:
        mu, r = 1e-14, -y
    else:
        r = _pb_matvec(X, H, idx, val, strict) - y
        g = _pb_rmatvec(X, H, r, idx, strict)
        mu = _sq(g) / (_sq(_pb_matvec(X, H, idx, g, strict)) + 1e-8)
    idx2, z0 = _pb_threshold(X, H, idx, val, -r, mu, s, strict)
    resets = 0
    if not (R and idx2.size):
        return idx2, z0, resets
    rz0 = _pb_matvec(X, H, idx2, z0, strict) - y
    z, rz, F0 = z0, rz0, _sq(rz0)
    F = F0
    for _ in range(R):
        g = _pb_rmatvec(X, H, rz, idx2, strict)
        g2, ok = _sq(g), False
        for _ in range(tries):
            zn = z - mu * g
            rn = _pb_matvec(X, H, idx2, zn, strict) - y
            if _sq(rn) <= F - armijo * mu * g2:
                ok = True
                break
            mu = mu / 2
        if ok:
            z, rz, F = zn, rn, _sq(rn)
        else:
            z, rz, F = z0, rz0, F0
            resets += 1
    return idx2, z, resets


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

# The solvers of an operator object (op) are left as they are: they run per iteration on the engine's own
# validated operator, and a guard would scan y once per step; the per-block baselines take plain arrays.
# idx/val may be empty (the zero iterate); R = 0 is an AIHT step without refinement sweeps.
guard_module(globals(), exclude=("iht", "niht", "stream_threshold", "iht_step", "iht_streaming", "aiht_step",
                                 "aiht_code"),
             ndim={"X": 2, "H": 2, "y": 1, "idx": 1, "val": 1},
             per_function={"iht_step_per_block": {"empty_ok": ("idx", "val")},
                           "aiht_step_per_block": {"nonpositive_ok": ("R",)}})
