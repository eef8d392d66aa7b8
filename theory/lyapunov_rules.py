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


def colocation(m, pred, dec) -> Verdict:
    """A-C9: for each order parameter, the seed-bootstrap interval of index(s*_X) - index(s*_acc) (grid steps)
    against [-gap, gap]; a supported co-location also needs its noise-only control (an s-independent order
    parameter with the measured seed noise) to co-locate less often than α under Holm over the parameters."""
    if m["acc_drop_ci"][0] < dec["min_acc_drop"]:
        return D.with_note(D.at_least(m["acc_drop_ci"], dec["min_acc_drop"], "accuracy drop plateau -> floor"),
                           "no accuracy collapse on the grid: co-location is undefined")
    g = dec["max_index_gap"]
    mem = {x: D.interval(m["gap_ci"][x], (-g, g), f"index gap of s*_{x} to s*_acc (seed bootstrap)")
           for x in dec["order_parameters"]}
    mem = _noise_controlled(mem, m["null_colocation_rate"], dec["alpha"], "co-location not beyond noise")
    return _any_member(mem, f"co-location with s*_acc = {m['s_acc_interval']}")


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
    """A-C12: for each dynamic signal, the seed-bootstrap interval of (grid steps of s*_X to s*_acc) - (grid steps
    of the Ramanujan point s*_Ram to s*_acc) must lie at or below -1 (strictly closer); a supported member also
    needs its noise-only control (a noise-only signal lands strictly closer than the static point) below α under
    Holm."""
    if m["dist_static"] < 0:
        return Verdict("inconclusive", "the Ramanujan bound is never violated on the grid: no static point")
    mem = {k: D.at_most(m["dist_diff_ci"][k], -1.0, f"steps(s*_{k}) - steps(s*_Ram) (seed bootstrap)")
           for k in dec["dynamic"]}
    mem = _noise_controlled(mem, m["null_rate_dynamic"], dec["alpha"], "closer, but not beyond noise")
    return _any_member(mem, f"static point {m['dist_static']} steps from s*_acc")


def invariance(m, pred, dec) -> Verdict:
    """A-C5 (validation): frame, noise and momentum-convention invariance within max_z combined SE (spec)."""
    return D.all_hold({f"{k}: max z {m[f'{k}_max_z']:.2f} <= {dec['max_z']}": m[f"{k}_max_z"] <= dec["max_z"]
                       for k in ("frame", "noise", "momentum")}, "invariance")


def small_step_mlp(m, pred, dec) -> Verdict:
    """A-C7 secondary: the replicate t-interval of SE1_QR / SE1_Hessian - 1 within +-rel_tol."""
    rel = [float(r) for r in m["rel_qr_vs_hessian"]]
    ci = D.mean_interval(rel) if len(rel) >= 2 else (math.nan, math.nan)
    return D.with_note(D.within(ci, 0.0, dec["rel_tol"], f"SE1_QR/SE1_Hessian - 1 over {len(rel)} replicate(s)"),
                       f"values {[round(r, 4) for r in rel]}")


def finite_n_crossing(m, pred, dec) -> Verdict:
    """Optional A-C8: the crossing f* moves down with N (slope of f* against ln N: interval below 0) and stays
    above the mean-field f = 1 at the largest N (replicate interval above 1)."""
    if not m["all_found"]:
        return Verdict("inconclusive", "a replicate has no sign change on the grid")
    return D.family({"moves down": D.at_most(m["crossing_slope_ci"], 0.0, "df*/d ln N"),
                     "above mean field": D.at_least(m["crossing_largest_n_ci"], 1.0, "f* at the largest N")},
                    "finite-N crossing")
