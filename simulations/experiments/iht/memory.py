"""Experiment of the memory claim (P6): the analytic ledger and traced peaks of the streaming threshold."""
from __future__ import annotations

import numpy as np

from simulations.harness import Context, Evidence, experiment, plots
from simulations.iht.memory import iht_ledger, traced_peak
from simulations.iht.operator import GatedOperator
from simulations.iht.problems import SeededGenerators
from simulations.iht.solvers import iht_streaming, stream_threshold
from theory import stats


@experiment("iht.memory.linear_in_s")
def memory(ctx: Context) -> Evidence:
    ledger = [{"p": p, "s": s, "d": d, **{k: v for k, v in iht_ledger(2000, d, p, s, 16).items() if k != "level"}}
              for p in (10, 100, 1000) for s in (5, 50, 500) for d in (50, 100) if s <= d * p]
    pers = {(r["p"], r["s"], r["d"]): r["persistent_state"]["scalars"] for r in ledger}
    fit = stats.loglog_fit([r["s"] for r in ledger if r["p"] == 1000 and r["d"] == 50],
                           [r["persistent_state"]["scalars"] for r in ledger if r["p"] == 1000 and r["d"] == 50])
    const_p = len({pers[(p, 50, 50)] for p in (10, 100, 1000)}) == 1
    const_d = len({pers[(1000, 50, d)] for d in (50, 100)}) == 1
    rng = ctx.rng("traced")
    n, d, s, b = 2000, 50, 20, 16
    X, y = rng.standard_normal((n, d)), rng.standard_normal(n)
    peaks, state, solve_peaks = {}, {}, {}
    for p in ctx.pick((160, 1600), (160, 1600, 16000)):
        op = GatedOperator(X, SeededGenerators(ctx.seed_for("g", p), d, p), chunk=b)
        idx = np.sort(rng.choice(d * p, size=s, replace=False))
        val = rng.standard_normal(s)
        res = y - op.matvec_sparse(idx, val)
        peaks[p] = traced_peak(lambda: stream_threshold(op, idx, val, res, 0.01, s))[0]
        # measured persistent state: the bytes a streaming IHT run keeps between iterations (its sparse iterate)
        run_peak, out = traced_peak(lambda: iht_streaming(op, y, s, eta=1e-4, max_iter=1, tol=0))
        state[p] = int(out.w[0].nbytes + out.w[1].nbytes)
        solve_peaks[p] = run_peak
    ps = sorted(peaks)
    led = iht_ledger(n, d, ps[-1], s, b)["transient_peak"]["bytes"]
    return Evidence(metrics={"persistent_slope_s": fit.slope, "persistent_const_p": const_p,
                             "persistent_const_d": const_d, "traced_peaks": {str(k): v for k, v in peaks.items()},
                             "traced_ratio": peaks[ps[-1]] / peaks[ps[0]], "ledger_transient_bytes": led,
                             "traced_over_ledger": peaks[ps[-1]] / led, "level_over_s": 1.0,
                             "measured_state_bytes": {str(k): v for k, v in state.items()},
                             "measured_state_const_p": len(set(state.values())) == 1,
                             "traced_solve_peaks": {str(k): v for k, v in solve_peaks.items()},
                             "dense_A_bytes_at_max_p": 8 * n * d * ps[-1]},
                    cells=ledger,
                    plots=[plots.line("iht-memory-p", "streaming step: traced peak vs p (n=2000, d=50, s=20, b=16)",
                                      "p", "bytes", [plots.series("traced peak", ps, [peaks[p] for p in ps]),
                                                     plots.series("dense A", ps, [8 * n * d * p for p in ps])],
                                      logx=True, logy=True)])
