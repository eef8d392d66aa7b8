"""Cut norm of a real matrix in step-graphon units (spec graphon §2.4, §6.1).

    ||A||_cut = max_{S subset [n], T subset [d]} |sum_{i in S, j in T} A_ij| / (n d)

* :func:`cut_norm_exact`  -- enumeration of the subsets of the smaller side (<= 16), fully vectorised.
* :func:`cut_norm_alternating` -- lower bound by alternating best responses; all restarts (both signs) are
  the columns of one matrix product per half-step.
* :func:`cut_norm_spectral` -- upper bound ||A||_2 / sqrt(n d).
* :func:`cut_norm_sdp` -- Alon--Naor / Grothendieck SDP on the bordered matrix B: a *certified* upper bound
  trace(D) from a dual-feasible diagonal D (D - B~ PSD), and Gaussian hyperplane rounding as a lower bound
  with witnesses.  ||A||_C = ||B||_{inf->1} / 4 <= SDP(B) / 4 <= K_G ||A||_C.

Every bound returns a :class:`CutResult` (value normalised by n d; witnesses where the method has them).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.linalg import eigvalsh   # module level: BLAS loaded before any threadpool_limits
from scipy.sparse.linalg import svds

#: Krivine's upper bound on Grothendieck's constant, pi / (2 ln(1 + sqrt 2)).
K_GROTHENDIECK = float(np.pi / (2.0 * np.log1p(np.sqrt(2.0))))
EXACT_MAX_SIDE = 16
DEVICES = ("cpu", "cuda")


@dataclass(frozen=True)
class CutResult:
    """``value`` in step-graphon units; ``rows``/``cols`` the witness sets (index arrays) and ``sign`` (+1/-1)
    with value = sign * A[rows][:, cols].sum() / (n d) for witnessed bounds; ``extra`` holds diagnostics."""

    value: float
    rows: np.ndarray | None = None
    cols: np.ndarray | None = None
    sign: int = 1
    extra: dict = field(default_factory=dict)

    def __float__(self) -> float:
        return self.value


def as_matrix(A, name: str = "A") -> np.ndarray:
    """A finite 2-D float64 numpy array (torch tensors are copied to the host)."""
    if hasattr(A, "detach"):
        A = A.detach().cpu().numpy()
    a = np.asarray(A, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] < 1 or a.shape[1] < 1:
        raise ValueError(f"{name} must be a non-empty 2-D matrix, got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return a


def _check_device(device: str) -> str:
    if device not in DEVICES:
        raise ValueError(f"device must be one of {DEVICES}, got {device!r}")
    return device


def cut_value(A, rows, cols) -> float:
    """sum_{i in rows, j in cols} A_ij / (n d) (signed)."""
    a = as_matrix(A)
    r, c = np.asarray(rows, dtype=np.intp), np.asarray(cols, dtype=np.intp)
    return float(a[np.ix_(r, c)].sum() / a.size)


# ----------------------------------------------------------------------------------------------- exact
def cut_norm_exact(A, max_side: int = EXACT_MAX_SIDE, chunk: int = 4096) -> CutResult:
    """Exact cut norm by enumerating every subset S of the smaller side; the best T for given S keeps the
    columns of positive (or, for the negative sign, negative) column sum over S.  Vectorised: the subsets
    are the rows of a 0/1 indicator matrix, multiplied against A in chunks."""
    a = as_matrix(A)
    if not isinstance(max_side, int) or max_side < 1 or max_side > 22:
        raise ValueError(f"max_side must be an int in [1, 22], got {max_side!r}")
    transposed = a.shape[0] > a.shape[1]
    b = a.T if transposed else a
    n = b.shape[0]
    if n > max_side:
        raise ValueError(f"exact cut norm needs min(n, d) <= {max_side}, got shape {a.shape}; "
                         "use cut_norm_alternating / cut_norm_spectral / cut_norm_sdp for larger matrices")
    best, best_code, best_sign = -1.0, 0, 1
    total = 1 << n
    chunk = max(1, min(int(chunk), (1 << 22) // b.shape[1]))           # at most ~32 MB of column sums
    bits = 1 << np.arange(n, dtype=np.int64)
    for start in range(0, total, chunk):
        codes = np.arange(start, min(total, start + chunk), dtype=np.int64)
        ind = ((codes[:, None] & bits[None, :]) != 0).astype(np.float64)     # (chunk, n) subset indicators
        s = ind @ b                                                           # column sums over each S
        pos = np.maximum(s, 0.0).sum(axis=1)
        neg = np.maximum(-s, 0.0).sum(axis=1)
        for val, sign in ((pos, 1), (neg, -1)):
            k = int(np.argmax(val))
            if val[k] > best:
                best, best_code, best_sign = float(val[k]), int(codes[k]), sign
    S = np.flatnonzero((best_code & bits) != 0)
    colsum = b[S].sum(axis=0) * best_sign
    T = np.flatnonzero(colsum > 0)
    rows, cols = (T, S) if transposed else (S, T)
    return CutResult(best / a.size, rows, cols, best_sign, {"method": "exact"})


# ------------------------------------------------------------------------------------------ alternating
def cut_norm_alternating(A, restarts: int = 8, max_iter: int = 30, seed: int = 0,
                         device: str = "cpu") -> CutResult:
    """Lower bound: alternating exact best responses S <- {rows with positive signed sum over T},
    T <- {columns with positive signed sum over S}, from ``restarts`` starts per sign, run together as the
    2*restarts columns of one (d x R) indicator matrix.  Starts per sign: columns of positive total,
    columns of negative total, rows of positive / negative total (then their best T), random halves.
    Stops when no restart improves.  Exact for rank-one matrices (the total-sign starts reach all four
    sign combinations)."""
    _check_device(device)
    a = as_matrix(A)
    if not isinstance(restarts, int) or restarts < 4:
        raise ValueError(f"restarts must be an int >= 4 (four deterministic starts per sign), got {restarts!r}")
    if not isinstance(max_iter, int) or max_iter < 1:
        raise ValueError(f"max_iter must be a positive int, got {max_iter!r}")
    n, d = a.shape
    rng = np.random.default_rng(seed)
    colt, rowt = a.sum(axis=0), a.sum(axis=1)
    up, dn = a[rowt > 0].sum(axis=0), a[rowt < 0].sum(axis=0)     # column sums over the +/- total rows
    rand = list(rng.random((2 * (restarts - 4), d)) < 0.5)
    plus = [colt > 0, colt < 0, up > 0, dn > 0] + rand[:restarts - 4]      # sign +1: maximise  1_S' A 1_T
    minus = [colt < 0, colt > 0, up < 0, dn < 0] + rand[restarts - 4:]    # sign -1: maximise -1_S' A 1_T
    T0 = np.stack(plus + minus, axis=1).astype(np.float64)                 # (d, 2R)
    sg = np.repeat([1.0, -1.0], restarts)
    if device == "cuda":
        return _alternating_torch(a, T0, sg, max_iter, device)
    T = T0.copy()
    best = np.full(sg.size, -1.0)
    S = np.zeros((n, sg.size))
    act = np.arange(sg.size)                         # restarts still improving: one product per half-step
    for it in range(max_iter):
        s = sg[act]
        Sa = ((a @ T[:, act]) * s > 0).astype(np.float64)                  # best rows for every active T
        cs = (a.T @ Sa) * s                                                 # signed column sums over S
        val = np.maximum(cs, 0.0).sum(axis=0)
        improved = val > best[act] + 1e-12 * (1.0 + np.abs(best[act]))
        S[:, act], T[:, act] = Sa, (cs > 0).astype(np.float64)
        best[act] = np.maximum(best[act], val)
        act = act[improved]
        if act.size == 0:
            break
    k = int(np.argmax(best))
    rows, cols = np.flatnonzero(S[:, k]), np.flatnonzero(T[:, k])
    value = abs(cut_value(a, rows, cols)) if rows.size and cols.size else 0.0
    return CutResult(value, rows, cols, int(sg[k]), {"method": "alternating", "iterations": it + 1,
                                                    "restarts": int(sg.size)})


def _alternating_torch(a: np.ndarray, T0: np.ndarray, sg: np.ndarray, max_iter: int, device: str) -> CutResult:
    import torch

    A = torch.as_tensor(a, device=device)
    T = torch.as_tensor(T0, device=device)
    s = torch.as_tensor(sg, device=device)
    best = torch.full_like(s, -1.0)
    S = torch.zeros((A.shape[0], s.numel()), dtype=A.dtype, device=device)
    act = torch.arange(s.numel(), device=device)
    for it in range(max_iter):
        sa = s[act]
        Sa = (((A @ T[:, act]) * sa) > 0).to(A.dtype)
        cs = (A.T @ Sa) * sa
        val = cs.clamp(min=0).sum(dim=0)
        improved = val > best[act] + 1e-12 * (1 + best[act].abs())
        S[:, act], T[:, act] = Sa, (cs > 0).to(A.dtype)
        best[act] = torch.maximum(best[act], val)
        act = act[improved]
        if act.numel() == 0:
            break
    k = int(torch.argmax(best))
    rows = torch.nonzero(S[:, k]).ravel().cpu().numpy()
    cols = torch.nonzero(T[:, k]).ravel().cpu().numpy()
    value = abs(cut_value(a, rows, cols)) if rows.size and cols.size else 0.0
    return CutResult(value, rows, cols, int(sg[k]), {"method": "alternating", "iterations": it + 1,
                                                    "restarts": int(sg.size), "device": device})


# ---------------------------------------------------------------------------------------------- spectral
DENSE_MAX_SIDE = 2048


def spectral_norm(A, device: str = "cpu", method: str = "auto") -> float:
    """Largest singular value.  ``dense``: largest eigenvalue of the smaller Gram matrix (LAPACK subset
    solver; relative rounding error O(eps), covered by a 1e-12 relative margin).  ``lanczos``: ARPACK
    (scipy svds, tol 1e-12) with a 1e-9 relative margin, for min side > 2048 under ``auto``.  On cuda:
    torch.linalg.matrix_norm(ord=2)."""
    _check_device(device)
    if method not in ("auto", "dense", "lanczos"):
        raise ValueError(f"method must be 'auto', 'dense' or 'lanczos', got {method!r}")
    a = as_matrix(A)
    if device == "cuda":
        import torch

        t = torch.as_tensor(a, device=device)
        return float(torch.linalg.matrix_norm(t, ord=2)) * (1 + 1e-12)
    if min(a.shape) >= 3 and (method == "lanczos" or (method == "auto" and min(a.shape) > DENSE_MAX_SIDE)):
        v0 = np.ones(min(a.shape)) / np.sqrt(min(a.shape))
        s = svds(a, k=1, tol=1e-12, return_singular_vectors=False, v0=v0)
        return float(s[0]) * (1 + 1e-9)
    g = a.T @ a if a.shape[1] <= a.shape[0] else a @ a.T
    m = g.shape[0]
    lam = float(eigvalsh(g, subset_by_index=[m - 1, m - 1])[0])
    return float(np.sqrt(max(lam, 0.0)) * (1 + 1e-12))


def cut_norm_spectral(A, device: str = "cpu", method: str = "auto") -> CutResult:
    """Upper bound ||A||_2 / sqrt(n d) (from |1_S^T A 1_T| <= ||A||_2 sqrt(|S||T|))."""
    a = as_matrix(A)
    return CutResult(spectral_norm(a, device, method) / np.sqrt(a.size), extra={"method": "spectral"})


def cut_norm_upper(A, device: str = "cpu") -> CutResult:
    """The smallest of the cheap upper bounds: spectral, mean|A| (no witness)."""
    a = as_matrix(A)
    spec = cut_norm_spectral(a, device).value
    l1 = float(np.abs(a).mean())
    return CutResult(min(spec, l1), extra={"method": "min(spectral, mean|A|)", "spectral": spec, "l1": l1})


# --------------------------------------------------------------------------------------------------- SDP
@dataclass(frozen=True)
class SDPBound:
    """Alon--Naor SDP of the bordered matrix, in step-graphon units (divided by 4 n d).

    ``upper``: certified upper bound trace(D)/(4nd) from the dual-feasible diagonal D; ``primal``: the
    Burer--Monteiro objective (a lower bound on the SDP value, not on the cut norm); ``rounding``: the
    Gaussian hyperplane rounding, a witnessed lower bound on the cut norm; ``min_eig``: lambda_min of
    diag(D0) - B~ before the shift that made D feasible."""

    upper: float
    primal: float
    rounding: CutResult
    min_eig: float
    shift: float
    iterations: int


def border(A) -> np.ndarray:
    """B = [[A, -A 1], [-1^T A, 1^T A 1]]: zero row and column sums, same unnormalised cut norm as A."""
    a = as_matrix(A)
    rs = a.sum(axis=1, keepdims=True)
    cs = a.sum(axis=0, keepdims=True)
    return np.block([[a, -rs], [-cs, np.array([[a.sum()]])]])


def _unit_rows(x: np.ndarray, old: np.ndarray) -> np.ndarray:
    """Rows of x scaled to unit length; a (numerically) zero row keeps its previous value from ``old``."""
    nrm = np.sqrt(np.einsum("ij,ij->i", x, x))[:, None]
    ok = nrm > 1e-300
    return np.where(ok, x / np.where(ok, nrm, 1.0), old)


def cut_norm_sdp(A, rank: int | None = None, max_iter: int = 2000, tol: float = 1e-10, roundings: int = 256,
                 seed: int = 0) -> SDPBound:
    """Grothendieck / Alon--Naor bound with a dual certificate.

    Primal (Burer--Monteiro, rank k ~ sqrt(2m)): maximise sum_ij B_ij <u_i, v_j> over unit vectors by block
    coordinate ascent -- all u_i at once are the exact maximisers given V (u_i = (B V)_i / |(B V)_i|), then
    all v_j; the objective never decreases.  Dual: with B~ = (1/2)[[0, B], [B^T, 0]], any diagonal D with
    D - B~ PSD gives SDP(B) <= trace(D).  D starts at the stationarity multipliers |(BV)_i|/2, |(B^T U)_j|/2
    and is shifted by max(0, margin - lambda_min(D - B~)) so that it is feasible; the margin covers the
    eigensolver's rounding error.  Hence ||A||_cut <= trace(D) / (4 n d) is certified."""
    a = as_matrix(A)
    n, d = a.shape
    if roundings < 1:
        raise ValueError(f"roundings must be >= 1, got {roundings!r}")
    B = border(a)
    m = B.shape[0] + B.shape[1]
    k = int(rank) if rank is not None else int(np.ceil(np.sqrt(2 * m))) + 1
    if k < 1:
        raise ValueError(f"rank must be >= 1, got {rank!r}")
    rng = np.random.default_rng(seed)
    U = _unit_rows(rng.standard_normal((B.shape[0], k)), np.ones((B.shape[0], k)) / np.sqrt(k))
    V = _unit_rows(rng.standard_normal((B.shape[1], k)), np.ones((B.shape[1], k)) / np.sqrt(k))
    obj = -np.inf
    for it in range(1, max_iter + 1):
        U = _unit_rows(B @ V, U)
        BtU = B.T @ U
        V = _unit_rows(BtU, V)
        new = float(np.sum(BtU * V))
        if new - obj <= tol * max(1.0, abs(new)):
            obj = new
            break
        obj = new
    BV = B @ V
    D = 0.5 * np.concatenate([np.linalg.norm(BV, axis=1), np.linalg.norm(B.T @ U, axis=1)])
    H = np.diag(D)
    H[:B.shape[0], B.shape[0]:] -= 0.5 * B
    H[B.shape[0]:, :B.shape[0]] -= 0.5 * B.T
    lam = float(eigvalsh(H, subset_by_index=[0, 0])[0])
    margin = 64 * np.finfo(float).eps * m * float(np.linalg.norm(H))
    shift = max(0.0, margin - lam)
    upper = (float(D.sum()) + shift * m) / (4.0 * n * d)
    # Gaussian hyperplane rounding: x = sign(U g), y = sign(V g); x^T B y = 4 B(S, T) with S = {x = +1}
    G = rng.standard_normal((k, roundings))
    X = np.where(U @ G >= 0, 1.0, -1.0)
    Y = np.where(V @ G >= 0, 1.0, -1.0)
    vals = np.abs(np.sum(X * (B @ Y), axis=0)) / 4.0
    r = int(np.argmax(vals))
    rows = np.flatnonzero(X[:n, r] > 0) if X[n, r] < 0 else np.flatnonzero(X[:n, r] < 0)
    cols = np.flatnonzero(Y[:d, r] > 0) if Y[d, r] < 0 else np.flatnonzero(Y[:d, r] < 0)
    cv = cut_value(a, rows, cols) if rows.size and cols.size else 0.0
    rounding = CutResult(abs(cv), rows, cols, 1 if cv >= 0 else -1,
                         {"method": "sdp-rounding", "bordered_value": float(vals[r] / (n * d))})
    return SDPBound(upper, obj / (4.0 * n * d), rounding, lam, shift, it)


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), ndim={"rows": 1, "cols": 1})
