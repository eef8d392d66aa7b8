"""Sympy checks of the Graphon-NTK derivations (docs/definitions/graphon-ntk.md#s8-1, #s8-2, #s8-4).

Each step states ``expr`` and the ``claimed`` closed form; the check is that expr - claimed simplifies to 0,
plus spot checks at random rational points.  Spot checks are exact where the expressions are algebraic; for
the ReLU kernels (Gaussian integrals) the spot check compares the closed form with a direct numerical
(mpmath, 30 digits) integration of the defining expectation at rational angles.

* :func:`relu_kappa0`, :func:`relu_kappa1` -- arc-cosine kernels from the polar form of the bivariate Gaussian;
* :func:`positive_homogeneity` -- Θ_p = p Θ_dense for ReLU: κ1(pΣ) = p κ1(Σ), κ0(pΣ) = κ0(Σ);
* :func:`deep_c_power` -- the deep recursion with constant density c per layer gives c^L (c^{L-1} dense readout);
* :func:`linear_path_density` -- hidden-layer NTK of a linear masked net = σ_w²σ_a²(1/d) Σ_j ρ̃_j x_j x'_j.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import sympy as sp
import mpmath


@dataclass(frozen=True)
class Step:
    name: str
    symbolic: bool
    spot_checks: int


def _principal(e):
    """θ ∈ [0, π] by definition (θ = arccos of a correlation), so acos(cos θ) = θ; sympy cannot know the range
    of a bare positive symbol; likewise |sin θ| = sin θ.  Applied before simplification only; spot checks use the raw expression."""
    return e.subs(sp.acos(sp.cos(th)), th).subs(sp.Abs(sp.sin(th)), sp.sin(th))


def _step(name: str, expr, claimed, symbols=(), spots: int = 5, seed: int = 0, exact: bool = True) -> Step:
    diff = _principal(sp.simplify(_principal(sp.simplify(expr)) - _principal(sp.simplify(claimed))))
    diff = sp.simplify(diff)
    if diff != 0:
        raise AssertionError(f"{name}: expr - claimed = {diff}, not 0")
    rnd = random.Random(seed)
    for _ in range(spots if symbols else 0):
        sub = {s: sp.Rational(rnd.randint(1, 97), 100) for s in symbols}
        a, b = expr.subs(sub), claimed.subs(sub)
        if exact:
            if sp.simplify(a - b) != 0:
                raise AssertionError(f"{name}: spot check at {sub} gives {a} vs {b}")
        elif abs(sp.N(a - b, 30)) > sp.Float("1e-20"):
            raise AssertionError(f"{name}: spot check at {sub} gives {sp.N(a)} vs {sp.N(b)}")
    return Step(name, True, spots if symbols else 0)


th, phi, r = sp.symbols("theta phi r", positive=True)
s11, s22, p, c = sp.symbols("s11 s22 p c", positive=True)


def kappa1_closed(a11, a12, a22):
    t = sp.acos(a12 / sp.sqrt(a11 * a22))
    return sp.sqrt(a11 * a22) / (2 * sp.pi) * (sp.sin(t) + (sp.pi - t) * sp.cos(t))


def kappa0_closed(a11, a12, a22):
    return (sp.pi - sp.acos(a12 / sp.sqrt(a11 * a22))) / (2 * sp.pi)


def _npdf(t):
    return mpmath.exp(-t * t / 2) / mpmath.sqrt(2 * mpmath.pi)


def _ncdf(t):
    return mpmath.ncdf(t)


def _quad_kappa0(a):
    """P(z1 > 0, cos a z1 + sin a z2 > 0) = ∫_0^∞ φ(x) Φ(x cot a) dx (condition on z1; a smooth 1-D integral)."""
    return mpmath.quad(lambda x: _npdf(x) * _ncdf(x * mpmath.cot(a)), [0, mpmath.inf])


def _quad_kappa1(a):
    """E[relu(z1) relu(μ + σ z2)] with μ = x cos a, σ = sin a, using E[relu(μ + σZ)] = μΦ(μ/σ) + σφ(μ/σ)."""
    ca, sa = mpmath.cos(a), mpmath.sin(a)
    inner = lambda x: x * ca * _ncdf(x * ca / sa) + sa * _npdf(x * ca / sa)
    return mpmath.quad(lambda x: x * _npdf(x) * inner(x), [0, mpmath.inf])


def _numeric_spots(name, closed, quad, seed=1, spots=3) -> int:
    mpmath.mp.dps = 30
    rnd = random.Random(seed)
    for _ in range(spots):
        a = sp.Rational(rnd.randint(5, 300), 100)            # rational angle in (0, π)
        num = quad(mpmath.mpf(a.p) / a.q)
        cl = mpmath.mpf(str(sp.N(closed.subs(th, a), 30)))
        if abs(num - cl) > mpmath.mpf("1e-20"):
            raise AssertionError(f"{name}: at theta={a} closed form {cl} vs quadrature {num}")
    return spots


def relu_kappa0() -> list[Step]:
    """Unit variances, correlation cos θ: h = r cos φ, h' = r cos(φ - θ); both positive on the sector
    φ ∈ (θ - π/2, π/2) of width π - θ, and φ is uniform, so E[1{h>0}1{h'>0}] = (π - θ)/(2π)."""
    sector = sp.integrate(1 / (2 * sp.pi), (phi, th - sp.pi / 2, sp.pi / 2))
    claimed = (sp.pi - th) / (2 * sp.pi)
    steps = [_step("kappa0 = sector / 2pi", sector, claimed, [th])]
    steps.append(_step("kappa0 closed form with theta = acos(s12/sqrt(s11 s22))",
                       kappa0_closed(s11, sp.sqrt(s11 * s22) * sp.cos(th), s22), claimed, [th, s11, s22],
                       exact=False))
    n = _numeric_spots("kappa0 vs Gaussian quadrature", claimed, _quad_kappa0)
    return steps + [Step("kappa0 vs Gaussian quadrature", False, n)]


def relu_kappa1() -> list[Step]:
    """E[relu(h) relu(h')] = (1/2π) ∫_0^∞ r³ e^{-r²/2} dr ∫_{θ-π/2}^{π/2} cos φ cos(φ-θ) dφ
    = (sin θ + (π - θ) cos θ)/(2π) for unit variances; scaling h, h' by √s11, √s22 multiplies by √(s11 s22)."""
    radial = sp.integrate(r ** 3 * sp.exp(-r ** 2 / 2), (r, 0, sp.oo))
    angular = sp.integrate(sp.cos(phi) * sp.cos(phi - th), (phi, th - sp.pi / 2, sp.pi / 2))
    expr = radial * angular / (2 * sp.pi)
    claimed = (sp.sin(th) + (sp.pi - th) * sp.cos(th)) / (2 * sp.pi)
    steps = [_step("radial moment = 2", radial, sp.Integer(2)),
             _step("kappa1 (unit variances) from the polar form", expr, claimed, [th], exact=False)]
    steps.append(_step("kappa1 closed form scales with sqrt(s11 s22)",
                       kappa1_closed(s11, sp.sqrt(s11 * s22) * sp.cos(th), s22),
                       sp.sqrt(s11 * s22) * claimed, [th, s11, s22], exact=False))
    n = _numeric_spots("kappa1 vs Gaussian quadrature", claimed, _quad_kappa1)
    return steps + [Step("kappa1 vs Gaussian quadrature", False, n)]


def positive_homogeneity() -> list[Step]:
    """Σ → pΣ: κ1 → p κ1, κ0 unchanged, so every u-slice κ1 + m Σ κ0 scales by p: Θ_p = p Θ_dense."""
    S12 = sp.sqrt(s11 * s22) * sp.cos(th)     # parameterise the correlation by its angle (|s12| <= √(s11 s22))
    k1 = kappa1_closed(s11, S12, s22)
    k1p = kappa1_closed(p * s11, p * S12, p * s22)
    k0 = kappa0_closed(s11, S12, s22)
    k0p = kappa0_closed(p * s11, p * S12, p * s22)
    m = sp.Symbol("m", positive=True)
    return [_step("kappa1(p Sigma) = p kappa1(Sigma)", k1p, p * k1, [th, s11, s22, p], exact=False),
            _step("kappa0(p Sigma) = kappa0(Sigma)", k0p, k0, [th, s11, s22, p], exact=False),
            _step("Theta slice: k1 + m S k0 scales by p", k1p + m * p * S12 * k0p, p * (k1 + m * S12 * k0),
                  [th, s11, s22, p, m], exact=False)]


def deep_c_power(L: int = 2) -> list[Step]:
    """Recursion of §8.4 with symbolic Σ¹ entries: all layers at c gives c^L Θ_std; dense readout c^{L-1}."""
    S = sp.sqrt(s11 * s22) * sp.cos(th)

    def run(cs):
        a11, a12, a22 = cs[0] * s11, cs[0] * S, cs[0] * s22
        T = a12
        for cl in cs[1:]:
            k1 = kappa1_closed(a11, a12, a22)
            k0 = kappa0_closed(a11, a12, a22)
            d11, d22 = kappa1_closed(a11, a11, a11), kappa1_closed(a22, a22, a22)
            a12, a11, a22 = 2 * cl * k1, 2 * cl * d11, 2 * cl * d22
            T = a12 + 2 * cl * k0 * T
        return T

    std = run([1] * L)
    return [_step(f"deep recursion, L={L}, all masked: c^L", run([c] * L), c ** L * std, [th, s11, s22, c],
                  spots=3, exact=False),
            _step(f"deep recursion, L={L}, dense readout: c^(L-1)", run([c] * (L - 1) + [1]), c ** (L - 1) * std,
                  [th, s11, s22, c], spots=3, exact=False)]


def linear_path_density(n: int = 3, d: int = 2) -> list[Step]:
    """Linear σ, f(x) = (σ_a/√n) Σ_i α_i (σ_w/√d) Σ_j M_ij ω_ij x_j: Σ_ij ∂f(x)/∂ω_ij ∂f(x')/∂ω_ij equals
    σ_w²σ_a² (1/d) Σ_j ρ̃_j x_j x'_j with ρ̃_j = (1/n) Σ_i α_i² M_ij, and ρ̂_j (column density) when α = ±1."""
    sw, sa = sp.symbols("sigma_w sigma_a", positive=True)
    al = sp.symbols(f"alpha0:{n}", real=True)
    om = sp.Matrix(n, d, lambda i, j: sp.Symbol(f"omega{i}{j}", real=True))
    M = sp.Matrix(n, d, lambda i, j: sp.Symbol(f"M{i}{j}", real=True))
    x = sp.symbols(f"x0:{d}", real=True)
    y = sp.symbols(f"y0:{d}", real=True)
    f = lambda z: sa / sp.sqrt(n) * sum(al[i] * sw / sp.sqrt(d) * sum(M[i, j] * om[i, j] * z[j] for j in range(d))
                                        for i in range(n))
    fx, fy = f(x), f(y)
    K = sum(sp.diff(fx, om[i, j]) * sp.diff(fy, om[i, j]) for i in range(n) for j in range(d))
    rho = [sum(al[i] ** 2 * M[i, j] for i in range(n)) / n for j in range(d)]
    claimed = sw ** 2 * sa ** 2 / d * sum(rho[j] * x[j] * y[j] for j in range(d))
    binary = {M[i, j] ** 2: M[i, j] for i in range(n) for j in range(d)}      # M_ij ∈ {0, 1}: M² = M
    steps = [_step("linear hidden kernel = weighted path density form (M^2 = M)", sp.expand(K).subs(binary),
                   claimed, [sw, sa, *al, *x, *y], spots=4)]
    rnd = random.Random(3)
    inst = {M[i, j]: rnd.randint(0, 1) for i in range(n) for j in range(d)}   # a concrete 0/1 mask, no reduction
    steps.append(_step("same identity on a concrete 0/1 mask", K.subs(inst), claimed.subs(inst),
                       [sw, sa, *al, *x, *y], spots=4))
    # α = ±1 and 0/1 masks: exactly the column density (a concrete rational instance)
    sub = {al[i]: (-1) ** i for i in range(n)}
    sub.update({M[i, j]: (i + j) % 2 for i in range(n) for j in range(d)})
    col = [sp.Rational(sum((i + j) % 2 for i in range(n)), n) for j in range(d)]
    steps.append(_step("alpha = +-1: column density", K.subs(sub),
                       sw ** 2 * sa ** 2 / d * sum(col[j] * x[j] * y[j] for j in range(d)), [sw, sa, *x, *y]))
    return steps


ALL = (relu_kappa0, relu_kappa1, positive_homogeneity, deep_c_power, linear_path_density)
