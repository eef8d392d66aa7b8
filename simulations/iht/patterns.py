"""Activation patterns and conditioning (spec §4.2, §4.4, §4.5): exact enumeration of the cells of a central
hyperplane arrangement by extreme rays, random-direction sampling, coverage / Hamming distances, and RSC/RSS
measured on given supports."""
from __future__ import annotations

from itertools import combinations, product

import numpy as np


def enumerate_patterns(Xs: np.ndarray) -> set:
    """All sign patterns 1[X_S h >= 0] over h, for X_S (n x k) in general position, k >= 2, as a set of
    bytes keys.  For each (k-1)-subset T of rows, the null direction v of X_T (both signs) is an extreme ray;
    the cells around ±v take sign(X v) off T and every sign choice on T (§4.2)."""
    Xs = np.asarray(Xs, dtype=np.float64)
    n, k = Xs.shape
    if k < 2:
        raise ValueError(f"enumeration needs k >= 2 columns, got k={k}")
    out = set()
    choices = np.array(list(product([False, True], repeat=k - 1)))
    for T in combinations(range(n), k - 1):
        T = list(T)
        _, _, Vt = np.linalg.svd(Xs[T], full_matrices=True)
        v = Vt[-1]
        for sgn in (1.0, -1.0):
            base = Xs @ (sgn * v) > 0
            pats = np.repeat(base[None, :], len(choices), axis=0)
            pats[:, T] = choices
            for row in pats:
                out.add(np.packbits(row).tobytes())
    return out


def sampled_patterns(Xs: np.ndarray, n_dirs: int, rng: np.random.Generator, batch: int = 20000) -> set:
    """Distinct patterns 1[X_S h >= 0] hit by ``n_dirs`` Gaussian directions h."""
    out = set()
    k = Xs.shape[1]
    for a in range(0, n_dirs, batch):
        H = rng.standard_normal((k, min(batch, n_dirs - a)))
        P = (Xs @ H >= 0).T
        out.update(r.tobytes() for r in np.unique(np.packbits(P, axis=1), axis=0))
    return out


def pattern_matrix(X: np.ndarray, H: np.ndarray, strict: bool = False) -> np.ndarray:
    Z = X @ H
    return Z > 0 if strict else Z >= 0


def coverage(P: np.ndarray) -> np.ndarray:
    """tr(D_j)/n for each column of the pattern matrix."""
    return P.mean(axis=0)


def hamming_fractions(P: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """d_H(D_i, D_j)/n for index pairs (m x 2)."""
    return (P[:, pairs[:, 0]] != P[:, pairs[:, 1]]).mean(axis=0)


def angles(H: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    a, b = H[:, pairs[:, 0]], H[:, pairs[:, 1]]
    cos = (a * b).sum(0) / np.linalg.norm(a, axis=0) / np.linalg.norm(b, axis=0)
    return np.arccos(np.clip(cos, -1.0, 1.0))


def restricted_eigs(op, supports) -> np.ndarray:
    """(λ_min, λ_max) of A_Sᵀ A_S / n for each support (list of flat-index arrays); shape (len, 2)."""
    out = []
    for S in supports:
        AS = np.asarray(op.restricted(np.asarray(S)))
        ev = np.linalg.eigvalsh(AS.T @ AS / op.n)
        out.append((ev[0], ev[-1]))
    return np.array(out)


def random_supports(rng: np.random.Generator, N: int, size: int, count: int) -> list:
    return [np.sort(rng.choice(N, size=size, replace=False)) for _ in range(count)]


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), ndim={"Xs": 2, "X": 2, "H": 2, "P": 2, "pairs": 2})
