"""Experiments of the recovery claims (Theorem 1, sample complexity, duplicated generators, Gaussian sanity)."""
from __future__ import annotations

import numpy as np

from simulations.harness import Context, Evidence, experiment, plots
from simulations.iht import cells_recovery as R
from theory import stats
from theory.iht_stats import n50_fit, ratio_ci

#: success tolerance of the declared reading (spec §2.3); reading "success_1e3" uses 1e-3 (compressed-sensing
#: phase-transition practice, spec Appendix A)
SUCCESS_TOL = {None: 1e-6, "success_1e3": 1e-3}


def _rates(rows, key, by, tol=None):
    """Per value of ``by``: successes, trials, rate, Wilson interval (``tol``: success = rel_err < tol)."""
    out = []
    for v in sorted({r[by] for r in rows}):
        ks = [bool(r["rel_err"] < tol) if tol is not None else bool(r[key]) for r in rows if r[by] == v]
        k = int(sum(ks))
        lo, hi = stats.wilson_interval(k, len(ks))
        out.append({by: v, "k": k, "trials": len(ks), "rate": k / len(ks), "wilson": [lo, hi]})
    return out


def _band_plot(name, title, groups, by, fits=()):
    curves = [plots.series(label, [g[by] for g in gs], [g["rate"] for g in gs],
                           yerr=[[g["rate"] - g["wilson"][0] for g in gs], [g["wilson"][1] - g["rate"] for g in gs]])
              for label, gs in groups]
    vl = [{"x": f["n50"], "label": f"{lab} n50={f['n50']:.0f} [{f['ci'][0]:.0f}, {f['ci'][1]:.0f}]"}
          for lab, f in fits if np.isfinite(f["n50"])]
    return plots.line(name, title, by, "exact-recovery rate (Wilson 95%)", curves, logx=True,
                      hlines=[{"y": 0.5, "label": "50%"}], vlines=vl)


@experiment("iht.recovery.phase_transition")
def phase_transition(ctx: Context) -> Evidence:
    ns = [40, 80, 160, 320, 640]
    cfg = [{"n": n, "d": 10, "k": 2, "s_prime": 2, "p": 20, "inflation": 2} for n in ns]
    rows = ctx.sweep(R.recovery_cell, cfg, replicates=ctx.pick(20, 50))
    g = _rates(rows, "success", "n", SUCCESS_TOL[ctx.reading])
    fit = n50_fit([x["n"] for x in g], [x["k"] for x in g], [x["trials"] for x in g], seed=ctx.seed_for("boot"))
    rates = [x["rate"] for x in g]
    dips = [rates[i] - rates[i + 1] for i in range(len(rates) - 1) if rates[i + 1] < rates[i]]
    groups, extra = [("d=10, s=4, p=20", g)], {}
    if ctx.at_least("full"):   # the spec's larger case (reported, not ruled on): d=20, k=3, s'=3 (s=9), p=50
        big = ctx.sweep(R.recovery_cell, [{"n": n, "d": 20, "k": 3, "s_prime": 3, "p": 50, "inflation": 2}
                                          for n in (160, 320, 640)], replicates=50, label="larger")
        gb = _rates(big, "success", "n", SUCCESS_TOL[ctx.reading])
        groups.append(("d=20, s=9, p=50", gb))
        extra = {"larger_case_rates": {str(x["n"]): x["rate"] for x in gb}}
        rows = rows + big
    return Evidence(metrics={"ns": ns, "k": [x["k"] for x in g], "trials": [x["trials"] for x in g],
                             "rates": rates, "wilson": [x["wilson"] for x in g], "n50": fit["n50"],
                             "n50_ci": fit["ci"], "dips": dips, "logistic_slope": fit["slope"], **extra},
                    cells=rows, plots=[_band_plot("iht-phase-n", "NIHT exact recovery at level 2s", groups, "n",
                                                  [("d=10, s=4, p=20", fit)])])


@experiment("iht.recovery.inflation")
def inflation(ctx: Context) -> Evidence:
    ns = [160, 320, 640]
    cfg = [{"n": n, "d": 10, "k": 2, "s_prime": 2, "p": 20} for n in ns]
    rows = ctx.sweep(R.inflation_cell, cfg, replicates=ctx.pick(20, 50))
    gs, g2 = _rates(rows, "level_s", "n"), _rates(rows, "level_2s", "n")
    gap = float(np.mean([b["rate"] - a["rate"] for a, b in zip(gs, g2)]))
    pc = stats.paired_comparison([float(r["level_2s"]) for r in rows], [float(r["level_s"]) for r in rows])
    return Evidence(metrics={"rate_s": [x["rate"] for x in gs], "rate_2s": [x["rate"] for x in g2],
                             "mean_gap": gap, "gap_ci": [pc["ci_low"], pc["ci_high"]], "sign_p": pc["sign_p"],
                             "pairs": len(rows)},
                    cells=rows, plots=[_band_plot("iht-inflation", "NIHT success at level s vs 2s",
                                                  [("level s", gs), ("level 2s", g2)], "n")])


@experiment("iht.recovery.linear_rate")
def linear_rate(ctx: Context) -> Evidence:
    cfg = [{"n": n, "d": 10, "k": 2, "s_prime": 2, "p": 20, "max_iter": 3000} for n in (320, 640)]
    rows = ctx.sweep(R.rate_cell, cfg, replicates=ctx.pick(8, 20))
    ok = [r for r in rows if r["niht_success"]]
    good = [r for r in ok if r["niht_slope"] < -0.01 and r["niht_r2"] > 0.9 and r["niht_final"] < 1e-10]
    fx = [r for r in rows if r["fixed_success"]]
    curves = [plots.series(f"{m} n={r['n']} rep {r['replicate']}", [c[0] for c in r[f"{m}_curve"]],
                           [max(c[1], 1e-16) for c in r[f"{m}_curve"]], style="-")
              for m in ("niht", "fixed") for r in rows[:: max(1, len(rows) // 4)]]
    return Evidence(metrics={"niht_success": len(ok) / len(rows), "niht_successes": len(ok),
                             "niht_tail_ok": len(good), "niht_tail_ok_frac": len(good) / max(len(ok), 1),
                             "niht_slopes": [r["niht_slope"] for r in ok],
                             "fixed_max_increase": max(r["fixed_max_increase"] for r in rows),
                             "fixed_success": len(fx) / len(rows),
                             "fixed_slopes": [r["fixed_slope"] for r in fx],
                             "rho_hat_vs_kappa": [[float(np.exp(r["niht_slope"])), r["kappa_planted"]] for r in ok],
                             "fixed_predicted_contraction": [1 - r["fixed_eta_n"] * r["alpha_planted"] for r in rows]},
                    cells=[{k: v for k, v in r.items() if not k.endswith("curve")} for r in rows],
                    plots=[plots.line("iht-convergence", "log relative error vs iteration (NIHT, fixed step)",
                                      "iteration", "‖w_k - w*‖/‖w*‖", curves, logy=True)])


def _n50_arm(ctx, arm, cfgs, reps, ns_of):
    fits, groups, rows_all = {}, [], []
    for s, k, p in cfgs:
        rows = ctx.sweep(R.recovery_cell, [{"n": n, "d": 20, "k": k, "s_prime": 2, "p": p, "inflation": 2,
                                            "max_iter": 1500} for n in ns_of(s)], replicates=reps, label=f"{s}-{p}")
        g = _rates(rows, "success", "n")
        f = n50_fit([x["n"] for x in g], [x["k"] for x in g], [x["trials"] for x in g],
                    seed=ctx.seed_for("boot", s, p))
        fits[(s, p)] = f
        groups.append((f"s={s}, p={p}", g))
        rows_all += rows
    (a, fa), (b, fb) = (cfgs[0][0::2], fits[cfgs[0][0], cfgs[0][2]]), (cfgs[-1][0::2], fits[cfgs[-1][0], cfgs[-1][2]])
    ratio = fb["n50"] / fa["n50"]
    ci = ratio_ci(fa, fb)
    return Evidence(metrics={"n50": {f"s{s}_p{p}": f["n50"] for (s, p), f in fits.items()},
                             "n50_ci": {f"s{s}_p{p}": f["ci"] for (s, p), f in fits.items()},
                             "ratio": ratio, "ratio_ci": ci, "compared": [list(a), list(b)]},
                    cells=rows_all, plots=[_band_plot(f"iht-n50-{arm}", f"NIHT success over n, varying {arm}",
                                                      groups, "n", [(f"s={s},p={p}", f) for (s, p), f in fits.items()]),
                                           plots.heatmaps(f"iht-heat-{arm}", f"success rate: rows {arm} "
                                                          f"({', '.join(lab for lab, _ in groups)}), columns n grid "
                                                          f"({', '.join(str(x['n']) for x in groups[0][1])} for the "
                                                          "first row; x 10 s 2^i in general)",
                                                          [{"title": f"success over ({arm}, n); n50 per row "
                                                            + ", ".join(f"{f['n50']:.0f}" for f in fits.values()),
                                                            "matrix": [[x["rate"] for x in g] for _, g in groups]}],
                                                          xlabel="n grid point i (n values in the title)",
                                                          ylabel=f"row: {arm} = " + ", ".join(
                                                              str(c[0 if arm == "s" else 2]) for c in cfgs),
                                                          quantity="exact-recovery rate (fraction of trials)"),
                                           _ratio_plot(ctx, arm, cfgs, fits, ratio, ci)])


def _ratio_plot(ctx, arm, cfgs, fits, ratio, ci) -> dict:
    """n50 relative to the first configuration (point values), the compared end with its bootstrap interval, and
    the predicted range of the ratio."""
    xs = [c[0 if arm == "s" else 2] for c in cfgs]
    base = fits[cfgs[0][0], cfgs[0][2]]["n50"]
    pts = [fits[c[0], c[2]]["n50"] / base for c in cfgs]
    pts = [v if np.isfinite(v) else float("nan") for v in pts]
    r = ratio if np.isfinite(ratio) else float("nan")
    lo, hi = (float(v) if np.isfinite(v) else float("nan") for v in ci)
    rr = ctx.decision["ratio_range"]
    xe = xs[-1]
    law = ([plots.series("linear in s: n50 ∝ s", xs, [x / xs[0] for x in xs], style=":")] if arm == "s" else
           [plots.series("no growth in p: ratio 1", xs, [1.0] * len(xs), style=":")])
    return plots.line(f"iht-n50-ratio-{arm}", f"n50({arm}) / n50({arm}={xs[0]}): predicted range at {arm}={xe}",
                      arm, f"n50 / n50({arm}={xs[0]})",
                      [plots.series("point ratio (logistic fit)", xs, pts, style="o-"),
                       plots.series(f"ratio at {arm}={xe} (bootstrap 95%)", [xe], [r],
                                    yerr=[[r - lo], [hi - r]], style="s")] + law,
                      logx=True, bands=[{"x": [xe / 1.15, xe * 1.15], "low": [rr[0]] * 2, "high": [rr[1]] * 2,
                                         "label": f"predicted range [{rr[0]:.2f}, {rr[1]:.2f}]"}])


@experiment("iht.sample_complexity.in_p")
def sample_complexity_p(ctx: Context) -> Evidence:
    ps = ctx.pick((20, 80), (20, 80, 320))
    return _n50_arm(ctx, "p", [(4, 2, p) for p in ps], ctx.pick(12, 50),
                    lambda s: ctx.pick([40, 80, 160, 320, 640], [int(10 * s * 2 ** (i / 2)) for i in range(10)]))


@experiment("iht.sample_complexity.in_s")
def sample_complexity_s(ctx: Context) -> Evidence:
    return _n50_arm(ctx, "s", [(2 * k, k, 40) for k in (1, 2, 4)], ctx.pick(10, 50),
                    lambda s: ctx.pick([10 * s * 2 ** i for i in range(5)], [int(10 * s * 2 ** (i / 2)) for i in range(9)]))


@experiment("iht.identifiability.duplicates")
def duplicates(ctx: Context) -> Evidence:
    rows = ctx.sweep(R.duplicate_cell, [{"n": 640, "d": 10, "k": 2, "s_prime": 2, "p": 20, "max_iter": 3000}],
                     replicates=ctx.pick(10, 20))
    k = sum(r["success"] for r in rows)
    fit = int(sum(r["rel_residual"] < 1e-8 for r in rows))
    return Evidence(metrics={"success_rate": k / len(rows), "success_count": int(k), "trials": len(rows),
                             "success_wilson": list(stats.wilson_interval(k, len(rows))),
                             "fit_count": fit, "fit_frac": fit / len(rows),
                             "median_rel_err": float(np.median([r["rel_err"] for r in rows]))},
                    cells=rows, plots=[plots.bars("iht-duplicates", "duplicate generator: weight error per trial",
                                                  "rel. weight error", [str(i) for i in range(len(rows))],
                                                  [r["rel_err"] for r in rows])])


@experiment("iht.cs.gaussian_sanity")
def cs_sanity(ctx: Context) -> Evidence:
    # the ruled sizes (m = 40, 100) get enough trials for a Wilson interval to reach the bands (0/40 -> upper
    # 0.088 <= 0.1; 80/80 -> lower 0.954 >= 0.95); the other m of the spec's grid are reported at the full tier
    ms = ctx.pick([40, 100], [40, 50, 60, 80, 100, 150])
    reps = {40: 40, 100: 80}
    rows = []
    for m in ms:
        rows += ctx.sweep(R.cs_aiht_cell, [{"m": m, "N": 1000, "s": 10, "steps": 100}],
                          replicates=reps.get(m, 20), label=f"aiht-{m}")
    g = _rates(rows, "success", "m")
    rows_b = ctx.sweep(R.cs_niht_cell, [{"m": 40, "N": 200, "s": 4, "amplitudes": a} for a in ("gaussian", "ones")],
                       replicates=ctx.pick(40, 100), label="niht")
    gb = _rates(rows_b, "success", "amplitudes")
    return Evidence(metrics={"aiht_rates": {str(x["m"]): x["rate"] for x in g},
                             "aiht_k": {str(x["m"]): x["k"] for x in g},
                             "aiht_trials": {str(x["m"]): x["trials"] for x in g},
                             "aiht_wilson": {str(x["m"]): x["wilson"] for x in g},
                             "niht_rates": {x["amplitudes"]: x["rate"] for x in gb},
                             "niht_k": next(x["k"] for x in gb if x["amplitudes"] == "gaussian"),
                             "niht_trials": next(x["trials"] for x in gb if x["amplitudes"] == "gaussian"),
                             "niht_wilson": {x["amplitudes"]: x["wilson"] for x in gb},
                             "donoho_tanner": [[m / 1000, 10 / m] for m in ms]},
                    cells=rows + rows_b, plots=[_band_plot("iht-cs", "AIHT (R=3) on the Gaussian task, N=1000, s=10",
                                                           [("AIHT", g)], "m")])
