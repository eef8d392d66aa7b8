"""Problem generators (spec §2, §3.6, §5.3, §6.2).

* ``sparse_sign_vectors``: random s'-sparse ±1 (or {0,1}) vectors, deduplicated up to sign on request.
* ``SeededGenerators``: generators regenerated from (seed, group) in groups of 256, never stored as d x p.
* ``planted_problem``: the oracle-pattern planted network of §6.2 under either branch of Assumption 1.
* ``code_planted``: the authors' planted model (Gaussian weights at s random positions, outputs +1).
* ``gaussian_cs``: the Gaussian compressed-sensing sanity task.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HIDDEN = ("sign", "binary01", "gaussian")
OUTPUTS = ("pm", "plus")


def _pos_int(name: str, v, low: int = 1) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {v!r}")
    return int(v)


def relu(z):
    return np.maximum(z, 0.0)


def canonical_key(h: np.ndarray) -> bytes:
    """Key identifying h up to sign (first nonzero entry made positive)."""
    nz = np.flatnonzero(h)
    g = -h if nz.size and h[nz[0]] < 0 else h
    return (np.asarray(g, dtype=np.float64) + 0.0).tobytes()      # + 0.0 maps -0.0 to 0.0


def sparse_sign_vectors(rng: np.random.Generator, m: int, d: int, s_prime: int, *, alphabet: str = "sign",
                        exclude: np.ndarray | None = None, dedup: bool = True, max_tries: int = 100) -> np.ndarray:
    """d x m matrix of random vectors with exactly s' nonzeros in {±1} (``sign``) or {1} (``binary01``).

    With ``dedup`` a candidate equal to an earlier vector or its negative (or to a column of ``exclude``, up to
    sign) is rejected; raises ValueError when too few distinct vectors exist.
    """
    m, d, s_prime = _pos_int("m", m, 0), _pos_int("d", d), _pos_int("s_prime", s_prime)
    if s_prime > d:
        raise ValueError(f"s_prime must be <= d, got s_prime={s_prime}, d={d}")
    if alphabet not in ("sign", "binary01"):
        raise ValueError(f"alphabet must be 'sign' or 'binary01', got {alphabet!r}")
    seen = set()
    if exclude is not None and dedup:
        seen = {canonical_key(exclude[:, j]) for j in range(exclude.shape[1])}
    out, tries = [], 0
    while len(out) < m:
        tries += 1
        if tries > max_tries:
            raise ValueError(f"could not draw {m} distinct {s_prime}-sparse vectors in d={d} (dedup up to sign)")
        batch = 2 * (m - len(out)) + 8
        supp = np.argsort(rng.random((batch, d)), axis=1)[:, :s_prime]
        vals = rng.choice([-1.0, 1.0], size=(batch, s_prime)) if alphabet == "sign" else np.ones((batch, s_prime))
        V = np.zeros((batch, d))
        np.put_along_axis(V, supp, vals, axis=1)
        for v in V:
            if dedup:
                key = canonical_key(v)
                if key in seen:
                    continue
                seen.add(key)
            out.append(v)
            if len(out) == m:
                break
    return np.array(out).T.reshape(d, m)


class SeededGenerators:
    """Generators h_j regenerated on demand from (seed, group id), ``group`` generators per group.

    ``kind``: ``gaussian`` (N(0, I_d)) or ``sparse_sign`` (s'-sparse ±1, not deduplicated).  Only the seed is
    stored, so the persistent cost is O(1) whatever p is (spec §3.9).
    """

    def __init__(self, seed: int, d: int, p: int, kind: str = "gaussian", s_prime: int = 3, group: int = 256):
        self.seed, self.d, self.p = int(seed), _pos_int("d", d), _pos_int("p", p)
        if kind not in ("gaussian", "sparse_sign"):
            raise ValueError(f"kind must be 'gaussian' or 'sparse_sign', got {kind!r}")
        self.kind, self.s_prime, self.group = kind, _pos_int("s_prime", s_prime), _pos_int("group", group)

    def _group(self, g: int) -> np.ndarray:
        rng = np.random.default_rng([self.seed, g])
        if self.kind == "gaussian":
            return rng.standard_normal((self.d, self.group))
        return sparse_sign_vectors(rng, self.group, self.d, self.s_prime, dedup=False)

    def chunk(self, j0: int, j1: int) -> np.ndarray:
        """d x (j1 - j0) block of generators j0..j1-1."""
        if not 0 <= j0 <= j1 <= self.p:
            raise ValueError(f"need 0 <= j0 <= j1 <= p={self.p}, got {j0}, {j1}")
        g0 = j0 // self.group
        if j0 == g0 * self.group and j1 == min((g0 + 1) * self.group, self.p) and j1 > j0:
            return self._group(g0)[:, :j1 - j0]     # a whole group: a view of it (a narrower range is copied)
        parts = []
        for g in range(g0, -(-j1 // self.group)):
            a, b = max(j0, g * self.group), min(j1, (g + 1) * self.group)
            parts.append(self._group(g)[:, a - g * self.group: b - g * self.group])
        return np.concatenate(parts, axis=1) if parts else np.zeros((self.d, 0))

    def columns(self, cols) -> np.ndarray:
        """d x len(cols) generators at arbitrary indices (each needed group regenerated once)."""
        cols = np.asarray(cols, dtype=np.int64)
        if cols.size and (cols.min() < 0 or cols.max() >= self.p):
            raise ValueError(f"generator indices must lie in [0, p={self.p})")
        out = np.zeros((self.d, cols.size))
        for g in np.unique(cols // self.group):
            sel = cols // self.group == g
            out[:, sel] = self._group(int(g))[:, cols[sel] - g * self.group]
        return out

    def dense(self) -> np.ndarray:
        return self.chunk(0, self.p)


@dataclass
class Planted:
    X: np.ndarray          # n x d data
    H: np.ndarray          # d x p generators
    U: np.ndarray          # d x k planted hidden weights
    v: np.ndarray          # k output weights
    blocks: np.ndarray     # block index of each planted neuron
    w_star: np.ndarray     # dp fused weights, block-major (c = j d + l)
    y: np.ndarray

    @property
    def s(self) -> int:
        return int(np.count_nonzero(self.w_star))


def network_output(X, U, v):
    """sum_j v_j relu(X u_j)."""
    return relu(X @ U) @ v


def planted_problem(rng: np.random.Generator, n: int, d: int, k: int, s_prime: int, p: int, *,
                    hidden: str = "sign", outputs: str = "pm", dedup: bool = True, shuffle: bool = True,
                    check: bool = True) -> Planted:
    """Oracle-pattern planted network (§6.2): k neurons with s' nonzeros; generators = planted u_j plus
    p - k random s'-sparse ±1 vectors (deduplicated up to sign unless ``dedup=False``); X ~ N(0, I).

    ``hidden``: ``sign`` ({±1}, the binary branch with alphabet {-1,0,1}), ``binary01`` ({0,1}) or ``gaussian``
    (N(0,1) entries, the '±1 outputs' branch); ``outputs``: ``pm`` (random ±1) or ``plus`` (all +1).
    """
    n, d, k, s_prime, p = (_pos_int(a, b) for a, b in (("n", n), ("d", d), ("k", k), ("s_prime", s_prime),
                                                        ("p", p)))
    if hidden not in HIDDEN:
        raise ValueError(f"hidden must be one of {HIDDEN}, got {hidden!r}")
    if outputs not in OUTPUTS:
        raise ValueError(f"outputs must be one of {OUTPUTS}, got {outputs!r}")
    if p < k:
        raise ValueError(f"p (number of generators) must be >= k (planted neurons), got p={p}, k={k}")
    alph = "binary01" if hidden == "binary01" else "sign"
    U = sparse_sign_vectors(rng, k, d, s_prime, alphabet=alph, dedup=True)
    if hidden == "gaussian":
        U = U * np.abs(rng.standard_normal(U.shape))
        U = U * np.sign(rng.standard_normal(U.shape))
    v = rng.choice([-1.0, 1.0], size=k) if outputs == "pm" else np.ones(k)
    extra = sparse_sign_vectors(rng, p - k, d, s_prime, exclude=U, dedup=dedup)
    H = np.concatenate([U, extra], axis=1)
    order = rng.permutation(p) if shuffle else np.arange(p)
    H = H[:, order]
    blocks = np.argsort(order)[:k]
    X = rng.standard_normal((n, d))
    W = np.zeros((d, p))
    W[:, blocks] = U * v
    w_star = W.T.ravel()
    y = network_output(X, U, v)
    if check:
        from simulations.iht.operator import GatedOperator

        r = GatedOperator(X, H).matvec(w_star) - y
        if np.linalg.norm(r) > 1e-10 * max(np.linalg.norm(y), 1e-300):
            raise AssertionError(f"planted problem: y != A w* (relative error {np.linalg.norm(r)})")
    return Planted(X, H, U, v, blocks, w_star, y)


@dataclass
class CodePlanted:
    X: np.ndarray
    W: np.ndarray          # d x m hidden weights (s nonzeros), outputs all +1
    y: np.ndarray


def code_planted(seed: int, n: int, d: int, m: int, s: int, dtype=np.float32) -> CodePlanted:
    """The authors' planted model (§5.3): s positions of the d x m matrix uniformly without replacement with
    N(0,1) values (numpy seed = seed + 1), X standard normal (seed + 2), y = sum_j relu(X W[:, j])."""
    n, d, m, s = _pos_int("n", n), _pos_int("d", d), _pos_int("m", m), _pos_int("s", s)
    if s > d * m:
        raise ValueError(f"s must be <= d*m = {d * m}, got {s}")
    r1 = np.random.default_rng(seed + 1)
    W = np.zeros(d * m)
    W[r1.choice(d * m, size=s, replace=False)] = r1.standard_normal(s)
    W = W.reshape(d, m)
    X = np.random.default_rng(seed + 2).standard_normal((n, d)).astype(dtype)
    y = relu(X.astype(np.float64) @ W).sum(axis=1)
    return CodePlanted(X, W, y)


@dataclass
class GaussianCS:
    A: np.ndarray
    x_star: np.ndarray
    y: np.ndarray


def gaussian_cs(rng: np.random.Generator, m: int, N: int, s: int, amplitudes: str = "ones") -> GaussianCS:
    """Gaussian sensing matrix (m x N, N(0,1) entries), s-sparse x* (ones or N(0,1) amplitudes), y = A x*."""
    m, N, s = _pos_int("m", m), _pos_int("N", N), _pos_int("s", s)
    if s > N:
        raise ValueError(f"s must be <= N, got s={s}, N={N}")
    if amplitudes not in ("ones", "gaussian"):
        raise ValueError(f"amplitudes must be 'ones' or 'gaussian', got {amplitudes!r}")
    A = rng.standard_normal((m, N))
    x = np.zeros(N)
    supp = rng.choice(N, size=s, replace=False)
    x[supp] = 1.0 if amplitudes == "ones" else rng.standard_normal(s)
    return GaussianCS(A, x, A @ x)


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), ndim={"X": 2, "U": 2, "v": 1, "h": 1})
