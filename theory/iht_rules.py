"""Verdict rules of the IHT claims (pure functions of measured metrics, prediction and decision constants)."""
from __future__ import annotations

import math

from theory.registry import Verdict


def _v(ok: bool, reason: str, inconclusive: bool = False) -> Verdict:
    return Verdict("inconclusive" if inconclusive else ("supported" if ok else "refuted"), reason)


def all_true(keys):
    def rule(m, pred, dec):
        bad = [k for k in keys if not m[k]]
        return _v(not bad, f"failed: {bad}" if bad else f"all of {keys} hold")
    return rule


def reformulation(m, pred, dec):
    ok = m["max_err"] <= dec["tol"] and m["min_control_err"] > dec["control_min"]
    return _v(ok, f"max ‖Aw*-y‖/‖y‖ = {m['max_err']:.2e} (tol {dec['tol']}); control error "
                  f"{m['min_control_err']:.3f} (> {dec['control_min']} needed)")


def matrix_free(m, pred, dec):
    ok = m["max_rel"] <= dec["tol"] and m["max_adjoint"] <= dec["tol"]
    return _v(ok, f"max rel diff {m['max_rel']:.2e}, adjoint {m['max_adjoint']:.2e} (tol {dec['tol']})")


def streaming(m, pred, dec):
    ok = m["support_mismatches"] <= dec["support_mismatches_allowed"] and m["values_ok"] and m["buffer_bound_ok"]
    return _v(ok, f"support mismatches {m['support_mismatches']}, values equal {m['values_ok']}, "
                  f"buffer <= t + b d: {m['buffer_bound_ok']}")


def memory(m, pred, dec):
    lo, hi = dec["slope_range"]
    r_lo, r_hi = dec["traced_ratio_range"]
    ok = (lo <= m["persistent_slope_s"] <= hi and m["persistent_const_p"] and m["persistent_const_d"]
          and r_lo <= m["traced_ratio"] <= r_hi and m["measured_state_const_p"])
    return _v(ok, f"persistent slope vs s {m['persistent_slope_s']:.3f} in {dec['slope_range']}; constant in p/d "
                  f"{m['persistent_const_p']}/{m['persistent_const_d']}; traced peak ratio {m['traced_ratio']:.3f} "
                  f"in {dec['traced_ratio_range']}; measured iterate bytes {m['measured_state_bytes']} (level s̃/s = "
                  f"{m['level_over_s']})")


def throughput(m, pred, dec):
    ok = m["min_ratio"] >= dec["min_speedup"] and m["max_rel_err"] <= dec["tol"]
    return _v(ok, f"matrix-product / per-block loop speed-up {m['min_ratio']:.1f} (>= {dec['min_speedup']}); "
                  f"{m['min_ratio_including_patterns']:.1f} including the pattern product; agreement "
                  f"{m['max_rel_err']:.1e}")


def coverage(m, pred, dec):
    ok = m["min_frac_in_band"] >= dec["frac"] and m["min_coverage"] >= pred["coverage_lower_bound"]
    return _v(ok, f"fraction in 0.5±3/√n: {m['min_frac_in_band']:.3f} (>= {dec['frac']}); min coverage "
                  f"{m['min_coverage']:.4f} vs Hoeffding bound {pred['coverage_lower_bound']:.4f}")


def separation(m, pred, dec):
    t = dec["tol"]
    ok = (m["max_dev"] < t and m["min_pair"] >= pred["gamma_exact"] - t and m["antipodal"] == 1.0
          and abs(m["closest_pair"] - pred["gamma_exact"]) < t and m["gaussian_close"] < dec["gaussian_close_max"])
    return _v(ok, f"max |d_H/n - θ/π| = {m['max_dev']:.4f}; min pair {m['min_pair']:.3f} vs γ={pred['gamma_exact']:.3f};"
                  f" closest pair {m['closest_pair']:.3f}; antipodes {m['antipodal']}; near-parallel Gaussian "
                  f"{m['gaussian_close']:.4f}")


def rsc_measured(m, pred, dec):
    lo, hi = dec["sd_ratio_range"]
    ok = (m["lam_min"] > dec["lam_min_floor"] and m["lam_max"] < dec["lam_max_ceiling"]
          and lo <= m["sd_ratio"] <= hi and m["antipodal_lam4"] <= dec["null_tol"])
    return _v(ok, f"λ_min {m['lam_min']:.3f} (> {dec['lam_min_floor']}), λ_max {m['lam_max']:.2f} "
                  f"(< {dec['lam_max_ceiling']}), sd ratio {m['sd_ratio']:.2f} in {dec['sd_ratio_range']}; "
                  f"antipodal contrast λ₄ {m['antipodal_lam4']:.1e}")


def rsc_population(m, pred, dec):
    return _v(m["max_abs_dev"] <= dec["tol"], f"max |MC - formula| = {m['max_abs_dev']:.4f} (tol {dec['tol']})")


def overlap(m, pred, dec):
    lo, hi = dec["slope_ci_must_overlap"]
    ci = m["slope_ci"]
    ok = m["max_rel_dev"] <= dec["rel_tol"] and ci[0] <= hi and ci[1] >= lo
    return _v(ok, f"max rel dev from 1/2+(k-1)c̄: {m['max_rel_dev']:.3f} (tol {dec['rel_tol']}); log-log slope "
                  f"{m['slope_large_k']:.3f} CI {[round(c, 3) for c in ci]} (linear growth: 1)")


def phase_transition(m, pred, dec):
    r, w = m["rates"], m["wilson"]
    big_dips = [x for x in m["dips"] if x > dec["max_dip"]]
    point_ok = (r[-1] >= dec["min_success_large"] and r[0] <= dec["max_success_small"] and len(m["dips"]) <= 1
                and not big_dips)
    excluded = w[-1][1] < dec["min_success_large"] or w[0][0] > dec["max_success_small"]
    reason = (f"success {dict(zip(m['ns'], [round(x, 3) for x in r]))}; n50 = {m['n50']:.1f} CI "
              f"{[round(c, 1) for c in m['n50_ci']]}; dips {m['dips']}")
    if point_ok:
        return _v(True, reason)
    return _v(False, reason, inconclusive=not excluded and not big_dips)


def inflation(m, pred, dec):
    ok = m["mean_gap"] >= dec["min_gap"]
    excluded = m["gap_ci"][1] < dec["min_gap"]
    return _v(ok, f"mean success gap (2s - s) {m['mean_gap']:.3f} CI {[round(c, 3) for c in m['gap_ci']]} "
                  f"(>= {dec['min_gap']}); rates s {m['rate_s']}, 2s {m['rate_2s']}", inconclusive=not ok and not excluded)


def linear_rate(m, pred, dec):
    ok = m["niht_tail_ok_frac"] >= dec["min_tail_ok_frac"] and m["fixed_max_increase"] <= dec["monotone_floor"]
    fs = [s for s in m["fixed_slopes"] if not math.isnan(s)]
    return _v(ok, f"NIHT success {m['niht_success']:.2f}, tail-linear fraction {m['niht_tail_ok_frac']:.2f}; "
                  f"fixed-step max f increase {m['fixed_max_increase']:.1e}; fixed success {m['fixed_success']:.2f}"
                  f" slopes {[round(s, 4) for s in fs]}")


def n50_ratio(m, pred, dec):
    """Ratio of fitted n50 at the two ends of the grid against an allowed range; inconclusive when the
    bootstrap interval straddles a bound or a fit has no transition inside the grid."""
    lo, hi = dec["ratio_range"]
    r, ci = m["ratio"], m["ratio_ci"]
    reason = (f"n50 {m['n50']} (CIs {m['n50_ci']}); ratio {m['compared'][1]} / {m['compared'][0]} = {r:.2f} "
              f"CI {[round(c, 2) for c in ci]} (allowed {dec['ratio_range']})")
    if not all(math.isfinite(x) for x in [r, *ci]):
        return _v(False, reason + "; a fit has no transition inside the grid", inconclusive=True)
    if lo <= ci[0] and ci[1] <= hi:
        return _v(True, reason)
    if ci[1] < lo or ci[0] > hi:
        return _v(False, reason)
    return _v(lo <= r <= hi, reason + "; interval too wide to decide", inconclusive=True)


def duplicates(m, pred, dec):
    ok = m["success_rate"] < dec["max_success"] and m["fit_frac"] > dec["min_fit_frac"]
    return _v(ok, f"recovery rate {m['success_rate']:.2f} (< {dec['max_success']} expected), exact fit in "
                  f"{m['fit_frac']:.2f} of trials; median weight error {m['median_rel_err']:.2f}")


def antipodal(m, pred, dec):
    """The claim 'Assumption 2 implies RSC': refuted by an exact null vector while Assumption 2 holds."""
    cond = m["coverage_ok"] and m["angle_law_ok"] and m["separation_ok"]
    null = m["null_residual"] <= dec["null_tol"]
    reason = (f"4-sparse null vector residual {m['null_residual']:.1e} (tol {dec['null_tol']}) with coverage "
              f"{m['coverage_ok']}, angle law {m['angle_law_ok']}, separation {m['separation_ok']}; "
              f"hypothesis search found a counterexample: {m['search_found']} (size {m['search_min_size']})")
    if cond and null or m["search_found"]:
        return Verdict("refuted", reason)
    return Verdict("inconclusive", reason)


def twin(m, pred, dec):
    ok = (m["max_output_diff"] <= dec["tol"] and m["A_diff_norm"] <= dec["tol"] and m["weights_differ"]
          and m["min_hamming"] >= dec["min_hamming"])
    return _v(ok, f"max output diff {m['max_output_diff']:.1e}, ‖A(w_a-w_b)‖ = {m['A_diff_norm']:.1e}; min Hamming "
                  f"{m['min_hamming']:.4f}; coverage {m['coverage']}")


def scp_planted(m, pred, dec):
    p = m["mean_psnr"]
    ok = (p["10_10"] >= dec["min_psnr"] and p["10_50"] >= dec["min_psnr"] and p["10_200"] < p["10_10"]
          and m["max_model_identity"] <= dec["identity_tol"])
    return _v(ok, f"mean PSNR {p}; model identity {m['max_model_identity']:.1e}; fit-without-recovery cells "
                  f"{len(m['fit_without_recovery'])}")


def degeneracy(m, pred, dec):
    ref = dec["reference_p_pair"]
    dev = {k: abs(m["p_pair"][k] - v) for k, v in ref.items() if k in m["p_pair"]}
    ok = max(dev.values()) <= dec["tol"]
    return _v(ok, f"max |P(pair) - reference| = {max(dev.values()):.3f} (tol {dec['tol']}); P(pair) {m['p_pair']}")


def vs_imp(m, pred, dec):
    ok = m["cells_competitive"] >= dec["min_cells"] and m["max_storage_ratio"] < dec["max_storage_ratio"]
    return _v(ok, f"IHT >= IMP - 3 dB in {m['cells_competitive']}/{m['cells']} cells; storage ratio "
                  f"{m['max_storage_ratio']:.4f} (< {dec['max_storage_ratio']}); IHT {m['iht_psnr']}, IMP "
                  f"{m['imp_psnr']}, IMP well-trained {m['imp_well_trained_psnr']}")


def sign_restriction(m, pred, dec):
    ok = (m["zero_gen_ge_err"] <= dec["tol"] and m["zero_gen_gt_norm"] == 0 and m["neg_min_pred"] >= 0
          and m["alive_increase"] <= 0)
    return _v(ok, f"zero generator: >= gives X w (err {m['zero_gen_ge_err']:.1e}), > gives 0 "
                  f"({m['zero_gen_gt_norm']}); min prediction with a negative output {m['neg_min_pred']:.3g}; "
                  f"alive-block increase {m['alive_increase']}; PSNR neg {m['psnr_neg']} vs plus {m['psnr_plus']}")
