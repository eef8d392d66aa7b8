"""Sympy checks of the graphon-limit derivations (spec graphon §5.4, §6.1, §6.4).

Each step states ``expr`` and the ``claimed`` closed form; the check is that expr - claimed simplifies to 0,
plus a numeric spot check at random rational points (exact arithmetic).  Every function returns a list of
:class:`Step` records and raises AssertionError on the first failing step.
"""
from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from theory.graphon import t_piecewise_constant


@dataclass(frozen=True)
class Step:
    name: str
    symbolic: bool
    spot_checks: int


def _step(name: str, expr, claimed, symbols=(), spots: int = 5, seed: int = 0) -> Step:
    diff = sp.simplify(sp.expand(expr - claimed))
    if diff != 0:
        raise AssertionError(f"{name}: expr - claimed = {diff}, not 0")
    rnd = random.Random(seed)
    for _ in range(spots if symbols else 0):
        sub = {s: sp.Rational(rnd.randint(1, 97), 100) for s in symbols}
        a, b = sp.nsimplify(expr.subs(sub)), sp.nsimplify(claimed.subs(sub))
        if sp.simplify(a - b) != 0:
            raise AssertionError(f"{name}: spot check at {sub} gives {a} vs {b}")
    return Step(name, True, spots if symbols else 0)


def constant_graphon_densities() -> list[Step]:
    """W = p on [0,1]^2: t(F, W) = p^|E(F)| for K2, K22 and the s-stars, by direct integration."""
    p, u1, u2, v1, v2, v3 = sp.symbols("p u1 u2 v1 v2 v3", positive=True)
    cube = lambda e, xs: sp.integrate(e, *[(x, 0, 1) for x in xs])
    steps = [_step("t(K2, p) = p", cube(p, [u1, v1]), p, [p]),
             _step("t(K22, p) = p^4", cube(p ** 4, [u1, u2, v1, v2]), p ** 4, [p]),
             _step("t(row 3-star, p) = p^3", cube(p ** 3, [u1, v1, v2, v3]), p ** 3, [p])]
    # the block-sum routine with a single block must agree
    for F, e in (("K2", 1), ("K22", 4), ("row_star_2", 2), ("col_star_3", 3)):
        steps.append(_step(f"block-sum {F} of constant p", t_piecewise_constant(F, [[p]], [1], [1]), p ** e, [p]))
    return steps


def piecewise_constant_densities() -> list[Step]:
    """2 x 2 block graphon with values a, b, c, e on [0, al) x [0, be) etc.: the block-sum formula equals the
    integral of the Piecewise graphon (K2, K22, row 2-star)."""
    a, b, c, e, be = sp.symbols("a b c e beta", positive=True)
    x, y = sp.Rational(1, 3), sp.Rational(3, 5)        # concrete block boundaries for the integral
    vals = [[a, b], [c, e]]

    def block_int(F):
        return t_piecewise_constant(F, vals, [x, 1 - x], [y, 1 - y])

    # direct integration: integrate the product over each variable's two pieces
    def W(u_low, v_low):
        return vals[0 if u_low else 1][0 if v_low else 1]

    def integral_k2():
        return sum(W(i, j) * (x if i else 1 - x) * (y if j else 1 - y) for i in (1, 0) for j in (1, 0))

    def integral_k22():
        tot = 0
        for i1, i2, j1, j2 in itertools.product((1, 0), repeat=4):
            w = (x if i1 else 1 - x) * (x if i2 else 1 - x) * (y if j1 else 1 - y) * (y if j2 else 1 - y)
            tot += w * W(i1, j1) * W(i1, j2) * W(i2, j1) * W(i2, j2)
        return tot

    def integral_row2():
        u = sp.Symbol("u")
        inner = lambda low: W(low, 1) * y + W(low, 0) * (1 - y)      # int W(u, v) dv on the row piece
        return sp.integrate(sp.Piecewise((inner(1) ** 2, u < x), (inner(0) ** 2, True)), (u, 0, 1))

    syms = [a, b, c, e]
    steps = [_step("block K2 = integral", block_int("K2"), integral_k2(), syms),
             _step("block K22 = integral", block_int("K22"), integral_k22(), syms),
             _step("block row 2-star = integral", block_int("row_star_2"), integral_row2(), syms)]
    # symbolic widths: t(K2) of a two-value column profile is the weighted mean
    steps.append(_step("K2 with symbolic widths", t_piecewise_constant("K2", [[a, b]], [1], [be, 1 - be]),
                       a * be + b * (1 - be), [a, b, be]))
    return steps


def rank_one_cut_norm(trials: int = 20, seed: int = 1) -> list[Step]:
    """||x y^T||_C = max(sum x+, sum x-) max(sum y+, sum y-): the bilinear identity symbolically, then the
    maximisation by exact enumeration of every (S, T) on random rational vectors."""
    xs, ys = sp.symbols("x1:4"), sp.symbols("y1:4")
    S, T = (0, 2), (1, 2)
    lhs = sum(xs[i] * ys[j] for i in S for j in T)
    steps = [_step("1_S^T x y^T 1_T = (sum_S x)(sum_T y)", lhs, sum(xs[i] for i in S) * sum(ys[j] for j in T),
                   list(xs) + list(ys))]
    rnd = random.Random(seed)
    for _ in range(trials):
        n, d = rnd.randint(1, 5), rnd.randint(1, 5)
        x = [Fraction(rnd.randint(-9, 9), rnd.randint(1, 5)) for _ in range(n)]
        y = [Fraction(rnd.randint(-9, 9), rnd.randint(1, 5)) for _ in range(d)]
        best = max(abs(sum(x[i] for i in range(n) if s >> i & 1) * sum(y[j] for j in range(d) if t >> j & 1))
                   for s in range(1 << n) for t in range(1 << d))
        pos = lambda v: sum(max(z, 0) for z in v)
        neg = lambda v: sum(max(-z, 0) for z in v)
        closed = max(pos(x), neg(x)) * max(pos(y), neg(y))
        if best != closed:
            raise AssertionError(f"rank-one closed form fails for x={x}, y={y}: {best} vs {closed}")
    steps.append(Step("rank-one max by enumeration", False, trials))
    return steps


def l1_gap_bernoulli() -> list[Step]:
    """M ~ Bernoulli(W): E|M - W| = W |1 - W| + (1 - W)|0 - W| = 2 W (1 - W) for W in [0, 1]."""
    W = sp.Symbol("W", positive=True)
    expr = W * (1 - W) + (1 - W) * W
    return [_step("E|M - W| = 2W(1-W)", expr, 2 * W * (1 - W), [W])]


def k22_excess() -> list[Step]:
    """E t(K22, M) for iid Bernoulli(p) entries: split the sum over (i1, i2, j1, j2) by coincidences.

    distinct rows & cols: p^4; i1 = i2 only: p^2 (weight (1/n)(1-1/d)); j1 = j2 only: p^2; both: p (1/(nd)).
    Excess over p^4 = (p^2 - p^4)(1/n + 1/d) + (p - 2p^2 + p^4)/(n d).  Checked symbolically and, for
    n = d = 2 and n = 2, d = 3, against the exact expectation over all 2^(nd) masks."""
    p, n, d = sp.symbols("p n d", positive=True)
    E = (p ** 4 * (1 - 1 / n) * (1 - 1 / d) + p ** 2 * (1 / n) * (1 - 1 / d) + p ** 2 * (1 / d) * (1 - 1 / n)
         + p / (n * d))
    claimed = p ** 4 + (p ** 2 - p ** 4) * (1 / n + 1 / d) + (p - 2 * p ** 2 + p ** 4) / (n * d)
    steps = [_step("E t(K22) decomposition", E, claimed, [p, n, d])]
    for nn, dd in ((2, 2), (2, 3)):
        tot = 0
        for bits in itertools.product((0, 1), repeat=nn * dd):
            M = sp.Matrix(nn, dd, bits)
            k = sum(bits)
            prob = p ** k * (1 - p) ** (nn * dd - k)
            G = M.T * M
            tot += prob * sum(g ** 2 for g in G) / (nn * dd) ** 2
        steps.append(_step(f"exact expectation n={nn}, d={dd}", tot, claimed.subs({n: nn, d: dd}), [p]))
    # row 2-star: E (1/n) sum_i (deg_i/d)^2 = p^2 + p(1-p)/d
    deg2 = (d * p * (1 - p) + (d * p) ** 2) / d ** 2
    steps.append(_step("row 2-star excess p(1-p)/d", deg2 - p ** 2, p * (1 - p) / d, [p, d]))
    return steps


def all_checks() -> dict[str, list[Step]]:
    return {"constant": constant_graphon_densities(), "piecewise": piecewise_constant_densities(),
            "rank_one": rank_one_cut_norm(), "l1_gap": l1_gap_bernoulli(), "k22_excess": k22_excess()}
