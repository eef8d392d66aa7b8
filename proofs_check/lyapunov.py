"""Sympy checks of the proof steps behind the Lyapunov suite (spec §4.5, §4.7, §6 SE2, A-C7, P1, P4).

Each step states ``expr - claimed`` and checks that it simplifies to 0, plus a numeric spot check at random
rational points (exact rationals where the expression is rational).
"""
from __future__ import annotations

import random

import sympy as sp

x, q, N, beta, eta, mu, rho, sigma = sp.symbols("x q N beta eta mu rho sigma", positive=True)


def _spot(expr, syms, rng: random.Random, n: int = 5, lo: int = 1, hi: int = 9, tol: float = 1e-10) -> bool:
    for _ in range(n):
        sub = {s: sp.Rational(rng.randint(lo, hi), rng.randint(hi + 1, 3 * hi)) for s in syms}
        v = sp.N(expr.subs(sub), 30)
        if abs(complex(v)) > tol:
            return False
    return True


def step(name: str, expr, claimed, syms, rng: random.Random, **kw) -> dict:
    diff = sp.simplify(expr - claimed)
    return {"step": name, "simplifies_to_zero": bool(diff == 0), "spot_check": _spot(expr - claimed, syms, rng, **kw)}


def logistic_one_step(rng: random.Random) -> dict:
    """f = 4x(1-x): (4(1-2x))^2 = 4 f(1-f) / (x(1-x)), i.e. ln|f'(x)| = ln 2 + (1/2) ln[f(1-f)/(x(1-x))];
    summed over the orbit it telescopes into the exact finite-T identity of spec §4.5."""
    f = 4 * x * (1 - x)
    return step("logistic one-step identity", (4 * (1 - 2 * x)) ** 2, 4 * f * (1 - f) / (x * (1 - x)), [x], rng)


def generalised_exponent_derivatives(rng: random.Random) -> list[dict]:
    """L(q) = q ln s + (q/2) ln(2/N) + lnG((N+q)/2) - lnG(N/2): L(0)=0, L'(0)=Newman lambda_1,
    L''(0) = psi'(N/2)/4."""
    L = q * sp.log(sigma) + q / 2 * sp.log(2 / N) + sp.loggamma((N + q) / 2) - sp.loggamma(N / 2)
    lam1 = sp.log(sigma) + sp.Rational(1, 2) * (sp.log(2 / N) + sp.polygamma(0, N / 2))
    return [step("L(0) = 0", L.subs(q, 0), sp.Integer(0), [N, sigma], rng),
            step("L'(0) = lambda_1 (Newman)", sp.diff(L, q).subs(q, 0), lam1, [N, sigma], rng),
            step("L''(0) = psi'(N/2)/4", sp.diff(L, q, 2).subs(q, 0), sp.polygamma(1, N / 2) / 4, [N], rng)]


def se2_identities(rng: random.Random) -> list[dict]:
    """For a 3-exponent spectrum: S = beta(U - F) and C = beta^2 Var_p(lambda) = -beta^2 dU/dbeta."""
    l1, l2, l3 = sp.symbols("l1 l2 l3", real=True)
    lam = [l1, l2, l3]
    Z = sum(sp.exp(beta * l) for l in lam)
    p = [sp.exp(beta * l) / Z for l in lam]
    F = -sp.log(Z) / beta
    U = -sum(pi * l for pi, l in zip(p, lam))
    S = -sum(pi * sp.log(pi) for pi in p)
    var = sum(pi * l ** 2 for pi, l in zip(p, lam)) - sum(pi * l for pi, l in zip(p, lam)) ** 2
    syms = [beta, l1, l2, l3]
    return [step("S = beta (U - F)", sp.expand_log(S, force=True), sp.expand_log(beta * (U - F), force=True),
                 syms, rng),
            step("C = -beta^2 dU/dbeta", beta ** 2 * var, -beta ** 2 * sp.diff(U, beta), syms, rng)]


def small_step_expansion(rng: random.Random) -> list[dict]:
    """A-C7: ln(1 - x) = -x - x^2/2 + O(x^3): the series, and the relative error |ln(1-x)+x|/x at x=0.05."""
    ser = sp.series(sp.log(1 - x), x, 0, 3).removeO()
    rel = float(abs(sp.log(1 - sp.Rational(1, 20)) + sp.Rational(1, 20)) / sp.Rational(1, 20))
    return [step("series of ln(1 - eta mu)", ser, -x - x ** 2 / 2, [x], rng),
            {"step": "relative error at eta mu = 0.05 is <= 0.026", "simplifies_to_zero": rel <= 0.026,
             "spot_check": 0.025 <= rel <= 0.026}]


def rescale_identity(rng: random.Random) -> dict:
    """P3/P4 linear layers: ln||v/sqrt(rho)|| - ln||v|| = -(1/2) ln rho (exact, draw by draw)."""
    v = sp.symbols("v", positive=True)
    return step("rescaled - unrescaled = -(1/2) ln rho", sp.expand_log(sp.log(v / sp.sqrt(rho)) - sp.log(v),
                                                                       force=True), -sp.log(rho) / 2, [v, rho], rng)


def neutral_count(rng: random.Random, n: int = 3, k: int = 5) -> dict:
    """P1: for generic rational X (n x k), X^T X has rank min(n, k): exactly k - n zero eigenvalues."""
    X = sp.Matrix(n, k, lambda i, j: sp.Rational(rng.randint(-9, 9), rng.randint(1, 9)))
    H = X.T * X / n
    zeros = k - H.rank()
    return {"step": f"zero eigenvalues of X_A^T X_A (n={n}, k={k}) = max(k-n,0)",
            "simplifies_to_zero": zeros == max(k - n, 0), "spot_check": (X * X.T).det() != 0}


def check_all(seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    out = [logistic_one_step(rng)]
    out += generalised_exponent_derivatives(rng)
    out += se2_identities(rng)
    out += small_step_expansion(rng)
    out.append(rescale_identity(rng))
    out.append(neutral_count(rng))
    return out
