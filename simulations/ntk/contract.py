"""Closed-form numpy contractions of the empirical NTK of masked bias-free networks (spec §8.5).

One hidden layer (weights ω (n×d), readout α (n,), mask M)::

    Θ = (σ_a²/n) S Sᵀ + (σ_a²σ_w²/(n d)) Σ_j x_j x'_j Σ_i α_i² M_ij σ'(h_i(x)) σ'(h_i(x'))

evaluated as one matrix product over the kept entries: J[k, e] = α_{i_e} σ'(h_{i_e}(x_k)) x_{k, j_e} for
kept entries e = (i_e, j_e), so the hidden term is J Jᵀ (cost N² K, K = kept count).  Deep masked NTK-MLP
(:class:`simulations.ntk.models.NTKMLP`): per layer, J_ℓ[k, e] = (σ_ℓ/√n_{ℓ-1}) δ^ℓ_{i_e}(x_k) a^{ℓ-1}_{j_e}(x_k)
over kept entries, Θ = Σ_ℓ J_ℓ J_ℓᵀ.  Entries are processed in chunks (memory), each chunk one GEMM.
"""
from __future__ import annotations

import numpy as np

ACTS = ("relu", "linear", "tanh")


def _act(name: str):
    if name == "relu":
        return (lambda h: np.maximum(h, 0.0)), (lambda h: (h > 0).astype(np.float64))
    if name == "linear":
        return (lambda h: h), (lambda h: np.ones_like(h))
    if name == "tanh":
        return np.tanh, (lambda h: 1.0 - np.tanh(h) ** 2)
    raise ValueError(f"activation must be one of {ACTS}, got {name!r}")


def _kept_gram(A: np.ndarray, B: np.ndarray, rows: np.ndarray, cols: np.ndarray, A2=None, B2=None,
               max_block: int = 8_000_000) -> np.ndarray:
    """Σ_e A[:, rows_e] B[:, cols_e] (A2[:, rows_e] B2[:, cols_e])ᵀ in entry chunks: the Gram of the per-entry
    products (a Jacobian restricted to kept entries)."""
    A2 = A if A2 is None else A2
    B2 = B if B2 is None else B2
    same = A2 is A and B2 is B
    N1, N2 = A.shape[0], A2.shape[0]
    out = np.zeros((N1, N2))
    step = max(1, max_block // max(N1, N2))
    for s in range(0, rows.size, step):
        r, c = rows[s:s + step], cols[s:s + step]
        J1 = A[:, r] * B[:, c]
        J2 = J1 if same else A2[:, r] * B2[:, c]
        out += J1 @ J2.T
    return out


def _pair_gram(A, B, M, A2=None, B2=None, max_block: int = 8_000_000) -> np.ndarray:
    """Same quantity as :func:`_kept_gram` by pairs: out[k,l] = Σ_ij A[k,i]A2[l,i] M_ij B[k,j]B2[l,j], i.e.
    rowsum((P M) ⊙ Q) with P, Q the pairwise products (a dense GEMM; faster when the mask is dense)."""
    A2 = A if A2 is None else A2
    B2 = B if B2 is None else B2
    N1, N2 = A.shape[0], A2.shape[0]
    out = np.empty((N1, N2))
    step = max(1, max_block // max(1, N2 * max(A.shape[1], B.shape[1])))
    for s in range(0, N1, step):
        P = (A[s:s + step, None, :] * A2[None, :, :]).reshape(-1, A.shape[1])
        Q = (B[s:s + step, None, :] * B2[None, :, :]).reshape(-1, B.shape[1])
        out[s:s + step] = np.einsum("ij,ij->i", P @ M, Q).reshape(-1, N2)
    return out


def masked_gram(A, B, M, A2=None, B2=None) -> np.ndarray:
    """Gram of the masked per-entry products, choosing the kept-entry (sparse) or pair (dense) route."""
    M = np.asarray(M, dtype=np.float64)
    if np.ndim(A) != 2 or np.ndim(B) != 2 or M.ndim != 2 or (np.shape(A)[1], np.shape(B)[1]) != M.shape:
        raise ValueError(f"A (n, rows) and B (n, cols) must match the mask M (rows, cols), got shapes A {np.shape(A)}, "
                         f"B {np.shape(B)}, M {M.shape}")
    if np.all(M != 0):                 # unmasked layer: Hadamard product of the two Grams
        A2 = A if A2 is None else A2
        B2 = B if B2 is None else B2
        return (A @ A2.T) * (B @ B2.T)
    if M.mean() > 0.25:
        return _pair_gram(A, B, M, A2, B2)
    rows, cols = np.nonzero(M)
    return _kept_gram(A, B, rows, cols, A2, B2)


def one_layer_ntk(X, omega, alpha, mask=None, Xp=None, *, sigma_w: float = 1.0, sigma_a: float = 1.0,
                  activation: str = "relu", parts: bool = False):
    """Empirical NTK of the spec §2.1 model in closed form; ``parts=True`` returns (readout, hidden) terms."""
    X = np.asarray(X, dtype=np.float64)
    Xp = X if Xp is None else np.asarray(Xp, dtype=np.float64)
    omega = np.asarray(omega, dtype=np.float64)
    alpha = np.asarray(alpha, dtype=np.float64).ravel()
    n, d = omega.shape
    if Xp.ndim != 2 or Xp.shape[0] < 1:
        raise ValueError(f"Xp must be a non-empty (N', d) array, got shape {Xp.shape}")
    if X.shape[1] != d or Xp.shape[1] != d or alpha.size != n:
        raise ValueError(f"shapes do not match: X {X.shape}, Xp {Xp.shape}, omega {omega.shape}, alpha {alpha.shape}")
    M = np.ones_like(omega) if mask is None else np.asarray(mask, dtype=np.float64)
    if M.shape != omega.shape:
        raise ValueError(f"mask must have the shape of omega {omega.shape}, got {M.shape}")
    sig, dsig = _act(activation)
    We = M * omega
    H1 = (sigma_w / np.sqrt(d)) * X @ We.T
    H2 = H1 if Xp is X else (sigma_w / np.sqrt(d)) * Xp @ We.T
    readout = (sigma_a ** 2 / n) * sig(H1) @ sig(H2).T
    A1 = alpha * dsig(H1)
    A2 = A1 if Xp is X else alpha * dsig(H2)
    hidden = (sigma_a ** 2 * sigma_w ** 2 / (n * d)) * masked_gram(A1, X, M, A2, Xp)
    return (readout, hidden) if parts else readout + hidden


def deep_ntk(X, weights, masks, sigmas, *, activation: str = "relu", Xp=None) -> np.ndarray:
    """Empirical NTK of a masked bias-free NTK-parameterised MLP (weights W^ℓ of shape (n_ℓ, n_{ℓ-1}), last
    layer the readout (1, n_{L-1})), summed over all layers' kept entries."""
    X = np.asarray(X, dtype=np.float64)
    same = Xp is None
    Xp = X if same else np.asarray(Xp, dtype=np.float64)
    if Xp.ndim != 2 or Xp.shape[0] == 0 or Xp.shape[1] != X.shape[1]:
        raise ValueError(f"Xp must be a non-empty (n', {X.shape[1]}) array like X, got shape {Xp.shape}")
    L = len(weights)
    if len(masks) != L or len(sigmas) != L:
        raise ValueError(f"need one mask and one sigma per weight layer ({L})")
    sig, dsig = _act(activation)

    def forward(Z):
        acts, pre = [Z], []
        for ell, (W, M, s) in enumerate(zip(weights, masks, sigmas)):
            h = (s / np.sqrt(W.shape[1])) * acts[-1] @ (M * W).T
            pre.append(h)
            if ell < L - 1:
                acts.append(sig(h))
        deltas = [None] * L
        deltas[-1] = np.ones_like(pre[-1])
        for ell in range(L - 2, -1, -1):
            W, M, s = weights[ell + 1], masks[ell + 1], sigmas[ell + 1]
            deltas[ell] = dsig(pre[ell]) * ((s / np.sqrt(W.shape[1])) * deltas[ell + 1] @ (M * W))
        return acts, deltas

    a1, g1 = forward(X)
    a2, g2 = (a1, g1) if same else forward(Xp)
    out = np.zeros((X.shape[0], Xp.shape[0]))
    for ell in range(L):
        W, M, s = weights[ell], np.asarray(masks[ell], dtype=np.float64), sigmas[ell]
        scale = s * s / W.shape[1]
        if same:
            out += scale * masked_gram(g1[ell], a1[ell], M)
        else:
            out += scale * masked_gram(g1[ell], a1[ell], M, g2[ell], a2[ell])
    return out


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), per_function={"one_layer_ntk": {"ndim": {"X": 2, "omega": 2, "Xp": 2}},
                                      "deep_ntk": {"ndim": {"X": 2, "Xp": 2}},
                                      "masked_gram": {"ndim": {"A": 2, "B": 2, "M": 2, "A2": 2, "B2": 2}}})
