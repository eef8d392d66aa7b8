"""Graphon limits of PaI masks (Pham, Ta, Tran-Thanh 2026): convergence claims, spec checks 1-6, 19, 21.

Predictions come from theory/graphon.py; experiments are simulations/experiments/graphon_limits.py.
Decision constants are the spec's pass criteria (spec §9), fixed before running.  Every rule decides through
theory.decide: rates on the fitted slope's interval, levels on seed intervals, homogeneity as an equivalence of
the pooled dispersion index, identities with ``exact``/``all_hold``.  The kinds, scopes, readings and revisions
are explained in docs/papers/graphon-limits.md §"Kinds, scopes and revisions".
"""
from __future__ import annotations

import math

from theory import decide as D
from theory import graphon as G
from theory.registry import Falsifier, Reading, Revision, Setting, Verdict, declare

SRC = "docs/papers/graphon-limits.md"
DEF = "docs/definitions/graphon-ntk.md"   # the sections cited below
TODAY = "2026-12-02"
PAPER_SETTING = ("theorem: one hidden layer, Gaussian initialisation, input dimension d and width n -> infinity "
                 "together; experiments: binary CIFAR-10 MLP with n = 4096 (companion: MLPs of widths 100-2000)")


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


def _series_members(m, dec) -> dict:
    """Per series: both slope intervals against the rate band and every width's seed interval of the two
    normalised bounds against their bands."""
    out = {}
    for s in m["series"]:
        tag = f"{s['kind']} p={s['p']}"
        for key in ("upper", "lower"):
            out[f"{tag} {key} slope"] = D.interval(s[f"{key}_slope_ci"], dec["slope_range"], f"{key} slope CI")
        for key, band in (("upper_ratio", dec["upper_ratio"]), ("lower_ratio", dec["lower_ratio"])):
            vs = [D.interval(ci, band, f"{key} at width {w}") for w, ci in zip(m["widths"], s[f"{key}_ci"])]
            out[f"{tag} {key}"] = D.family({str(i): v for i, v in enumerate(vs)}) if len(vs) > 1 else vs[0]
    return out


def _short(v: Verdict, members: dict, what: str) -> Verdict:
    """A family verdict with a short reason: the deciding (non-supported) members, or a count when all hold."""
    bad = {k: x for k, x in members.items() if x.verdict != "supported"}
    if not bad:
        return Verdict(v.verdict, f"{what}: all {len(members)} intervals inside their regions")
    order = sorted(bad.items(), key=lambda kv: kv[1].verdict != "refuted")
    return Verdict(v.verdict, f"{what}: " + "; ".join(f"{k}: {x.verdict} ({x.reason[:160]})" for k, x in order[:4])
                   + (f"; and {len(order) - 4} more" if len(order) > 4 else ""))


def _rule_random(m, pred, dec):
    mem = _series_members(m, dec)
    return _short(D.family(mem), mem, f"{len(m['series'])} series (slope CIs vs {dec['slope_range']}, per-width "
                                      f"ratio CIs vs {dec['upper_ratio']} / {dec['lower_ratio']})")


def _rule_magnitude(m, pred, dec):
    mem = _series_members(m, dec)
    mem["rows homogeneous"] = D.interval(m["row_dispersion"]["ci"], [-math.inf, 1 + dec["dispersion_margin"]],
                                         "pooled row-degree dispersion index")
    mem["deep layer densities"] = D.family({
        f"layer {k}": D.within(ci, q, dec["deep_tol"], f"layer {k} density (seed CI)")
        for k, (ci, q) in enumerate(zip(m["deep_realised_ci"], m["deep_predicted"]))})
    v = _short(D.family(mem), mem, f"{len(m['series'])} series, row dispersion "
                                   f"{D.fmt_interval(m['row_dispersion']['ci'])}, deep densities")
    ctrl = D.interval(m["control_row_dispersion"]["ci"], [1 + dec["dispersion_margin"], math.inf],
                      "negative control (row-scale init) dispersion")
    return D.downgrade(v, ctrl.verdict != "supported", f"negative control not detected: {ctrl.reason}")


def _series(kind="bernoulli", slope=(-0.51, -0.49), ratio_u=(0.97, 1.01), ratio_l=(0.58, 0.62), widths=3):
    return {"kind": kind, "p": 0.2, "upper_slope_ci": list(slope), "lower_slope_ci": list(slope),
            "upper_ratio_ci": [list(ratio_u)] * widths, "lower_ratio_ci": [list(ratio_l)] * widths}


def _random_metrics(**kw):
    return {"widths": [128, 256, 512], "series": [_series(**kw)]}


def _magnitude_metrics(disp=(0.97, 1.03), ctrl=(40.0, 45.0), deep=None, **kw):
    pred = _magnitude_prediction()["deep"]["densities"]
    return {**_random_metrics(kind="magnitude", **kw), "row_dispersion": {"ci": list(disp)},
            "control_row_dispersion": {"ci": list(ctrl)}, "deep_predicted": pred,
            "deep_realised_ci": deep or [[q - 0.002, q + 0.002] for q in pred]}


declare(
    id="graphon.random.constant",
    statement="Random masks (Bernoulli and exact-count) converge in cut norm to the constant graphon p at "
              "rate n^(-1/2), with spectral upper and alternating lower bounds at the predicted constants.",
    provenance="paper", status="inconclusive", full_status="supported", rule=_rule_random,
    prediction=_homog_prediction, kind="paper",
    setting=Setting(paper=PAPER_SETTING,
                    suite="Bernoulli and exact-count masks, n = d in {64..1024} (full: to 8192), p in {0.1, 0.2, "
                          "0.5}, 3 seeds (full: 5); labelled cut-norm bounds of M - p^",
                    scope="scaled"),
    decision={"slope_range": [-0.6, -0.4], "upper_ratio": [0.9, 1.1], "lower_ratio": [0.45, 0.75]},
    decision_notes="Spec §9 check 1 / §5.2: the 95% CI of both log-log slopes (all seeds as points) inside "
                   "[-0.6, -0.4]; at every width the seed-mean t-interval of upper*sqrt(n)/(2 sqrt(p(1-p))) inside "
                   "[0.9, 1.1] and of lower*sqrt(n)/sqrt(p(1-p)) inside [0.45, 0.75]. All members supported -> "
                   "supported; any interval wholly outside -> refuted.",
    falsifiers=(Falsifier("no decay (slope CI around 0)", lambda: _random_metrics(slope=(-0.05, 0.05))),
                Falsifier("wrong constant (upper ratio 1.5)", lambda: _random_metrics(ratio_u=(1.45, 1.55))),
                Falsifier("noise only: slope CI [-1, 0]", lambda: _random_metrics(slope=(-1.0, 0.0)),
                          expect="not_supported")),
    revisions=(Revision(TODAY, "slopes decided on their 95% CI against [-0.6, -0.4] (was: point slope in the band "
                               "and a CI-width gate of 0.2); ratio bands decided per width on seed t-intervals (was: "
                               "min/max over cells of the point ratios); full tier on CPU n = 64..2048 x 5 seeds "
                               "(4096, 8192 only on cuda)",
                        "theory.decide: no supported/refuted on a point estimate of a noisy quantity",
                        "supported", "inconclusive"),),
    tags=("convergence", "random", "homogeneous"),
    source=f"{DEF}#check-1, {DEF}#s5-2; paper C1, C2 ({DEF}#claims); {SRC}")

declare(
    id="graphon.magnitude.constant",
    statement="Magnitude masks (global top-K of |W|, W iid Gaussian) converge to the constant graphon p: cut "
              "norm at rate n^(-1/2), row degrees binomial, while a row-dependent init scale breaks homogeneity.",
    provenance="paper", status="supported", rule=_rule_magnitude, prediction=_magnitude_prediction, kind="paper",
    setting=Setting(paper=PAPER_SETTING,
                    suite="global top-K of |W|, W iid N(0, 1), n = d in {64..1024} (full: to 8192), p in {0.1, 0.2, "
                          "0.5}, 3 seeds; deep extension: 3 layers with sigma 0.5 / 1 / 2",
                    scope="scaled"),
    decision={"slope_range": [-0.6, -0.4], "upper_ratio": [0.9, 1.1], "lower_ratio": [0.45, 0.75],
              "dispersion_margin": 0.1, "deep_tol": 0.01, "alpha": 0.01},
    decision_notes="Spec §9 check 2: criteria of check 1 (intervals as there). Homogeneity of rows is a predicted "
                   "absence, so a non-rejection cannot support it: the pooled row-degree dispersion index D = "
                   "Var(row degree)/(d p^(1-p^)) (its chi^2 interval over all cells) must lie below 1 + 0.1; a "
                   "row-dependent graphon raises D by d Var_u W(u)/(p(1-p)), so 0.1 at d = 1024, p = 0.2 bounds the "
                   "s.d. of the row profile by 0.004. The negative control (half the rows sigma 0.5, half 2) must "
                   "have D above 1.1, else the claim is inconclusive (the test could not see heterogeneity). Deep "
                   "extension: seed t-interval of each layer's density within 0.01 of 2 Phibar(tau/sigma_l) (the "
                   "layers' predicted densities differ by >= 0.15, so 0.01 separates them from a common p). The "
                   "chi2/KS row tests (Holm at alpha = 0.01) are reported, not judged.",
    readings=(Reading("layerwise", "deep extension with a layer-wise threshold scope (every tensor keeps K(p, N_l), "
                                   "prediction p per layer) instead of the global scope of the reference code"),),
    falsifiers=(Falsifier("heterogeneous rows (dispersion 3)", lambda: _magnitude_metrics(disp=(2.8, 3.2))),
                Falsifier("deep densities off prediction", lambda: _magnitude_metrics(deep=[[0.2, 0.21]] * 3)),
                Falsifier("control not detected", lambda: _magnitude_metrics(ctrl=(0.9, 1.2)),
                          expect="not_supported"),
                Falsifier("noise only: dispersion CI [0.5, 2]", lambda: _magnitude_metrics(disp=(0.5, 2.0)),
                          expect="not_supported")),
    revisions=(Revision(TODAY, "rates and ratio bands on intervals (as graphon.random.constant); row homogeneity "
                               "as an equivalence of the pooled dispersion index (< 1.1) instead of 'no chi2/KS "
                               "test rejected'; control as a downgrade when its dispersion is not above 1.1; deep "
                               "densities as seed intervals within 0.01 (was |z| <= 4 on binomial s.e.); full tier "
                               "on CPU n = 64..2048 (4096, 8192 only on cuda)",
                        "a non-rejection is no evidence of homogeneity; point estimates cannot decide",
                        "supported", "supported"),),
    tags=("convergence", "magnitude", "homogeneous", "negative-control"),
    source=f"{DEF}#check-2; paper C2 ({DEF}#claims); {SRC}")


def _rule_order_free(m, pred, dec):
    v = D.at_most(m["k16_slope_ci"], dec["max_slope"], "K=16 degree-sorted max block gap slope CI")
    return D.with_note(v, f"SAS contrast slope {m['sas_slope']:.3f} (SAS max gap {m['sas_first']:.3f} -> "
                          f"{m['sas_last']:.3f}); cut-norm slopes upper {m['upper_slope']:.3f}, lower "
                          f"{m['lower_slope']:.3f}")


def _of_metrics(ci):
    return {"k16_slope_ci": list(ci), "sas_slope": -0.08, "sas_first": 0.36, "sas_last": 0.3, "upper_slope": -0.5,
            "lower_slope": -0.5}


declare(
    id="graphon.homogeneity.order_free",
    statement="The degree-sorted block histogram (K = 16 fixed blocks) of Random masks flattens to p: its max "
              "block gap decays at least like n^(-0.4), whatever order the degrees induce.",
    provenance="reconstructed", status="supported", rule=_rule_order_free, kind="finding",
    prediction=lambda: {"slope": G.PREDICTED_SLOPE, "max_slope": -0.4,
                        "reference_k16": [0.184, 0.133, 0.072, 0.058, 0.035], "reference_sas": [0.38, 0.28],
                        "reference_sas_slope": -0.11},
    decision={"max_slope": -0.4},
    decision_notes="Spec §9 check 3: the 95% CI of the slope (all seeds as points) lies below -0.4. The SAS block "
                   "size int(ln n) is recorded as a contrast only (expected slope about -0.1).",
    falsifiers=(Falsifier("SAS-like slow decay", lambda: _of_metrics((-0.15, -0.05))),
                Falsifier("noise only: slope CI [-1, 0.2]", lambda: _of_metrics((-1.0, 0.2)), expect="not_supported")),
    revisions=(Revision(TODAY, "decided on the slope CI against <= -0.4 (was: point slope, CI-width gate 0.4)",
                        "theory.decide: intervals, not point estimates", "supported", "supported"),),
    tags=("convergence", "random", "ordering"), source=f"{DEF}#check-3, {DEF}#s2-5; {SRC}")


def _fsm_prediction() -> dict:
    s = G.FSMSetup()
    tau = G.tau_star(s)
    return {"tau_star": tau, "column_masses": G.column_masses(tau, s).tolist(), "slope": G.PREDICTED_SLOPE,
            "t": {F: G.fsm_t(F, s) for F in ("K2", "K22", "row_star_2", "col_star_2", "row_star_3")},
            "l1_gap": G.l1_gap(s), "reference_rates": G.FSM_REFERENCE_RATES,
            "setup": {"density": s.density, "col_fractions": list(s.col_fractions),
                      "col_values": list(s.col_values)}}


def _rule_fsm(m, pred, dec):
    mem = {}
    for k, j in m["judged"].items():
        mem[f"{k} slope"] = D.interval(j["slope_ci"], dec["slope_range"], f"{k} slope CI")
        if j.get("ref_ratio_ci"):
            mem[f"{k} / §5.3"] = D.family({f"width {i}": D.interval(ci, dec["ref_ratio"], f"{k}/reference, width "
                                                                                          f"{i}")
                                           for i, ci in enumerate(j["ref_ratio_ci"])})
    return _short(D.family(mem), mem, f"FSM masks ({m.get('order', 'degree')} order): slope CIs vs "
                                      f"{dec['slope_range']}, per-width ratio to §5.3 vs {dec['ref_ratio']}")


def _fsm_metrics(slope=(-0.52, -0.48), ratio=(0.95, 1.05)):
    j = {"slope_ci": list(slope), "ref_ratio_ci": [list(ratio)] * 4}
    return {"order": "degree", "judged": {"spectral": j, "block_rmse": j}}


declare(
    id="graphon.fsm.convergence",
    statement="Masks thresholded from a factorised saliency S = r c eps converge in cut norm to the FSM limit "
              "W*(u,v) = 2 Phibar(tau*/(R(u) C(v))) at rate n^(-1/2).",
    provenance="reconstructed", status="inconclusive", full_status="supported", rule=_rule_fsm,
    prediction=_fsm_prediction, kind="paper",
    setting=Setting(paper=PAPER_SETTING + "; FSM with regularity conditions (neuron CDF, stable threshold)",
                    suite="synthetic FSM of spec §4.4 (r, eps = |N(0,1)|, columns 75% at c = 0.1, 25% at c = 1, "
                          "p = 0.2), n = d in {128..1024} (full: to 8192), 3 seeds",
                    scope="scaled"),
    decision={"slope_range": [-0.65, -0.35], "ref_ratio": [0.7, 1.3]},
    decision_notes="Spec §9 check 4: 95% CIs of the spectral upper bound's and the block RMSE's (K=16, degree "
                   "order) log-log slopes inside [-0.65, -0.35]; at every width the seed t-interval of the ratio to "
                   "the §5.3 reference inside [0.7, 1.3].",
    readings=(Reading("latent_order", "rows in latent order (true row factor) instead of degree order for both "
                                      "statistics; the latent block RMSE has no §5.3 reference series, so only its "
                                      "slope is judged"),),
    falsifiers=(Falsifier("no decay", lambda: _fsm_metrics(slope=(-0.1, 0.0))),
                Falsifier("level twice the reference", lambda: _fsm_metrics(ratio=(1.9, 2.1))),
                Falsifier("noise only: slope CI [-1, 0]", lambda: _fsm_metrics(slope=(-1.0, 0.0)),
                          expect="not_supported")),
    revisions=(Revision(TODAY, "slopes on their CIs against [-0.65, -0.35] (was point slopes with a CI-width gate); "
                               "reference ratios on per-width seed intervals (was seed means); full tier on CPU "
                               "n = 128..2048 x 5 seeds (4096, 8192 only on cuda)",
                        "theory.decide: intervals, not point estimates", "supported", "inconclusive"),),
    tags=("convergence", "fsm", "heterogeneous"),
    source=f"{DEF}#check-4, {DEF}#s4, {DEF}#s5-3; paper C1, C4 ({DEF}#claims); {SRC}")


def _rule_threshold(m, pred, dec):
    mem = {"FSM rate": D.at_most(m["fsm_rate"]["ci"], dec["max_slope"],
                                 f"RMS|tau_n - tau*| slope CI (WLS, lack of fit kept; {m['seeds']} seeds, "
                                 f"widths {m['widths'][0]}..{m['widths'][-1]})"),
           "FSM level at 1024": D.at_most(m["fsm_rms_at_1024_ci"], dec["max_rms_at_1024"],
                                          "RMS|tau_n - tau*| at n = 1024 (seed bootstrap CI)"),
           "Magnitude rate": D.at_most(m["mag_rate"]["ci"], dec["max_slope"], "Magnitude RMS slope CI")}
    v = D.family(mem)
    return Verdict(v.verdict, "; ".join(f"{k}: {x.verdict}, {x.reason}" for k, x in mem.items())
                   + f"; lack-of-fit p (FSM) {m['fsm_rate'].get('lack_of_fit_p', float('nan')):.3g}")


def _thr_metrics(ci=(-0.58, -0.45), rms=(0.005, 0.007)):
    return {"seeds": 60, "widths": [128, 1024], "fsm_rate": {"ci": list(ci), "lack_of_fit_p": 0.5},
            "fsm_rms_at_1024_ci": list(rms), "mag_rate": {"ci": [-1.1, -0.9]}}


declare(
    id="graphon.fsm.stable_threshold",
    statement="The empirical threshold tau_n (smallest kept score) converges to the root tau* of the threshold "
              "equation (0.21190 in the reference setup), and for Magnitude to sigma_w Phi^{-1}(1 - p/2).",
    provenance="secondary", status="inconclusive", full_status="supported", rule=_rule_threshold, kind="finding",
    prediction=lambda: {"tau_star": G.tau_star(), "tau_magnitude": G.magnitude_tau(0.2), "fsm_slope": -0.5,
                        "magnitude_slope": -1.0, "reference_rms": G.FSM_REFERENCE_RATES["tau_rms"]},
    decision={"max_slope": -0.4, "max_rms_at_1024": 0.01, "seeds_quick": 60, "seeds_full": 60,
              "widths_quick": [128, 256, 512, 1024],
              "widths_full": [128, 180, 256, 364, 512, 724, 1024, 1448, 2048, 2896, 4096]},
    decision_notes="Spec §9 check 5: slope <= -0.4 and RMS at n = 1024 <= 0.01, both on intervals. The slope's "
                   "interval is the weighted least-squares fit of log RMS_w on log n with the delta-method variance "
                   "of each log RMS (from the seeds); when the power law does not fit within the seed noise (Birge "
                   "ratio R > 1) the standard error is multiplied by R and the t quantile on W - 2 d.f. is used, so "
                   "lack of fit widens the interval instead of being dropped (the earlier seed bootstrap dropped it). "
                   "Design fixed before running it: quick tier 4 widths 128..1024 x 60 seeds (expected half-width "
                   "about 0.11: it cannot clear -0.4 when the slope is -0.5, so the quick tier is expected to be "
                   "inconclusive); full tier 11 widths 128..4096 in sqrt(2) steps (multiples of 4, so the 75%/25% "
                   "column profile is exact) x 60 seeds: s.e. of log RMS 1/sqrt(120) = 0.09, slope s.e. about "
                   "0.09/sqrt(13.2) = 0.025, half-width about 0.05. Magnitude (N = n^2 iid scores, predicted slope "
                   "-1) must converge too (slope CI <= -0.4). The RMS at 1024 uses a seed bootstrap CI.",
    falsifiers=(Falsifier("threshold does not settle (slope CI around -0.1)", lambda: _thr_metrics(ci=(-0.2, -0.05))),
                Falsifier("level too high at 1024", lambda: _thr_metrics(rms=(0.015, 0.02))),
                Falsifier("noise only: slope CI [-0.7, -0.3]", lambda: _thr_metrics(ci=(-0.7, -0.3)),
                          expect="not_supported")),
    revisions=(
        Revision("2026-11-23", "seed count 20 -> 60 and slope CI from a seed bootstrap instead of the 2-d.f. "
                               "t-interval of the 4-point fit, after the first run",
                 "the first run's 20-seed slope -0.389 failed the spec's <= -0.4 and its t-CI was 2.1 wide; the "
                 "change was made after seeing that run (recorded retroactively; the earlier verdict is the spec's "
                 "pass criterion applied to that run's point slope)",
                 "refuted", "supported", evidence="first run (20 seeds) vs quick tier with 60 seeds, root seed 0; "
                                                  "from docs/git history"),
        Revision(TODAY, "slope decided on a WLS interval that keeps the lack of fit (Birge-inflated), RMS at 1024 on "
                        "a bootstrap CI, Magnitude slope on its interval; full tier 11 widths 128..4096 x 60 seeds",
                 "review: the seed bootstrap drops lack of fit and its CI [-0.62, -0.36] straddles -0.4, so the "
                 "point slope decided; supported only when the interval clears the bound",
                 "supported", "inconclusive"),
    ),
    tags=("convergence", "fsm", "threshold"),
    source=f"{DEF}#check-5, {DEF}#s4-2; condition (A4) of {DEF}#s5-1 (paper C4); {SRC}")


def _rule_l1(m, pred, dec):
    gap = pred["l1_gap"]
    mem = {f"width {w}": D.within(ci, gap, dec["tol"], f"mean|M - W*| at n = {w} (seed CI)")
           for w, ci in zip(m["widths"], m["l1_ci"])}
    v = D.family(mem)
    return D.with_note(_short(v, mem, f"mean|M - W*| vs {gap:.4f} ± {dec['tol']} at every width"),
                       f"block-averaged L1 slope {m['l1_block_slope']:.3f}, cut-norm upper slope "
                       f"{m['spectral_slope']:.3f}")


def _l1_metrics(cis):
    return {"widths": [128, 256, 512, 1024][:len(cis)], "l1_ci": [list(c) for c in cis], "l1_block_slope": -0.8,
            "spectral_slope": -0.5}


declare(
    id="graphon.l1.non_convergence",
    statement="A binary mask never converges in L1 to a non-{0,1} graphon: mean|M - W*| stays at "
              "int int 2 W*(1 - W*) = 0.1375 for every width in the FSM setup.",
    provenance="reconstructed", status="supported", rule=_rule_l1, prediction=_fsm_prediction, kind="validation",
    decision={"tol": 0.005},
    decision_notes="Spec §9 check 6 / §5.4: at every width the seed t-interval of mean|M - W*| inside 0.1375 ± 0.005. "
                   "A validation of the suite's sampler and W* (E|M - W| = 2W(1-W), a standard identity) that guards "
                   "the convergence tests against measuring in L1.",
    falsifiers=(Falsifier("broken engine: L1 decays like a cut norm",
                          lambda: _l1_metrics([(0.10, 0.102), (0.07, 0.072), (0.05, 0.052), (0.035, 0.037)])),
                Falsifier("broken W*: gap 0.12", lambda: _l1_metrics([(0.119, 0.121)] * 4))),
    revisions=(Revision(TODAY, "per-width seed t-intervals within 0.1375 ± 0.005 (was the max deviation of seed "
                               "means)", "theory.decide: intervals, not point estimates", "supported", "supported"),),
    tags=("sanity", "fsm", "negative-control"), source=f"{DEF}#check-6, {DEF}#s5-4; {SRC}")


def _rule_ordering(m, pred, dec):
    order = D.family({f"width {w}": D.within(ci, 1.0, dec["max_order_rel_diff"], f"degree/latent at n = {w}")
                      for w, ci in zip(m["widths"], m["deg_over_lat_ci"])})
    ident = D.all_hold({"exact cut norm permutation-invariant": m["max_perm_rel_diff"] <= dec["perm_tol"],
                        "no counterexample found by search": not m["search_found"]}, "identities")
    v = D.family({"orderings agree": order, "identities": ident})
    return Verdict(v.verdict, f"degree/latent spectral-bound ratio: {order.verdict} (per-width seed CIs within "
                              f"1 ± {dec['max_order_rel_diff']}); {ident.reason} (max relative change "
                              f"{m['max_perm_rel_diff']:.1e} over {m['perm_cases']} cases)")


def _ord_metrics(ci=(0.98, 1.0), perm=0.0, found=False):
    return {"widths": [128, 256], "deg_over_lat_ci": [list(ci)] * 2, "max_perm_rel_diff": perm, "perm_cases": 60,
            "search_found": found}


declare(
    id="graphon.ordering.robustness",
    statement="The labelled cut-norm upper bound of FSM masks is the same under degree and latent orderings "
              "(within 10%), and the exact cut norm is invariant under row and column permutations.",
    provenance="reconstructed", status="supported", rule=_rule_ordering, kind="validation",
    prediction=lambda: {"order_rel_diff": 0.0, "perm_rel_diff": 0.0},
    decision={"max_order_rel_diff": 0.10, "perm_tol": 1e-12},
    decision_notes="Spec §9 check 19: per width, the seed t-interval of the degree/latent ratio of the spectral "
                   "bound within 1 ± 0.10; exact cut norm unchanged under permutations (n <= 12) to 1e-12 relative "
                   "(summation order), and the hypothesis search finds no counterexample. A validation that the "
                   "suite's observable degree order may stand in for the unobservable latent order.",
    falsifiers=(Falsifier("broken engine: cut norm depends on labels", lambda: _ord_metrics(perm=0.3, found=True)),
                Falsifier("degree order scrambles the bound", lambda: _ord_metrics(ci=(1.3, 1.4)))),
    revisions=(Revision(TODAY, "order agreement on per-width seed intervals (was the max point difference); "
                               "identities through all_hold", "theory.decide", "supported", "supported"),),
    tags=("ordering", "cut-norm"), source=f"{DEF}#check-19, {DEF}#s2-4, {DEF}#s6-3; {SRC}")


#: the spec's endpoint criterion (error at 2048 <= 0.3 x error at 128) as an average rate over 128..2048
SPEC_RATIO_SLOPE = math.log(0.3) / math.log(16)


def _rule_hom(m, pred, dec):
    mem = {"Random K22 excess": D.interval(m["k22_ratio_ci"], dec["ratio_band"],
                                           "K22 excess / (p^2 - p^4)(2/n), pooled seed CI"),
           "Random row 2-star excess": D.interval(m["row2_ratio_ci"], dec["ratio_band"],
                                                  "row 2-star excess / (p(1-p)/d), pooled seed CI")}
    for F, r in m["fsm_rate"].items():
        mem[f"FSM {F}"] = D.at_most(r["ci"], dec["max_slope"], f"RMS |t(F, M) - t(F, W*)| slope CI")
    v = _short(D.family(mem), mem, f"Random excess ratios vs {dec['ratio_band']}; FSM error slopes "
                                   f"({m.get('fsm_seeds', '?')} seeds) vs <= {dec['max_slope']}")
    v = D.with_note(v, "FSM slopes " + ", ".join(f"{F} {r['slope']:.3f} {D.fmt_interval(r['ci'])}"
                                                 for F, r in m["fsm_rate"].items()))
    return D.downgrade(v, m["counting_violations"] > 0,
                       f"{m['counting_violations']} counting-lemma violations (engine check failed)")


def _hom_metrics(ci=(-0.6, -0.42), k22=(0.97, 1.03), viol=0):
    return {"k22_ratio_ci": list(k22), "row2_ratio_ci": [0.95, 1.05], "fsm_seeds": 100, "counting_violations": viol,
            "fsm_rate": {F: {"slope": sum(ci) / 2, "ci": list(ci)} for F in ("K22", "row_star_2")}}


declare(
    id="graphon.homomorphism.certificates",
    statement="Homomorphism densities certify the limits: Random masks carry exactly the degenerate-term "
              "excess (p^2 - p^4)(1/n + 1/d) in t(K22), and FSM masks' t(F) converge to t(F, W*) consistently "
              "with the counting lemma.",
    provenance="reconstructed", status="inconclusive", full_status="supported", rule=_rule_hom, kind="finding",
    prediction=lambda: {**_fsm_prediction(), "k22_excess": "(p^2 - p^4)(1/n + 1/d)", "row2_excess": "p(1-p)/d"},
    decision={"ratio_band": [0.8, 1.2], "max_slope": -0.35, "extra_seeds_quick": 0, "extra_seeds_full": 100},
    decision_notes="Spec §9 check 21. Random: the seed t-interval of the excess ratio pooled over widths and seeds "
                   "inside [0.8, 1.2] (K22 and row 2-star). FSM: for each F in {K22, row/column 2-star, row 3-star} "
                   "the RMS of the signed error t(F, M) - t(F, W*) per width, and the lack-of-fit-aware WLS slope "
                   "interval of stable_threshold; it must lie below -0.35, the slow end of the check-4 rate band "
                   "around the predicted n^(-1/2) (row factors are n random draws). The spec's endpoint criterion "
                   "(ratio <= 0.3 over 128..2048, an average slope of -0.434) sits 0.066 from the prediction and "
                   "would need ~200 seeds per width to decide; it is reported, not judged. Power fixed before "
                   "running: quick tier 3 seeds (no interval: fewer than 10 seeds -> inconclusive), full tier 3 + "
                   "100 seeds at n = 128..2048: slope s.e. about 0.07/sqrt(4.8) = 0.032, half-width 0.063. "
                   "Counting lemma |dt(F)| <= |E(F)| (spectral + 2/n) in every cell: a violation (engine check) "
                   "makes the claim inconclusive.",
    falsifiers=(Falsifier("t(F) does not converge", lambda: _hom_metrics(ci=(-0.1, 0.1))),
                Falsifier("Random excess twice the degenerate term", lambda: _hom_metrics(k22=(1.9, 2.1))),
                Falsifier("noise only: slope CI [-1.28, 0.6]", lambda: _hom_metrics(ci=(-1.28, 0.6)),
                          expect="not_supported"),
                Falsifier("counting lemma violated", lambda: _hom_metrics(viol=3), expect="not_supported")),
    revisions=(Revision(TODAY, "FSM convergence decided on slope intervals (<= -0.35, lack of fit kept) from the "
                               "RMS of signed errors, 100 extra seeds at the full tier (was the endpoint ratio of "
                               "seed-mean |errors| <= 0.3); Random excess ratios on pooled seed intervals (was every "
                               "width's seed mean in the band); counting lemma as a downgrade",
                        "review: the 3-seed error-slope CIs include 0 (row 2-star [-1.28, +0.60]) while the rule "
                        "used an endpoint ratio of noisy means", "supported", "inconclusive"),),
    tags=("certificate", "homomorphism"), source=f"{DEF}#check-21, {DEF}#s6-4; {SRC}")
