"""The gated sensing operator A = [D_1 X | ... | D_p X] without materialising A (spec §3.8).

With W (d x p) holding the blocks of w as columns and P = 1[X H >= 0] (n x p):

    A w   = rowsum((X W) ⊙ P)            Aᵀ r = vec((r ⊙ P)ᵀ X)   (block j is row j, flat c = j d + l)

Both are processed over chunks of ``chunk`` generators, so the working set is O(n * chunk + chunk * d) and
does not grow with p; the pattern matrix is cached only on request (``cache_patterns``, n p booleans).
Backends: ``numpy`` and ``torch`` (``device`` cpu or cuda), the same formulas, no loop over single blocks.
"""
from __future__ import annotations

import numpy as np

BACKENDS = ("numpy", "torch")


class GatedOperator:
    """Matrix-free A for data X (n x d) and generators ``gens`` (d x p array, or an object with ``.p`` and
    ``.chunk(j0, j1)`` / ``.columns(cols)`` such as :class:`simulations.iht.problems.SeededGenerators`).

    ``strict``: indicator 1[. > 0] (the authors' code) instead of 1[. >= 0] (the paper, default).
    """

    def __init__(self, X, gens, *, strict: bool = False, chunk: int = 64, backend: str = "numpy",
                 device: str = "cpu", cache_patterns: bool = False):
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
        if device not in ("cpu", "cuda"):
            raise ValueError(f"device must be 'cpu' or 'cuda', got {device!r}")
        if backend == "numpy" and device != "cpu":
            raise ValueError("device='cuda' needs backend='torch'")
        if isinstance(chunk, bool) or not isinstance(chunk, (int, np.integer)) or chunk < 1:
            raise ValueError(f"chunk must be a positive integer (generators per chunk), got {chunk!r}")
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
        self.dtype = Xn.dtype if Xn.dtype in (np.float32, np.float64) else np.float64
        if backend == "torch":
            import torch

            self._t = torch
            self.X = torch.as_tensor(np.ascontiguousarray(Xn, dtype=self.dtype), device=device)
        else:
            self._t = None
            self.X = np.ascontiguousarray(Xn, dtype=self.dtype)
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

    def gen_chunk(self, j0: int, j1: int):
        H = self._H[:, j0:j1] if self._H is not None else self._gens.chunk(j0, j1)
        return self.asarray(H)

    def gen_columns(self, cols: np.ndarray):
        H = self._H[:, cols] if self._H is not None else self._gens.columns(cols)
        return self.asarray(H)

    def _indicator(self, Z):
        return Z > 0 if self.strict else Z >= 0

    def _fpatterns(self, j0: int, j1: int):
        """Patterns of chunk J in the compute dtype."""
        if self._Pf is not None:
            return self._Pf[:, j0:j1]
        return self._cast(self._patterns(j0, j1))

    def _patterns(self, j0: int, j1: int):
        if self._P is not None:
            return self._P[:, j0:j1]
        return self._indicator(self.X @ self.gen_chunk(j0, j1))

    def patterns_of(self, blocks: np.ndarray):
        """n x len(blocks) boolean patterns of the given blocks (O(n d a) work)."""
        blocks = np.asarray(blocks, dtype=np.int64)
        if self._P is not None:
            return self._P[:, self._t.as_tensor(blocks, device=self.device) if self._t else blocks]
        return self._indicator(self.X @ self.gen_columns(blocks))

    # ------------------------------------------------------------------ dense-vector products
    def matvec(self, w):
        """A w for a dense dp vector (block-major); chunks with no nonzero are skipped."""
        w = self.asarray(w)
        if w.shape != (self.d * self.p,):
            raise ValueError(f"w must have length d*p = {self.d * self.p}, got shape {tuple(w.shape)}")
        if self._Pf is not None and self._t is None:    # cached small problem: O(n nnz) sparse path
            nz = np.flatnonzero(w)
            if nz.size <= self.chunk * self.d and nz.size * 4 <= w.size:
                return self.matvec_sparse(nz, w[nz])
        Wt = w.reshape(self.p, self.d)
        out = self.zeros(self.n)
        for j0, j1 in self.chunks():
            Wj = Wt[j0:j1]
            if not bool((Wj != 0).any()):
                continue
            out = out + ((self.X @ Wj.T) * self._fpatterns(j0, j1)).sum(1)
        return out

    def rmatvec_chunks(self, r):
        """Yield (j0, j1, G_J) with G_J = (r ⊙ P_J)ᵀ X, the (j1-j0) x d gradient blocks of chunk J."""
        r = self.asarray(r)
        if r.shape != (self.n,):
            raise ValueError(f"r must have length n = {self.n}, got shape {tuple(r.shape)}")
        for j0, j1 in self.chunks():
            yield j0, j1, self.grad_chunk(r, j0, j1)

    def grad_chunk(self, r, j0: int, j1: int):
        """(r ⊙ P_J)ᵀ X for generators j0..j1-1: contraction over n with both operands n-major."""
        M = self._fpatterns(j0, j1) * r[:, None]
        return M.T @ self.X

    def rmatvec(self, r):
        """Aᵀ r as a dense dp vector (block-major)."""
        return self._concat([G for _, _, G in self.rmatvec_chunks(r)], axis=0).reshape(-1)

    # ------------------------------------------------------------------ sparse-support products, O(n s)
    def restricted(self, idx):
        """A_S (n x |S|) for flat indices ``idx`` (small supports only: diagnostics and refinement)."""
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
        """A w for w given by (flat indices, values): O(n |S|) work."""
        if len(idx) == 0:
            return self.zeros(self.n)
        idx, val = np.asarray(idx), self.asarray(val)
        step = self.chunk * self.d                      # at most chunk*d restricted columns alive at once
        out = self.zeros(self.n)
        for a in range(0, len(idx), step):
            out = out + self.restricted(idx[a:a + step]) @ val[a:a + step]
        return out

    def rmatvec_sparse(self, r, idx):
        """(Aᵀ r) restricted to flat indices ``idx``."""
        if len(idx) == 0:
            return self.zeros(0)
        return self.restricted(idx).T @ self.asarray(r)

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

    def grad_chunk(self, r, j0, j1):
        return (self.A[:, j0:j1].T @ r)[:, None]

    def rmatvec_chunks(self, r):
        for j0, j1 in self.chunks():
            yield j0, j1, self.grad_chunk(r, j0, j1)

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


def matvec_loop(X: np.ndarray, H: np.ndarray, w: np.ndarray, strict: bool = False) -> np.ndarray:
    """A w in the authors' style: materialise each n x d block D_j X in a Python loop (baseline only)."""
    n, d = X.shape
    out = np.zeros(n, dtype=X.dtype)
    for j in range(H.shape[1]):
        z = X @ H[:, j]
        B = ((z > 0) if strict else (z >= 0))[:, None] * X
        out += B @ w[j * d:(j + 1) * d]
    return out


def rmatvec_loop(X: np.ndarray, H: np.ndarray, r: np.ndarray, strict: bool = False) -> np.ndarray:
    """Aᵀ r in the authors' style (per-block loop; baseline only)."""
    n, d = X.shape
    out = np.zeros(d * H.shape[1], dtype=X.dtype)
    for j in range(H.shape[1]):
        z = X @ H[:, j]
        B = ((z > 0) if strict else (z >= 0))[:, None] * X
        out[j * d:(j + 1) * d] = B.T @ r
    return out
