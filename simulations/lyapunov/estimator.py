"""QR (Benettin / Shimada-Nagashima) estimator of Lyapunov spectra for discrete-time systems.

docs/definitions/lyapunov.md#s3-1, §3.3-§3.6 [literature; window rules reconstructed].

A system is given as ``step(state, t) -> (next_state, tangent)`` where ``tangent`` is either the Jacobian
at ``state`` (an array ``(..., k, k)``) or a callable ``Q -> J Q`` applied to a (batched) frame
``(..., k, p)``.  Leading batch dimensions run independent systems side by side (one QR call for all).
Arrays may be numpy arrays or torch tensors; the frame follows the tangent's backend.

Exponents are natural-log, per step, in QR order (not sorted: sorting would break prefix consistency).
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

N_BLOCKS = 10
MIN_BLOCK = 20


def _is_torch(x) -> bool:
    return type(x).__module__.startswith("torch")


def _to_numpy(x) -> np.ndarray:
    return x.detach().cpu().numpy() if _is_torch(x) else np.asarray(x)


@dataclass(frozen=True)
class Window:
    """Finite-time window W = (t0, burn_in, T) (spec §3.4): frame started at step t0, propagated
    ``burn_in`` steps, then ln|R_ii| accumulated over ``T`` steps."""

    t0: int = 0
    burn_in: int = 0
    T: int = 1
    name: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.T, (int, np.integer)) or self.T < 1:
            raise ValueError(f"T (accumulation steps) must be an integer >= 1, got {self.T!r}")
        if not isinstance(self.burn_in, (int, np.integer)) or self.burn_in < 0:
            raise ValueError(f"burn_in must be an integer >= 0, got {self.burn_in!r}")
        if not isinstance(self.t0, (int, np.integer)) or self.t0 < 0:
            raise ValueError(f"t0 must be an integer >= 0, got {self.t0!r}")

    def to_dict(self) -> dict:
        return {"t0": int(self.t0), "burn_in": int(self.burn_in), "T": int(self.T), "name": self.name}


STATIONARY = Window(0, 50, 300, "stationary")
EARLY = Window(0, 50, 300, "early")


@dataclass
class SpectrumResult:
    """Exponents (QR order, shape ``batch + (p,)``), batch-means SEs, block values and diagnostics."""

    exponents: np.ndarray
    se: np.ndarray
    blocks: np.ndarray            # (n_blocks,) + batch + (p,)
    window: Window
    ordered: np.ndarray | bool
    max_log10_cond: float
    n_neg_inf: int
    log_growth_first: np.ndarray  # sum_t ln R_11,t (for generalised exponents), shape batch
    frame: Any = field(default=None, repr=False)   # final orthonormal frame Q
    state: Any = field(default=None, repr=False)   # final state

    @property
    def annihilated(self) -> bool:
        return self.n_neg_inf > 0

    def to_dict(self) -> dict:
        return {"exponents": self.exponents, "se": self.se, "window": self.window.to_dict(),
                "ordered": self.ordered, "max_log10_cond": self.max_log10_cond, "n_neg_inf": self.n_neg_inf}


def orthonormal_frame(k: int, p: int, rng: np.random.Generator, batch: tuple = ()) -> np.ndarray:
    """Q0: reduced QR of a k x p standard Gaussian matrix (per batch element), diag(R) made >= 0."""
    if not 1 <= p <= k:
        raise ValueError(f"need 1 <= p <= k for the number of tangent vectors, got p={p}, k={k}")
    q, _ = qr_positive(rng.standard_normal(tuple(batch) + (k, p)))
    return q


def qr_positive(Z):
    """Reduced QR with diag(R) >= 0 (columns of Q negated to match). numpy or torch, batched."""
    if _is_torch(Z):
        import torch

        Q, R = torch.linalg.qr(Z, mode="reduced")
        d = torch.diagonal(R, dim1=-2, dim2=-1)
        s = torch.where(d < 0, -torch.ones_like(d), torch.ones_like(d))
        return Q * s.unsqueeze(-2), R * s.unsqueeze(-1)
    if np.ndim(Z) < 2:
        raise ValueError(f"Z must be a (..., k, p) array of tangent vectors, got shape {np.shape(Z)}")
    Q, R = np.linalg.qr(Z, mode="reduced")
    d = np.diagonal(R, axis1=-2, axis2=-1)
    s = np.where(d < 0, -1.0, 1.0)
    return Q * s[..., None, :], R * s[..., :, None]


def _log_abs_diag(R) -> np.ndarray:
    d = np.abs(_to_numpy(np.diagonal(R, axis1=-2, axis2=-1) if not _is_torch(R)
                         else R.diagonal(dim1=-2, dim2=-1)))
    with np.errstate(divide="ignore"):
        return np.log(d)


def _log10_cond(Z) -> float:
    s = np.linalg.svd(_to_numpy(Z), compute_uv=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = s[..., 0] / s[..., -1]
    c = np.where(np.isnan(c), np.inf, c)
    return float(np.log10(np.max(c))) if np.all(np.isfinite(c)) else math.inf


def _apply(tangent, Q):
    if callable(tangent):
        return tangent(Q)
    if _is_torch(tangent):
        import torch

        if not _is_torch(Q):
            Q = torch.as_tensor(Q, dtype=tangent.dtype, device=tangent.device)
        return tangent @ Q
    return np.asarray(tangent) @ Q


def block_index(T: int, n_blocks: int = N_BLOCKS) -> np.ndarray:
    """Contiguous block label of each accumulation step (blocks as equal as possible)."""
    return (np.arange(T) * min(n_blocks, T)) // T


def _check_frame(Q0, p: int, k: int | None) -> None:
    """Q0 must be a batch + (k, p) frame with k >= p and orthonormal columns (a skewed frame biases every
    exponent but the first; one with fewer rows than columns silently loses exponents)."""
    shape = tuple(getattr(Q0, "shape", ()))
    if len(shape) < 2:
        raise ValueError(f"Q0 must be a (k, p) frame, got shape {shape}")
    if shape[-1] != p:
        raise ValueError(f"Q0 has {shape[-1]} columns, expected p={p}")
    if shape[-2] < p or (k is not None and shape[-2] != k):
        raise ValueError(f"Q0 must have k >= p rows{f' (k={k})' if k is not None else ''}, got shape {shape}")
    Qn = np.asarray(_to_numpy(Q0), dtype=np.float64)
    if not np.all(np.isfinite(Qn)):
        raise ValueError("Q0 must be finite")
    gram = np.swapaxes(Qn, -1, -2) @ Qn
    err = float(np.max(np.abs(gram - np.eye(p)))) if gram.size else 0.0
    if err > 1e-6:
        raise ValueError(f"Q0 must have orthonormal columns (max |Q0^T Q0 - I| = {err:.2e} > 1e-6); "
                         "orthonormalise it first (qr_positive)")


def _first_step(step: Callable, state, t0: int):
    """The first ``step(state, t0)``; a plain ValueError/TypeError there (a state that does not fit the system,
    e.g. a wrong shape) is re-raised naming ``state`` (subclasses such as LinAlgError propagate unchanged)."""
    try:
        return step(state, t0)
    except (ValueError, TypeError) as exc:
        if type(exc) not in (ValueError, TypeError):
            raise
        shape = getattr(state, "shape", None)
        what = f"shape {tuple(shape)}" if shape is not None else type(state).__name__
        cls = TypeError if isinstance(exc, TypeError) else ValueError
        raise cls(f"state ({what}) does not fit the step: step(state, {t0}) raised {type(exc).__name__}: "
                  f"{exc}") from exc


def lyapunov_spectrum(step: Callable, state, p: int, window: Window | None = None, *, k: int | None = None,
                      rng: np.random.Generator | None = None, Q0=None, reortho_every: int = 1,
                      n_blocks: int = N_BLOCKS, check_cond: bool | None = None, to_backend: Callable | None = None
                      ) -> SpectrumResult:
    """Leading ``p`` Lyapunov exponents of ``step`` from ``state`` over ``window`` (spec §3.1).

    ``k``: tangent dimension (needed when ``Q0`` is not given).  ``Q0``: initial orthonormal frame
    ``batch + (k, p)``; otherwise drawn from ``rng``.  ``to_backend`` converts the numpy frame (e.g. to a
    torch tensor on a device).  ``reortho_every`` = tau propagates tau steps between QRs (Engelken's tONS);
    ln|R_ii| is accumulated at QR steps only.  Annihilated directions give -inf (flagged, never NaN).
    ``check_cond`` (default: on when reortho_every > 1) records max log10 cond(Z) and warns above 1e8.
    """
    window = window or Window(0, 0, 1)
    if check_cond is None:
        check_cond = reortho_every > 1
    if not isinstance(reortho_every, int) or reortho_every < 1:
        raise ValueError(f"reortho_every must be an integer >= 1, got {reortho_every!r}")
    if window.T % reortho_every or window.burn_in % reortho_every:
        raise ValueError(f"burn_in and T must be multiples of reortho_every={reortho_every}, got {window}")
    if Q0 is None:
        if k is None or rng is None:
            raise ValueError("give either Q0 or both k (tangent dimension) and rng (numpy Generator)")
        Q = orthonormal_frame(k, p, rng)
    else:
        Q = Q0
        _check_frame(Q0, p, k)
    if to_backend is not None:
        Q = to_backend(Q)
    T, Tb = window.T, window.burn_in
    nb = min(n_blocks, T)
    if T // nb < MIN_BLOCK and T >= 2:
        warnings.warn(f"batch-means blocks have {T // nb} < {MIN_BLOCK} steps; SEs are unreliable", stacklevel=2)
    labels = block_index(T, nb)
    blocks = None
    first = None
    max_cond = -math.inf
    for t in range(Tb + T):
        state, tangent = step(state, window.t0 + t) if t else _first_step(step, state, window.t0)
        Q = _apply(tangent, Q)
        if (t + 1) % reortho_every:
            continue
        if check_cond:
            c = _log10_cond(Q)
            max_cond = max(max_cond, c)
            if c > 8:
                warnings.warn(f"cond(Z) = 1e{c:.1f} > 1e8 before QR at step {t}; reorthonormalise more often",
                              stacklevel=2)
        Q, R = qr_positive(Q)
        if t < Tb:
            continue
        lr = _log_abs_diag(R)
        if blocks is None:
            blocks = np.zeros((nb,) + lr.shape)
            first = np.zeros(lr.shape[:-1])
        blocks[labels[t - Tb]] += lr
        first += lr[..., 0]
    counts = np.bincount(labels, minlength=nb).astype(float)
    total = blocks.sum(0)
    lam = total / T
    if np.any(np.isnan(lam)):
        raise ValueError("the exponents are NaN: the state or the step's tangent map became non-finite along "
                         "the trajectory (check state and step)")
    per_block = blocks / (counts.reshape((nb,) + (1,) * (blocks.ndim - 1)) / 1.0)
    with np.errstate(invalid="ignore"):
        se = per_block.std(0, ddof=1) / np.sqrt(nb) if nb >= 2 else np.full(lam.shape, np.nan)
    se = np.where(np.isfinite(lam), se, np.nan)
    n_inf = int(np.sum(np.isneginf(lam)))
    diffs = np.diff(lam, axis=-1)
    ordered = np.all((diffs <= 0) | np.isneginf(lam[..., 1:]), axis=-1)
    return SpectrumResult(lam, se, per_block, window, ordered if np.ndim(ordered) else bool(ordered),
                          max_cond if check_cond else float("nan"), n_inf, first, Q, state)


def matrices_step(mats: Callable[[int], Any]) -> Callable:
    """A state-free system whose tangent map at step t is ``mats(t)`` (e.g. i.i.d. random matrices)."""
    def step(state, t):
        return state, mats(t)
    return step


def two_trajectory_lmax(step_state: Callable, x0, T: int, burn_in: int = 0, d0: float = 1e-8,
                        rng: np.random.Generator | None = None, u=None, norm: Callable | None = None) -> float:
    """Benettin's direct two-trajectory estimate of lambda_max (spec §3.5).

    ``step_state(x, t) -> x_next`` must use the same noise for both trajectories at a given t (an RDS
    exponent).  Accumulates ln(d/d0) after each step and renormalises the perturbation to d0.
    """
    if T < 1 or burn_in < 0:
        raise ValueError(f"need T >= 1 and burn_in >= 0, got T={T}, burn_in={burn_in}")
    if not d0 > 0:
        raise ValueError(f"d0 must be > 0, got {d0}")
    norm = norm or (lambda v: float(np.linalg.norm(_to_numpy(v))))
    x = x0
    for t in range(burn_in):
        x = step_state(x, t)
    if u is None:
        if rng is None:
            raise ValueError("give u (unit perturbation) or rng")
        u = rng.standard_normal(np.shape(_to_numpy(x0)))
        if _is_torch(x0):
            import torch

            u = torch.as_tensor(u, dtype=x0.dtype, device=x0.device)
    u = u / norm(u)
    y = x + d0 * u
    acc = 0.0
    for t in range(burn_in, burn_in + T):
        x, y = step_state(x, t), step_state(y, t)
        d = norm(y - x)
        acc += math.log(d / d0)
        y = x + (d0 / d) * (y - x)
    return acc / T


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals())
