"""Symbolic checks (sympy, exact) of the proof steps behind the IHT claims (spec §4.1, §4.2, §4.5, F1).

Each check returns ``{"name", "residual", "ok", "spot_max_abs"}``: ``residual`` is ``simplify(expr - claimed)``
(must be 0) and ``spot_max_abs`` the largest |expr - claimed| at random rational points (must be 0 exactly,
or < 1e-12 for transcendental expressions evaluated numerically).
"""
from __future__ import annotations

from fractions import Fraction
from random import Random

import sympy as sp

t, v, th, psi, beta, n, phi = sp.symbols("t v theta psi beta n phi", real=True)
tp = sp.Symbol("tp", positive=True)
tn = sp.Symbol("tn", negative=True)


def _rat(rng: Random, lo: int = -5, hi: int = 5) -> sp.Rational:
    f = Fraction(rng.randint(lo * 100, hi * 100), rng.randint(1, 100))
    return sp.Rational(f.numerator, f.denominator)


def _result(name, residual, spots) -> dict:
    residual = sp.simplify(residual)
    m = max((abs(float(s)) for s in spots), default=0.0)
    return {"name": name, "residual": str(residual), "ok": residual == 0 and m < 1e-12, "spot_max_abs": m}


def ind(x, strict=False):
    """1[x >= 0] (or 1[x > 0] when strict) as a sympy Piecewise."""
    return sp.Piecewise((1, x > 0), (0 if strict else 1, sp.Eq(x, 0)), (0, True))


def check_reformulation(seed: int = 0) -> list[dict]:
    """§4.1: 1[t >= 0]·(v t) = v·max(t, 0) for every t, v (both indicators), case by case on the sign of t."""
    out = []
    rng = Random(seed)
    for strict in (False, True):
        for tt, label in ((tp, "t>0"), (tn, "t<0"), (sp.Integer(0), "t=0")):
            expr = ind(tt, strict) * (v * tt) - v * sp.Max(tt, 0)
            spots = [expr.subs(v, _rat(rng)) for _ in range(5)]
            if tt != 0:
                spots = [expr.subs({v: _rat(rng), tt: abs(_rat(rng)) + 1 if tt == tp else -abs(_rat(rng)) - 1})
                         for _ in range(5)]
            out.append(_result(f"reformulation strict={strict} {label}", expr, spots))
    return out


def check_complement(seed: int = 0) -> list[dict]:
    """F1: D(h) + D(-h) = I off the hyperplane (1[t>=0] + 1[-t>=0] = 1 for t != 0), and the network twin
    identity relu(t) - relu(-t) = t."""
    rng = Random(seed)
    out = []
    for tt, label in ((tp, "t>0"), (tn, "t<0")):
        expr = ind(tt) + ind(-tt) - 1
        out.append(_result(f"complement {label}", expr, [expr.subs(tt, _rat(rng, 1, 5) * (1 if tt == tp else -1))
                                                         for _ in range(5)]))
    twin = sp.Max(t, 0) - sp.Max(-t, 0) - t
    out.append(_result("relu(t)-relu(-t)=t", sp.piecewise_fold(twin.rewrite(sp.Piecewise)),
                       [twin.subs(t, _rat(rng)) for _ in range(10)]))
    return out


def cover_K(nn, k: int):
    return 2 * sum(sp.binomial(nn - 1, i) for i in range(k))


def check_cover(max_k: int = 6, seed: int = 0) -> list[dict]:
    """§4.2: K(n,k) = K(n-1,k) + K(n-1,k-1) for symbolic n (k = 2..max_k), K(n,1) = 2, K(1,k) = 2."""
    out = []
    rng = Random(seed)
    for k in range(2, max_k + 1):
        expr = sp.expand_func(cover_K(n, k) - cover_K(n - 1, k) - cover_K(n - 1, k - 1))
        spots = [expr.subs(n, rng.randint(k + 1, 60)) for _ in range(5)]
        out.append(_result(f"cover recursion k={k}", expr, spots))
    out.append(_result("cover K(n,1)=2", sp.expand_func(cover_K(n, 1)) - 2, [0]))
    for k in range(1, max_k + 1):
        out.append(_result(f"cover K(1,{k})=2", cover_K(sp.Integer(1), k) - 2, [0]))
    return out


def check_pop_lambda(seed: int = 0) -> list[dict]:
    """§4.5(b): c = (1/π)∫_{θ-π/2}^{π/2} cos²(φ-ψ) dφ is E[1[h₁ᵀx>=0]1[h₂ᵀx>=0](eᵀx)²] for an in-plane e, and
    1/2 - [cos²β c + sin²β (π-θ)/(2π)] = [θ - cos²β sin θ cos(2ψ-θ)]/(2π); small-θ series θ³/(12π), θ³/(3π)."""
    rng = Random(seed)
    c_in = sp.integrate(sp.cos(phi - psi) ** 2, (phi, th - sp.pi / 2, sp.pi / 2)) / sp.pi
    lam = sp.Rational(1, 2) - (sp.cos(beta) ** 2 * c_in + sp.sin(beta) ** 2 * (sp.pi - th) / (2 * sp.pi))
    claimed = (th - sp.cos(beta) ** 2 * sp.sin(th) * sp.cos(2 * psi - th)) / (2 * sp.pi)
    diff = sp.simplify(sp.expand_trig(lam - claimed))
    spots = [float((lam - claimed).subs({th: _rat(rng, 0, 3), psi: _rat(rng, 0, 3), beta: _rat(rng, 0, 1)}))
             for _ in range(8)]
    out = [_result("pop lambda_min closed form", diff, spots)]
    bis = claimed.subs({beta: 0, psi: th / 2})
    h1 = claimed.subs({beta: 0, psi: 0})
    out.append(_result("bisector series theta^3/(12 pi)",
                       sp.series(bis, th, 0, 4).removeO() - th ** 3 / (12 * sp.pi), [0]))
    out.append(_result("along-h1 series theta^3/(3 pi)",
                       sp.series(h1, th, 0, 4).removeO() - th ** 3 / (3 * sp.pi), [0]))
    out.append(_result("orthogonal feature theta/(2 pi)", claimed.subs(beta, sp.pi / 2) - th / (2 * sp.pi), [0]))
    return out


def check_min_angle() -> list[dict]:
    """§4.4: for ±1 vectors with exactly s' nonzeros differing in one support index, cos = 1 - 1/s'; with at
    most s' nonzeros (restriction to s'-1 entries), cos = sqrt(1 - 1/s')."""
    s = sp.Symbol("s", positive=True, integer=True)
    out = [_result("min angle exact", (s - 1) / (sp.sqrt(s) * sp.sqrt(s)) - (1 - 1 / s), [0]),
           _result("min angle at most", (s - 1) / (sp.sqrt(s) * sp.sqrt(s - 1)) - sp.sqrt(1 - 1 / s), [0])]
    return out


def all_checks() -> list[dict]:
    return (check_reformulation() + check_complement() + check_cover() + check_pop_lambda()
            + check_min_angle())
