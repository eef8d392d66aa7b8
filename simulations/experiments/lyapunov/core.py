"""Experiments of the Lyapunov estimator, theorem-level and mean-field claims (A-C1 ... A-C8, A-C13; spec
section numbers as in docs/papers/lyapunov.md).  The digits pruning claims (A-C9 ... A-C12) are in ``digits``."""
from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from simulations.harness import Evidence, experiment, plots
from simulations.lyapunov import cells as C
from simulations.lyapunov import order_parameters as O
from theory import lyapunov as TL
from theory import stats


def stats_norm_quantile(q: float) -> float:
    from scipy.stats import norm
    return float(norm.ppf(q))


@experiment("lyapunov.estimator.newman")
def newman(ctx) -> Evidence:
    cfgs = [{"N": n, "sigma": s, "unit": False, "T": 4000, "tol": ctx.decision["tol"]} for n in (5, 20, 50)
            for s in (1.0, 1.3)] + [{"N": n, "sigma": 1.0, "unit": True, "T": 4000, "tol": ctx.decision["tol"]}
                                   for n in (5, 20)]
    rows = ctx.sweep(C.newman_cell, cfgs)
    worst = max(r["max_err_over_tol"] for r in rows)
    shift = abs((TL.newman_spectrum(20, 1.3) - TL.newman_spectrum(20, unit_variance=True))[0]
                - (math.log(1.3) - 0.5 * math.log(20)))
    m = {"max_err_over_tol": worst, "max_err": max(r["max_err"] for r in rows),
         "max_z": max(r["max_z"] for r in rows), "checks": {"all_within_tol": worst < 1.0, "convention_shift":
                                                             shift < 1e-12}}
    # bias test (item 9 of the re-judging issue): R replicates per N, mean error of every exponent in units of one
    # run's exact spread; simultaneous (Bonferroni over all exponents) interval of max_i |bias_i| / (sd_i/sqrt(T))
    d = ctx.decision
    bias = ctx.sweep(C.newman_bias_cell, [{"N": n, "sigma": 1.3, "T": ctx.pick(*d["bias_T"]), "R": d["bias_R"],
                                           "burn_in": 50} for n in (5, 20, 50)], label="bias")
    dd = np.concatenate([np.asarray(b["d"]) for b in bias])
    half = float(stats_norm_quantile(1 - (1 - d["bias_level"]) / (2 * dd.size))) / math.sqrt(d["bias_R"])
    m.update({"bias_max_abs_ci": [float(np.max(np.maximum(np.abs(dd) - half, 0.0))),
                                  float(np.max(np.abs(dd) + half))],
              "bias_max_abs_d": float(np.max(np.abs(dd))), "bias_max_abs_z": float(np.max(np.abs(dd)) *
                                                                                   math.sqrt(d["bias_R"])),
              "bias_exponents": int(dd.size), "bias_T": bias[0]["T"], "bias_R": d["bias_R"]})
    r6 = [r for r in rows if r["N"] == 20 and r["sigma"] == 1.3][0]
    return Evidence(m, cells=rows, plots=[plots.line("newman-n20", "Newman spectrum N=20, sigma=1.3 (first 6)",
                                                       "i", "lambda_i", [plots.series("QR", range(1, 7), r6["exponents"]),
                                                                         plots.series("exact", range(1, 7), r6["exact"], style="--")])])


@experiment("lyapunov.estimator.oracles")
def oracles(ctx) -> Evidence:
    d = ctx.decision
    r = ctx.sweep(C.oracle_cell, [{"T_henon": ctx.pick(20_000, 100_000), "M_windows": 20_000}])[0]
    chk = {"henon_window": 0.41 <= r["henon_l1"] <= 0.43 and -1.63 <= r["henon_l2"] <= -1.61,
           "henon_lambda1": abs(r["henon_l1"] - TL.HENON["lambda1"]) <= r["henon_tol"],
           "henon_sum": r["henon_sum_err"] <= d["henon_sum_tol"],
           "logistic_identity": r["logistic_identity_err"] <= d["logistic_identity_tol"],
           "logistic_ln2": r["logistic_dev"] < d["logistic_dev_tol"],
           "two_trajectory": r["two_traj_diff"] <= d["two_traj_tol"], "generalised_L": r["L_err"] <= d["L_tol"],
           "chi": r["chi_rel_err"] <= d["chi_rel_tol"], "short_horizons": r["short_horizon_err"] == 0.0,
           "engelken": r["engelken_err"] <= d["engelken_tol"]}
    return Evidence({**{k: v for k, v in r.items() if k not in ("replicate", "seed")}, "checks": chk}, cells=[r])


@experiment("lyapunov.sum_rule")
def sum_rule(ctx) -> Evidence:
    from simulations.lyapunov.cells_mlp import sum_rule_cell
    r = ctx.sweep(sum_rule_cell, [{"width": 16, "sparsity": 0.7, "T": ctx.pick(4, 10)}])[0]
    d = ctx.decision
    chk = {"random_maps": r["random_rel"] < d["sum_rel_tol"], "masked_sgd": r["sgd_rel"] < d["sum_rel_tol"],
           "hvp_vs_explicit": r["hvp_rel"] < d["hvp_rel_tol"], "no_neg_inf": r["n_neg_inf"] == 0}
    return Evidence({**r, "checks": chk}, cells=[r])


@experiment("lyapunov.interlacing")
def interlacing(ctx) -> Evidence:
    from simulations.lyapunov.cells_mlp import p2_trajectory_cell, quadratic_cell
    d = ctx.decision
    rows = ctx.sweep(quadratic_cell, [{"D": 60, "k": k, "eta_rel": e} for k in (8, 20, 40) for e in (0.5, 1.0, 1.5)])
    p2 = ctx.sweep(p2_trajectory_cell, [{"width": 16, "sparsity": 0.7, "steps": ctx.pick(6, 20), "eta": 0.5}])[0]

    def prop(case):
        D, seed, rho = case
        rng = np.random.default_rng(seed)
        A = rng.standard_normal((D, D))
        H = (A + A.T) / 2
        keep = rng.random(D) < rho
        keep[0] = True
        mu, sub = np.linalg.eigvalsh(H), np.linalg.eigvalsh(H[np.ix_(keep, keep)])
        return bool(sub[-1] <= mu[-1] + d["interlacing_tol"] and sub[0] >= mu[0] - d["interlacing_tol"])

    found = ctx.search(prop, st.tuples(st.integers(2, 40), st.integers(0, 2 ** 31), st.floats(0.05, 1.0)),
                       max_examples=d["search_examples"], label="interlacing")
    worst = max(r["max_err"] for r in rows)
    chk = {"quadratic_exponents": worst < d["exp_tol"], "interlacing_no_counterexample": not found["found"],
           "p2_bound_every_step": p2["max_violation"] <= 1e-12}
    return Evidence({"max_quadratic_err": worst, "p2_max_violation": p2["max_violation"], "checks": chk},
                    cells=rows + [p2], counterexample=found)


@experiment("lyapunov.p1.solvable")
def p1_solvable(ctx) -> Evidence:
    d = ctx.decision
    ks = list(range(20, 401, 5))
    draws = ctx.pick(6, 20)
    rows = ctx.sweep(C.p1_cell, [{"n": 100, "d": 400, "ks": ks, "steps": 100_000}], replicates=draws)
    qr = ctx.sweep(C.p1_cell, [{"n": 100, "d": 400, "ks": [150], "steps": 10, "qr_ks": [150, 200, 400]}])[0]
    big = ctx.sweep(C.p1_cell, [{"n": 400, "d": 1600, "ks": [200, 320, 480, 600], "steps": 0}], replicates=20)
    n = 100
    K = np.array(ks)
    loss = np.array([r["loss"] for r in rows])
    zeros = np.array([r["n_zero"] for r in rows])
    mu = np.array([r["mu_min_pos"] for r in rows])
    slow = np.array([r["slowest"] for r in rows])
    h = np.array([r["se1_star"] for r in rows])
    crit1 = bool(np.all(loss[:, K >= n + 10] < d["loss_low"]) and np.all(loss[:, K <= n - 10] > d["loss_high"]))
    crit2 = bool(np.all(zeros == TL.p1_neutral_count(K, n)[None])) and all(
        q["n_neutral_qr"] == q["k"] - n for q in qr["qr"])
    far = np.abs(K - n) >= 20
    ratio100 = np.median(mu, 0)[far] / TL.mp_lower_edge(K[far], n)
    mu4 = np.array([r["mu_min_pos"] for r in big])
    ratio400 = np.median(mu4, 0) / TL.mp_lower_edge(np.array([200, 320, 480, 600]), 400)
    crit3 = bool(np.all((ratio100 >= d["ratio100"][0]) & (ratio100 <= d["ratio100"][1]))
                 and np.all((ratio400 >= d["ratio400"][0]) & (ratio400 <= d["ratio400"][1]))
                 and np.max(ratio400) <= np.max(ratio100))
    argslow = K[np.argmax(slow, axis=1)]
    crit4 = bool(np.all(np.abs(argslow - n) <= d["k_window"]))
    argh = K[np.argmin(h, axis=1)]
    hm = h.mean(0)
    j = int(np.argmin(hm))
    crit5 = bool(np.all(np.abs(argh - n) <= d["k_window"]) and 0 < j < len(K) - 1
                 and (hm[j - 1] - hm[j]) > 0 and (hm[j + 1] - hm[j]) > 0)
    dh = np.abs(np.diff(hm) / np.diff(K / 400))
    metrics = {"checks": {"loss_transition": crit1, "neutral_count": crit2, "mp_edge": crit3,
                          "slowest_at_kc": crit4, "se1_star_cusp_at_kc": crit5},
               "ratio100_range": [float(ratio100.min()), float(ratio100.max())],
               "ratio400_range": [float(ratio400.min()), float(ratio400.max())],
               "argmin_se1_star": argh.tolist(), "argmax_slowest": argslow.tolist(),
               "max_abs_dH_drho_at_rho": float((K[1:] + K[:-1])[int(np.argmax(dh))] / 800), "rho_c": n / 400}
    tau = TL.p1_relaxation_time(K, n, rows[0]["eta"])
    pl = [plots.line("p1-critical-slowing", "P1: slowest nonzero exponent vs k (critical slowing down at k=n)",
                     "k (kept features)", "-slowest exponent", [plots.series("median", K, -np.median(slow, 0)),
                     plots.series("eta*MP edge", K[far], rows[0]["eta"] * TL.mp_lower_edge(K[far], n), style="--")],
                     logy=True, vlines=[{"x": n, "label": "k = n"}]),
          plots.line("p1-se1-star", "P1: SE1* (non-neutral exponents)", "k", "SE1*",
                     [plots.series("mean over draws", K, hm)], vlines=[{"x": n, "label": "k = n"}]),
          plots.line("p1-relaxation", "P1: predicted relaxation time", "k", "tau", [plots.series("tau", K[far], tau[far])],
                     logy=True)]
    return Evidence(metrics, cells=[{"qr": qr["qr"]}], plots=pl)


@experiment("lyapunov.invariance")
def invariance(ctx) -> Evidence:
    from simulations.lyapunov.cells_mlp import invariance_cell
    r = ctx.sweep(invariance_cell, [{"width": 32, "sparsity": 0.5, "p": 8, "T": 300, "burn_in": 50,
                                     "train_steps": 2000}])[0]   # the spec's stationary window at both tiers
    return Evidence({k: v for k, v in r.items() if k.endswith("_max_z") or k in ("k",)}, cells=[r])


@experiment("lyapunov.hygiene")
def hygiene(ctx) -> Evidence:
    from simulations.lyapunov.cells_mlp import hygiene_cell
    r = ctx.sweep(hygiene_cell, [{"width": 16, "sparsity": 0.9}])[0]
    chk = {"finite": r["finite"], "length_le_k": r["p"] <= r["k"], "padding": r["padding_diff"] < 1e-10,
           "dense_refused": r["refused"]}
    return Evidence({**r, "checks": chk}, cells=[r])


@experiment("lyapunov.small_step")
def small_step(ctx) -> Evidence:
    d = ctx.decision
    r = ctx.sweep(C.small_step_cell, [{"eta_mu_max": 0.05}])[0]
    chk = {"a_log_expansion": r["max_rel_log_err"] <= d["rel_bound"],
           "b_se1_exact_vs_eigs": abs(r["se1_exponents"] / r["se1_eigs"] - 1) <= d["se1_rel_tol"],
           "c_se1_qr_vs_eigs": abs(r["se1_qr"] / r["se1_eigs"] - 1) <= d["se1_rel_tol"],
           "d_exponents_prescribed_burn_in": r["exp_rel_err_prescribed"] <= d["exp_rel_tol"]}
    return Evidence({**r, "checks": chk}, cells=[r])


def _small_step_mlp_rows(ctx, replicates):
    """The A-C7 MLP runs, shared by lyapunov.small_step.mlp and lyapunov.estimator.burn_in (same seeds)."""
    from simulations.lyapunov.cells_mlp import small_step_mlp_windows_cell
    from simulations.rng import derive_seed
    d = ctx.decision
    cfg = {"n": 128, "width": 8, "sparsity": 0.8, "train_steps": 1000, "eta_train": 0.05,
           "eta_mu_max": d["eta_mu_max"], "burn_in": 50, "window": d["window"], "max_windows": d["max_windows"],
           "conv_tol": d["conv_tol"]}
    return ctx.sweep(small_step_mlp_windows_cell, [dict(cfg, seed=derive_seed(ctx.seed, "lyapunov.small_step.mlp",
                                                                                 r) % (2 ** 31))
                                                   for r in range(replicates)])


@experiment("lyapunov.small_step.mlp")
def small_step_mlp(ctx) -> Evidence:
    """A-C7 secondary on converged estimates: SE1 of the QR exponents of the first window at which the
    window-to-window change of SE1 falls below conv_tol, against the Hessian entropy at that window's end."""
    rows = _small_step_mlp_rows(ctx, ctx.pick(1, 3))
    if ctx.reading == "change_only":      # converged at the first window whose SE1 changes by < conv_tol
        rel = [r["rel_at_first_criterion"] for r in rows]
        conv = [r["first_criterion_window"] is not None for r in rows]
    else:
        rel = [r["rel_qr_vs_hessian"] for r in rows]
        conv = [r["converged"] for r in rows]
    m = {"rel_qr_vs_hessian": [float("nan") if v is None else v for v in rel], "reading": ctx.reading,
         "rel_exact_vs_hessian": [r["rel_exact_vs_hessian"] for r in rows],
         "converged": conv, "burn_in_converged": [r["burn_in_converged"] for r in rows],
         "rel_last_window": [r["windows"][-1]["rel_qr_vs_hessian"] for r in rows],
         "rel_spec_window": [r["spec_window"]["rel_qr_vs_hessian"] if r["spec_window"] else float("nan")
                             for r in rows], "k": rows[0]["k"], "window": ctx.decision["window"],
         "rel_at_first_criterion": [r["rel_at_first_criterion"] for r in rows],
         "first_criterion_window": [r["first_criterion_window"] for r in rows]}
    curves = [plots.series(f"replicate {r['replicate']}", [w["steps_end"] for w in r["windows"]],
                           [w["rel_qr_vs_hessian"] for w in r["windows"]]) for r in rows]
    pl = [plots.line("small-step-mlp-convergence", "MLP: SE1 of the QR exponents per 100-step window vs the "
                     "Hessian-spectrum entropy", "steps after retraining (window end)", "SE1_QR / SE1_Hessian - 1",
                     curves, hlines=[{"y": 0.05, "label": "+5%"}, {"y": -0.05, "label": "-5%"}])]
    return Evidence(m, cells=rows, plots=pl)


@experiment("lyapunov.estimator.burn_in")
def estimator_burn_in(ctx) -> Evidence:
    """Validation: the spec window's SE1 error on the MLP is burn-in (frame alignment): the gap to the Hessian
    entropy shrinks window by window and the convergence criterion is met within the cap."""
    d = ctx.decision
    r = _small_step_mlp_rows(ctx, 1)[0]
    gaps = [abs(w["rel_qr_vs_hessian"]) for w in r["windows"]]
    inside = [i for i, g in enumerate(gaps) if g <= d["rel_tol"]]
    upto = gaps[: inside[0] + 1] if inside else gaps
    spec = abs(r["spec_window"]["rel_qr_vs_hessian"]) if r["spec_window"] else float("nan")
    chk = {"spec_window_gap_above_last": bool(spec > gaps[-1]),
           "gap_shrinks_until_within_tol": bool(all(b <= a + d["mono_slack"] for a, b in zip(upto, upto[1:]))),
           "last_window_within_tol": bool(gaps[-1] <= d["rel_tol"])}
    m = {"checks": chk, "gaps": gaps, "first_window_within_tol_steps": (r["windows"][inside[0]]["steps_end"]
                                                                      if inside else None),
         "rel_spec_window": r["spec_window"]["rel_qr_vs_hessian"] if r["spec_window"] else None, "k": r["k"]}
    return Evidence(m, cells=[r])


@experiment("lyapunov.mean_field")
def mean_field(ctx) -> Evidence:
    d = ctx.decision
    N, L, reps = 200, ctx.pick(600, 1500), ctx.pick(2, 4)
    cN = [100, 20, 6, 3, 2, 1]
    rhos = [1.0] + [c / N for c in cN]
    lin = [ctx.sweep(C.meanfield_cell, [{"N": N, "rho": rhos, "g": [1.0], "layers": L, "burn_in": 100,
                                         "replicates": reps, "nonlinearity": "linear", "rescale": rs,
                                         "draw_seed": ctx.seed_for("linear-draws") % 2 ** 31}])[0]
           for rs in (False, True)]
    fs = [0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.15, 1.2, 1.25, 1.3]
    rho_t = [1.0, 0.5, 0.25]
    tanh = {}
    for rho in rho_t:
        g = [f / math.sqrt(rho) for f in fs]
        tanh[rho] = np.array(ctx.sweep(C.meanfield_cell, [{"N": N, "rho": [rho], "g": g, "layers": L, "burn_in": 100,
                                                          "replicates": reps, "nonlinearity": "tanh"}])[0]["lambda1"])[0]   # (R, G)
    lu, lr = np.array(lin[0]["lambda1"])[:, :, 0], np.array(lin[1]["lambda1"])[:, :, 0]
    fin = np.array(cN + [0]) >= 0
    mu_u, mu_r = lu.mean(1), lr.mean(1)
    ok6 = np.array([True] + [c >= 6 for c in cN])
    dev_lin = np.abs((mu_u - mu_u[0]) - TL.p3_linear_shift(rhos))[ok6]
    dev_res = np.abs(mu_r - mu_r[0])[ok6]
    ident = np.abs(lr - lu - TL.p4_rescale_identity(rhos)[:, None])[:-1]
    neg_inf_c1 = bool(all(lin[0]["neg_inf"][-1])) and not lin[0]["nan"]
    T_m = {rho: tanh[rho].mean(0) for rho in rho_t}
    ordered = [i for i, f in enumerate(fs) if f * f <= 0.9]
    ord_dev = max(float(np.max(np.abs(T_m[r][ordered] - TL.p3_ordered_lambda1(r, np.array(fs)[ordered] / math.sqrt(r)))))
                  for r in rho_t)
    collapse = max(float(np.max(np.abs(T_m[r] - T_m[1.0]))) for r in rho_t)
    cross = {}
    for r in rho_t:
        y = T_m[r]
        i = int(np.flatnonzero((y[:-1] < 0) & (y[1:] >= 0))[0]) if np.any((y[:-1] < 0) & (y[1:] >= 0)) else -1
        cross[str(r)] = float(fs[i] - y[i] * (fs[i + 1] - fs[i]) / (y[i + 1] - y[i])) if i >= 0 else float("nan")
    c = list(cross.values())
    chk = {"linear_half_log_rho": float(dev_lin.max()) <= d["linear_tol"],
           "rescaled_flat": float(dev_res.max()) < d["rescaled_tol"],
           "rescaled_drop_c2": float(mu_r[cN.index(2) + 1] - mu_r[0]) < d["rescaled_drop_at_c2"],
           "rescale_identity": float(ident.max()) <= d["identity_tol"], "annihilation_c1_neg_inf": neg_inf_c1,
           "tanh_ordered": ord_dev <= d["ordered_tol"], "tanh_collapse": collapse <= d["collapse_tol"],
           "crossing_window": all(d["crossing"][0] <= x <= d["crossing"][1] for x in c)}
    m = {"checks": chk, "linear_max_dev": float(dev_lin.max()), "rescaled_max_dev": float(dev_res.max()),
         "rescaled_c2": float(mu_r[cN.index(2) + 1] - mu_r[0]), "identity_max": float(ident.max()),
         "ordered_max_dev": ord_dev, "collapse_max": collapse, "crossing_f": cross}
    pl = [plots.line("edge-of-chaos", "tanh nets: lambda_1 vs f = g sqrt(rho) (edge of chaos at f = 1)",
                     "f = g sqrt(rho)", "lambda_1", [plots.series(f"rho={r}", fs, T_m[r]) for r in rho_t],
                     hlines=[{"y": 0, "label": "0"}], vlines=[{"x": 1.0, "label": "g_c"}]),
          plots.line("edge-of-chaos-g", "tanh nets: lambda_1 vs g; dotted lines g_c = 1/sqrt(rho)", "g", "lambda_1",
                     [plots.series(f"rho={r}", np.array(fs) / math.sqrt(r), T_m[r]) for r in rho_t],
                     hlines=[{"y": 0, "label": "0"}],
                     vlines=[{"x": float(TL.edge_of_chaos_g(r)), "label": f"g_c(rho={r})"} for r in rho_t]),
          plots.heatmaps("edge-of-chaos-map", "(rho, g) map of lambda_1 (rows rho = 1, 0.5, 0.25; cols f grid)",
                         [{"title": "lambda_1", "matrix": np.array([T_m[r] for r in rho_t])}], vmin=-0.2, vmax=0.02,
                         xlabel=f"f grid point (f = g sqrt(rho) from {fs[0]:g} to {fs[-1]:g})",
                         ylabel="row: rho = " + ", ".join(f"{r:g}" for r in rho_t),
                         quantity="lambda_1 (top Lyapunov exponent per step)"),
          plots.line("p4-percolation", "linear nets: lambda_1 vs mean degree c = rho N", "c", "lambda_1",
                     [plots.series("no rescale", cN[:-1], mu_u[1:-1]), plots.series("rescaled", cN[:-1], mu_r[1:-1])],
                     logx=True)]
    return Evidence(m, plots=pl)


@experiment("lyapunov.mean_field.finite_n")
def mean_field_finite_n(ctx) -> Evidence:
    """Optional A-C8 check: the sign change of lambda_1 (tanh, rho = 1) moves toward f = 1 as N grows."""
    d = ctx.decision
    Ns = ctx.pick([50, 100, 200], [100, 200, 400])
    fs = [round(0.95 + 0.05 * i, 2) for i in range(10)]          # grid step 0.05 (spec A-C8c)
    cross, pts_n, pts_f, curves = {}, [], [], []
    for N in Ns:
        lam = np.array(ctx.sweep(C.meanfield_cell, [{"N": N, "rho": [1.0], "g": fs, "layers": ctx.pick(1000, 1500),
                                                     "burn_in": 100, "replicates": d["replicates"],
                                                     "nonlinearity": "tanh"}], label=f"N{N}")[0]["lambda1"])[0]
        per = [TL.first_sign_change(fs, row) for row in lam]
        cross[str(N)] = per
        pts_n += [N] * len(per)
        pts_f += per
        curves.append(plots.series(f"N={N}", fs, lam.mean(0)))
    pf = np.array(pts_f)
    ok = bool(np.all(np.isfinite(pf)))
    m = {"crossing_f": cross, "mean_crossing": {k: float(np.mean(v)) for k, v in cross.items()}, "N": Ns,
         "all_found": ok, "all_above_one": bool(ok and np.all(pf > 1.0))}
    if ok:
        # slope of f* against ln N (a log-log fit of e^{f*} against N is exactly that regression, with its CI)
        fit = stats.loglog_fit(pts_n, np.exp(pf), d["level"])
        big = stats.mean_ci(cross[str(Ns[-1])], d["level"])
        m.update({"crossing_slope_lnN": fit.slope, "crossing_slope_ci": [fit.ci_low, fit.ci_high],
                  "crossing_largest_n_ci": [big["ci_low"], big["ci_high"]],
                  "mean_crossing_above_one": bool(all(np.mean(v) > 1.0 for v in cross.values()))})
    pl = [plots.line("edge-of-chaos-finite-n", "tanh, rho = 1: lambda_1 vs f at several N", "f = g sqrt(rho)",
                     "lambda_1", curves, hlines=[{"y": 0, "label": "0"}], vlines=[{"x": 1.0, "label": "g_c"}])]
    return Evidence(m, plots=pl)


@experiment("lyapunov.definitions")
def definitions(ctx) -> Evidence:
    n_ex = ctx.decision["search_examples"]
    spectra = arrays(np.float64, st.integers(2, 10), elements=st.floats(-5, 5, allow_nan=False))

    def prop(lam):
        if np.all(lam == 0):
            return bool(math.isnan(O.se1(lam)["value"]))
        h = O.se1(lam)["value"]
        ok = -1e-12 <= h <= 1 + 1e-12 and abs(O.se1(3.7 * lam[::-1])["value"] - h) < 1e-9
        hks, dky = O.ks_entropy(lam)["value"], O.kaplan_yorke(lam)["value"]
        ok &= 0 <= hks <= np.abs(lam).sum() + 1e-12 and 0 <= dky <= lam.size
        r = O.se2(lam, 1.0)
        ok &= -lam.max() - math.log(lam.size) - 1e-12 <= r["F"] <= -lam.max() + 1e-12 and r["C"] >= 0
        ok &= abs(r["S"] - (r["U"] - r["F"])) < 1e-10
        return bool(ok)

    found = ctx.search(prop, spectra, max_examples=n_ex, to_data=lambda a: a.tolist(), label="definitions")
    return Evidence({"checks": {"no_counterexample": not found["found"]}, "examples": n_ex}, counterexample=found)

