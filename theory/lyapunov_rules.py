"""Verdict rules of the Lyapunov claims (pure functions of metrics, prediction, decision constants)."""
from __future__ import annotations

from theory.registry import Verdict


def _all_checks(m, label: str) -> Verdict:
    failed = [k for k, v in m["checks"].items() if not v]
    if failed:
        return Verdict("refuted", f"{label}: failed {failed}")
    return Verdict("supported", f"{label}: all {len(m['checks'])} criteria met")


def checks(m, pred, dec) -> Verdict:
    """Estimator / theorem-level claims: every listed criterion must hold."""
    return _all_checks(m, dec.get("label", "criteria"))


def colocation(m, pred, dec) -> Verdict:
    """A-C9: supported if at least one of lambda_max, SE1, h_KS changes within one grid step of s*_acc."""
    if not m["acc_drop_significant"]:
        return Verdict("inconclusive", f"no accuracy collapse on the grid (drop {m['acc_drop']:.3f} < "
                                       f"{dec['min_acc_drop']})")
    hits = [x for x in dec["order_parameters"] if m["colocated"][x]]
    detail = ", ".join(f"{x}: interval {m['index'][x]} vs acc {m['index']['acc']} (null rate "
                       f"{m['null_colocation_rate'][x]:.2f})" for x in dec["order_parameters"])
    real = [x for x in hits if m["null_colocation_rate"][x] <= dec["max_null_rate"]]
    if real:
        return Verdict("supported", f"co-located beyond the noise-only control: {real} ({detail})")
    if hits:
        return Verdict("inconclusive", f"co-located {hits} but a noise-only order parameter co-locates as often "
                                       f"(> {dec['max_null_rate']}) on this grid ({detail})")
    return Verdict("refuted", f"no order parameter within {dec['max_index_gap']} grid step of s*_acc ({detail})")


def direction(m, pred, dec) -> Verdict:
    """A-C10: past s*_acc lambda_max stays <= 0 (no instability; P2) -- refuted if its CI lies above 0."""
    lo, hi = m["lambda_max_after_ci"]
    tail = f"lambda_max after collapse CI [{lo:.2e}, {hi:.2e}], d(lambda_max) {m['d_lambda_max']:.2e}, " \
           f"d(X9) {m['d_near_neutral']:.2f}"
    if "d_chi_lambda" in m:
        c_lo, c_hi = m["d_chi_lambda_ci"]
        tail += f", d(chi_lambda) {m['d_chi_lambda']:.2e} CI [{c_lo:.2e}, {c_hi:.2e}] (reported, not decisive)"
    if lo > 0:
        return Verdict("refuted", "instability past the collapse: " + tail)
    if hi < 0:
        return Verdict("supported", "no instability, contraction only weakens or persists: " + tail)
    return Verdict("inconclusive", "CI straddles 0: " + tail)


def finite_size(m, pred, dec) -> Verdict:
    """A-C11: genuine transition iff max slope grows with w AND the transition window shrinks (log-log CIs)."""
    s_lo, s_hi = m["slope_fit_ci"]
    w_lo, w_hi = m["window_fit_ci"]
    tail = f"max-slope exponent {m['slope_fit']:.3f} [{s_lo:.3f}, {s_hi:.3f}], window exponent " \
           f"{m['window_fit']:.3f} [{w_lo:.3f}, {w_hi:.3f}]"
    if s_lo > 0 and w_hi < 0:
        return Verdict("supported", "sharpening with width (transition): " + tail)
    if s_lo <= 0 <= s_hi and w_lo <= 0 <= w_hi:
        return Verdict("refuted", "slope flat in w: crossover, not a phase transition: " + tail)
    if s_hi < 0:
        return Verdict("refuted", "slope decreasing in w (crossover): " + tail)
    return Verdict("inconclusive", tail)


def static_vs_dynamic(m, pred, dec) -> Verdict:
    """A-C12: the paper's stance predicts |s*_lambda - s*_acc| < |s*_Ram - s*_acc| (grid steps), for some dynamic
    signal in ``dec['dynamic']`` whose location is beyond the noise-only control (null rate <= max_null_rate)."""
    dr = m["dist_static"]
    dl, nr = m["dist_dynamic"], m["null_rate_dynamic"]
    tail = ", ".join(f"{k} {dl[k]} steps (null rate {nr[k]:.2f})" for k in dec["dynamic"]) + \
        f"; static (Ramanujan) {dr} steps from s*_acc"
    valid = [k for k in dec["dynamic"] if dl[k] >= 0]
    if dr < 0 or not valid:
        return Verdict("inconclusive", "a signal is missing: " + tail)
    closer = [k for k in valid if dl[k] < dr]
    real = [k for k in closer if nr[k] <= dec["max_null_rate"]]
    if real:
        return Verdict("supported", f"dynamic {real} closer than static beyond the noise control: " + tail)
    if closer:
        return Verdict("inconclusive", f"dynamic {closer} closer, but a noise-only signal lands as close in more "
                                       f"than {dec['max_null_rate']} of simulations: " + tail)
    if all(dl[k] > dr for k in valid):
        return Verdict("refuted", tail)
    return Verdict("inconclusive", "tie: " + tail)


def invariance(m, pred, dec) -> Verdict:
    """A-C5: frame, noise and momentum-convention invariance within 3 combined SE."""
    failed = [k for k in ("frame", "noise", "momentum") if m[f"{k}_max_z"] > dec["max_z"]]
    tail = ", ".join(f"{k} max z {m[f'{k}_max_z']:.2f}" for k in ("frame", "noise", "momentum"))
    if failed:
        return Verdict("refuted", f"not invariant: {failed} ({tail})")
    return Verdict("supported", tail)


def small_step_mlp(m, pred, dec) -> Verdict:
    """A-C7 secondary: SE1 of the QR exponents within rel_tol of the Hessian-spectrum entropy (every replicate)."""
    rel = [abs(r) for r in m["rel_qr_vs_hessian"]]
    tail = f"|SE1_QR / SE1_Hessian - 1| = {[round(r, 4) for r in rel]} (tol {dec['rel_tol']}); small-step part " \
           f"(exact exponents vs Hessian) {[round(abs(r), 4) for r in m['rel_exact_vs_hessian']]}"
    if all(r <= dec["rel_tol"] for r in rel):
        return Verdict("supported", tail)
    if all(r > dec["rel_tol"] for r in rel):
        return Verdict("refuted", tail)
    return Verdict("inconclusive", "replicates disagree: " + tail)


def finite_n_crossing(m, pred, dec) -> Verdict:
    """Optional A-C8: the crossing f* (above 1 on average) decreases with N (slope of f* vs ln N: CI below 0)."""
    means = ", ".join(f"N={k}: {v:.4f}" for k, v in m["mean_crossing"].items())
    if not m["all_found"]:
        return Verdict("inconclusive", f"a replicate has no sign change on the grid ({means})")
    lo, hi = m["crossing_slope_ci"]
    tail = f"mean f* {means}; df*/dlnN = {m['crossing_slope_lnN']:.3f}, CI [{lo:.3f}, {hi:.3f}]"
    if hi < 0 and m["mean_crossing_above_one"]:
        return Verdict("supported", "crossing moves down toward f = 1: " + tail)
    if lo > 0:
        return Verdict("refuted", "crossing moves away from f = 1: " + tail)
    return Verdict("inconclusive", tail)
