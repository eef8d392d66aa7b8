"""Graphon limits of PaI masks (Pham, Ta, Tran-Thanh 2026): convergence claims, spec checks 1-6, 19, 21.

Predictions come from theory/graphon.py; experiments are simulations/experiments/graphon_limits.py.
Decision constants are the spec's pass criteria (graphon_pai_and_ntk.md §9), fixed before running; the
maximum CI widths are set from the precision the criterion needs (a CI wider than the pass band cannot
decide it) and recorded in decision_notes.
"""
from __future__ import annotations

import math

from theory import graphon as G
from theory.registry import Verdict, declare

SRC = "spec graphon_pai_and_ntk.md"


def _homog_prediction() -> dict:
    ps = (0.1, 0.2, 0.5)
    return {"slope": G.PREDICTED_SLOPE,
            "upper_coef": {str(p): 2 * math.sqrt(p * (1 - p)) for p in ps},
            "lower_coef": {str(p): math.sqrt(p * (1 - p)) for p in ps},
            "limit": "W* = p (constant)", "reference_upper_ratio": [0.94, 1.02],
            "reference_lower_ratio": [0.57, 0.64]}


def _magnitude_prediction() -> dict:
    out = _homog_prediction()
    deep = G.magnitude_layer_densities(0.2, [256 * 128, 256 * 256, 128 * 256], [0.5, 1.0, 2.0])
    out.update({"tau_star": {str(p): G.magnitude_tau(p) for p in (0.1, 0.2, 0.5)},
                "deep": {"shapes": [[256, 128], [256, 256], [128, 256]], "sigmas": [0.5, 1.0, 2.0], "p": 0.2,
                         **deep}})
    return out


def _series_verdict(m, dec) -> Verdict:
    bad, wide = [], []
    for s in m["series"]:
        tag = f"{s['kind']} p={s['p']}"
        for key in ("upper", "lower"):
            lo, hi = s[f"{key}_slope_ci"]
            if hi - lo > dec["max_ci_width"]:
                wide.append(f"{tag} {key} CI width {hi - lo:.3f}")
            if not dec["slope_range"][0] <= s[f"{key}_slope"] <= dec["slope_range"][1]:
                bad.append(f"{tag} {key} slope {s[f'{key}_slope']:.3f}")
        for key, band in (("upper_ratio", dec["upper_ratio"]), ("lower_ratio", dec["lower_ratio"])):
            if not (band[0] <= s[f"{key}_min"] and s[f"{key}_max"] <= band[1]):
                bad.append(f"{tag} {key} in [{s[f'{key}_min']:.3f}, {s[f'{key}_max']:.3f}] not in {band}")
    if wide:
        return Verdict("inconclusive", "; ".join(wide))
    if bad:
        return Verdict("refuted", "; ".join(bad))
    sl = [s["upper_slope"] for s in m["series"]] + [s["lower_slope"] for s in m["series"]]
    return Verdict("supported", f"all {len(m['series'])} series: slopes in [{min(sl):.3f}, {max(sl):.3f}], "
                                f"ratio bands met")


def _rule_random(m, pred, dec):
    return _series_verdict(m, dec)


def _rule_magnitude(m, pred, dec):
    v = _series_verdict(m, dec)
    extra = []
    if m["row_tests_rejected_holm"] > 0:
        extra.append(f"{m['row_tests_rejected_holm']} row chi2/KS tests rejected homogeneity (Holm, alpha "
                     f"{dec['alpha']})")
    if not m["control_max_row_p"] < dec["control_p"]:
        extra.append(f"negative control not rejected: max row chi2 p {m['control_max_row_p']:.2e} "
                     f">= {dec['control_p']}")
    if m["deep_max_abs_z"] > dec["deep_max_z"]:
        extra.append(f"deep layer densities off prediction: max |z| {m['deep_max_abs_z']:.2f}")
    if v.verdict == "inconclusive":
        return v
    if extra or v.verdict == "refuted":
        return Verdict("refuted", "; ".join(([v.reason] if v.verdict == "refuted" else []) + extra))
    return Verdict("supported", v.reason + f"; no row test rejected (min p {m['min_row_p']:.3f}); control "
                                           f"rejected (max p {m['control_max_row_p']:.1e}); deep |z| <= "
                                           f"{m['deep_max_abs_z']:.2f}")


declare(
    id="graphon.random.constant",
    statement="Random masks (Bernoulli and exact-count) converge in cut norm to the constant graphon p at "
              "rate n^(-1/2), with spectral upper and alternating lower bounds at the predicted constants.",
    provenance="paper", status="supported", rule=_rule_random, prediction=_homog_prediction,
    decision={"slope_range": [-0.6, -0.4], "upper_ratio": [0.9, 1.1], "lower_ratio": [0.45, 0.75],
              "max_ci_width": 0.2},
    decision_notes="Spec §9 check 1 / §5.2: both log-log slopes in [-0.6, -0.4]; upper*sqrt(n)/(2 sqrt(p(1-p))) "
                   "in [0.9, 1.1]; lower*sqrt(n)/sqrt(p(1-p)) in [0.45, 0.75]. A slope CI wider than the 0.2 "
                   "band cannot place the slope inside it -> inconclusive.",
    tags=("convergence", "random", "homogeneous"), source=f"{SRC} §9 check 1, §5.2; paper C1, C2")

declare(
    id="graphon.magnitude.constant",
    statement="Magnitude masks (global top-K of |W|, W iid Gaussian) converge to the constant graphon p: cut "
              "norm at rate n^(-1/2), row degrees binomial, while a row-dependent init scale breaks homogeneity.",
    provenance="paper", status="supported", rule=_rule_magnitude, prediction=_magnitude_prediction,
    decision={"slope_range": [-0.6, -0.4], "upper_ratio": [0.9, 1.1], "lower_ratio": [0.45, 0.75],
              "max_ci_width": 0.2, "alpha": 0.01, "control_p": 1e-6, "deep_max_z": 4.0},
    decision_notes="Spec §9 check 2: criteria of check 1, row degrees vs Bin(d, p) by chi2 and KS not rejected at "
                   "alpha = 0.01 (Holm over every width x seed x test), negative control (half rows sigma 0.5, "
                   "half 2) rejected with row chi2 p < 1e-6 in every cell. Deep extension: realised layer "
                   "densities vs 2 Phibar(tau/sigma_l), |z| <= 4 with z in binomial standard errors.",
    tags=("convergence", "magnitude", "homogeneous", "negative-control"), source=f"{SRC} §9 check 2; paper C2")


def _rule_order_free(m, pred, dec):
    lo, hi = m["k16_slope_ci"]
    if hi - lo > dec["max_ci_width"]:
        return Verdict("inconclusive", f"K=16 slope CI [{lo:.3f}, {hi:.3f}] wider than {dec['max_ci_width']}")
    contrast = (f"SAS contrast slope {m['sas_slope']:.3f} (SAS max gap {m['sas_first']:.3f} -> {m['sas_last']:.3f}); "
                f"cut-norm slopes upper {m['upper_slope']:.3f}, lower {m['lower_slope']:.3f}")
    if m["k16_slope"] <= dec["max_slope"]:
        return Verdict("supported", f"K=16 degree-sorted max gap slope {m['k16_slope']:.3f} <= {dec['max_slope']}; "
                                    + contrast)
    return Verdict("refuted", f"K=16 slope {m['k16_slope']:.3f} > {dec['max_slope']}; " + contrast)


declare(
    id="graphon.homogeneity.order_free",
    statement="The degree-sorted block histogram (K = 16 fixed blocks) of Random masks flattens to p: its max "
              "block gap decays at least like n^(-0.4), whatever order the degrees induce.",
    provenance="reconstructed", status="supported", rule=_rule_order_free,
    prediction=lambda: {"slope": G.PREDICTED_SLOPE, "max_slope": -0.4,
                        "reference_k16": [0.184, 0.133, 0.072, 0.058, 0.035], "reference_sas": [0.38, 0.28],
                        "reference_sas_slope": -0.11},
    decision={"max_slope": -0.4, "max_ci_width": 0.4},
    decision_notes="Spec §9 check 3: slope <= -0.4 over n = 128..2048. CI wider than 0.4 (more than the distance "
                   "between the predicted -0.5 and 0 that would mean no decay) -> inconclusive. The SAS block "
                   "size int(ln n) is recorded as a contrast only (expected slope about -0.1).",
    tags=("convergence", "random", "ordering"), source=f"{SRC} §9 check 3, §2.5")


def _fsm_prediction() -> dict:
    s = G.FSMSetup()
    tau = G.tau_star(s)
    return {"tau_star": tau, "column_masses": G.column_masses(tau, s).tolist(), "slope": G.PREDICTED_SLOPE,
            "t": {F: G.fsm_t(F, s) for F in ("K2", "K22", "row_star_2", "col_star_2", "row_star_3")},
            "l1_gap": G.l1_gap(s), "reference_rates": G.FSM_REFERENCE_RATES,
            "setup": {"density": s.density, "col_fractions": list(s.col_fractions),
                      "col_values": list(s.col_values)}}


def _rule_fsm(m, pred, dec):
    wide = [k for k in ("spectral_deg", "block_rmse_deg") if m[f"{k}_slope_ci"][1] - m[f"{k}_slope_ci"][0]
            > dec["max_ci_width"]]
    if wide:
        return Verdict("inconclusive", f"slope CI wider than {dec['max_ci_width']} for {wide}")
    bad = [f"{k} slope {m[f'{k}_slope']:.3f}" for k in ("spectral_deg", "block_rmse_deg")
           if not dec["slope_range"][0] <= m[f"{k}_slope"] <= dec["slope_range"][1]]
    for k in ("spectral_deg", "block_rmse_deg"):
        r = m[f"{k}_ref_ratio"]
        if not all(dec["ref_ratio"][0] <= x <= dec["ref_ratio"][1] for x in r):
            bad.append(f"{k} / reference {[round(x, 3) for x in r]} outside {dec['ref_ratio']}")
    msg = (f"spectral (degree) slope {m['spectral_deg_slope']:.3f}, block RMSE slope {m['block_rmse_deg_slope']:.3f},"
           f" lower-bound slope {m['lower_lat_slope']:.3f}")
    return Verdict("refuted", "; ".join(bad)) if bad else Verdict("supported", msg + "; within ±30% of §5.3")


declare(
    id="graphon.fsm.convergence",
    statement="Masks thresholded from a factorised saliency S = r c eps converge in cut norm to the FSM limit "
              "W*(u,v) = 2 Phibar(tau*/(R(u) C(v))) at rate n^(-1/2).",
    provenance="reconstructed", status="supported", rule=_rule_fsm, prediction=_fsm_prediction,
    decision={"slope_range": [-0.65, -0.35], "ref_ratio": [0.7, 1.3], "max_ci_width": 0.3},
    decision_notes="Spec §9 check 4: spectral upper bound (degree order) and block RMSE (K=16, degree order) "
                   "slopes in [-0.65, -0.35] and within ±30% of the §5.3 reference values (seed means). A slope "
                   "CI wider than the 0.3 band -> inconclusive.",
    tags=("convergence", "fsm", "heterogeneous"), source=f"{SRC} §9 check 4, §4, §5.3; paper C1, C4")


def _rule_threshold(m, pred, dec):
    lo, hi = m["fsm_slope_ci"]
    if hi - lo > dec["max_ci_width"]:
        return Verdict("inconclusive", f"tau slope CI [{lo:.3f}, {hi:.3f}] wider than {dec['max_ci_width']}")
    ok = (m["fsm_slope"] <= dec["max_slope"] and m["fsm_rms_at_1024"] <= dec["max_rms_at_1024"]
          and m["mag_slope"] <= dec["max_slope"])
    msg = (f"RMS|tau_n - tau*| slope {m['fsm_slope']:.3f} CI [{lo:.3f}, {hi:.3f}], RMS at n=1024 "
           f"{m['fsm_rms_at_1024']:.4f}; Magnitude slope {m['mag_slope']:.3f}")
    return Verdict("supported" if ok else "refuted", msg)


declare(
    id="graphon.fsm.stable_threshold",
    statement="The empirical threshold tau_n (smallest kept score) converges to the root tau* of the threshold "
              "equation (0.21190 in the reference setup), and for Magnitude to sigma_w Phi^{-1}(1 - p/2).",
    provenance="secondary", status="supported", rule=_rule_threshold,
    prediction=lambda: {"tau_star": G.tau_star(), "tau_magnitude": G.magnitude_tau(0.2), "fsm_slope": -0.5,
                        "magnitude_slope": -1.0, "reference_rms": G.FSM_REFERENCE_RATES["tau_rms"]},
    decision={"max_slope": -0.4, "max_rms_at_1024": 0.01, "max_ci_width": 0.6, "seeds": 60},
    decision_notes="Spec §9 check 5: slope <= -0.4, RMS at n = 1024 <= 0.01. The slope is fitted to the per-width "
                   "RMS; its CI is a seed bootstrap (the t interval of a 4-point fit has 2 dof and is useless: the "
                   "first run with the spec's 20 seeds gave a t-CI 2.1 wide and RMS 0.0166, 0.0062, 0.0080, 0.0062). "
                   "The seed count was therefore raised to 60 before re-running: s.e. of log RMS 1/sqrt(2S) = 0.09, "
                   "slope s.e. about 0.06, expected 95% width about 0.25; wider than 0.6 -> inconclusive. "
                   "Magnitude (N = n^2 iid scores, predicted slope -1) must also converge (slope <= -0.4).",
    tags=("convergence", "fsm", "threshold"), source=f"{SRC} §9 check 5, §4.2")


def _rule_l1(m, pred, dec):
    dev = m["max_abs_dev"]
    msg = (f"mean|M - W*| per width {[round(x, 4) for x in m['l1_mean']]} vs {pred['l1_gap']:.4f} (max dev "
           f"{dev:.4f}, slope {m['l1_slope']:.3f}); meanwhile block-averaged L1 slope {m['l1_block_slope']:.3f}, "
           f"cut-norm upper slope {m['spectral_slope']:.3f}")
    return Verdict("supported" if dev <= dec["tol"] else "refuted", msg)


declare(
    id="graphon.l1.non_convergence",
    statement="A binary mask never converges in L1 to a non-{0,1} graphon: mean|M - W*| stays at "
              "int int 2 W*(1 - W*) = 0.1375 for every width in the FSM setup.",
    provenance="reconstructed", status="supported", rule=_rule_l1, prediction=_fsm_prediction,
    decision={"tol": 0.005},
    decision_notes="Spec §9 check 6 / §5.4: 0.1375 ± 0.005 at every width (seed mean).",
    tags=("sanity", "fsm", "negative-control"), source=f"{SRC} §9 check 6, §5.4")


def _rule_ordering(m, pred, dec):
    ok = (m["max_order_rel_diff"] <= dec["max_order_rel_diff"] and m["max_perm_rel_diff"] <= dec["perm_tol"]
          and not m["search_found"])
    msg = (f"degree vs latent spectral bounds differ by at most {m['max_order_rel_diff']:.4f}; exact cut norm "
           f"permutation change {m['max_perm_rel_diff']:.1e} over {m['perm_cases']} cases; search "
           f"{'found' if m['search_found'] else 'found no'} counterexample")
    return Verdict("supported" if ok else "refuted", msg)


declare(
    id="graphon.ordering.robustness",
    statement="The labelled cut-norm upper bound of FSM masks is the same under degree and latent orderings "
              "(within 10%), and the exact cut norm is invariant under row and column permutations.",
    provenance="reconstructed", status="supported", rule=_rule_ordering,
    prediction=lambda: {"order_rel_diff": 0.0, "perm_rel_diff": 0.0},
    decision={"max_order_rel_diff": 0.10, "perm_tol": 1e-12},
    decision_notes="Spec §9 check 19: within 10% (observed < 1%); exact cut norm unchanged (n <= 12) up to "
                   "floating-point summation order (1e-12 relative).",
    tags=("ordering", "cut-norm"), source=f"{SRC} §9 check 19, §2.4, §6.3")


def _rule_hom(m, pred, dec):
    bad = []
    for k in ("k22_ratio", "row2_ratio"):
        if not all(dec["ratio_band"][0] <= x <= dec["ratio_band"][1] for x in m[k]):
            bad.append(f"{k} {[round(x, 3) for x in m[k]]} outside {dec['ratio_band']}")
    for F, r in m["fsm_error_ratio"].items():
        if r > dec["max_error_ratio"]:
            bad.append(f"{F}: error ratio largest/smallest width {r:.3f} > {dec['max_error_ratio']}")
    if m["counting_violations"]:
        bad.append(f"{m['counting_violations']} counting-lemma violations")
    msg = (f"K22 excess ratios {[round(x, 3) for x in m['k22_ratio']]}, "
           f"row 2-star {[round(x, 3) for x in m['row2_ratio']]};"
           f" FSM error ratios {({k: round(v, 3) for k, v in m['fsm_error_ratio'].items()})}")
    return Verdict("refuted", "; ".join(bad)) if bad else Verdict("supported", msg)


declare(
    id="graphon.homomorphism.certificates",
    statement="Homomorphism densities certify the limits: Random masks carry exactly the degenerate-term "
              "excess (p^2 - p^4)(1/n + 1/d) in t(K22), and FSM masks' t(F) converge to t(F, W*) consistently "
              "with the counting lemma.",
    provenance="reconstructed", status="supported", rule=_rule_hom,
    prediction=lambda: {**_fsm_prediction(), "k22_excess": "(p^2 - p^4)(1/n + 1/d)", "row2_excess": "p(1-p)/d"},
    decision={"ratio_band": [0.8, 1.2], "max_error_ratio": 0.3},
    decision_notes="Spec §9 check 21: excess ratios in [0.8, 1.2] (seed mean per width); FSM |t(F, W_M) - t(F, W*)|"
                   " at the largest width <= 0.3 x its value at n = 128 (seed means); |dt(F)| <= |E(F)| (spectral "
                   "+ 1/n + 1/d) in every cell.",
    tags=("certificate", "homomorphism"), source=f"{SRC} §9 check 21, §6.4")
