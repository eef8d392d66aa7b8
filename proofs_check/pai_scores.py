"""sympy checks of the scorer derivations of spec graphon §4.3 and §3.8 (I9).

Each step is ``expr - claimed`` simplified to 0, plus a numeric spot check at random rational points (exact
arithmetic).  Steps:

1. ``snip_linear``: for linear activation, omega_ij dL/d(omega_ij) = (sigma_a sigma_w/sqrt(nd)) omega_ij alpha_i
   c_hat_j with c_hat_j = (1/N) sum_k r_k x_kj, so S_ij = |W_ij||a_i||c_hat_j|/sqrt(nd) exactly.
2. ``synflow_one_hidden``: with |theta| and all-ones input the ReLU net is linear,
   R = (sigma_a sigma_w/sqrt(nd)) sum_i |alpha_i| sum_j |omega_ij| and the score is
   sigma_a sigma_w |alpha_i||omega_ij|/sqrt(nd).
3. ``euler_conservation``: R = 1^T W3 W2 W1 1 (positive entries) is degree-1 homogeneous in each layer, so
   sum over a layer of theta dR/dtheta = R, and for every hidden unit the incoming score mass equals the outgoing.
"""
from __future__ import annotations

import random
from fractions import Fraction

import sympy as sp


def _spot(expr, symbols, seed: int, trials: int = 3) -> bool:
    rnd = random.Random(seed)
    for _ in range(trials):
        vals = {s: sp.Rational(Fraction(rnd.randint(1, 97), rnd.randint(1, 13))) for s in symbols}
        if sp.simplify(expr.subs(vals)) != 0:
            return False
    return True


def _step(name: str, expr, symbols, seed: int) -> dict:
    simp = sp.simplify(sp.expand(expr))
    return {"step": name, "symbolic_zero": bool(simp == 0), "spot_zero": _spot(expr, list(symbols), seed)}


def check_snip_linear(n: int = 2, d: int = 3, N: int = 2, seed: int = 0) -> list[dict]:
    sw, sa = sp.symbols("sigma_w sigma_a", positive=True)
    om = sp.Matrix(n, d, lambda i, j: sp.Symbol(f"w{i}{j}"))
    al = sp.Matrix(n, 1, lambda i, j: sp.Symbol(f"a{i}"))
    X = sp.Matrix(N, d, lambda k, j: sp.Symbol(f"x{k}{j}"))
    y = sp.Matrix(N, 1, lambda k, j: sp.Symbol(f"y{k}"))
    f = [(sa / sp.sqrt(n)) * sum(al[i] * (sw / sp.sqrt(d)) * sum(om[i, j] * X[k, j] for j in range(d))
                                  for i in range(n)) for k in range(N)]
    r = [f[k] - y[k] for k in range(N)]
    L = sp.Rational(1, 2 * N) * sum(rk ** 2 for rk in r)
    c_hat = [sp.Rational(1, N) * sum(r[k] * X[k, j] for k in range(N)) for j in range(d)]
    syms = list(om) + list(al) + list(X) + list(y) + [sw, sa]
    out = []
    for i in range(n):
        for j in range(d):
            lhs = om[i, j] * sp.diff(L, om[i, j])
            claimed = sa * sw / sp.sqrt(n * d) * om[i, j] * al[i] * c_hat[j]
            out.append(_step(f"snip_linear[{i},{j}]", lhs - claimed, syms, seed + i * d + j))
    return out


def check_synflow_one_hidden(n: int = 2, d: int = 3, seed: int = 1) -> list[dict]:
    sw, sa = sp.symbols("sigma_w sigma_a", positive=True)
    om = sp.Matrix(n, d, lambda i, j: sp.Symbol(f"w{i}{j}", positive=True))   # |omega|
    al = sp.Matrix(n, 1, lambda i, j: sp.Symbol(f"a{i}", positive=True))      # |alpha|
    h = [(sw / sp.sqrt(d)) * sum(om[i, j] for j in range(d)) for i in range(n)]   # all-ones input
    relu = lambda z: sp.Max(0, z)
    R = (sa / sp.sqrt(n)) * sum(al[i] * relu(h[i]) for i in range(n))
    claimed_R = sa * sw / sp.sqrt(n * d) * sum(al[i] * sum(om[i, j] for j in range(d)) for i in range(n))
    syms = list(om) + list(al) + [sw, sa]
    out = [_step("synflow_R", R - claimed_R, syms, seed)]
    for i in range(n):
        for j in range(d):
            s = om[i, j] * sp.diff(R, om[i, j])
            out.append(_step(f"synflow_score[{i},{j}]", s - sa * sw * al[i] * om[i, j] / sp.sqrt(n * d), syms,
                             seed + 1 + i * d + j))
    return out


def check_euler_conservation(widths=(3, 2, 2, 1), seed: int = 2) -> list[dict]:
    mats = [sp.Matrix(widths[l + 1], widths[l], lambda i, j, l=l: sp.Symbol(f"W{l}_{i}{j}", positive=True))
            for l in range(len(widths) - 1)]
    v = sp.ones(widths[0], 1)
    for M in mats:
        v = M * v
    R = sum(v)
    syms = [s for M in mats for s in M]
    scores = [M.applyfunc(lambda t: t * sp.diff(R, t)) for M in mats]
    out = []
    for l, S in enumerate(scores):
        out.append(_step(f"layer_total[{l}]", sum(S) - R, syms, seed + l))
    for l in range(len(mats) - 1):
        for k in range(widths[l + 1]):
            incoming = sum(scores[l][k, j] for j in range(widths[l]))
            outgoing = sum(scores[l + 1][i, k] for i in range(widths[l + 2]))
            out.append(_step(f"unit_conservation[{l},{k}]", incoming - outgoing, syms, seed + 10 + l * 7 + k))
    return out


def run_all() -> list[dict]:
    return check_snip_linear() + check_synflow_one_hidden() + check_euler_conservation()
