"""Predictions for the IHT recovery paper (Fridovich-Keil & Pilanci 2025; docs/definitions/iht.md#s4).

Closed forms only (numpy/scipy): Cover's pattern count, the count of s'-sparse sign vectors, the minimum angle
between sparse sign vectors, the random-hyperplane Hamming law, the coverage bound, the population restricted
eigenvalue of one feature in two blocks at angle θ, the overlap RSS law, the Jain-Tewari-Kar level, and the
antipodal-pairs null vector.  Formulas marked [reconstructed] are the project's, not the paper's.
"""
from __future__ import annotations

from math import comb

import numpy as np


def _nonneg_int(name: str, v) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {v!r}")
    return int(v)


def cover_count(n: int, k: int) -> int:
    """Cover (1965): central hyperplanes through n points in general position in R^k give
    K(n, k) = 2 sum_{i<k} C(n-1, i) distinct patterns 1[X h >= 0]."""
    n, k = _nonneg_int("n", n), _nonneg_int("k", k)
    if n < 1 or k < 1:
        raise ValueError(f"n and k must be >= 1, got n={n}, k={k}")
    return 2 * sum(comb(n - 1, i) for i in range(k))


def sparse_sign_count(d: int, s_prime: int) -> int:
    """Number of vectors in {-1,0,1}^d with exactly s' nonzeros: 2^{s'} C(d, s')."""
    d, s_prime = _nonneg_int("d", d), _nonneg_int("s_prime", s_prime)
    if s_prime > d:
        raise ValueError(f"s_prime must be <= d, got {s_prime} > {d}")
    return 2 ** s_prime * comb(d, s_prime)


def sparse_pattern_bound(n: int, d: int, s_prime: int) -> int:
    """[reconstructed from Cover] patterns of generators with at most s' nonzeros: C(d, s') K(n, s')."""
    return comb(d, s_prime) * cover_count(n, s_prime)


def min_angle_exact(s_prime: int) -> float:
    """Smallest angle between distinct ±1 vectors with exactly s' nonzeros: arccos(1 - 1/s')."""
    s_prime = _nonneg_int("s_prime", s_prime)
    if s_prime < 1:
        raise ValueError("s_prime must be >= 1")
    return float(np.arccos(1 - 1 / s_prime)) if s_prime > 1 else float(np.pi / 2)


def min_angle_atmost(s_prime: int) -> float:
    """[reconstructed] smallest angle with 'at most s' nonzeros': arccos(sqrt(1 - 1/s'))."""
    s_prime = _nonneg_int("s_prime", s_prime)
    if s_prime < 1:
        raise ValueError("s_prime must be >= 1")
    return float(np.arccos(np.sqrt(1 - 1 / s_prime)))


def hamming_fraction(theta):
    """E d_H(D(u), D(u'))/n = angle(u, u')/π (random-hyperplane identity, Gaussian rows)."""
    return np.asarray(theta, dtype=np.float64) / np.pi


def coverage_lower_bound(n: int, p: int, delta: float) -> float:
    """min_j tr(D_j)/n >= 1/2 - sqrt(log(2p/δ)/(2n)) with probability >= 1-δ (Hoeffding + union bound)."""
    if not 0 < delta < 1:
        raise ValueError(f"delta must be in (0, 1), got {delta}")
    return 0.5 - float(np.sqrt(np.log(2 * p / delta) / (2 * n)))


def pop_lambda_min(theta, beta=0.0, psi=None):
    """[reconstructed] λ_min of the population 2x2 Gram (per unit n) of one unit feature e in two blocks with
    generators at angle θ: [θ - cos²β sin θ cos(2ψ - θ)]/(2π); β = angle of e to the plane, ψ = in-plane angle
    of e from h₁ (default: the bisector ψ = θ/2, the worst case)."""
    theta = np.asarray(theta, dtype=np.float64)
    psi = theta / 2 if psi is None else np.asarray(psi, dtype=np.float64)
    return (theta - np.cos(beta) ** 2 * np.sin(theta) * np.cos(2 * psi - theta)) / (2 * np.pi)


def pop_lambda_min_cases(theta) -> dict:
    """The three special cases of §4.5(b): orthogonal feature, along h₁, along the bisector."""
    t = float(theta)
    return {"orthogonal": t / (2 * np.pi), "along_h1": (2 * t - np.sin(2 * t)) / (4 * np.pi),
            "bisector": (t - np.sin(t)) / (2 * np.pi)}


def both_active_prob(theta):
    """P(h₁ᵀx >= 0, h₂ᵀx >= 0) = (π - θ)/(2π)."""
    return (np.pi - np.asarray(theta, dtype=np.float64)) / (2 * np.pi)


def overlap_rss(theta_matrix: np.ndarray) -> dict:
    """[reconstructed] one feature (orthogonal to the generators) in k blocks: population Gram has diagonal
    1/2 and off-diagonals (π - θ_ij)/(2π); returns its λ_max and the linear law 1/2 + (k-1) c̄."""
    T = np.asarray(theta_matrix, dtype=np.float64)
    k = T.shape[0]
    G = both_active_prob(T)
    np.fill_diagonal(G, 0.5)
    cbar = float(G[~np.eye(k, dtype=bool)].mean()) if k > 1 else 0.0
    return {"lambda_max": float(np.linalg.eigvalsh(G)[-1]), "linear_law": 0.5 + (k - 1) * cbar, "cbar": cbar}


def jtk_level(kappa: float, s: int) -> float:
    """Jain-Tewari-Kar (2014, Thm 1, as usually stated) projection level s̃ >= 32 κ² s [literature]."""
    return 32.0 * float(kappa) ** 2 * s


def antipodal_null_vector(p: int, d: int, blocks, a) -> np.ndarray:
    """z with a in blocks h and -h and -a in blocks h' and -h' (``blocks`` = (j_h, j_-h, j_h', j_-h')):
    A z = (D(h) + D(-h)) X a - (D(h') + D(-h')) X a = 0 because D(g) + D(-g) = I off the hyperplane."""
    a = np.asarray(a, dtype=np.float64)
    if a.shape != (d,):
        raise ValueError(f"a must have length d={d}, got shape {a.shape}")
    if len(set(blocks)) != 4 or min(blocks) < 0 or max(blocks) >= p:
        raise ValueError(f"blocks must be 4 distinct indices in [0, {p}), got {blocks}")
    W = np.zeros((p, d))
    for j, sgn in zip(blocks, (1, 1, -1, -1)):
        W[j] = sgn * a
    return W.ravel()


def network_twin(d: int = 2) -> dict:
    """[reconstructed] two 4-sparse networks with identical outputs (relu(t) - relu(-t) = t):
    N_a = {(u, +1), (-u, -1)} with u = e₁ + e₂, N_b = {(e₁,+1), (-e₁,-1), (e₂,+1), (-e₂,-1)}."""
    if d < 2:
        raise ValueError(f"d must be >= 2, got {d}")
    e1, e2 = np.eye(d)[0], np.eye(d)[1]
    u = e1 + e2
    return {"U_a": np.stack([u, -u], 1), "v_a": np.array([1.0, -1.0]),
            "U_b": np.stack([e1, -e1, e2, -e2], 1), "v_b": np.array([1.0, -1.0, 1.0, -1.0])}


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), ndim={"theta_matrix": 2})
