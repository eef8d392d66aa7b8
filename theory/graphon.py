"""Predicted graphon limits of pruning-at-initialisation masks (docs/definitions/graphon-ntk.md#s4, #s5, #s6).

Provenance: the existence of deterministic limits, homogeneity of Random/Magnitude and heterogeneity of
SNIP/GraSP are [paper]; the Factorised Saliency Model (FSM) formula W*(u,v) = Fbar_eps(tau*/(R(u) C(v))), the
threshold equation and every rate here are a project reconstruction, not the paper's formula.  Numbers marked
[reference value] come from the spec's numpy prototype.

Imports numpy / scipy / sympy only.
"""
from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass

import numpy as np
import sympy as sp
from scipy import optimize, special
from scipy.stats import norm

PREDICTED_SLOPE = -0.5          # cut-norm rate n^(-1/2) for homogeneous limits (spec §5.2) and FSM (§5.3)

#: spec §5.3 [reference value]: FSM setup of §4.4, n = d
FSM_REFERENCE_RATES = {
    "n": [128, 256, 512, 1024, 2048],
    "spectral_latent": [0.0547, 0.0380, 0.0277, 0.0196, 0.0138],
    "spectral_degree": [0.0543, 0.0377, 0.0276, 0.0196, 0.0138],
    "alternating_latent": [0.0136, 0.0099, 0.0072, 0.0048, None],
    "block_rmse_degree": [(0.0448 + 0.0445) / 2, (0.0323 + 0.0295) / 2, (0.0208 + 0.0212) / 2,
                          (0.0142 + 0.0130) / 2, (0.0105 + 0.0091) / 2],
    "tau_rms": [0.0145, 0.0084, 0.0060, 0.0050, None],
}
#: spec §4.4 / §6.4 [reference value]
FSM_REFERENCE = {"tau_star": 0.21190, "rho": (0.0538, 0.6386), "K2": 0.2, "K22": 0.01588, "row_star_2": 0.05544,
                 "col_star_2": 0.10413, "row_star_3": 0.01835, "l1_gap": 0.1375}


def _check_density(p) -> float:
    p = float(p)
    if not 0.0 < p < 1.0:
        raise ValueError(f"density must be in (0, 1) (kept fraction), got {p!r}")
    return p


# --------------------------------------------------------------------------------------- the FSM setup
@dataclass(frozen=True)
class FSMSetup:
    """Multiplicative FSM S_ij = r_i c_j eps_ij (spec §4.1): r = |N(0, sigma_r^2)|, eps = |N(0, sigma_eps^2)|,
    a deterministic column profile with ``col_fractions`` of the columns (in ascending v order) at
    ``col_values``.  Defaults: the §4.4 reference setup (75% at c = 0.1, 25% at c = 1, p = 0.2)."""

    density: float = 0.2
    col_fractions: tuple = (0.75, 0.25)
    col_values: tuple = (0.1, 1.0)
    sigma_r: float = 1.0
    sigma_eps: float = 1.0

    def __post_init__(self):
        _check_density(self.density)
        if len(self.col_fractions) != len(self.col_values) or not self.col_fractions:
            raise ValueError("col_fractions and col_values must be non-empty and of equal length")
        if abs(sum(self.col_fractions) - 1.0) > 1e-12 or min(self.col_fractions) <= 0:
            raise ValueError(f"col_fractions must be positive and sum to 1, got {self.col_fractions}")
        if list(self.col_values) != sorted(self.col_values) or min(self.col_values) < 0:
            raise ValueError(f"col_values must be non-negative and ascending, got {self.col_values}")
        if self.sigma_r <= 0 or self.sigma_eps <= 0:
            raise ValueError("sigma_r and sigma_eps must be positive")

    def column_counts(self, d: int) -> np.ndarray:
        """Deterministic finite profile: round the cumulative fractions (spec §5.3: never a random profile)."""
        cuts = np.rint(np.cumsum((0.0,) + tuple(self.col_fractions)) * d).astype(int)
        return np.diff(cuts)

    def column_factors(self, d: int) -> np.ndarray:
        return np.repeat(np.asarray(self.col_values, float), self.column_counts(d))


def halfnormal_quantile(u, sigma: float = 1.0):
    """A(u) = sigma Phi^{-1}((1+u)/2): quantile function of |N(0, sigma^2)|."""
    return sigma * norm.ppf((1.0 + np.asarray(u, float)) / 2.0)


def product_survival(t: float) -> float:
    """P(|Z1 Z2| > t) for independent standard normals; |Z1 Z2| has density (2/pi) K0(x)."""
    if t <= 0:
        return 1.0
    return float(1.0 - 2.0 / np.pi * special.iti0k0(float(t))[1])   # int_0^t K0 = iti0k0(t)[1]


def column_masses(tau: float, setup: FSMSetup = FSMSetup()) -> np.ndarray:
    """rho(v) = int_0^1 W*(u, v) du on each column block: P(r c eps > tau)."""
    s = setup.sigma_r * setup.sigma_eps
    return np.array([product_survival(tau / (s * c)) if c > 0 else 0.0 for c in setup.col_values])


def tau_star(setup: FSMSetup = FSMSetup()) -> float:
    """Root of the threshold equation int int W* = p (spec §4.2); [reference value] 0.21190 in §4.4."""
    f = np.asarray(setup.col_fractions)

    def excess(t):
        return float(f @ column_masses(t, setup)) - setup.density

    hi = 1.0
    while excess(hi) > 0:
        hi *= 2.0
    return float(optimize.brentq(excess, 1e-12, hi, xtol=1e-14, rtol=1e-13))


def w_star(u, v, setup: FSMSetup = FSMSetup(), tau: float | None = None):
    """FSM limit W*(u, v) = 2 Phibar(tau* / (sigma_eps R(u) C(v))), 0 where R C = 0 (rows ascending in the
    latent factor, columns ascending in relevance)."""
    tau = tau_star(setup) if tau is None else tau
    u, v = np.broadcast_arrays(np.asarray(u, float), np.asarray(v, float))
    R = halfnormal_quantile(u, setup.sigma_r)
    edges = np.cumsum(setup.col_fractions)[:-1]
    C = np.asarray(setup.col_values, float)[np.searchsorted(edges, v, side="right")]
    rc = R * C * setup.sigma_eps
    with np.errstate(divide="ignore"):
        return np.where(rc > 0, 2.0 * norm.sf(tau / np.where(rc > 0, rc, 1.0)), 0.0)


def w_star_grid(n: int, d: int, setup: FSMSetup = FSMSetup(), tau: float | None = None) -> np.ndarray:
    """W* at the midpoints ((i - 1/2)/n, (j - 1/2)/d), columns following the deterministic finite profile."""
    tau = tau_star(setup) if tau is None else tau
    u = (np.arange(n) + 0.5) / n
    R = halfnormal_quantile(u, setup.sigma_r)[:, None]
    C = np.asarray(setup.col_values, float)[None, :]
    rc = R * C * setup.sigma_eps                                   # one column per block of the profile
    blocks = np.where(rc > 0, 2.0 * norm.sf(tau / np.where(rc > 0, rc, 1.0)), 0.0)
    return np.repeat(blocks, setup.column_counts(d), axis=1)


# --------------------------------------------------------------------------- method table (spec §4.3)
def magnitude_tau(density: float, sigma_w: float = 1.0) -> float:
    """Magnitude: tau* = sigma_w Phi^{-1}(1 - p/2) (1.6449 at p = 0.1, 1.2816 at p = 0.2)."""
    return float(sigma_w * norm.ppf(1.0 - _check_density(density) / 2.0))


def synflow_tau(density: float, sigma_a: float = 1.0, sigma_w: float = 1.0) -> float:
    """Single-shot SynFlow, score |a_i||W_ij|: tau* is the (1-p)-quantile of |Z1 Z2| sigma_a sigma_w
    ([reference value] 1.5951 at p = 0.1, 1.0344 at p = 0.2)."""
    p = _check_density(density)
    return float(sigma_a * sigma_w * optimize.brentq(lambda t: product_survival(t) - p, 1e-12, 50.0, xtol=1e-14))


def limit_graphon(method: str, density: float, setup: FSMSetup | None = None):
    """W*(u, v) as a vectorised callable per method of the §4.3 table (one hidden layer, sigma = 1).

    random / magnitude: W* = p.  snip (FSM; linear sigma exact, ReLU asymptotically): the FSM formula with
    ``setup`` (its column profile = |c_j|).  synflow: 2 Phibar(tau*/A(u)), a function of u only.
    GraSP's factors are unknown (spec §4.3) and raise ValueError."""
    p = _check_density(density)
    if method in ("random", "magnitude"):
        return lambda u, v: np.full(np.broadcast(np.asarray(u), np.asarray(v)).shape, p)
    if method == "snip":
        s = setup or FSMSetup(density=p)
        if abs(s.density - p) > 0:
            raise ValueError(f"setup.density {s.density} differs from density {p}")
        t = tau_star(s)
        return lambda u, v: w_star(u, v, s, t)
    if method == "synflow":
        t = synflow_tau(p)
        return lambda u, v: np.broadcast_to(2.0 * norm.sf(t / np.maximum(halfnormal_quantile(u), 1e-300)),
                                             np.broadcast(np.asarray(u), np.asarray(v)).shape)
    raise ValueError(f"method must be one of random, magnitude, snip, synflow (GraSP's FSM factors are "
                     f"unknown, spec §4.3), got {method!r}")


def magnitude_layer_densities(density: float, sizes, sigmas) -> dict:
    """Deep Magnitude with a global threshold: layer l keeps 2 Phibar(tau/sigma_l), with tau solving
    sum_l N_l 2 Phibar(tau/sigma_l) = p N (spec §9 check 2)."""
    p = _check_density(density)
    N, s = np.asarray(sizes, float), np.asarray(sigmas, float)
    if N.shape != s.shape or N.size == 0 or np.any(N <= 0) or np.any(s <= 0):
        raise ValueError("sizes and sigmas must be equal-length positive sequences")
    f = lambda t: float(N @ (2 * norm.sf(t / s))) - p * N.sum()
    tau = optimize.brentq(f, 0.0, 50.0 * s.max(), xtol=1e-14)
    return {"tau": float(tau), "densities": (2 * norm.sf(tau / s)).tolist()}


# -------------------------------------------------------------------------------------- rates (§5)
def homogeneous_upper(n: int, d: int, density: float) -> float:
    """Spectral route with Bai-Yin: ||M - p||_cut <~ sqrt(p(1-p)) (n^-1/2 + d^-1/2) (2 sqrt(p(1-p))/sqrt n at n = d)."""
    p = _check_density(density)
    return float(math.sqrt(p * (1 - p)) * (n ** -0.5 + d ** -0.5))


def k22_excess(density: float, n: int, d: int, exact: bool = False) -> float:
    """E t(K22, M) - p^4 for an iid Bernoulli(p) mask: (p^2 - p^4)(1/n + 1/d) at leading order; ``exact``
    adds the (p - 2p^2 + p^4)/(n d) term from the fully degenerate u1 = u2, v1 = v2 cases."""
    p = _check_density(density)
    lead = (p ** 2 - p ** 4) * (1.0 / n + 1.0 / d)
    return float(lead + ((p - 2 * p ** 2 + p ** 4) / (n * d) if exact else 0.0))


def row_star2_excess(density: float, d: int) -> float:
    """t(row 2-star) - p^2 = Var(row density) = p(1-p)/d for a Bernoulli(p) mask."""
    p = _check_density(density)
    return p * (1 - p) / d


# ------------------------------------------------------------ homomorphism densities of graphons (§6.4)
def parse_f(name: str) -> tuple[int, int, tuple]:
    """Bipartite F by name: K2, K22, row_star_<s>, col_star_<s> -> (left vertices, right vertices, edges)."""
    if name == "K2":
        return 1, 1, ((0, 0),)
    if name == "K22":
        return 2, 2, ((0, 0), (0, 1), (1, 0), (1, 1))
    for pre, row in (("row_star_", True), ("col_star_", False)):
        if name.startswith(pre) and name[len(pre):].isdigit() and int(name[len(pre):]) >= 1:
            s = int(name[len(pre):])
            return (1, s, tuple((0, j) for j in range(s))) if row else (s, 1, tuple((i, 0) for i in range(s)))
    raise ValueError(f"F must be K2, K22, row_star_<s> or col_star_<s> (s >= 1), got {name!r}")


def as_f(F) -> tuple[int, int, tuple]:
    if isinstance(F, str):
        return parse_f(F)
    L, R, E = F
    E = tuple((int(a), int(b)) for a, b in E)
    if not E or any(not (0 <= a < L and 0 <= b < R) for a, b in E):
        raise ValueError(f"F edges must index left vertices < {L} and right vertices < {R}, got {E}")
    return int(L), int(R), E


def t_weighted(F, W: np.ndarray, wu: np.ndarray, wv: np.ndarray) -> float:
    """sum over vertex maps of prod_left wu prod_right wv prod_edges W[u_a, v_b] (one einsum)."""
    L, R, E = as_f(F)
    letters = "abcdefghijklmnopqrstuvwxyz"
    if L + R > len(letters):
        raise ValueError("F has too many vertices")
    lu, lv = letters[:L], letters[L:L + R]
    terms = [lu[a] + lv[b] for a, b in E] + list(lu) + list(lv)
    ops = [W] * len(E) + [wu] * L + [wv] * R
    return float(np.einsum(",".join(terms) + "->", *ops, optimize="greedy"))


def t_piecewise_constant(F, values, row_widths, col_widths):
    """Exact t(F, W) of a block-constant graphon (sympy): a sum over block assignments of the vertices of
    prod widths * prod block values.  ``values`` a nested list (sympy numbers or symbols)."""
    L, R, E = as_f(F)
    V = sp.Matrix(values)
    a, b = [sp.sympify(x) for x in row_widths], [sp.sympify(x) for x in col_widths]
    if V.shape != (len(a), len(b)):
        raise ValueError(f"values shape {V.shape} must be (len(row_widths), len(col_widths))")
    total = sp.Integer(0)
    for ru in itertools.product(range(len(a)), repeat=L):
        for cv in itertools.product(range(len(b)), repeat=R):
            term = sp.Mul(*[a[i] for i in ru]) * sp.Mul(*[b[j] for j in cv])
            total += term * sp.Mul(*[V[ru[x], cv[y]] for x, y in E])
    return sp.simplify(total)


@functools.lru_cache(maxsize=16)
def _legendre(Q: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = special.roots_legendre(Q)
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


def gauss_nodes(Q: int, breaks=()) -> tuple[np.ndarray, np.ndarray]:
    """Composite Gauss-Legendre nodes and weights on [0, 1], one Q-point rule per piece between ``breaks``."""
    if Q < 1:
        raise ValueError(f"Q must be >= 1, got {Q}")
    edges = np.unique(np.concatenate([[0.0], np.asarray(breaks, float), [1.0]]))
    x, w = _legendre(int(Q))
    xs = [(lo + hi) / 2 + (hi - lo) / 2 * x for lo, hi in zip(edges[:-1], edges[1:])]
    ws = [(hi - lo) / 2 * w for lo, hi in zip(edges[:-1], edges[1:])]
    return np.concatenate(xs), np.concatenate(ws)


def t_graphon(F, W, Q: int = 128, u_breaks=(), v_breaks=()) -> float:
    """t(F, W) of a callable graphon by a composite Gauss-Legendre product rule (pass the discontinuities)."""
    u, wu = gauss_nodes(Q, u_breaks)
    v, wv = gauss_nodes(Q, v_breaks)
    return t_weighted(F, np.asarray(W(u[:, None], v[None, :]), float), wu, wv)


def fsm_nodes(setup: FSMSetup = FSMSetup(), Q: int = 400, tau: float | None = None):
    """W* on quadrature nodes: u = 2 Phi(z) - 1 with Gauss-Legendre z on [0, 9] (weights 2 phi(z)); v exact
    (one node per column block)."""
    tau = tau_star(setup) if tau is None else tau
    x, w = _legendre(int(Q))
    z, wz = 4.5 * (x + 1), 4.5 * w * 2 * norm.pdf(4.5 * (x + 1))
    R = setup.sigma_r * z
    C = np.asarray(setup.col_values, float)
    rc = R[:, None] * C[None, :] * setup.sigma_eps
    W = np.where(rc > 0, 2 * norm.sf(tau / np.where(rc > 0, rc, 1.0)), 0.0)
    return W, wz, np.asarray(setup.col_fractions, float)


def fsm_t(F, setup: FSMSetup = FSMSetup(), Q: int = 400) -> float:
    """t(F, W*) of the FSM limit ([reference value] K22 0.01588, row 2-star 0.05544, ...)."""
    return t_weighted(F, *fsm_nodes(setup, Q))


def l1_gap(setup: FSMSetup = FSMSetup(), Q: int = 400) -> float:
    """int int 2 W*(1 - W*): the L1 distance a binary mask keeps from W* forever ([reference value] 0.1375)."""
    W, wu, wv = fsm_nodes(setup, Q)
    return float(wu @ (2 * W * (1 - W)) @ wv)


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals(), per_function={"t_weighted": {"ndim": {"W": 2, "wu": 1, "wv": 1}},
                                       "t_piecewise_constant": {"ndim": {"values": 2}}})
