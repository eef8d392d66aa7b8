"""Sweep-cell functions for the recovery claims (IHT-10 to IHT-14a, IHT-16): each is a pure function of
(config, seed) returning a small JSON-able dict."""
from __future__ import annotations

import numpy as np

from simulations.iht.operator import DenseOperator, GatedOperator
from simulations.iht.problems import gaussian_cs, planted_problem
from simulations.iht.solvers import aiht_code, iht, niht
from theory.iht_stats import tail_rate

SUCCESS_TOL = 1e-6


def _problem(cell, dedup=True):
    c = cell.config
    rng = cell.numpy_rng()
    pp = planted_problem(rng, c["n"], c["d"], c["k"], c["s_prime"], c["p"], dedup=dedup)
    return pp, GatedOperator(pp.X, pp.H, cache_patterns=True, chunk=256)


def recovery_cell(cell) -> dict:
    """NIHT at level = inflation * s on an oracle-pattern planted problem (§6.2); success = rel err < 1e-6."""
    c = cell.config
    pp, op = _problem(cell)
    level = int(round(c["inflation"] * pp.s))
    res = niht(op, pp.y, level, w_true=pp.w_star, max_iter=c.get("max_iter", 3000))
    err = res.rel_err[-1]
    return {"success": bool(err < SUCCESS_TOL), "rel_err": float(err), "iterations": int(res.iterations),
            "s": pp.s}


def inflation_cell(cell) -> dict:
    """The same planted problem solved by NIHT at s̃ = s and at s̃ = 2s (paired)."""
    c = cell.config
    pp, op = _problem(cell)
    out = {}
    for name, f in (("level_s", 1), ("level_2s", 2)):
        res = niht(op, pp.y, f * pp.s, w_true=pp.w_star, max_iter=c.get("max_iter", 3000))
        out[name] = bool(res.rel_err[-1] < SUCCESS_TOL)
    return out


def rate_cell(cell) -> dict:
    """NIHT and iht_fixed (η = 0.9/‖A‖²) on the same problem: tail rate of log rel err after the top-s
    support has settled, monotonicity of f for iht_fixed, κ̂ on the planted support."""
    c = cell.config
    pp, op = _problem(cell)
    out = {}
    AS = op.restricted(np.flatnonzero(pp.w_star))
    ev = np.linalg.eigvalsh(AS.T @ AS / op.n)
    out["kappa_planted"] = float(ev[-1] / ev[0])
    out["alpha_planted"] = float(ev[0])
    for name, kw in (("niht", {}), ("fixed", {})):
        if name == "niht":
            res = niht(op, pp.y, 2 * pp.s, w_true=pp.w_star, max_iter=c["max_iter"])
        else:
            res = iht(op, pp.y, 2 * pp.s, step="fixed", w_true=pp.w_star, max_iter=c["max_iter"])
            f = np.array(res.objective)
            out["fixed_max_increase"] = float(np.max(np.diff(f)) / f[0]) if f.size > 1 else 0.0
            out["fixed_eta_n"] = float(res.extra["eta"] * op.n)
        err = res.rel_err
        out[f"{name}_final"] = float(err[-1])
        out[f"{name}_success"] = bool(err[-1] < SUCCESS_TOL)
        start = res.topk_support_stable_from
        tr = tail_rate(err, start) if start is not None else {"slope": float("nan"), "r2": float("nan")}
        out[f"{name}_slope"], out[f"{name}_r2"] = tr["slope"], tr["r2"]
        out[f"{name}_iterations"] = int(res.iterations)
        idx = np.unique(np.linspace(0, len(err) - 1, 60).astype(int))
        out[f"{name}_curve"] = [[int(i), float(err[i])] for i in idx]
    return out


def duplicate_cell(cell) -> dict:
    """IHT-14a: planted neuron 1's generator copied into a second block; NIHT s̃ = 2s."""
    c = cell.config
    rng = cell.numpy_rng()
    pp = planted_problem(rng, c["n"], c["d"], c["k"], c["s_prime"], c["p"])
    H = pp.H.copy()
    j0 = int(pp.blocks[0])
    other = [j for j in range(pp.H.shape[1]) if j not in set(pp.blocks.tolist())]
    H[:, other[0]] = H[:, j0]
    op = GatedOperator(pp.X, H, cache_patterns=True, chunk=256)
    res = niht(op, pp.y, 2 * pp.s, w_true=pp.w_star, max_iter=c["max_iter"])
    resid = float(np.linalg.norm(np.asarray(op.matvec(res.w)) - pp.y) / np.linalg.norm(pp.y))
    return {"success": bool(res.rel_err[-1] < SUCCESS_TOL), "rel_err": float(res.rel_err[-1]),
            "rel_residual": resid}


def cs_aiht_cell(cell) -> dict:
    """IHT-16a: the code's Gaussian task, AIHT with R = 3 at level s, x* = 1 on the support."""
    c = cell.config
    g = gaussian_cs(cell.numpy_rng(), c["m"], c["N"], c["s"], amplitudes="ones")
    res = aiht_code(DenseOperator(g.A), g.y, c["s"], steps=c["steps"], R=3)
    idx, val = res.w
    x = np.zeros(c["N"])
    x[idx] = val
    err = float(np.linalg.norm(x - g.x_star) / np.linalg.norm(g.x_star))
    supp_err = len(set(np.flatnonzero(x).tolist()) ^ set(np.flatnonzero(g.x_star).tolist()))
    return {"success": bool(err < SUCCESS_TOL), "rel_err": err, "support_error": int(supp_err)}


def cs_niht_cell(cell) -> dict:
    """IHT-16b: NIHT on Gaussian A (M x N), K-sparse Gaussian amplitudes, level K."""
    c = cell.config
    g = gaussian_cs(cell.numpy_rng(), c["m"], c["N"], c["s"], amplitudes=c["amplitudes"])
    res = niht(DenseOperator(g.A), g.y, c["s"], w_true=g.x_star, max_iter=3000)
    return {"success": bool(res.rel_err[-1] < SUCCESS_TOL), "rel_err": float(res.rel_err[-1])}
