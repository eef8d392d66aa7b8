"""Experiments for the scorer claims (spec graphon §9 checks 7-10): SNIP factorisation (linear exact, ReLU
asymptotic), the homogeneous / heterogeneous taxonomy, and SynFlow's row-only graphon."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from simulations.graphs.graphon import block_histogram
from simulations.harness import Context, Evidence, experiment, plots
from simulations.harness.sweep import make_cells
from simulations.pai import scorer_cells as C
from theory import stats


def _ci(x, level: float = 0.95):
    c = stats.mean_ci(np.asarray(x, float), level)
    return [float(c["ci_low"]), float(c["ci_high"])]


def _welch_ci(a, b, level: float = 0.95):
    """Welch interval of mean(b) - mean(a) (independent replicates)."""
    from scipy import stats as _st

    a, b = np.asarray(a, float), np.asarray(b, float)
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = np.sqrt(va + vb)
    dof = (va + vb) ** 2 / (va ** 2 / (a.size - 1) + vb ** 2 / (b.size - 1)) if se > 0 else 1.0
    d = b.mean() - a.mean()
    q = _st.t.ppf(0.5 + level / 2, dof)
    return [float(d - q * se), float(d + q * se)]


def pooled_dispersion(stats_and_dofs, level: float = 0.95) -> dict:
    """Pooled chi^2 dispersion index: sum of statistics over sum of d.f., with the chi^2 interval of a common
    scale factor (X ~ D chi^2_nu).  D = 1 for a homogeneous 2 x k table; heterogeneity adds variance."""
    from scipy import stats as _st

    X = float(sum(x for x, _ in stats_and_dofs))
    nu = int(sum(k for _, k in stats_and_dofs))
    q = (1 - level) / 2
    return {"estimate": X / nu, "ci": [X / float(_st.chi2.ppf(1 - q, nu)), X / float(_st.chi2.ppf(q, nu))],
            "dof": nu}


def _chi2_stat(p: float, dof: int) -> float:
    """The chi^2 statistic of a recorded p-value (the cells record p; the statistic is its inverse)."""
    from scipy import stats as _st

    return float(_st.chi2.isf(p, dof))


def _linear_prop(x) -> bool:
    cell = make_cells("graphon.snip.linear_exact_factorisation", C.snip_linear_cell,
                      [{"n": x[0], "d": x[1], "N": x[2], "sigma_w": x[3], "sigma_a": 1.0}], 1, x[4], "cpu")[0]
    out = C.snip_linear_cell(cell)
    return out["max_rel_err"] <= 1e-10 and out["zero_mismatch"] == 0


@experiment("graphon.snip.linear_exact_factorisation")
def snip_linear(ctx: Context) -> Evidence:
    sizes = ctx.pick([(8, 5, 3), (64, 32, 100), (256, 128, 1000), (1024, 256, 2000)],
                     [(8, 5, 3), (64, 32, 100), (256, 128, 1000), (1024, 512, 4000), (4096, 1024, 8000)])
    cfg = [{"n": n, "d": d, "N": N, "sigma_w": sw, "sigma_a": 1.0} for n, d, N in sizes for sw in (1.0, 0.5)]
    cfg.append({"n": 256, "d": 128, "N": 1000, "sigma_w": 1.0, "sigma_a": 1.0, "p": 0.1, "image": True})
    rows = ctx.sweep(C.snip_linear_cell, cfg, replicates=ctx.pick(2, 3))
    strat = st.tuples(st.integers(1, 40), st.integers(1, 40), st.integers(1, 60), st.sampled_from([0.3, 1.0, 2.0]),
                      st.integers(0, 10 ** 6))
    ce = ctx.search(_linear_prop, strat, max_examples=ctx.pick(40, 200), to_data=list, label="linear-snip")
    img = next(r for r in rows if r.get("image"))
    errs = [max(r["max_rel_err"], 1e-17) for r in rows if not r.get("image")]
    return Evidence(
        metrics={"max_rel_err": max(r["max_rel_err"] for r in rows), "n_cells": len(rows),
                 "zero_mismatch": sum(r["zero_mismatch"] for r in rows), "counterexample_found": ce["found"],
                 "counterexample": ce.get("example")},
        cells=[{k: v for k, v in r.items() if not k.startswith("img")} for r in rows],
        plots=[plots.line("snip-linear-error", "SNIP (linear act.) vs exact factorisation: max |S/S_pred - 1|",
                          "cell", "max relative error", [plots.series("cells", np.arange(len(errs)), errs)],
                          logy=True, hlines=[{"y": ctx.decision["tol"], "label": "tolerance 1e-10"}]),
               plots.heatmaps("snip-linear-masks", "SNIP linear, p=0.1, n=256, d=128: mask vs FSM limit",
                              [{"title": "mask, degree order", "matrix": img["img_mask_degree"]},
                               {"title": "mask, latent order (|a|, |c_hat|)", "matrix": img["img_mask_latent"]},
                               {"title": "predicted 2Phibar(tau/(r c)), latent", "matrix": img["img_pred_latent"]}],
                              xlabel="input block (16 blocks of 8 units; sorted by degree; latent panels: by |c_hat|)",
                              ylabel="output block (16 blocks of 16 units; sorted by degree; latent panels: by |a|)",
                              quantity="block mean of the mask / predicted keep probability")],
        counterexample=ce)


@experiment("graphon.snip.relu_asymptotic_factorisation")
def snip_relu(ctx: Context) -> Evidence:
    dec = ctx.decision
    Ns = dec["Ns"]
    cfg = [{"n": dec["n"], "d": dec["d"], "N": N, "p": dec["p"], "k_inf": dec["k_inf"],
            "image": N == Ns[-1]} for N in Ns]
    rows = ctx.sweep(C.snip_relu_cell, cfg, replicates=ctx.pick(3, 10))
    by = {N: [r for r in rows if r["N"] == N] for N in Ns}
    ag = [float(np.mean([r["agreement"] for r in by[N]])) for N in Ns]
    ag_ci = [stats.mean_ci([r["agreement"] for r in by[N]]) for N in Ns]
    jac = [float(np.mean([r["jaccard"] for r in by[N]])) for N in Ns]
    last = by[Ns[-1]]
    ratio = float(np.mean([r["col_density_inf"] for r in last]) / np.mean([r["col_density_non"] for r in last]))
    img = next(r for r in rows if r.get("image"))
    return Evidence(
        metrics={"Ns": Ns, "agreement_mean": ag, "agreement_ci": [[c["ci_low"], c["ci_high"]] for c in ag_ci],
                 "jaccard_mean": jac, "spearman_mean_maxN": float(np.mean([r["spearman_row_a"] for r in last])),
                 "spearman_by_N": [float(np.mean([r["spearman_row_a"] for r in by[N]])) for N in Ns],
                 "density_inf_maxN": float(np.mean([r["col_density_inf"] for r in last])),
                 "density_non_maxN": float(np.mean([r["col_density_non"] for r in last])),
                 "density_ratio_maxN": ratio,
                 "spearman_ci_maxN": _ci([r["spearman_row_a"] for r in last]),
                 "density_ratio_ci_maxN": _ci([r["col_density_inf"] / max(r["col_density_non"], 1e-12)
                                               for r in last]),
                 "agreement_increase_ci": [_welch_ci([r["agreement"] for r in by[a]], [r["agreement"] for r in by[b]])
                                           for a, b in zip(Ns, Ns[1:])]},
        cells=[{k: v for k, v in r.items() if not k.startswith("img")} for r in rows],
        plots=[plots.line("snip-relu-agreement", "SNIP (ReLU) vs FSM mask with population c_j, n=d=256, p=0.1",
                          "scoring sample size N", "overlap",
                          [plots.series("|M and M_FSM|/K", Ns, ag,
                                        yerr=[[a - c["ci_low"] for a, c in zip(ag, ag_ci)],
                                              [c["ci_high"] - a for a, c in zip(ag, ag_ci)]]),
                           plots.series("Jaccard", Ns, jac)], logx=True,
                          hlines=[{"y": dec["min_agreement_maxN"], "label": "criterion at max N"}]),
               plots.heatmaps("snip-relu-masks", f"SNIP (ReLU), N={Ns[-1]}: degree-sorted mask vs FSM limit",
                              [{"title": "mask, degree order", "matrix": img["img_mask_degree"]},
                               {"title": "FSM prediction, latent order", "matrix": img["img_pred_latent"]}],
                              xlabel="input block (16 blocks; sorted by degree; prediction: by latent c_j)",
                              ylabel="output block (16 blocks; sorted by degree; prediction: by latent |a_i|)",
                              quantity="block mean of the mask / predicted keep probability")])


@experiment("graphon.taxonomy.homogeneous_vs_heterogeneous")
def taxonomy(ctx: Context) -> Evidence:
    dec = ctx.decision
    cfg = [{k: dec[k] for k in ("n", "d", "N", "p", "k_inf")}]
    rows = ctx.sweep(C.taxonomy_cell, cfg, replicates=ctx.pick(3, 10))
    meths = C.TAXONOMY_METHODS
    # reading "grasp_signed": the original signed GraSP (reference code) stands for GraSP instead of |GraSP|
    het = ["snip", "grasp"] if ctx.reading == "grasp_signed" else list(dec["heterogeneous"])
    col_p = {m: [r[m]["col_p"] for r in rows] for m in meths}
    row_p = {m: [r[m]["row_p"] for r in rows] for m in meths}
    prof = {m: np.mean([r[m]["col_density"] for r in rows], axis=0) for m in meths}
    ratio = {m: float(np.mean([r[m]["ratio_inf_non"] for r in rows])) for m in meths}
    v = np.arange(dec["d"]) + 0.5
    curves = [plots.series(m, v / dec["d"], prof[m], style="-") for m in meths]
    curves.append(plots.series("predicted SNIP (FSM, population c_j)", v / dec["d"],
                               np.mean([r["pred_col_density_snip"] for r in rows], axis=0), style="k--"))
    return Evidence(
        metrics={"col_p": col_p, "row_p": row_p, "ratio_inf_non": ratio, "heterogeneous": het,
                 "homogeneous": list(dec["homogeneous"]),
                 "col_dispersion": {m: pooled_dispersion([(_chi2_stat(p, dec["d"] - 1), dec["d"] - 1)
                                                          for p in col_p[m]]) for m in dec["homogeneous"]}},
        cells=[{"replicate": r["replicate"], **{m: {"col_p": r[m]["col_p"], "row_p": r[m]["row_p"],
                                                    "ratio_inf_non": r[m]["ratio_inf_non"]} for m in meths}}
               for r in rows],
        plots=[plots.line("taxonomy-column-mass", "Column mass rho(v) per method (first 12.5% of inputs informative)",
                          "input position v", "column density", curves,
                          hlines=[{"y": dec["p"], "label": "predicted Random / Magnitude / SynFlow: p"}],
                          vlines=[{"x": dec["k_inf"] / dec["d"], "label": "informative | other"}]),
               plots.heatmaps("taxonomy-masks", "Degree-sorted masks (16x16 blocks), n=d=256, p=0.1, beside the "
                              "predicted limits", [{"title": m, "matrix": rows[0][m]["img"]} for m in meths] +
                              [{"title": "predicted: Random/Magnitude (p)", "matrix": np.full((16, 16), dec["p"])},
                               {"title": "predicted: SNIP FSM (population c_j)", "matrix": rows[0]["img_pred_snip"]}],
                              vmax=0.7, xlabel="column block (degree-sorted, 16 blocks)",
                              ylabel="row block (degree-sorted, 16 blocks)", quantity="mask density (fraction of kept weights)"),
               plots.bars("taxonomy-chi2", "Column chi2 homogeneity: -log10 p (seed median; capped at 300)",
                          "-log10 p", list(meths),
                          [min(300.0, -np.log10(max(np.median(col_p[m]), 1e-300))) for m in meths])])


@experiment("graphon.synflow.row_only")
def synflow_row_only(ctx: Context) -> Evidence:
    dec = ctx.decision
    base = {"n": dec["n"], "d": dec["d"], "p": dec["p"]}
    rows = ctx.sweep(C.synflow_cell, [{**base, "rounds": 1}], replicates=ctx.pick(3, 10))
    it = ctx.sweep(C.synflow_cell, [{**base, "rounds": 100}], replicates=ctx.pick(1, 3), label="iterative")
    r0 = rows[0]
    u = (np.arange(dec["n"]) + 0.5) / dec["n"]
    keys = ("col_p", "row_p", "profile_p", "tau_p", "tau_z")
    return Evidence(
        metrics={**{k: [r[k] for r in rows] for k in keys},
                 "spearman_mean": float(np.mean([r["spearman_row_a"] for r in rows])),
                 "spearman_ci": _ci([r["spearman_row_a"] for r in rows]),
                 "col_dispersion": pooled_dispersion([(_chi2_stat(r["col_p"], dec["d"] - 1), dec["d"] - 1)
                                                      for r in rows]),
                 "row_profile_dispersion": pooled_dispersion([(r["profile_chi2"], r["profile_groups"] - 1)
                                                              for r in rows]),
                 "tau_n": [r["tau_n"] for r in rows],
                 "iterative_100": {k: [r[k] for r in it] for k in ("col_p", "row_p", "spearman_row_a", "profile_p")}},
        cells=[{k: r[k] for k in ("replicate", "rounds", "col_p", "row_p", "spearman_row_a", "profile_chi2",
                                  "profile_p", "tau_n", "tau_z")} for r in rows + it],
        plots=[plots.line("synflow-row-profile", "SynFlow row density vs |a_i| (single shot), n=256, d=512, p=0.1",
                          "row position u (ascending |a_i|)", "row density",
                          [plots.series("measured (seed 0)", u, r0["row_density_sorted"], style="."),
                           plots.series("100 rounds (seed 0)", u, it[0]["row_density_sorted"], style="."),
                           plots.series("predicted 2Phibar(tau*/|a_i|)", u, r0["pred_sorted"], style="-")]),
               plots.heatmaps("synflow-masks", "SynFlow: degree-sorted masks vs the row-only limit",
                              [{"title": "single shot", "matrix": r0["img"]},
                               {"title": "100 rounds", "matrix": it[0]["img"]},
                               {"title": "predicted W*(u), 16 blocks",
                                "matrix": np.repeat(np.asarray(r0["pred_sorted"]).reshape(16, -1).mean(1)[:, None],
                                                    16, axis=1)}],
                              xlabel="column block (degree-sorted)", ylabel="row block (degree-sorted; rows by |a_i|)",
                              quantity="mask density (fraction of kept weights)")])


def _limit_series(rows, meth):
    sub = [r for r in rows if r["method"] == meth]
    ns = sorted({r["n"] for r in sub})
    mean = lambda k: [float(np.mean([r[k] for r in sub if r["n"] == n])) for n in ns]
    fits = {k: stats.loglog_fit([r["n"] for r in sub], [r[k] for r in sub]) for k in ("block_rmse", "spectral",
                                                                                      "lower")}
    out = {"widths": ns, **{f"{k}_mean": mean(k) for k in ("block_rmse", "spectral", "lower", "block_rmse_vs_p")}}
    for k, f in fits.items():
        out.update({f"{k}_slope": f.slope, f"{k}_slope_ci": [f.ci_low, f.ci_high]})
    return out, fits, sub


@experiment("graphon.scorers.limit_convergence")
def scorer_limits(ctx: Context) -> Evidence:
    # full tier: n = 8192 on a GPU; on CPU it stops at 2048 (SNIP at 4096 is ~0.5 TFLOP of float64 GEMMs per seed)
    widths = ctx.pick([128, 256, 512, 1024], [128, 256, 512, 1024, 2048] + ([4096, 8192] if ctx.device == "cuda"
                                                                           else []))
    pred = ctx.prediction
    cfg = [{"method": m, "n": n, "p": pred["p"]} for m in C.LIMIT_METHODS for n in widths]
    rows = ctx.sweep(C.scorer_limit_cell, cfg, replicates=3)
    methods, fits, curves, fit_lines, panels, t_err = {}, {}, [], [], [], {}
    ref = pred["reference_rates"]
    for meth in C.LIMIT_METHODS:
        s, f, sub = _limit_series(rows, meth)
        methods[meth], fits[meth] = s, f
        ns = s["widths"]
        ci = {k: [stats.mean_ci([r[k] for r in sub if r["n"] == n]) for n in ns] for k in ("block_rmse", "spectral")}
        yerr = {k: [[c["mean"] - c["ci_low"] for c in v], [c["ci_high"] - c["mean"] for c in v]] for k, v in ci.items()}
        curves += [plots.series(f"{meth}: block RMSE (t 95%)", ns, s["block_rmse_mean"], yerr=yerr["block_rmse"]),
                   plots.series(f"{meth}: spectral upper (t 95%)", ns, s["spectral_mean"], yerr=yerr["spectral"]),
                   plots.series(f"{meth}: predicted n^-1/2", ns, [s["block_rmse_mean"][0] * (n / ns[0]) ** pred["slope"]
                                                                  for n in ns], style="k:")]
        fit_lines += [{"label": f"fit {meth} {lab}", "slope": f[k].slope, "intercept": f[k].intercept,
                       "x": [min(ns), max(ns)], "ci_low": f[k].ci_low, "ci_high": f[k].ci_high}
                      for k, lab in (("block_rmse", "block RMSE"), ("spectral", "spectral"))]
        t_err[meth] = {F: [float(np.mean([abs(r["t"][F] - pred["t"][meth][F]) for r in sub if r["n"] == n]))
                           for n in ns] for F in pred["t"][meth]}
        panels.append(plots.heatmaps(f"scorer-limit-{meth.replace('_', '-')}",
                                     f"{meth}: degree-sorted masks (K=16) at growing width beside the predicted W*",
                                     [{"title": f"n={r['n']}", "matrix": r["hist"]} for r in sub
                                      if r.get("hist") is not None] +
                                     [{"title": "predicted W* (block means)",
                                       "matrix": block_histogram(C.limit_grid(meth, 1024, pred["p"]), C.K_IMG)}],
                                     vmax=0.8, xlabel="column block (degree-sorted, K=16)",
                                     ylabel="row block (degree-sorted, K=16)",
                                     quantity="density of kept weights in the block"))
    curves += [plots.series("§5.3 reference (FSM block RMSE)", ref["n"], ref["block_rmse_degree"], style="x:")]
    sn = methods["snip_linear"]
    rr = {k: dict(zip(ref["n"], ref[rk])) for k, rk in (("block_rmse", "block_rmse_degree"),
                                                         ("spectral", "spectral_degree"))}
    ref_ratio = {k: [v / rr[k][n] for n, v in zip(sn["widths"], sn[f"{k}_mean"]) if rr[k].get(n)] for k in rr}
    snip_rows = [r for r in rows if r["method"] == "snip_linear"]
    ref_ratio_ci = {k: [_ci([r[k] / rr[k][n] for r in snip_rows if r["n"] == n]) for n in sn["widths"] if rr[k].get(n)]
                    for k in rr}
    return Evidence(
        metrics={"methods": methods, "snip_ref_ratio": ref_ratio, "snip_ref_ratio_ci": ref_ratio_ci,
                 "t_abs_error": t_err},
        cells=[{k: v for k, v in r.items() if k != "hist"} for r in rows],
        plots=[plots.loglog_fit("scorer-limit-rate", "Real SNIP (linear) / SynFlow masks vs predicted W*",
                                "width n = d", "error", curves, fit_lines)] + panels +
              [plots.line("scorer-limit-hom", "|t(F, M) - t(F, W*)| (seed means)", "width n = d", "abs error",
                          [plots.series(f"{m}: {F}", methods[m]["widths"], t_err[m][F])
                           for m in C.LIMIT_METHODS for F in ("K22", "row_star_2", "col_star_2")],
                          logx=True, logy=True)])
