"""Verdict rules of the Lyapunov claims (pure functions of metrics, prediction, decision constants).

Every rule decides through :mod:`theory.decide`: validation checks through ``all_hold`` / ``exact`` (identities,
golden values with a tolerance fixed from the exact spread), the claims about the paper through interval
decisions on seed or replicate intervals (seed bootstrap of grid locations, Student-t intervals of replicate
means, log-log slope intervals), with the noise-only controls as Holm-adjusted Monte-Carlo p-values."""
from __future__ import annotations

import math

from theory import decide as D
from theory.registry import Verdict


def checks(m, pred, dec) -> Verdict:
    """Validation checks (identities, golden values, theorem-level properties): every criterion must hold."""
    return D.all_hold({k: bool(v) for k, v in m["checks"].items()}, dec.get("label", "criteria"))


def newman(m, pred, dec) -> Verdict:
    """A-C1 (validation): the golden-value tolerance (every exponent of every run within max(0.03, 4 sd_i/sqrt(T)),
    the convention shift exact) AND the bias test: the simultaneous interval of max_i |mean error_i| over R
    replicates, in units of one run's exact spread sd_i/sqrt(T), at most ``bias_margin``."""
    return D.family({"tolerance": checks(m, pred, dec),
                     "bias": D.at_most(m["bias_max_abs_ci"], dec["bias_margin"],
                                       f"max_i |bias_i| / (sd_i/sqrt(T)) over {m.get('bias_R', '?')} replicates "
                                       f"(simultaneous {int(dec['bias_level'] * 100)}%)")}, "Newman spectrum")


def _any_member(members: dict, what: str) -> Verdict:
    """'At least one of several tries' (spec A-C9 / A-C12): supported when one member is supported (members are
    already Holm-controlled for the family), refuted only when every member is refuted, else inconclusive."""
    vs = [v.verdict for v in members.values()]
    out = "supported" if "supported" in vs else ("refuted" if all(v == "refuted" for v in vs) else "inconclusive")
    return Verdict(out, f"{what}: " + "; ".join(f"{k}: {v.verdict} ({v.reason})" for k, v in members.items()))


def _noise_controlled(members: dict, pvals: dict, alpha: float, what: str) -> dict:
    """Downgrade a supported member whose noise-only control is not rejected under Holm over the family."""
    keys = list(members)
    rej = D.holm([min(max(float(pvals[k]), 0.0), 1.0) if math.isfinite(float(pvals[k])) else 1.0 for k in keys],
                 alpha)
    return {k: D.downgrade(members[k], members[k].verdict == "supported" and not r, f"{what} (noise-only control rate {float(pvals[k]):.3f} not "
                                              f"below α = {alpha} under Holm over {len(keys)} tries)")
            for k, r in zip(keys, rej)}


def _amplitude_guard(members: dict, m, dec) -> dict:
    """A supported member also needs its amplitude (Bonferroni bootstrap interval of the fitted step height) to
    exclude 0 -- the noise-only control of the design -- and at least ``min_seeds`` seeds (below, the bootstrap
    cannot hold the noise-only false support at 5%: 12% at 3 seeds in the power analysis)."""
    out = {}
    for k, v in members.items():
        noise = D.classify(m["amp_ci"][k], (0.0, 0.0)) != "outside"
        v = D.downgrade(v, v.verdict == "supported" and noise,
                        f"amplitude interval {D.fmt_interval(m['amp_ci'][k])} of {k} includes 0: not beyond noise")
        out[k] = D.downgrade(v, v.verdict == "supported" and m["seeds"] < dec["min_seeds"],
                             f"{m['seeds']} < {dec['min_seeds']} seeds: the design's noise control needs more")
    return out


def colocation(m, pred, dec) -> Verdict:
    """A-C9 (declared design): for each order parameter, the seed-bootstrap interval of c_X - c_acc (logistic-step
    locations in x = ln(1/(1 - s))) against [-max_gap_x, max_gap_x]; a supported member also needs its amplitude
    beyond noise and enough seeds.  At least one order parameter: supported if one is, refuted if all are."""
    if m["acc_drop_ci"][0] < dec["min_acc_drop"]:
        return D.with_note(D.at_least(m["acc_drop_ci"], dec["min_acc_drop"], "accuracy drop plateau -> floor"),
                           "no accuracy collapse on the grid: co-location is undefined")
    g = dec["max_gap_x"]
    mem = {x: D.interval(m["gap_x_ci"][x], (-g, g), f"c_{x} - c_acc in x (seed bootstrap)")
           for x in dec["order_parameters"]}
    return _any_member(_amplitude_guard(mem, m, dec), f"co-location with c_acc = {m['c_acc']:.3f}")


def direction(m, pred, dec) -> Verdict:
    """A-C10: past s*_acc lambda_max stays <= 0 (no instability).  Refuted only when the seed interval of lambda_max
    after the collapse lies entirely above 0 -- an instability that P2 attributes to the trajectory (negative
    curvature |1 - eta mu| > 1, or eta mu_max > 2), not to the masking operator."""
    v = D.at_most(m["lambda_max_after_ci"], 0.0, "lambda_max past the collapse (seed t-interval)")
    tail = f"d(lambda_max) {m['d_lambda_max']:.2e}, d(X9) {m['d_near_neutral']:.2f}"
    if "d_chi_lambda_ci" in m:
        tail += f", d(chi_lambda) CI {D.fmt_interval(m['d_chi_lambda_ci'])} (reported, not decisive)"
    return D.with_note(v, tail)


def finite_size(m, pred, dec) -> Verdict:
    """A-C11: a genuine transition sharpens with width: the log-log slope of the max accuracy slope against w lies
    above 0 AND that of the transition window lies below 0 (both intervals); refuted when either lies on the
    wrong side (a crossover)."""
    return D.family({"max slope grows": D.at_least(m["slope_fit_ci"], 0.0, "d ln(max slope)/d ln w"),
                     "window shrinks": D.at_most(m["window_fit_ci"], 0.0, "d ln(window)/d ln w")},
                    "finite-size scaling")


def static_vs_dynamic(m, pred, dec) -> Verdict:
    """A-C12 (declared design): for each dynamic signal, the seed-bootstrap interval of |c_X - c_acc| -
    |x_Ram - c_acc| (in x) must lie at or below 0 (closer than the static point); refuted when it lies above 0; a
    supported member also needs its amplitude beyond noise and enough seeds."""
    if not math.isfinite(float(m["x_ram"])):
        return Verdict("inconclusive", "the Ramanujan bound is never violated on the grid: no static point")
    mem = {k: D.at_most(m["dist_diff_x_ci"][k], 0.0, f"|c_{k} - c_acc| - |x_Ram - c_acc| (seed bootstrap)")
           for k in dec["dynamic"]}
    return _any_member(_amplitude_guard(mem, m, dec), f"static point x_Ram = {float(m['x_ram']):.3f}")


def invariance(m, pred, dec) -> Verdict:
    """A-C5 (validation): frame, noise and momentum-convention invariance within max_z combined SE (spec)."""
    return D.all_hold({f"{k}: max z {m[f'{k}_max_z']:.2f} <= {dec['max_z']}": m[f"{k}_max_z"] <= dec["max_z"]
                       for k in ("frame", "noise", "momentum")}, "invariance")


def small_step_mlp(m, pred, dec) -> Verdict:
    """A-C7 secondary on converged estimates: the replicate t-interval of SE1_QR / SE1_Hessian - 1 (at the first
    window meeting the convergence criterion) within +-rel_tol; inconclusive when a replicate did not converge."""
    rel = [float(r) for r in m["rel_qr_vs_hessian"]]
    conv = [bool(c) for c in m.get("converged", [True] * len(rel))]
    ci = D.mean_interval(rel) if len(rel) >= 2 else (math.nan, math.nan)
    v = D.within(ci, 0.0, dec["rel_tol"], f"SE1_QR/SE1_Hessian - 1 over {len(rel)} replicate(s)")
    v = D.downgrade(v, not all(conv), f"a replicate's estimate did not converge within the cap ({conv})")
    return D.with_note(v, f"values {[round(r, 4) for r in rel]}")


def finite_n_crossing(m, pred, dec) -> Verdict:
    """Optional A-C8: the crossing f* moves down with N (slope of f* against ln N: interval below 0) and stays
    above the mean-field f = 1 at the largest N (replicate interval above 1)."""
    if not m["all_found"]:
        return Verdict("inconclusive", "a replicate has no sign change on the grid")
    return D.family({"moves down": D.at_most(m["crossing_slope_ci"], 0.0, "df*/d ln N"),
                     "above mean field": D.at_least(m["crossing_largest_n_ci"], 1.0, "f* at the largest N")},
                    "finite-N crossing")
