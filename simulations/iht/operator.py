"""The gated sensing operator A = [D_1 X | ... | D_p X] without materialising A (spec §3.8).

With W (d x p) holding the blocks of w as columns and P = 1[X H >= 0] (n x p):

    A w   = rowsum((X W) ⊙ P)            Aᵀ r = vec((r ⊙ P)ᵀ X)   (block j is row j, flat c = j d + l)

Every product is streamed over chunks of ``chunk`` generators *and* chunks of samples (rows), so the working
set of one product is bounded by ``work_bytes`` (default 4 MiB) whatever n, p and the support size are: an
IHT / AIHT step at the paper's size (n = 50 000, d = 100, p = 1000, s = 1000) stays within a few tens of MB
beyond X.  Products restricted to a sparse support S (A_S v, A_Sᵀ r, and the fused A_Sᵀ(A_S v - y) of the
refinement) go through :class:`SupportProducts`, which never forms the n x |S| matrix and keeps at most
``pattern_budget`` bytes (default :data:`PATTERN_BYTES`, 64 kB) of the activation patterns of the support's a
active blocks: all of them bit-packed (n·a/8 bytes) when they fit, else a window of rows of all a blocks,
recomputed from X and the generators (a range of generators at a time) in every sweep -- so the working memory
of a step does not grow like n·s.
The pattern matrix is cached only on request (``cache_patterns``, n p booleans).
Backends: ``numpy`` and ``torch`` (``device`` cpu or cuda), the same formulas, no loop over single blocks,
neurons or samples other than these chunk loops.
"""
from __future__ import annotations

import numpy as np

from simulations.iht.support import GEN_RANGE, SWEEP_BYTES, SupportProducts  # noqa: F401 (re-exported)

BACKENDS = ("numpy", "torch")
#: default bound on the bytes of one chunk's working array (numpy and torch cpu)
WORK_BYTES = 4 * 2**20
#: the same on cuda, where large chunks keep the device busy
CUDA_WORK_BYTES = 512 * 2**20
#: default bound on the stored activation patterns of a support (:class:`SupportProducts`) and on the pattern
#: store of the streaming threshold: beyond it the patterns are recomputed per window of rows in every sweep,
#: so that the working memory of a step is independent of n·s (at n = 50 000 one block's patterns take 6.25 kB)
PATTERN_BYTES = 64 * 2**10
#: the same on cuda, where the patterns of a paper-size support (a n booleans, 50 MB) are kept
CUDA_PATTERN_BYTES = 256 * 2**20


class GatedOperator:
    """Matrix-free A for data X (n x d) and generators ``gens`` (d x p array, or an object with ``.p`` and
    ``.chunk(j0, j1)`` / ``.columns(cols)`` such as :class:`simulations.iht.problems.SeededGenerators`).

    ``strict``: indicator 1[. > 0] (the authors' code) instead of 1[. >= 0] (the paper, default).
    ``work_bytes``: bound on one chunk's working array; sets the number of rows per chunk.
    ``pattern_budget``: bound on the bytes of stored activation patterns of a support (see :class:`SupportProducts`;
    default :data:`PATTERN_BYTES`, :data:`CUDA_PATTERN_BYTES` on cuda).
    The numpy backend keeps X feature-major (Fortran order: X[i0:i1].T is a d x m block with contiguous rows);
    pass X in that order to avoid a copy.
    """

    def __init__(self, X, gens, *, strict: bool = False, chunk: int = 64, backend: str = "numpy",
                 device: str = "cpu", cache_patterns: bool = False, work_bytes: int | None = None,
                 pattern_budget: int | None = None):
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
        if device not in ("cpu", "cuda"):
            raise ValueError(f"device must be 'cpu' or 'cuda', got {device!r}")
        if backend == "numpy" and device != "cpu":
            raise ValueError("device='cuda' needs backend='torch'")
        if isinstance(chunk, bool) or not isinstance(chunk, (int, np.integer)) or chunk < 1:
            raise ValueError(f"chunk must be a positive integer (generators per chunk), got {chunk!r}")
        if work_bytes is None:
            work_bytes = CUDA_WORK_BYTES if device == "cuda" else WORK_BYTES
        if isinstance(work_bytes, bool) or not isinstance(work_bytes, (int, np.integer)) or work_bytes < 1024:
            raise ValueError(f"work_bytes must be an integer >= 1024, got {work_bytes!r}")
        if pattern_budget is None:
            pattern_budget = CUDA_PATTERN_BYTES if device == "cuda" else PATTERN_BYTES
        if isinstance(pattern_budget, bool) or not isinstance(pattern_budget, (int, np.integer)) or pattern_budget < 0:
            raise ValueError(f"pattern_budget must be a non-negative integer, got {pattern_budget!r}")
        Xn = X.detach().cpu().numpy() if hasattr(X, "detach") else np.asarray(X)
        if Xn.ndim != 2:
            raise ValueError(f"X must be a 2-D n x d array, got shape {Xn.shape}")
        self.n, self.d = Xn.shape
        if isinstance(gens, np.ndarray) or hasattr(gens, "detach"):
            Hn = gens.detach().cpu().numpy() if hasattr(gens, "detach") else gens
            if Hn.ndim != 2 or Hn.shape[0] != self.d:
                raise ValueError(f"generators must be a d x p array with d={self.d}, got shape {Hn.shape}")
            self._H, self.p = np.asarray(Hn), Hn.shape[1]
            self._gens = None
        else:
            if getattr(gens, "d", self.d) != self.d:
                raise ValueError(f"generator source has d={gens.d}, data has d={self.d}")
            self._H, self._gens, self.p = None, gens, int(gens.p)
        self.strict, self.chunk, self.backend, self.device = bool(strict), int(chunk), backend, device
        self.work_bytes, self.pattern_budget = int(work_bytes), int(pattern_budget)
        self.dtype = Xn.dtype if Xn.dtype in (np.float32, np.float64) else np.float64
        if backend == "torch":
            import torch

            self._t = torch
            self.X = torch.as_tensor(np.ascontiguousarray(Xn, dtype=self.dtype), device=device)
        else:
            self._t = None
            self.X = np.asfortranarray(Xn, dtype=self.dtype)
        self.shape = (self.n, self.d * self.p)
        self._P = self._Pf = None
        if cache_patterns:
            self._P = self._concat([self._patterns(j0, j1) for j0, j1 in self.chunks()], axis=1)
            if self.n * self.p <= 4_000_000:          # small problems: also keep the cast copy (speed only)
                self._Pf = self._cast(self._P)

    # ------------------------------------------------------------------ helpers
    def chunks(self):
        for j0 in range(0, self.p, self.chunk):
            yield j0, min(j0 + self.chunk, self.p)

    def row_chunks(self, width: int, budget: int | None = None):
        """Row ranges [i0, i1) with at most ``budget`` (default ``work_bytes``) per (rows x width) float array;
        multiples of 8 rows (bit-packed patterns split on byte boundaries)."""
        m = (self.work_bytes if budget is None else budget) // (8 * max(int(width), 1))
        m = max(8, m - m % 8)
        for i0 in range(0, self.n, m):
            yield i0, min(i0 + m, self.n)

    def pattern_row_bytes(self) -> int:
        """Bytes of one block's stored patterns: bit-packed on numpy, booleans on torch."""
        return self.n if self._t else -(-self.n // 8)

    def fits_patterns(self, blocks: int) -> bool:
        """Whether the patterns of ``blocks`` blocks (all n rows) fit in ``pattern_budget``."""
        return int(blocks) * self.pattern_row_bytes() <= self.pattern_budget

    def asarray(self, a):
        if self._t is not None:
            return self._t.as_tensor(np.asarray(a) if not hasattr(a, "detach") else a, dtype=self.X.dtype,
                                     device=self.device)
        return np.asarray(a, dtype=self.dtype)

    def zeros(self, m: int):
        return self._t.zeros(m, dtype=self.X.dtype, device=self.device) if self._t else np.zeros(m, self.dtype)

    def _concat(self, parts, axis):
        return self._t.cat(parts, dim=axis) if self._t else np.concatenate(parts, axis=axis)

    def _cast(self, b):
        return b.to(self.X.dtype) if self._t else b.astype(self.dtype)

    def _index(self, a):
        a = np.asarray(a, dtype=np.int64)
        return self._t.as_tensor(a, device=self.device) if self._t else a

    def gen_chunk(self, j0: int, j1: int):
        H = self._H[:, j0:j1] if self._H is not None else self._gens.chunk(j0, j1)
        return self.asarray(H)

    def gen_columns(self, cols: np.ndarray):
        H = self._H[:, cols] if self._H is not None else self._gens.columns(cols)
        return self.asarray(H)

    def _indicator(self, Z):
        return Z > 0 if self.strict else Z >= 0

    def _patterns(self, j0: int, j1: int):
        if self._P is not None:
            return self._P[:, j0:j1]
        return self._indicator(self.X @ self.gen_chunk(j0, j1))

    def _xt(self, i0: int, i1: int):
        """X[i0:i1]ᵀ, d x m (a view)."""
        return self.X[i0:i1].T

    def _pt(self, HJt, i0: int, i1: int, j0: int, j1: int):
        """Transposed patterns of generators j0..j1-1 on rows i0..i1-1 (booleans, b x m); HJt = H_Jᵀ."""
        if self._P is not None:
            return self._P[i0:i1, j0:j1].T
        return self._indicator(HJt @ self._xt(i0, i1))

    def patterns_of(self, blocks: np.ndarray):
        """n x len(blocks) boolean patterns of the given blocks (O(n d a) work; materialises n x a booleans)."""
        blocks = np.asarray(blocks, dtype=np.int64)
        if self._P is not None:
            return self._P[:, self._index(blocks)]
        return self._indicator(self.X @ self.gen_columns(blocks))

    # ------------------------------------------------------------------ dense-vector products
    def matvec(self, w):
        """A w for a dense dp vector (block-major).  A sparse w (at most a quarter of the entries nonzero) goes
        through :meth:`matvec_sparse` (O(n nnz) plus the active blocks' patterns); otherwise chunks of
        generators x rows, chunks with no nonzero skipped."""
        w = self.asarray(w)
        if w.shape != (self.d * self.p,):
            raise ValueError(f"w must have length d*p = {self.d * self.p}, got shape {tuple(w.shape)}")
        nz = self._t.nonzero(w).ravel().cpu().numpy() if self._t else np.flatnonzero(w)
        if nz.size * 4 <= w.shape[0]:
            return self.matvec_sparse(nz, w[self._index(nz)])
        Wt = w.reshape(self.p, self.d)
        out = self.zeros(self.n)
        for j0, j1 in self.chunks():
            Wj = Wt[j0:j1]
            if not bool((Wj != 0).any()):
                continue
            if self._Pf is not None:
                out = out + ((self.X @ Wj.T) * self._Pf[:, j0:j1]).sum(1)
                continue
            HJt = self.gen_chunk(j0, j1).T
            for i0, i1 in self.row_chunks(j1 - j0):
                Xt = self._xt(i0, i1)
                out[i0:i1] += ((Wj @ Xt) * self._pt(HJt, i0, i1, j0, j1)).sum(0)
        return out

    def rmatvec_chunks(self, r):
        """Yield (j0, j1, G_J) with G_J = (r ⊙ P_J)ᵀ X, the (j1-j0) x d gradient blocks of chunk J."""
        r = self.asarray(r)
        if r.shape != (self.n,):
            raise ValueError(f"r must have length n = {self.n}, got shape {tuple(r.shape)}")
        for j0, j1 in self.chunks():
            yield j0, j1, self.grad_chunk(r, j0, j1)

    def grad_chunk(self, r, j0: int, j1: int, keep_patterns: bool = False):
        """(r ⊙ P_J)ᵀ X for generators j0..j1-1, accumulated over row chunks (contraction over n, both operands
        n-major).  With ``keep_patterns`` returns (G_J, patterns of chunk J): numpy bit-packed along n
        ((j1-j0) x ceil(n/8) bytes), torch booleans ((j1-j0) x n)."""
        if self._Pf is not None and not keep_patterns:
            return (self._Pf[:, j0:j1] * r[:, None]).T @ self.X
        b = j1 - j0
        HJt = self.gen_chunk(j0, j1).T
        G = self._t.zeros((b, self.d), dtype=self.X.dtype, device=self.device) if self._t else \
            np.zeros((b, self.d), dtype=self.dtype)
        keep = None
        if keep_patterns:
            keep = self._t.empty((b, self.n), dtype=self._t.bool, device=self.device) if self._t else \
                np.empty((b, -(-self.n // 8)), dtype=np.uint8)
        if self._t is None and self._P is None:                # numpy: reused buffers, no per-chunk allocation
            rows = list(self.row_chunks(b))
            m = rows[0][1] - rows[0][0]
            Zb, Bb = np.empty((b, m), self.dtype), np.empty((b, m), bool)
            ge = np.greater if self.strict else np.greater_equal
            for i0, i1 in rows:
                k = i1 - i0
                Z, B = Zb[:, :k], Bb[:, :k]
                np.matmul(HJt, self._xt(i0, i1), out=Z)
                ge(Z, 0, out=B)
                if keep is not None:
                    keep[:, i0 // 8:-(-i1 // 8)] = np.packbits(B, axis=1)
                np.multiply(B, r[i0:i1], out=Z)
                G += Z @ self.X[i0:i1]
            return (G, keep) if keep_patterns else G
        for i0, i1 in self.row_chunks(b):
            Pt = self._pt(HJt, i0, i1, j0, j1)
            if keep is not None:
                if self._t:
                    keep[:, i0:i1] = Pt
                else:
                    keep[:, i0 // 8:-(-i1 // 8)] = np.packbits(Pt, axis=1)
            M = Pt * r[i0:i1]
            G += M @ self.X[i0:i1]
        return (G, keep) if keep_patterns else G

    def rmatvec(self, r):
        """Aᵀ r as a dense dp vector (block-major)."""
        return self._concat([G for _, _, G in self.rmatvec_chunks(r)], axis=0).reshape(-1)

    # ------------------------------------------------------------------ sparse-support products, O(n s)
    def support(self, idx, patterns=None) -> "SupportProducts":
        """Products with A_S for flat indices ``idx`` (see :class:`SupportProducts`)."""
        return SupportProducts(self, idx, patterns)

    def restricted(self, idx):
        """A_S (n x |S|) for flat indices ``idx`` (materialised: small supports, diagnostics and tests only)."""
        idx = np.asarray(idx.cpu() if hasattr(idx, "cpu") else idx, dtype=np.int64)
        if idx.size and (idx.min() < 0 or idx.max() >= self.d * self.p):
            raise ValueError(f"indices must lie in [0, d*p = {self.d * self.p}), got range "
                             f"[{idx.min()}, {idx.max()}]")
        blocks, feats = idx // self.d, idx % self.d
        if self._Pf is not None and self._t is None:
            return self._Pf[:, blocks] * self.X[:, feats]
        ub, inv = np.unique(blocks, return_inverse=True)
        P = self._cast(self.patterns_of(ub))
        if self._t:
            inv, feats = self._t.as_tensor(inv, device=self.device), self._t.as_tensor(feats, device=self.device)
        return P[:, inv] * self.X[:, feats]

    def matvec_sparse(self, idx, val):
        """A w for w given by (flat indices, values): O(n |S|) work, working set bounded by ``work_bytes``."""
        if len(idx) == 0:
            return self.zeros(self.n)
        return self.support(idx).matvec(val)

    def rmatvec_sparse(self, r, idx):
        """(Aᵀ r) restricted to flat indices ``idx``."""
        if len(idx) == 0:
            return self.zeros(0)
        return self.support(idx).rmatvec(r)

    # ------------------------------------------------------------------ tests and diagnostics
    def dense(self, max_entries: int = 5_000_000):
        """Materialised A (tests only); refuses more than ``max_entries`` entries."""
        if self.n * self.d * self.p > max_entries:
            raise ValueError(f"dense A would have {self.n * self.d * self.p} entries > max_entries={max_entries}")
        return self.restricted(np.arange(self.d * self.p))

    def norm_est(self, rtol: float = 1e-6, max_iter: int = 1000, seed: int = 0) -> float:
        """‖A‖₂ by power iteration on AᵀA until the relative change is below ``rtol`` (underestimates)."""
        v = self.asarray(np.random.default_rng(seed).standard_normal(self.d * self.p))
        v = v / float((v * v).sum()) ** 0.5
        lam = 0.0
        for _ in range(max_iter):
            u = self.rmatvec(self.matvec(v))
            new = float((u * u).sum()) ** 0.5
            if new == 0:
                return 0.0
            v = u / new
            if abs(new - lam) <= rtol * new:
                lam = new
                break
            lam = new
        return lam ** 0.5


class DenseOperator:
    """An explicit matrix with the operator interface (the Gaussian sensing task, small tests)."""

    def __init__(self, A):
        self.A = np.asarray(A, dtype=np.float64)
        if self.A.ndim != 2:
            raise ValueError(f"A must be 2-D, got shape {self.A.shape}")
        self.n, self.N = self.A.shape
        self.shape, self.d, self.p, self.chunk = self.A.shape, 1, self.A.shape[1], 256
        self.backend, self._t = "numpy", None

    def asarray(self, a):
        return np.asarray(a, dtype=np.float64)

    def zeros(self, m):
        return np.zeros(m)

    def matvec(self, w):
        return self.A @ w

    def rmatvec(self, r):
        return self.A.T @ r

    def chunks(self):
        for j0 in range(0, self.N, self.chunk):
            yield j0, min(j0 + self.chunk, self.N)

    def grad_chunk(self, r, j0, j1, keep_patterns: bool = False):
        G = (self.A[:, j0:j1].T @ r)[:, None]
        return (G, None) if keep_patterns else G

    def rmatvec_chunks(self, r):
        for j0, j1 in self.chunks():
            yield j0, j1, self.grad_chunk(r, j0, j1)

    def support(self, idx, patterns=None) -> "DenseSupport":
        return DenseSupport(self.restricted(idx))

    def restricted(self, idx):
        return self.A[:, np.asarray(idx, dtype=np.int64)]

    def matvec_sparse(self, idx, val):
        return self.restricted(idx) @ np.asarray(val) if len(idx) else np.zeros(self.n)

    def rmatvec_sparse(self, r, idx):
        return self.restricted(idx).T @ r if len(idx) else np.zeros(0)

    def dense(self, max_entries: int = 5_000_000):
        return self.A

    def norm_est(self, rtol: float = 1e-6, max_iter: int = 1000, seed: int = 0) -> float:
        return float(np.linalg.norm(self.A, 2))


class DenseSupport:
    """The :class:`SupportProducts` interface over an explicit n x |S| matrix."""

    def __init__(self, AS):
        self.AS = AS
        self.n, self.s = AS.shape

    def matvec(self, v):
        return self.AS @ np.asarray(v)

    def rmatvec(self, r):
        return self.AS.T @ np.asarray(r)

    def apply(self, v, shift=None):
        u = self.AS @ np.asarray(v)
        if shift is not None:
            u = u - shift
        return u, self.AS.T @ u


def _loop_args(X, H, v, vname: str, length) -> None:
    """Shapes of the per-block loops: X (n, d), H (d, p), v of ``length(n, d, p)`` entries."""
    n, d = X.shape
    if H.shape[0] != d:
        raise ValueError(f"H must be d x p with d = X.shape[1] = {d} rows, got shape {H.shape}")
    want = length(n, d, H.shape[1])
    if v.shape != (want,):
        raise ValueError(f"{vname} must be a vector of {want} entries, got shape {v.shape}")


def matvec_loop(X: np.ndarray, H: np.ndarray, w: np.ndarray, strict: bool = False) -> np.ndarray:
    """A w in the authors' style: materialise each n x d block D_j X in a Python loop (baseline only)."""
    _loop_args(X, H, w, "w", lambda n, d, p: d * p)
    n, d = X.shape
    out = np.zeros(n, dtype=X.dtype)
    for j in range(H.shape[1]):
        z = X @ H[:, j]
        B = ((z > 0) if strict else (z >= 0))[:, None] * X
        out += B @ w[j * d:(j + 1) * d]
    return out


def rmatvec_loop(X: np.ndarray, H: np.ndarray, r: np.ndarray, strict: bool = False) -> np.ndarray:
    """Aᵀ r in the authors' style (per-block loop; baseline only)."""
    _loop_args(X, H, r, "r", lambda n, d, p: n)
    n, d = X.shape
    out = np.zeros(d * H.shape[1], dtype=X.dtype)
    for j in range(H.shape[1]):
        z = X @ H[:, j]
        B = ((z > 0) if strict else (z >= 0))[:, None] * X
        out[j * d:(j + 1) * d] = B.T @ r
    return out


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), ndim={"X": 2, "H": 2, "w": 1, "r": 1})
