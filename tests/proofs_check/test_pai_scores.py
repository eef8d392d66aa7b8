"""The sympy checks of proofs_check/pai_scores.py pass, and the step checker rejects a wrong claim."""
from __future__ import annotations

import sympy as sp

from proofs_check import pai_scores as C


def test_all_steps_hold():
    steps = C.run_all()
    assert len(steps) >= 15
    bad = [s for s in steps if not (s["symbolic_zero"] and s["spot_zero"])]
    assert not bad, bad


def test_step_checker_detects_a_wrong_factor():
    x, y = sp.symbols("x y", positive=True)
    good = C._step("ok", x * (x + y) - (x ** 2 + x * y), [x, y], 0)
    bad = C._step("missing 1/2", x * (x + y) - (x ** 2 + x * y) / 2, [x, y], 0)
    assert good["symbolic_zero"] and good["spot_zero"]
    assert not bad["symbolic_zero"] and not bad["spot_zero"]


def test_snip_factorisation_needs_linear_activation():
    """Sanity: with a quadratic activation the per-entry score no longer factorises as w a c_hat."""
    n, d, N = 1, 2, 2
    w = sp.symbols("w0:2")
    a = sp.Symbol("a")
    X = [sp.symbols(f"x{k}_0:2") for k in range(N)]
    yv = sp.symbols("y0:2")
    f = [a * (sum(w[j] * X[k][j] for j in range(d))) ** 2 for k in range(N)]
    L = sp.Rational(1, 2 * N) * sum((f[k] - yv[k]) ** 2 for k in range(N))
    c_hat = sp.Rational(1, N) * sum((f[k] - yv[k]) * X[k][0] for k in range(N))
    step = C._step("quadratic", w[0] * sp.diff(L, w[0]) - w[0] * a * c_hat, list(w) + [a] + list(yv) +
                   [s for t in X for s in t], 3)
    assert not step["symbolic_zero"]
