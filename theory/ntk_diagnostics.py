"""Kernel diagnostics, the generalisation complexity term, path density and the path bound (spec §8.6-§8.8).

All definitions here are the suite's [reconstructed] operationalisations ("project reconstruction, not the
paper's formula"): C(H, y) = √(2 yᵀH⁻¹y / N) after Arora et al. (2019, Thm 5.1); alignment after Cristianini
et al. (2002) (uncentred) and Cortes et al. (2012) (centred); effective rank = participation ratio.
"""
from __future__ import annotations

import numpy as np
from scipy import linalg

UNDEFINED_RATIO = 1e-12


def _sym(H, name: str = "H") -> np.ndarray:
    H = np.asarray(H, dtype=np.float64)
    if H.ndim != 2 or H.shape[0] != H.shape[1]:
        raise ValueError(f"{name} must be a square matrix, got shape {H.shape}")
    if not np.all(np.isfinite(H)):
        raise ValueError(f"{name} must be finite")
    return 0.5 * (H + H.T)


def _vec(y, n: int) -> np.ndarray:
    y = np.asarray(y, dtype=np.float64).ravel()
    if y.size != n:
        raise ValueError(f"y must have length N = {n}, got {y.size}")
    if not np.all(np.isfinite(y)):
        raise ValueError("y must be finite")
    return y


def eigenvalues(H) -> np.ndarray:
    """Eigenvalues of the symmetrised Gram, descending."""
    return np.linalg.eigvalsh(_sym(H))[::-1]


def _eig_K(K) -> np.ndarray:
    return np.linalg.eigvalsh(_sym(K, "K"))[::-1]


def complexity_term(H, y, *, delta: float = 0.05) -> dict:
    """C(H, y) = √(2 yᵀH⁻¹y/N) by Cholesky, with the lower-order term √(log(N/(λ₀δ))/N).

    Returns ``{"value", "defined", "status", "lambda_min", "lambda_max", "lower_order", "bound"}``.  When
    λ_min ≤ 1e-12 λ_max the term is reported "undefined (lambda_min ~ 0)" with value None (never a huge number).
    """
    H = _sym(H)
    n = H.shape[0]
    y = _vec(y, n)
    if not 0 < delta < 1:
        raise ValueError(f"delta must be in (0, 1), got {delta}")
    ev = np.linalg.eigvalsh(H)
    lmin, lmax = float(ev[0]), float(ev[-1])
    out = {"lambda_min": lmin, "lambda_max": lmax}
    if lmax <= 0 or lmin <= UNDEFINED_RATIO * lmax:
        return {**out, "value": None, "defined": False, "status": "undefined (lambda_min ~ 0)",
                "lower_order": None, "bound": None}
    cf = linalg.cho_factor(H, lower=True)
    quad = float(y @ linalg.cho_solve(cf, y))
    value = float(np.sqrt(2.0 * quad / n))
    lower = float(np.sqrt(max(np.log(n / (lmin * delta)), 0.0) / n))
    return {**out, "value": value, "defined": True, "status": "defined", "lower_order": lower,
            "bound": value + lower}


def alignment(K, y, centred: bool = False) -> float:
    """A(K, y) = yᵀKy / (‖K‖_F ‖y‖²); centred: K_c = HKH, y_c = Hy with H = I - 11ᵀ/N."""
    K = _sym(K, "K")
    y = _vec(y, K.shape[0])
    if centred:
        K = K - K.mean(0, keepdims=True)
        K = K - K.mean(1, keepdims=True)
        y = y - y.mean()
    nk, ny = float(np.linalg.norm(K)), float(y @ y)
    if nk == 0 or ny == 0:
        raise ValueError("alignment undefined for a zero kernel or a zero (centred) target")
    return float(y @ K @ y / (nk * ny))


def effective_rank(K) -> float:
    """Participation ratio (Σλ)²/Σλ² of the eigenvalues (negatives from round-off clipped to 0)."""
    lam = np.clip(_eig_K(K), 0.0, None)
    if lam.max() == 0:
        raise ValueError("effective rank undefined for a zero kernel")
    lam = lam / lam.max()          # scale-free, and no underflow of λ² for tiny spectra
    return float(np.sum(lam) ** 2 / np.sum(lam ** 2))


def entropy_rank(K) -> float:
    """exp of the Shannon entropy of the normalised spectrum (optional variant)."""
    lam = np.clip(_eig_K(K), 0.0, None)
    p = lam / lam.sum()
    p = p[p > 0]
    return float(np.exp(-np.sum(p * np.log(p))))


def top_k_share(K, k: int = 5) -> float:
    """Σ_{i≤k} λ_i / Σλ."""
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    lam = np.clip(_eig_K(K), 0.0, None)
    return float(lam[:k].sum() / lam.sum())


def lambda_min(K) -> float:
    return float(_eig_K(K)[-1])


def spectrum_summary(K, y=None, k: int = 5) -> dict:
    """All diagnostics of §8.8 in one dict (alignment only when y is given)."""
    out = {"effective_rank": effective_rank(K), "entropy_rank": entropy_rank(K), "lambda_min": lambda_min(K),
           f"top{k}_share": top_k_share(K, k)}
    if y is not None:
        out["align_uncentred"] = alignment(K, y, False)
        out["align_centred"] = alignment(K, y, True)
    return out


def path_density_graphon(Wgrid) -> np.ndarray:
    """ρ(v_j) = ∫ W(u, v_j) du by the midpoint rule over the rows of a (Q, d) graphon grid."""
    G = np.asarray(Wgrid, dtype=np.float64)
    if G.ndim != 2:
        raise ValueError(f"graphon grid must be 2-D (Q, d), got shape {G.shape}")
    return G.mean(0)


def path_density_masks(masks) -> np.ndarray:
    """Finite masks M¹ (n₁×d), ..., M^L (n_L×n_{L-1}): ρ̂ = 1ᵀ M^L ⋯ M¹ / Π_{ℓ<L} n_ℓ (the readout mask M^L
    may be a row vector).  For one hidden layer (a single mask) this is the column density."""
    masks = [np.atleast_2d(np.asarray(M, dtype=np.float64)) for M in masks]
    if not masks:
        raise ValueError("masks must be a non-empty sequence")
    for a, b in zip(masks[:-1], masks[1:]):
        if b.shape[1] != a.shape[0]:
            raise ValueError(f"mask shapes do not chain: {a.shape} then {b.shape}")
    v = np.ones(masks[-1].shape[0]) @ masks[-1]
    for M in reversed(masks[:-1]):
        v = v @ M
    denom = np.prod([M.shape[0] for M in masks[:-1]]) if len(masks) > 1 else masks[0].shape[0]
    return v / denom


def weighted_column_density(M, alpha) -> np.ndarray:
    """ρ̃_j = (1/n) Σ_i α_i² M_ij (spec §8.2); equals the column density when α = ±1."""
    M = np.asarray(M, dtype=np.float64)
    a = np.asarray(alpha, dtype=np.float64).ravel()
    if M.ndim != 2 or a.size != M.shape[0]:
        raise ValueError(f"alpha must have one entry per mask row ({M.shape[0]}), got {a.size}")
    return (a * a) @ M / M.shape[0]


def linear_path_kernel(X, Xp, rho, sigma_w: float = 1.0, sigma_a: float = 1.0) -> np.ndarray:
    """Hidden-layer NTK of a linear network: σ_w²σ_a² (1/d) Σ_j ρ_j x_j x'_j (spec §8.2)."""
    X = np.asarray(X, dtype=np.float64)
    Xp = X if Xp is None else np.asarray(Xp, dtype=np.float64)
    rho = np.asarray(rho, dtype=np.float64).ravel()
    if rho.size != X.shape[1]:
        raise ValueError(f"rho must have d = {X.shape[1]} entries, got {rho.size}")
    return sigma_w ** 2 * sigma_a ** 2 * (X * rho) @ Xp.T / X.shape[1]


def path_bound(beta, rho, sigma_w: float = 1.0, sigma_a: float = 1.0) -> float:
    """RKHS norm² of y = ⟨β, x⟩ under the linear kernel part: (d/(σ_w²σ_a²)) Σ_j β_j²/ρ_j (inf if ρ_j = 0 ≠ β_j)."""
    beta = np.asarray(beta, dtype=np.float64).ravel()
    rho = np.asarray(rho, dtype=np.float64).ravel()
    if beta.shape != rho.shape:
        raise ValueError(f"beta and rho must have the same length, got {beta.size} and {rho.size}")
    if np.any(rho < 0):
        raise ValueError("path densities rho must be >= 0")
    need = beta != 0
    if np.any(need & (rho == 0)):
        return float("inf")
    return float(beta.size / (sigma_w ** 2 * sigma_a ** 2) * np.sum(beta[need] ** 2 / rho[need]))


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), ndim={"X": 2, "Xp": 2, "Wgrid": 2, "M": 2})
