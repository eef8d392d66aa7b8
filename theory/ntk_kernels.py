"""Analytic Graphon-NTK kernels (docs/definitions/graphon-ntk.md#s8-1, #s8-2, #s8-4) -- numpy/scipy only.

Model (spec §2.1, NTK parameterisation, no biases, mask not rescaled)::

    h_i(x) = (σ_w/√d) Σ_j M_ij ω_ij x_j,      f(x) = (σ_a/√n) Σ_i α_i σ(h_i(x))

One hidden layer, graphon W(u, v), input coordinate j at v_j = (j - 1/2)/d  [reconstructed]::

    Σ_u(x,x') = (σ_w²/d) Σ_j W(u, v_j) x_j x'_j
    Θ_W(x,x') = σ_a² ∫ [ κ1(Σ_u) + m(u) Σ_u κ0(Σ_u) ] du        (u-integral: Q midpoint nodes)

κ1 = E[σ(h)σ(h')], κ0 = E[σ'(h)σ'(h')] for (h, h') ~ N(0, Σ_u).  ReLU in closed form (arc-cosine kernels of
degree 1 and 0), erf and tanh by two-dimensional Gauss-Hermite quadrature (erf also in closed form, used as an
oracle).  ``readout_param="standard"`` drops σ_a² on the κ1 (readout-gradient) term (spec §8.1 switch).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

ACTIVATIONS = ("relu", "linear", "erf", "tanh", "erf_gh")
READOUT_PARAMS = ("ntk", "standard")
ZERO_VAR = 1e-300


def _check_activation(activation: str) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    return activation


def relu_kernels(s11, s12, s22) -> tuple[np.ndarray, np.ndarray]:
    """Arc-cosine kernels: κ1 = √(s11 s22)/(2π)(sin θ + (π-θ)cos θ), κ0 = (π-θ)/(2π), θ = arccos(s12/√(s11 s22)).

    Where a variance is zero the unit is identically 0: κ1 = 0 and κ0 = 0 (torch's convention relu'(0) = 0).
    """
    s11, s12, s22 = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in (s11, s12, s22)))
    prod = s11 * s22
    ok = prod > ZERO_VAR
    root = np.sqrt(np.where(ok, prod, 1.0))
    cos = np.clip(np.where(ok, s12 / root, 0.0), -1.0, 1.0)
    theta = np.arccos(cos)
    sin = np.sqrt(np.maximum(1.0 - cos * cos, 0.0))
    k1 = np.where(ok, root / (2 * np.pi) * (sin + (np.pi - theta) * cos), 0.0)
    k0 = np.where(ok, (np.pi - theta) / (2 * np.pi), 0.0)
    return k1, k0


def erf_kernels_closed(s11, s12, s22) -> tuple[np.ndarray, np.ndarray]:
    """Williams (1997): κ1 = (2/π) arcsin(2 s12/√((1+2s11)(1+2s22))), κ0 = (4/π)/√((1+2s11)(1+2s22) - 4 s12²)."""
    s11, s12, s22 = (np.asarray(a, dtype=np.float64) for a in (s11, s12, s22))
    a = (1 + 2 * s11) * (1 + 2 * s22)
    k1 = (2 / np.pi) * np.arcsin(np.clip(2 * s12 / np.sqrt(a), -1.0, 1.0))
    k0 = (4 / np.pi) / np.sqrt(a - 4 * s12 * s12)
    return k1, k0


def _act(name: str) -> tuple[Callable, Callable]:
    from scipy.special import erf

    if name in ("erf", "erf_gh"):
        return erf, lambda z: (2 / np.sqrt(np.pi)) * np.exp(-z * z)
    if name == "tanh":
        return np.tanh, lambda z: 1.0 - np.tanh(z) ** 2
    raise ValueError(f"Gauss-Hermite kernels need activation in ('erf', 'erf_gh', 'tanh'), got {name!r}")


def gauss_hermite_kernels(s11, s12, s22, activation: str, n_nodes: int = 100,
                          chunk: int = 20000) -> tuple[np.ndarray, np.ndarray]:
    """κ1, κ0 by a tensor-product probabilists' Gauss-Hermite rule with ``n_nodes`` per axis.

    h = √s11 z1, h' = (s12/√s11) z1 + √(s22 - s12²/s11) z2; entries are processed in chunks (batched, no loop
    over entries).
    """
    if not isinstance(n_nodes, (int, np.integer)) or n_nodes < 2:
        raise ValueError(f"n_nodes must be an integer >= 2, got {n_nodes!r}")
    sig, dsig = _act(activation)
    z, w = np.polynomial.hermite_e.hermegauss(int(n_nodes))
    w = w / np.sqrt(2 * np.pi)
    s11, s12, s22 = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in (s11, s12, s22)))
    shape = s11.shape
    a11, a12, a22 = s11.ravel(), s12.ravel(), s22.ravel()
    k1 = np.empty(a11.size)
    k0 = np.empty(a11.size)
    for start in range(0, a11.size, chunk):  # chunks of matrix entries, each chunk fully vectorised
        sl = slice(start, start + chunk)
        v1 = np.maximum(a11[sl], 0.0)
        sd1 = np.sqrt(v1)
        c = np.where(sd1 > 0, a12[sl] / np.where(sd1 > 0, sd1, 1.0), 0.0)
        e = np.sqrt(np.maximum(a22[sl] - c * c, 0.0))
        h1 = sd1[:, None] * z[None, :]                                         # (E, G)
        h2 = c[:, None, None] * z[None, :, None] + e[:, None, None] * z[None, None, :]   # (E, G, G)
        ww = w[:, None] * w[None, :]
        k1[sl] = np.einsum("eg,egh,gh->e", sig(h1), sig(h2), ww)
        k0[sl] = np.einsum("eg,egh,gh->e", dsig(h1), dsig(h2), ww)
    return k1.reshape(shape), k0.reshape(shape)


def activation_kernels(s11, s12, s22, activation: str = "relu", n_nodes: int = 100):
    """(κ1, κ0) for the named activation; ``erf`` uses the closed form, ``erf_gh`` and ``tanh`` quadrature."""
    activation = _check_activation(activation)
    if activation == "relu":
        return relu_kernels(s11, s12, s22)
    if activation == "linear":
        s12 = np.asarray(s12, dtype=np.float64)
        return s12.copy(), np.ones_like(s12)
    if activation == "erf":
        return erf_kernels_closed(s11, s12, s22)
    return gauss_hermite_kernels(s11, s12, s22, activation, n_nodes=n_nodes)


def midpoints(q: int) -> np.ndarray:
    """Midpoint nodes (i - 1/2)/q, i = 1..q."""
    if not isinstance(q, (int, np.integer)) or q < 1:
        raise ValueError(f"number of nodes must be a positive integer, got {q!r}")
    return (np.arange(q) + 0.5) / q


def _inputs(X, Xp):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (N, d), got shape {X.shape}")
    Xp = X if Xp is None else np.asarray(Xp, dtype=np.float64)
    if X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(f"X must be a non-empty (N, d) array, got shape {X.shape}")
    if Xp.ndim != 2 or Xp.shape[1] != X.shape[1] or Xp.shape[0] < 1:
        raise ValueError(f"Xp must be (N', d) with N' >= 1 and d = {X.shape[1]}, got shape {Xp.shape}")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(Xp))):
        raise ValueError("inputs X, Xp must be finite")
    return X, Xp


def graphon_grid(W, q: int, d: int) -> np.ndarray:
    """W evaluated at (u_q, v_j) midpoints, shape (q, d).  ``W`` is a callable W(u, v) (broadcasting), a
    (q, d) array, or a number (constant graphon)."""
    if callable(W):
        G = np.asarray(W(midpoints(q)[:, None], midpoints(d)[None, :]), dtype=np.float64)
        G = np.broadcast_to(G, (q, d)).copy()
    elif np.ndim(W) == 0:
        G = np.full((q, d), float(W))
    else:
        G = np.asarray(W, dtype=np.float64)
        if G.shape != (q, d):
            raise ValueError(f"graphon grid must have shape (Q, d) = {(q, d)}, got {G.shape}")
    if not np.all(np.isfinite(G)) or G.min() < 0 or G.max() > 1:
        raise ValueError("graphon values W must lie in [0, 1]")
    return G


def _readout_weights(m, u: np.ndarray) -> np.ndarray:
    if m is None or (isinstance(m, str) and m == "ones"):
        return np.ones_like(u)
    if callable(m):
        return np.broadcast_to(np.asarray(m(u), dtype=np.float64), u.shape).copy()
    arr = np.asarray(m, dtype=np.float64)
    if arr.shape != u.shape:
        raise ValueError(f"readout coupling m must be None, 'ones', a callable or an array of shape {u.shape}")
    return arr


def layer_covariances(X, Xp, Wgrid: np.ndarray, sigma_w: float = 1.0):
    """Σ_q(x,x') = (σ_w²/d) Σ_j W_qj x_j x'_j for every u-node q: (Q, N, N'), plus the diagonals (Q, N), (Q, N').

    Columns with identical graphon profiles are grouped, so a few distinct column profiles cost a few Grams.
    """
    same = Xp is None or Xp is X
    X, Xp = _inputs(X, Xp)
    if same:
        Xp = X
    d = X.shape[1]
    prof, inv = np.unique(Wgrid.T, axis=0, return_inverse=True)   # distinct column profiles
    inv = np.asarray(inv).ravel()
    scale = sigma_w ** 2 / d
    if prof.shape[0] <= max(4, d // 4):
        grams = np.stack([X[:, inv == g] @ Xp[:, inv == g].T for g in range(prof.shape[0])])   # (G, N, N')
        S = scale * np.einsum("gq,gkl->qkl", prof, grams)
    else:
        S = scale * np.matmul(X[None, :, :] * Wgrid[:, None, :], Xp.T[None, :, :])
    if Xp is X:   # same inputs: take the diagonal from S itself, so s12 = s11 = s22 exactly on it
        d1 = np.einsum("qkk->qk", S).copy()
        return S, d1, d1
    d1 = scale * (X * X) @ Wgrid.T
    d2 = scale * (Xp * Xp) @ Wgrid.T
    return S, d1.T, d2.T


def graphon_ntk(X, Xp=None, W=1.0, *, activation: str = "relu", sigma_w: float = 1.0, sigma_a: float = 1.0,
                q: int = 64, m=None, readout_param: str = "ntk", n_gh: int = 100, max_block: int = 250_000):
    """One-hidden-layer Graphon-NTK Θ_W(X, Xp) (spec §8.1); returns (N, N').

    ``m``: readout coupling m(u) = E[α² | u]; None/'ones' for a readout independent of the mask, a callable or
    an array over the Q nodes otherwise (:func:`coupled_readout` gives A(u)²/σ_a²).
    """
    _check_activation(activation)
    if readout_param not in READOUT_PARAMS:
        raise ValueError(f"readout_param must be one of {READOUT_PARAMS}, got {readout_param!r}")
    if sigma_w <= 0 or sigma_a <= 0:
        raise ValueError(f"sigma_w and sigma_a must be positive, got {sigma_w}, {sigma_a}")
    X, Xp = _inputs(X, Xp)
    u = midpoints(q)
    G = graphon_grid(W, q, X.shape[1])
    mu = _readout_weights(m, u)
    out = np.zeros((X.shape[0], Xp.shape[0]))
    step = max(1, int(max_block // max(1, X.shape[0] * Xp.shape[0])))
    a1 = 1.0 if readout_param == "standard" else sigma_a ** 2
    sym = Xp is X
    if activation == "relu":
        return _relu_graphon_ntk(X, Xp, G, mu, a1, sigma_a ** 2, sigma_w, sym, max_block) / q
    for s in range(0, q, step):   # chunks of quadrature nodes (memory bound), each chunk vectorised
        S, d1, d2 = layer_covariances(X, Xp, G[s:s + step], sigma_w)
        k1, k0 = activation_kernels(d1[:, :, None], S, d2[:, None, :], activation, n_nodes=n_gh)
        out += a1 * k1.sum(0) + sigma_a ** 2 * np.einsum("q,qkl->kl", mu[s:s + step], S * k0)
    return out / q


def _relu_graphon_ntk(X, Xp, G, mu, a1, a2, sigma_w, sym, max_block):
    """Fused ReLU path: with det = s11 s22 - s12² and θ = arccos(s12/√(s11 s22)),
    a1 κ1 + a2 m Σ κ0 = (a1 √det + (a1 + a2 m)(π - θ) s12) / (2π).  For X = Xp only the upper triangle of
    pairs is evaluated.  Returns the sum over the Q nodes (caller divides by Q)."""
    N1, N2 = X.shape[0], Xp.shape[0]
    if sym:
        iu, ju = np.triu_indices(N1)
    total = np.zeros(iu.size if sym else N1 * N2)
    q = G.shape[0]
    step = max(1, int(max_block // max(1, total.size)))
    for s in range(0, q, step):   # chunks of quadrature nodes, each vectorised over (nodes, pairs)
        S, d1, d2 = layer_covariances(X, Xp, G[s:s + step], sigma_w)
        if sym:
            s12 = S[:, iu, ju]
            prod = d1[:, iu] * d1[:, ju]
        else:
            s12 = S.reshape(S.shape[0], -1)
            prod = (d1[:, :, None] * d2[:, None, :]).reshape(S.shape[0], -1)
        ok = prod > ZERO_VAR
        root = np.sqrt(np.where(ok, prod, 1.0))
        cos = np.clip(s12 / root, -1.0, 1.0)
        np.arccos(cos, out=cos)                      # θ
        np.subtract(np.pi, cos, out=cos)             # π - θ
        det = np.sqrt(np.maximum(prod - s12 * s12, 0.0))
        w = a1 + a2 * mu[s:s + step, None]
        contrib = np.where(ok, a1 * det + w * cos * s12, 0.0)
        total += contrib.sum(0)
    total /= 2 * np.pi
    if not sym:
        return total.reshape(N1, N2)
    out = np.empty((N1, N1))
    out[iu, ju] = total
    out[ju, iu] = total
    return out


def abs_normal_quantile(u, sigma: float = 1.0):
    """A(u) = σ Φ^{-1}((1+u)/2): quantile function of |N(0, σ²)|."""
    from scipy.stats import norm

    return sigma * norm.ppf((1.0 + np.asarray(u, dtype=np.float64)) / 2.0)


def coupled_readout(sigma_a: float = 1.0) -> Callable:
    """m(u) = A(u)²/σ_a² for masks whose row factor is |α_i| (spec §8.3): equals Φ^{-1}((1+u)/2)²."""
    return lambda u: abs_normal_quantile(u, 1.0) ** 2


def dense_ntk(X, Xp=None, **kw):
    """Θ_dense = Θ_W for W ≡ 1."""
    return graphon_ntk(X, Xp, 1.0, **kw)


def deep_constant_ntk(X, Xp=None, densities=(1.0, 1.0), *, activation: str = "relu", sigma_w2: float = 2.0):
    """Deep constant-graphon NTK (spec §8.4): L = len(densities) weight layers, the last being the readout.

    Σ¹ = c₁ σ_w² ⟨x,x'⟩/d, Θ¹ = Σ¹;  Σ^{ℓ+1} = c σ_w² κ1(Σ^ℓ), Σ̇^{ℓ+1} = c σ_w² κ0(Σ^ℓ),
    Θ^{ℓ+1} = Σ^{ℓ+1} + Σ̇^{ℓ+1} Θ^ℓ.  All layers at c give c^L Θ_std (readout masked, the suite default);
    a dense readout (last density 1) gives c^{L-1}.
    """
    _check_activation(activation)
    c = np.asarray(densities, dtype=np.float64).ravel()
    if c.size < 1 or np.any(c < 0) or np.any(c > 1):
        raise ValueError(f"densities must be a non-empty sequence in [0, 1], got {densities!r}")
    if sigma_w2 <= 0:
        raise ValueError(f"sigma_w2 must be positive, got {sigma_w2}")
    X, Xp = _inputs(X, Xp)
    d = X.shape[1]
    S = c[0] * sigma_w2 * (X @ Xp.T) / d
    if Xp is X:   # diagonal taken from S itself so that s12 = s11 on it exactly
        s1 = s2 = np.diag(S).copy()
    else:
        s1 = c[0] * sigma_w2 * np.sum(X * X, 1) / d
        s2 = c[0] * sigma_w2 * np.sum(Xp * Xp, 1) / d
    T = S.copy()
    for cl in c[1:]:
        k1, k0 = activation_kernels(s1[:, None], S, s2[None, :], activation)
        d1, _ = activation_kernels(s1, s1, s1, activation)
        d2, _ = activation_kernels(s2, s2, s2, activation)
        S, Sdot = cl * sigma_w2 * k1, cl * sigma_w2 * k0
        s1, s2 = cl * sigma_w2 * d1, cl * sigma_w2 * d2
        T = S + Sdot * T
    return T


def deep_graphon_ntk(X, Xp=None, graphons=(1.0, 1.0), *, q: int = 32, sigma_w2: float = 2.0,
                     activation: str = "relu"):
    """Deep Graphon-NTK for general graphons (spec §8.4), one graphon per weight layer, positions u per layer
    on q midpoint nodes; the last entry is the readout graphon, a function of v only.

    Σ¹_u = σ_w² (1/d) Σ_j W¹(u, v_j) x_j x'_j;  Σ^{ℓ+1}_u = σ_w² ∫ W^{ℓ+1}(u,v) κ1(Σ^ℓ_v) dv;
    Θ^{ℓ+1}_u = Σ^{ℓ+1}_u + σ_w² ∫ W^{ℓ+1}(u,v) κ0(Σ^ℓ_v) Θ^ℓ_v dv.  Each graphon is a number, a callable
    W(u, v) or a grid ((q, d) first, (q, q) hidden, (q,) readout).  Reduces to :func:`graphon_ntk` for two
    layers and to :func:`deep_constant_ntk` for constant graphons.
    """
    _check_activation(activation)
    if len(graphons) < 2:
        raise ValueError("graphons must list at least two weight layers (hidden layer(s) and readout)")
    if sigma_w2 <= 0:
        raise ValueError(f"sigma_w2 must be positive, got {sigma_w2}")
    same = Xp is None or Xp is X
    X, Xp = _inputs(X, Xp)
    if same:
        Xp = X
    G1 = graphon_grid(graphons[0], q, X.shape[1])
    S, d1, d2 = layer_covariances(X, Xp, G1, np.sqrt(sigma_w2))      # (q, N, N'), (q, N), (q, N')
    T = S.copy()
    u = midpoints(q)
    for ell, W in enumerate(graphons[1:], start=2):
        last = ell == len(graphons)
        if last:
            Wg = np.broadcast_to(np.asarray(W(u) if callable(W) else W, dtype=np.float64), (q,))[None, :]
        else:
            Wg = graphon_grid(W, q, q)
        if np.any(Wg < 0) or np.any(Wg > 1):
            raise ValueError("graphon values W must lie in [0, 1]")
        k1, k0 = activation_kernels(d1[:, :, None], S, d2[:, None, :], activation)
        e1, _ = activation_kernels(d1, d1, d1, activation)
        e2, _ = activation_kernels(d2, d2, d2, activation)
        S = sigma_w2 * np.einsum("uv,vkl->ukl", Wg, k1) / q
        T = S + sigma_w2 * np.einsum("uv,vkl->ukl", Wg, k0 * T) / q
        d1, d2 = sigma_w2 * (Wg @ e1) / q, sigma_w2 * (Wg @ e2) / q
        if same:
            d1 = d2 = np.einsum("ukk->uk", S).copy()
    return T[0]


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), ndim={"X": 2, "Xp": 2, "Wgrid": 2}, per_function={"graphon_grid": {"ndim": {"W": 2}}})
