"""Experiment of the memory claim (P6): traced peaks of real IHT and AIHT steps over growing s, p and n."""
from __future__ import annotations

import numpy as np

from simulations.harness import Context, Evidence, experiment, plots
from simulations.iht.cells_memory import memory_step_cell
from theory import stats
from theory.iht_stats import linear_fit_ci

SOLVERS = ("iht", "aiht")


@experiment("iht.memory.linear_in_s")
def memory(ctx: Context) -> Evidence:
    """quick: d = 50, s lines at n = 1000 and 4000 (p = 400).  full: the s line at the paper's size (n = 50,000,
    d = 100, p = 1000, s = 100 ... 2000) and at n = 16,000; p and n arms at d = 100.  paper: the full tier's s
    lines, the p arm at n = 50,000 and the n arm up to 50,000 (p = 1000)."""
    b = 16
    d = ctx.pick(50, 100, 100)
    s_grid = ctx.pick([50, 100, 200, 400, 800], [100, 200, 500, 1000, 2000], [100, 200, 500, 1000, 2000])
    n_lines = ctx.pick([1000, 4000], [16000, 50000], [16000, 50000])   # the per-nonzero cost at two n
    p_s = ctx.pick(400, 1000, 1000)                                     # p of the s lines
    p_grid = ctx.pick([100, 200, 400, 800, 1600], [200, 400, 800, 1600, 3200, 6400],
                      [100, 200, 500, 1000, 2000, 5000])
    n_grid = ctx.pick([1000, 2000, 4000, 8000], [2000, 4000, 8000, 16000, 32000], [3125, 6250, 12500, 25000, 50000])
    p0, s0, n0 = ctx.pick(400, 800, 1000), ctx.pick(100, 200, 1000), ctx.pick(2000, 4000, 50000)
    cfg = []
    for solver in SOLVERS:
        cfg += [{"solver": solver, "arm": "s", "n": n, "d": d, "p": p_s, "s": s, "chunk": b}
                for n in n_lines for s in s_grid]
        cfg += [{"solver": solver, "arm": "p", "n": n0, "d": d, "p": p, "s": s0, "chunk": b} for p in p_grid]
        cfg += [{"solver": solver, "arm": "n", "n": n, "d": d, "p": p0, "s": s0, "chunk": b} for n in n_grid]
    rows = ctx.sweep(memory_step_cell, cfg)
    out, curves = {}, []
    for solver in SOLVERS:
        R = [r for r in rows if r["solver"] == solver]
        per_nnz = {}
        for n in n_lines:
            line = [r for r in R if r["arm"] == "s" and r["n"] == n]
            f = linear_fit_ci([r["s"] for r in line], [r["peak_bytes"] for r in line])
            per_nnz[str(n)] = {"bytes_per_nonzero": f["slope"], "ci": f["ci"], "intercept": f["intercept"]}
            curves.append(plots.series(f"{solver} n={n}", [r["s"] for r in line], [r["peak_bytes"] for r in line]))
        pl = [r for r in R if r["arm"] == "p"]
        fp = stats.loglog_fit([r["p"] for r in pl], [r["peak_bytes"] for r in pl])
        nl = [r for r in R if r["arm"] == "n"]
        fn = stats.loglog_fit([r["n"] for r in nl], [r["peak_bytes"] for r in nl])
        lo_n, hi_n = str(n_lines[0]), str(n_lines[-1])
        out[solver] = {"per_nonzero": per_nnz,
                       "per_nonzero_ratio": per_nnz[hi_n]["bytes_per_nonzero"] / per_nnz[lo_n]["bytes_per_nonzero"]
                       if per_nnz[lo_n]["bytes_per_nonzero"] > 0 else float("nan"),
                       "p_slope": fp.slope, "p_slope_ci": [fp.ci_low, fp.ci_high],
                       "n_slope": fn.slope, "n_slope_ci": [fn.ci_low, fn.ci_high],
                       "peaks_p": {str(r["p"]): r["peak_bytes"] for r in pl},
                       "peaks_n": {str(r["n"]): r["peak_bytes"] for r in nl},
                       "state_bytes_per_nonzero": float(np.mean([r["state_bytes"] / max(r["nnz"], 1) for r in R])),
                       "max_peak_over_data": max(r["peak_bytes"] / r["data_bytes"] for r in R)}
    return Evidence(metrics={"solvers": out, "n_lines": n_lines, "level_over_s": 1.0, "chunk": b, "d": d,
                             "sizes": {"s": s_grid, "p": p_grid, "n": n_grid, "p_s": p_s, "p0": p0, "s0": s0,
                                       "n0": n0}},
                    cells=rows,
                    plots=[plots.line("iht-memory-s", f"traced peak of one step vs s (d={d}, p={p_s}, b={b})", "s",
                                      "bytes", curves, logx=True, logy=True),
                           plots.line("iht-memory-p", f"traced peak of one step vs p (n={n0}, d={d}, s={s0}, b={b})",
                                      "p", "bytes",
                                      [plots.series(sv, p_grid, [out[sv]["peaks_p"][str(p)] for p in p_grid])
                                       for sv in SOLVERS]
                                      + [plots.series("dense A", p_grid, [8 * n0 * d * p for p in p_grid], style="--")],
                                      logx=True, logy=True)])
