"""Test systems for the Lyapunov estimator (spec §3.7, §4, §9 P3/P4): maps with their Jacobians,
i.i.d. Gaussian products, Engelken's rate network, and depth-wise random (masked) nets.

Every system is a ``step(state, t) -> (next_state, jacobian)`` for :func:`estimator.lyapunov_spectrum`;
leading batch dimensions run replicates side by side.
"""
from __future__ import annotations

import numpy as np

HENON_A, HENON_B = 1.4, 0.3


def henon_step(a: float = HENON_A, b: float = HENON_B):
    """Hénon map on state (..., 2); Jacobian [[-2 a x, 1], [b, 0]] (det = -b)."""
    def step(s, t):
        x, y = s[..., 0], s[..., 1]
        J = np.zeros(s.shape[:-1] + (2, 2))
        J[..., 0, 0] = -2.0 * a * x
        J[..., 0, 1] = 1.0
        J[..., 1, 0] = b
        return np.stack([1.0 - a * x * x + y, b * x], axis=-1), J
    return step


def henon_state(a: float = HENON_A, b: float = HENON_B):
    """The Hénon state map alone (for two-trajectory estimates)."""
    def step(s, t):
        return np.array([1.0 - a * s[0] * s[0] + s[1], b * s[0]])
    return step


def logistic_step(r: float = 4.0):
    """Logistic map x -> r x (1 - x) on state (..., 1); derivative r (1 - 2x)."""
    def step(s, t):
        return r * s * (1.0 - s), (r * (1.0 - 2.0 * s))[..., None]
    return step


def logistic_orbit(x0: float, T: int, r: float = 4.0) -> np.ndarray:
    """x_0 .. x_T of the logistic map (float64, sequential)."""
    if not 0.0 < x0 < 1.0:
        raise ValueError(f"x0 must lie in (0, 1), got {x0}")
    if not 0.0 <= r <= 4.0:
        raise ValueError(f"r must lie in [0, 4] (the logistic map leaves [0, 1] otherwise), got {r}")
    xs = np.empty(T + 1)
    x = float(x0)
    for t in range(T + 1):
        xs[t] = x
        x = r * x * (1.0 - x)
    return xs


def gaussian_matrices(N: int, sigma: float, rng: np.random.Generator, batch: tuple = (), unit_variance: bool = False):
    """``mats(t)``: i.i.d. N x N matrices with entries N(0, sigma^2/N), or N(0, 1) if ``unit_variance``."""
    if N < 1:
        raise ValueError(f"N must be >= 1, got {N}")
    if not sigma > 0:
        raise ValueError(f"sigma must be > 0, got {sigma}")
    try:
        batch = (batch,) if isinstance(batch, (int, np.integer)) else tuple(batch)
    except TypeError:
        raise TypeError(f"batch must be a tuple of positive integers, got {batch!r}") from None
    if any(isinstance(b, bool) or not isinstance(b, (int, np.integer)) or b < 1 for b in batch):
        raise ValueError(f"batch must be a tuple of positive integers, got {batch!r}")
    scale = 1.0 if unit_variance else sigma / np.sqrt(N)

    def mats(t):
        return scale * rng.standard_normal(tuple(batch) + (N, N))
    return mats


def engelken_rate_net(N: int, g: float, dt: float, rng: np.random.Generator):
    """Euler-discretised rate network dh/dt = -h + J tanh(h), J = g N(0,1)/sqrt(N), zero diagonal.

    Per-step Jacobian D = (1 - dt) I + J diag(dt sech^2(h)) (Engelken, Wolf & Abbott, spec §3.7).
    Returns (step, J); exponents per step divided by dt give rates per unit time.
    """
    if not 0 < dt <= 1:
        raise ValueError(f"dt must be in (0, 1], got {dt}")
    J = g * rng.standard_normal((N, N)) / np.sqrt(N)
    np.fill_diagonal(J, 0.0)
    eye = np.eye(N)

    def step(h, t):
        D = (1.0 - dt) * eye + J * (dt / np.cosh(h) ** 2)[None, :]
        return (1.0 - dt) * h + dt * (J @ np.tanh(h)), D
    return step, J


def depthwise_lambda1(N: int, rho, g, layers: int, burn_in: int, rng: np.random.Generator,
                      replicates: int = 4, nonlinearity: str = "tanh", rescale: bool = False) -> dict:
    """Top exponent of random deep nets through depth (spec P3/P4), all (rho, g) on common random numbers.

    Layer l: W = g Z ⊙ M / sqrt(N) (Z ~ N(0,1), M = [U < rho]), divided by sqrt(rho) if ``rescale``; fresh
    every layer.  tanh: h <- W tanh(h), tangent v <- W diag(sech^2 h) v; linear: v <- W v.  One tangent
    vector (p = 1): ln R_11 = ln ||v||, renormalised every layer (a -inf when annihilated, never NaN).
    Returns ``{"lambda1": (n_rho, replicates, n_g), "rho", "g"}``.
    """
    rho, g = np.atleast_1d(np.asarray(rho, float)), np.atleast_1d(np.asarray(g, float))
    for name, v in (("rho", rho), ("g", g)):
        if v.ndim != 1:
            raise ValueError(f"{name} must be a scalar or a 1-D array, got shape {v.shape}")
    if layers < 1:
        raise ValueError(f"layers must be >= 1 (exponent accumulated over them), got {layers}")
    if np.any((rho <= 0) | (rho > 1)):
        raise ValueError(f"rho must lie in (0, 1], got {rho}")
    if nonlinearity not in ("tanh", "linear"):
        raise ValueError(f"nonlinearity must be 'tanh' or 'linear', got {nonlinearity!r}")
    R, G, P = replicates, g.size, rho.size
    h = rng.standard_normal((P, R, N, G))
    v = rng.standard_normal((P, R, N, G))
    v /= np.linalg.norm(v, axis=2, keepdims=True)
    acc = np.zeros((P, R, G))
    gain = g[None, None, None, :] / np.sqrt(N)
    if rescale:
        gain = gain / np.sqrt(rho)[:, None, None, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        for layer in range(burn_in + layers):
            Z = rng.standard_normal((R, N, N))
            U = rng.random((R, N, N))
            W = Z[None] * (U[None] < rho[:, None, None, None])          # (P, R, N, N)
            if nonlinearity == "tanh":
                a = np.tanh(h)
                h = gain * (W @ a)
                v = gain * (W @ ((1.0 - a * a) * v))
            else:
                v = gain * (W @ v)
            nv = np.linalg.norm(v, axis=2)
            if layer >= burn_in:
                acc += np.log(nv)
            v = np.where(nv[:, :, None, :] > 0, v / np.where(nv > 0, nv, 1.0)[:, :, None, :], 0.0)
    return {"lambda1": acc / layers, "rho": rho, "g": g}


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals())
