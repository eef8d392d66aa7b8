"""Experiments of the digits pruning claims (A-C9 co-location, A-C10 direction, A-C11 finite size, A-C12
static vs dynamic).  The pipeline and its sweep cell live in ``simulations/lyapunov/pruning.py``."""
from __future__ import annotations

import numpy as np

from simulations.harness import Evidence, experiment, plots
from simulations.lyapunov import order_parameters as O
from simulations.lyapunov import transition as TR
from simulations.lyapunov.pruning import SPARSITY_GRID, digits_cell
from simulations.rng import derive_seed
from theory import stats

OP_KEYS = ["lambda_max", "frac_positive", "h_ks", "sigma_partial", "se1", "se1_star", "se2_C", "d_ky",
           "n_near_neutral", "se3", "chi_lambda"]
CHI_WINDOWS = 20    # X8: M >= 20 independent windows per state (spec §5)


def _configs(ctx, width=32, lyap=True, seeds=None, grid=None):
    n = seeds or ctx.pick(3, 5)
    base = {"width": width, "grid": list(SPARSITY_GRID if grid is None else grid), "eta": 0.05, "batch": 32,
            "dense_steps": ctx.pick(1000, 2000), "retrain_steps": ctx.pick(1000, 2000), "lyap": lyap,
            "graphs": lyap}
    if lyap:
        base.update({"p": ctx.pick(8, 16), "burn_in": ctx.pick(20, 50), "T": ctx.pick(100, 300),
                     "chi_windows": CHI_WINDOWS})
    # the seed is derived from the root seed and a key shared by A-C9, A-C10, A-C12 (same runs, cached)
    return [dict(base, seed=derive_seed(ctx.seed, "lyapunov.digits", width, r) % (2 ** 31)) for r in range(n)]


def _colocated(i: int, j: int, tol: int = 1) -> bool:
    """Grid-index co-location (spec §8.2); an index of -1 (no change anywhere) is never co-located."""
    return i >= 0 and j >= 0 and abs(i - j) <= tol


def _table(rows):
    s = np.array([r["s"] for r in rows[0]["rows"]])
    acc = np.array([[r["acc"] for r in run["rows"]] for run in rows])
    ops = {k: np.array([[np.nan if r.get(k) is None else r[k] for r in run["rows"]] for run in rows])
           for k in OP_KEYS if k in rows[0]["rows"][0]}
    return s, acc, ops


def _run(ctx):
    out = ctx.sweep(digits_cell, _configs(ctx))
    return out, *_table(out)


def _locate(s, acc, ops, ctx):
    drop = O.steepest_drop(s, acc.mean(0))
    idx, col = {"acc": drop["index"]}, {}
    for k, v in ops.items():
        ch = O.steepest_change(s, np.nanmean(v, 0))
        idx[k] = ch["index"]
        col[k] = _colocated(ch["index"], drop["index"], ctx.decision.get("max_index_gap", 1))
    # negative control: an order parameter with no dependence on s, only its measured seed-to-seed noise --
    # how often would its steepest interval fall within one step of s*_acc on this (non-uniform) grid?
    rng = np.random.default_rng(ctx.seed_for("null"))
    null, null_idx = {}, {}
    for k, v in ops.items():
        sd = np.nanstd(v, 0, ddof=1) / np.sqrt(v.shape[0])
        if not np.all(np.isfinite(sd)) or np.all(sd == 0):
            null[k] = float("nan")
            continue
        sims = rng.standard_normal((ctx.decision.get("null_sims", 2000), s.size)) * sd
        null_idx[k] = np.array([O.steepest_change(s, x)["index"] for x in sims])
        null[k] = float(np.mean([_colocated(i, drop["index"], ctx.decision.get("max_index_gap", 1))
                                 for i in null_idx[k]]))
    null["null_index"] = null_idx
    # diagnostic: is the change of X across the accuracy-collapse interval larger than its seed noise?
    j = drop["index"]
    jump_z, jump_other = {}, {}
    for k, v in ops.items():
        se = np.nanstd(v, 0, ddof=1) / np.sqrt(v.shape[0])
        dx = np.abs(np.diff(np.nanmean(v, 0)))
        den = np.sqrt(se[:-1] ** 2 + se[1:] ** 2)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(den > 0, dx / den, np.where(dx == 0, 0.0, np.inf))
        jump_z[k] = float(z[j])
        jump_other[k] = float(np.max(np.delete(z, j)))
    null["jump_z_max_other"] = jump_other
    null["jump_z_at_s_acc"] = jump_z
    cusp = {k: {"argmin_s": float(s[int(np.nanargmin(np.nanmean(v, 0)))]),
                "argmax_s": float(s[int(np.nanargmax(np.nanmean(v, 0)))])} for k, v in ops.items()}
    return drop, idx, col, cusp, null


BOOT = 1000     # seed-bootstrap resamples for the location intervals


def _first_violation(viol_rows) -> int:
    v = np.asarray(viol_rows, float).mean(0)
    return int(np.flatnonzero(v >= 0.5)[0]) if np.any(v >= 0.5) else -1


def _boot_locations(ctx, s, acc, ops, viol=None, keys=None):
    """Seed bootstrap (resample seeds with replacement, BOOT times) of the grid indices of s*_acc, of s*_X for
    each order parameter and of the first Ramanujan violation (``viol``: seeds x grid booleans)."""
    rng = np.random.default_rng(ctx.seed_for("bootstrap"))
    n = acc.shape[0]
    keys = list(ops) if keys is None else keys
    out = {"acc": [], "ram": [], **{k: [] for k in keys}}
    for _ in range(BOOT):
        i = rng.integers(0, n, n)
        out["acc"].append(O.steepest_drop(s, acc[i].mean(0))["index"])
        for k in keys:
            with np.errstate(all="ignore"):
                out[k].append(O.steepest_change(s, np.nanmean(ops[k][i], 0))["index"])
        if viol is not None:
            out["ram"].append(_first_violation(viol[i]))
    return {k: np.array(v) for k, v in out.items()}


def _pct(x) -> list[float]:
    x = np.asarray(x, float)
    if x.size == 0 or not np.all(np.isfinite(x)):
        return [float("nan"), float("nan")]
    return [float(np.percentile(x, 2.5)), float(np.percentile(x, 97.5))]


def design_grid(dx: float) -> list[float]:
    """The A-C9 / A-C12 design (declared in docs/papers/lyapunov.md, 'A design that can decide co-location'):
    the plateau points s = 0, 0.3, 0.5, 0.7, 0.8 and a grid uniform in x = ln(1/(1 - s)) from 2.0 to 5.0 with step
    dx (s = 0.865 ... 0.993)."""
    xs = np.arange(2.0, 5.0 + 1e-9, dx)
    return [0.0, 0.3, 0.5, 0.7, 0.8] + [round(float(-np.expm1(-x)), 6) for x in xs]


def _run_design(ctx):
    d = ctx.decision
    grid = design_grid(ctx.pick(*d["grid_dx"]))
    cfgs = [dict(c, p=d["p"], burn_in=d["window"][0], T=d["window"][1])
            for c in _configs(ctx, seeds=ctx.pick(*d["seeds"]), grid=grid)]
    out = ctx.sweep(digits_cell, cfgs)
    return out, *_table(out)


def _design_locations(ctx, s, acc, ops, keys, vrows=None) -> dict:
    """Seed bootstrap (BOOT resamples) of the logistic-step locations c (in x) of the accuracy and of each order
    parameter's seed-mean curve, their amplitudes b, and of the static point x_Ram (first grid point where at least
    half of the resampled seeds violate the Ramanujan-type bound)."""
    x = -np.log1p(-s)
    rng = np.random.default_rng(ctx.seed_for("design-bootstrap"))
    n = acc.shape[0]
    idx = rng.integers(0, n, (BOOT, n))
    out = {"x": x, "acc": TR.logistic_step_fit(x, acc[idx].mean(1))["c"],
           "acc_point": float(TR.logistic_step_fit(x, acc.mean(0))["c"][0])}
    for k in keys:
        v = ops[k]
        if not np.all(np.isfinite(v)) or np.nanstd(v) == 0:      # e.g. h_KS = 0 at every s: no location
            out[k] = out[k + "_b"] = np.full(BOOT, np.nan)
            out[k + "_point"] = float("nan")
            continue
        with np.errstate(all="ignore"):
            f = TR.logistic_step_fit(x, v[idx].mean(1))
        out[k], out[k + "_b"] = f["c"], f["b"]
        out[k + "_point"] = float(TR.logistic_step_fit(x, v.mean(0))["c"][0])
    if vrows is not None:
        firsts = np.array([_first_violation(vrows[i]) for i in idx])
        out["ram"] = np.where(firsts >= 0, x[np.maximum(firsts, 0)], np.nan)
        f0 = _first_violation(vrows)
        out["ram_point"] = float(x[f0]) if f0 >= 0 else float("nan")
    return out


def _amp_ci(b, m: int, alpha: float) -> list[float]:
    """Bonferroni (m order parameters) two-sided percentile interval of a bootstrap amplitude."""
    b = np.asarray(b, float)
    if not np.all(np.isfinite(b)):
        return [float("nan"), float("nan")]
    q = 100 * alpha / (2 * m)
    return [float(np.percentile(b, q)), float(np.percentile(b, 100 - q))]


@experiment("lyapunov.colocation")
def colocation(ctx) -> Evidence:
    """A-C9 on the declared design: logistic-step locations in x of accuracy and of each order parameter, their
    seed-bootstrap gap and amplitude intervals.  The spec's grid-index statistics on the same runs are kept
    (``legacy_*``) for the before/after comparison of the revision."""
    d = ctx.decision
    runs, s, acc, ops = _run_design(ctx)
    if ctx.reading in ("se2_c", "se3"):   # which spectral entropy is "the" entropy order parameter (spec §6)
        ops = {**ops, "se1": ops["se2_C" if ctx.reading == "se2_c" else "se3"]}
    keys = d["order_parameters"]
    loc = _design_locations(ctx, s, acc, ops, keys)
    gap_x_ci = {k: (_pct(loc[k] - loc["acc"]) if np.all(np.isfinite(loc[k])) else [float("nan")] * 2) for k in keys}
    amp_ci = {k: _amp_ci(loc[k + "_b"], len(keys), d["alpha"]) for k in keys}
    per_seed_drop = acc[:, 0] - acc.min(1)
    ci_drop = stats.mean_ci(per_seed_drop, 0.95)
    # the earlier design's statistics (grid-index gap, noise-only co-location rate) on the same runs
    drop, idx, col, cusp, null = _locate(s, acc, ops, ctx)
    boot = _boot_locations(ctx, s, acc, ops, keys=keys)
    legacy_gap = {k: (_pct((boot[k] - boot["acc"])) if np.all(boot[k] >= 0) else [float("nan")] * 2) for k in keys}
    am = acc.mean(0)
    x = loc["x"]
    m = {"seeds": len(runs), "grid": s.tolist(), "x_grid": x.tolist(), "reading": ctx.reading, "bootstrap": BOOT,
         "acc_drop_ci": [ci_drop["ci_low"], ci_drop["ci_high"]], "c_acc": loc["acc_point"],
         "s_acc": float(-np.expm1(-loc["acc_point"])), "c_acc_ci": _pct(loc["acc"]),
         "c_x": {k: loc[k + "_point"] for k in keys}, "gap_x_ci": gap_x_ci, "amp_ci": amp_ci,
         "legacy": {"acc_drop_ci": [ci_drop["ci_low"], ci_drop["ci_high"]], "s_acc_interval": drop["interval"],
                    "gap_ci": legacy_gap,
                    "null_colocation_rate": {k: v for k, v in null.items() if not k.startswith(("jump", "null"))}},
         "cusp": cusp, "acc_mean": am.tolist(), "op_means": {k: np.nanmean(v, 0).tolist() for k, v in ops.items()}}
    vl = [{"x": loc["acc_point"], "label": "c_acc"}]
    pl = [plots.line("colocation-acc", "digits: test accuracy vs x = ln(1/(1-s))", "x = ln(1/(1-s))", "accuracy",
                     [plots.series("acc", x, am, yerr=acc.std(0, ddof=1).tolist())], vlines=vl)]
    for k, v in ops.items():
        c = loc.get(k + "_point", float("nan"))
        pl.append(plots.line(f"colocation-{k.replace('_', '-').lower()}", f"digits: {k} vs x = ln(1/(1-s))",
                             "x = ln(1/(1-s))", k, [plots.series(k, x, np.nanmean(v, 0),
                                                                  yerr=np.nanstd(v, 0, ddof=1).tolist())],
                             vlines=vl + ([{"x": c, "label": f"c_{k}"}] if np.isfinite(c) else [])))
    cells = [{"seed": r["seed"], "acc": [q["acc"] for q in r["rows"]], "k": [q["k"] for q in r["rows"]]} for r in runs]
    return Evidence(m, cells=cells, plots=pl)


@experiment("lyapunov.direction")
def direction(ctx) -> Evidence:
    runs, s, acc, ops = _run(ctx)
    drop = O.steepest_drop(s, acc.mean(0))
    j = drop["index"]
    lam, nn = ops["lambda_max"], ops["n_near_neutral"]
    before, after = slice(0, j + 1), slice(j + 1, None)
    d_lam = lam[:, after].mean(1) - lam[:, before].mean(1)
    d_nn = nn[:, after].mean(1) - nn[:, before].mean(1)
    ci = stats.mean_ci(lam[:, after].mean(1), ctx.decision["level"])
    chi = ops["chi_lambda"]       # X8, reported alongside (growing FTLE fluctuations past the collapse?)
    d_chi = chi[:, after].mean(1) - chi[:, before].mean(1)
    ci_chi = stats.mean_ci(d_chi, ctx.decision["level"])
    m = {"d_lambda_max": float(d_lam.mean()), "d_near_neutral": float(d_nn.mean()),
         "d_chi_lambda": float(d_chi.mean()), "d_chi_lambda_ci": [ci_chi["ci_low"], ci_chi["ci_high"]],
         "chi_lambda_before": float(chi[:, before].mean()), "chi_lambda_after": float(chi[:, after].mean()),
         "sign_d_chi_lambda": int(np.sign(d_chi.mean())),
         "sign_d_lambda_max": int(np.sign(d_lam.mean())), "sign_d_near_neutral": int(np.sign(d_nn.mean())),
         "lambda_max_after_ci": [ci["ci_low"], ci["ci_high"]], "lambda_max_after_mean": ci["mean"],
         "s_acc_interval": drop["interval"], "p": int(runs[0]["rows"][0]["p"])}
    nseed = lam.shape[0]
    sd = (lam.std(0, ddof=1) if nseed > 1 else np.zeros(lam.shape[1])).tolist()
    after_s = [float(s[j + 1]), float(s[-1])] if j + 1 < len(s) else [float(s[-1])] * 2
    pl = [plots.line("direction-lambda-max", f"digits: lambda_max vs sparsity ({nseed} seeds, mean +- seed SD); "
                     "past the collapse the claim predicts lambda_max <= 0", "sparsity s", "lambda_max (per step)",
                     [plots.series("lambda_max (seed mean)", s, lam.mean(0), yerr=sd)],
                     bands=[{"x": after_s, "low": [ci["ci_low"]] * 2, "high": [ci["ci_high"]] * 2,
                             "label": f"mean past the collapse ({ctx.decision['level']:.0%} t interval)"}],
                     hlines=[{"y": 0.0, "label": "predicted bound lambda_max <= 0"}],
                     vlines=[{"x": float(v), "label": f"steepest accuracy drop {a}"}
                             for v, a in zip(drop["interval"], ("from", "to"))]),
          plots.line("direction-near-neutral", "digits: near-neutral exponents (X9) and accuracy vs sparsity",
                     "sparsity s", "count / accuracy",
                     [plots.series("n_near_neutral (seed mean +- SD)", s, nn.mean(0),
                                   yerr=(nn.std(0, ddof=1) if nseed > 1 else np.zeros(nn.shape[1])).tolist()),
                      plots.series("test accuracy (seed mean)", s, acc.mean(0), style="s--")],
                     vlines=[{"x": float(v), "label": f"steepest accuracy drop {a}"}
                             for v, a in zip(drop["interval"], ("from", "to"))])]
    return Evidence(m, cells=[{"seed": r["seed"]} for r in runs], plots=pl)


def _grid_distance_point(i: int, j: int) -> int:
    """Grid steps between grid point i and interval [j, j+1] (0 if i is an end point)."""
    if i < 0:
        return -1
    return 0 if i in (j, j + 1) else min(abs(i - j), abs(i - j - 1))


@experiment("lyapunov.static_vs_dynamic")
def static_vs_dynamic(ctx) -> Evidence:
    """A-C12 on the declared design: the seed-bootstrap interval of |c_X - c_acc| - |x_Ram - c_acc| (in x) for each
    dynamic signal, with its amplitude interval; the earlier grid-index statistics kept as ``legacy``."""
    d = ctx.decision
    runs, s, acc, ops = _run_design(ctx)
    vrows = np.array([[r["ramanujan_violated"] for r in run["rows"]] for run in runs])
    if ctx.reading == "any_seed":     # the static point is the first s where any seed violates the bound
        vrows = vrows.any(0, keepdims=True)
    dyn = d["dynamic"]
    loc = _design_locations(ctx, s, acc, ops, dyn, vrows=vrows if ctx.reading != "any_seed" else None)
    x = loc["x"]
    if ctx.reading == "any_seed":
        f0 = _first_violation(vrows)
        loc["ram"] = np.full(BOOT, x[f0] if f0 >= 0 else np.nan)
        loc["ram_point"] = float(x[f0]) if f0 >= 0 else float("nan")
    diff = {k: np.abs(loc[k] - loc["acc"]) - np.abs(loc["ram"] - loc["acc"]) for k in dyn}
    diff_ci = {k: (_pct(v) if np.all(np.isfinite(v)) else [float("nan")] * 2) for k, v in diff.items()}
    amp_ci = {k: _amp_ci(loc[k + "_b"], len(dyn), d["alpha"]) for k in dyn}
    # the earlier design's statistics on the same runs
    drop, idx, col, cusp, null = _locate(s, acc, ops, ctx)
    first = _first_violation(vrows)
    d_static = _grid_distance_point(first, drop["index"])
    boot = _boot_locations(ctx, s, acc, ops, viol=None if ctx.reading == "any_seed" else vrows, keys=dyn)
    ram_b = boot["ram"] if ctx.reading != "any_seed" else np.full(BOOT, first)
    d_ram_b = np.array([_grid_distance_point(r, a) for r, a in zip(ram_b, boot["acc"])])
    legacy_diff = {}
    for k in dyn:
        ok = (boot[k] >= 0) & (d_ram_b >= 0)
        legacy_diff[k] = _pct(np.abs(boot[k] - boot["acc"]) - d_ram_b) if ok.all() else [float("nan")] * 2
    beat = {k: (float(np.mean(np.abs(null["null_index"][k] - drop["index"]) < d_static))
                if k in null["null_index"] and d_static >= 0 else float("nan")) for k in dyn}
    m = {"seeds": len(runs), "grid": s.tolist(), "reading": ctx.reading, "bootstrap": BOOT,
         "c_acc": loc["acc_point"], "x_ram": loc["ram_point"],
         "s_ram": float(-np.expm1(-loc["ram_point"])) if np.isfinite(loc["ram_point"]) else None,
         "c_x": {k: loc[k + "_point"] for k in dyn}, "dist_diff_x_ci": diff_ci, "amp_ci": amp_ci,
         "violation_fraction": vrows.mean(0).tolist(),
         "legacy": {"dist_static": d_static, "dist_diff_ci": legacy_diff, "null_rate_dynamic": beat}}
    s2 = np.array([[[g["sigma2"] for g in r["graph"]] for r in run["rows"]] for run in runs]).mean(0)
    bd = np.array([[[g["bound"] if g["bound"] is not None else np.nan for g in r["graph"]] for r in run["rows"]]
                   for run in runs], dtype=float).mean(0)
    pl = [plots.line("ramanujan", "mask graphs: sigma_2 and the Ramanujan-type bound per layer", "x = ln(1/(1-s))",
                     "value", [plots.series(f"sigma2 L{l}", x, s2[:, l]) for l in range(s2.shape[1])]
                     + [plots.series(f"bound L{l}", x, bd[:, l], style="--") for l in range(bd.shape[1])],
                     vlines=[{"x": loc["acc_point"], "label": "c_acc"}])]
    return Evidence(m, plots=pl)


def _window_and_slope(x, acc) -> tuple[float, float]:
    """Transition window (the x-range where the running-minimum accuracy falls from 90% to 10% of the way from
    the plateau acc[0] to the floor min(acc), linear interpolation in x) and the maximal interval slope -dAcc/dx."""
    run = np.minimum.accumulate(acc)
    plateau, floor = acc[0], acc.min()
    cross = [float(np.interp(-(plateau - f * (plateau - floor)), -run, x)) for f in (0.1, 0.9)]
    return max(cross[1] - cross[0], 1e-6), float(-O.interval_slopes(x, acc).min())


@experiment("lyapunov.finite_size")
def finite_size(ctx) -> Evidence:
    """A-C11 in the natural coordinate x = ln(1/(1 - s)) (log inverse remaining density; a rescaling of 1 - s by
    its collapse value is a shift in x and leaves windows and slopes unchanged), on the spec grid extended to
    s = 0.997 so that the widest net reaches its floor.  One point per (width, seed) in the log-log fits
    (declared; reading ``seed_mean`` fits the seed means instead).  The s-coordinate statistics of the earlier
    design are kept (``*_s`` keys) for the before/after comparison."""
    d = ctx.decision
    widths = d["widths"]
    grid = list(SPARSITY_GRID) + list(d["grid_extra"])
    s = np.array(grid)
    x = -np.log1p(-s)
    old = SPARSITY_GRID.__len__()
    pts = {"w": [], "win_x": [], "slope_x": [], "win_s": [], "slope_s": []}
    curves, s_mid, x_mid = [], [], []
    for w in widths:
        runs = ctx.sweep(digits_cell, _configs(ctx, width=w, lyap=False, seeds=ctx.pick(2, 5), grid=grid),
                         label=f"w{w}")
        accs = np.array([[r["acc"] for r in run["rows"]] for run in runs])
        for acc in accs:
            wx, sx = _window_and_slope(x, acc)
            ws_, ss_ = _window_and_slope(s[:old], acc[:old])     # the earlier design: s coordinate, spec grid
            for k, v in (("w", w), ("win_x", wx), ("slope_x", sx), ("win_s", ws_), ("slope_s", ss_)):
                pts[k].append(v)
        drop = O.steepest_drop(x, accs.mean(0))
        x_mid.append(drop["mid"])
        s_mid.append(float(1 - np.exp(-drop["mid"])))
        curves.append(plots.series(f"w={w}", x, accs.mean(0)))
    W = np.array(pts["w"])
    if ctx.reading == "seed_mean":
        agg = {k: [float(np.mean(np.array(pts[k])[W == w])) for w in widths] for k in pts if k != "w"}
        fw_w = list(widths)
    else:
        agg, fw_w = {k: pts[k] for k in pts if k != "w"}, pts["w"]
    fits = {k: stats.loglog_fit(fw_w, agg[k], d["level"]) for k in agg}
    m = {"slope_fit": fits["slope_x"].slope, "slope_fit_ci": [fits["slope_x"].ci_low, fits["slope_x"].ci_high],
         "window_fit": fits["win_x"].slope, "window_fit_ci": [fits["win_x"].ci_low, fits["win_x"].ci_high],
         "slope_fit_s": fits["slope_s"].slope, "slope_fit_ci_s": [fits["slope_s"].ci_low, fits["slope_s"].ci_high],
         "window_fit_s": fits["win_s"].slope, "window_fit_ci_s": [fits["win_s"].ci_low, fits["win_s"].ci_high],
         "max_slope_x": pts["slope_x"], "window_x": pts["win_x"], "max_slope_s": pts["slope_s"],
         "window_s": pts["win_s"], "widths": widths, "point_widths": pts["w"], "s_acc_mid_by_width": s_mid,
         "x_acc_mid_by_width": x_mid, "grid": grid, "coordinate": "x = ln(1/(1 - s))", "reading": ctx.reading,
         "mean_window_x_by_width": [float(np.mean(np.array(pts["win_x"])[W == w])) for w in widths],
         "mean_slope_x_by_width": [float(np.mean(np.array(pts["slope_x"])[W == w])) for w in widths]}
    fs, fw = fits["slope_x"], fits["win_x"]
    pl = [plots.line("fss-accuracy", "accuracy vs x = ln(1/(1-s)) at hidden widths 16-128", "x = ln(1/(1-s))",
                     "accuracy", curves),
          plots.loglog_fit("fss-slope", "max accuracy slope -dAcc/dx vs width", "width", "max -dAcc/dx",
                           [plots.series("max slope (per seed)", pts["w"], pts["slope_x"], style="o")],
                           [{"label": "log-log fit (predicted: slope > 0)", "slope": fs.slope, "intercept": fs.intercept,
                             "x": widths, "ci_low": fs.ci_low, "ci_high": fs.ci_high}]),
          plots.loglog_fit("fss-window", "transition window (90% -> 10%) in x vs width", "width", "window in x",
                           [plots.series("window (per seed)", pts["w"], pts["win_x"], style="o")],
                           [{"label": "log-log fit (predicted: slope < 0)", "slope": fw.slope, "intercept": fw.intercept,
                             "x": widths, "ci_low": fw.ci_low, "ci_high": fw.ci_high}])]
    return Evidence(m, plots=pl)
