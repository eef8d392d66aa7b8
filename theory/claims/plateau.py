"""Claims of Li & Li 2026, "Selection Plateau and a Sparsity-Dependent Hierarchy of Pruning Features"
(arXiv:2605.09345), checked on the digits CPU stand-in of spec selection_plateau.md (checks B-C1 ... B-C12).

Scorers, kappa, the swap null and the stand-in are project definitions (reconstructed), not the paper's formulas;
the paper's body is unavailable.  All decision constants below are fixed by the spec before running.
"""
from __future__ import annotations

from theory import plateau as P
from theory.registry import Verdict, declare

SRC = "spec selection_plateau.md"


def _rule_invariance(m, pred, dec):
    bad = m["mask_mismatch"] + m["acc_mismatch"] + m["tie_violations"]
    if m["checked"] < dec["min_checked"]:
        return Verdict("inconclusive", f"only {m['checked']} transform cases without new float ties")
    if bad or m["counterexample_found"] or m["m2_max_q"] != 0 or m["m2_max_abs_delta"] != 0:
        return Verdict("refuted", f"mask/acc mismatches {m['mask_mismatch']}/{m['acc_mismatch']}, tie violations "
                                  f"{m['tie_violations']}, counterexample {m['counterexample_found']}")
    return Verdict("supported", f"{m['checked']} (seed, S, transform) cases: identical masks and bitwise identical "
                                f"accuracies; tie rule held in {m['tie_trials']} trials; M2 q=0, Delta=0 exactly")


declare(id="plateau.monotone_invariance",
        statement="A strictly increasing transform of one channel statistic selects the identical one-shot mask, so "
                  "the pruned network's accuracy is bitwise identical (ties are decided by the index rule).",
        provenance="reconstructed", status="supported", rule=_rule_invariance,
        prediction=P.monotone_invariance_prediction, decision={"min_checked": 100},
        decision_notes="exact statement: any mismatch refutes", tags=("exact", "plateau"),
        source=f"{SRC} section 4, B-C1; paper B-claim-1 (its exact part)")


def _rule_statistics(m, pred, dec):
    per = m["per_arch"]
    fals = [a for a in per if per[a]["falsified"]]
    if fals:
        parts = [f"{a} S={ex['S']}: " + ", ".join(f"{p} {d[0]:+.2f}+-{d[1]:.2f}" for p, d in ex["diffs"].items())
                 for a in fals for ex in per[a]["falsified_at"]]
        return Verdict("refuted", "pairs of statistics differ after Holm over 6 pairs (paired diff +- SE, pp): "
                                  + "; ".join(parts))
    if all(per[a]["holds"] for a in per):
        return Verdict("supported", "spread < 1 seed-SD and every pair within 2 paired SE at every S")
    return Verdict("inconclusive", "no pair differs after Holm, but spread or a pair exceeds the holding criterion")


declare(id="plateau.plateau_across_statistics",
        statement="Rank-monotone scorers built on non-equivalent channel statistics (L1, L2, L-infinity, in.out) "
                  "reach the same accuracy at every sparsity (the plateau beyond one statistic).",
        provenance="paper", status="refuted", rule=_rule_statistics, prediction=P.regime_prediction,
        decision={"alpha": 0.05, "pairs": 6, "spread_sd": 1.0, "pair_se": 2.0},
        decision_notes="holds: spread < 1 seed-SD and |pair| <= 2 SE at all S; falsified: a pair rejected by Holm "
                       "over the 6 pairs (two-sided paired t) at some S",
        tags=("plateau",), source=f"{SRC} B-C2; paper B-claim-1")


def _rule_curve(m, pred, dec):
    bad = [a for a, v in m["per_arch"].items() if not v["non_increasing_within_se"]]
    if bad:
        return Verdict("refuted", f"{bad}: plateau rises by more than 1 seed-SE "
                                  f"({m['per_arch'][bad[0]]['max_rise_minus_se']:.2f} pp over)")
    v = m["per_arch"]["mlp"]
    return Verdict("supported", f"Pi(S) non-increasing within 1 seed-SE; dense {v['dense_mean']:.2f}, "
                                f"Pi = {[round(x, 2) for x in v['plateau_mean']]}")


declare(id="plateau.plateau_curve",
        statement="The plateau accuracy Pi(S) of magnitude (L2) one-shot channel pruning is non-increasing in S.",
        provenance="reconstructed", status="supported", rule=_rule_curve, prediction=P.regime_prediction,
        decision={"max_rise_se": 1.0}, decision_notes="each step may rise by at most 1 seed-SE (spec B-C3)",
        tags=("plateau",), source=f"{SRC} B-C3")


def _rule_low(m, pred, dec):
    if m["n_escapes"]:
        return Verdict("refuted", f"escapes below the critical regime: {m['escapes']}")
    return Verdict("supported", f"no non-monotone scorer escapes (Holm over 6, above null) at S in {m['sparsities']}")


declare(id="plateau.low_sparsity_regime",
        statement="Below S = 0.65 no non-monotone feature escapes the plateau (kappa = 0 suffices).",
        provenance="paper", status="supported", rule=_rule_low, prediction=P.regime_prediction,
        decision={"alpha": 0.05, "family": ["S1", "S2", "S3", "R1", "R2", "F"], "null_quantile": 0.95},
        decision_notes="escape = mean > 0, Holm-rejected paired t over the 6 scorers, mean above the seed-mean "
                       "null 95th percentile (spec 3.5)", tags=("regime",), source=f"{SRC} B-C4; paper B-claim-6")


def _rule_critical(m, pred, dec):
    esc, p = m["kappa1_escapes"], m["alignment_p_greater"]
    if esc and p < dec["alpha"]:
        return Verdict("supported", f"{esc} escape at S=0.7; aligned bump beats misaligned (p={p:.3f})")
    hi = m["kappa1_ci_high"]
    if not esc and all(v is not None and v < dec["claimed_gain_pp"] for v in hi.values()):
        return Verdict("refuted", f"no kappa=1 scorer escapes at S=0.7 and the claimed +{dec['claimed_gain_pp']} pp "
                                  f"lies above both CIs (upper ends {hi}); alignment diff {m['alignment_diff']:.2f}"
                                  f" pp, p={p:.3f}")
    return Verdict("inconclusive", f"escapes {esc}, alignment p={p:.3f}, CI upper ends {hi}")


declare(id="plateau.critical_regime",
        statement="At S = 0.7 smooth non-monotone features aligned with the rank cut-off escape the plateau "
                  "(paper: +6.6 pp), and alignment matters.",
        provenance="paper", status="refuted", rule=_rule_critical, prediction=P.regime_prediction,
        decision={"alpha": 0.05, "claimed_gain_pp": 6.6},
        decision_notes="escape per spec 3.5; alignment: paired one-sided t of S1 vs S3 at 5%; refuted when the "
                       "claimed gain is excluded by both kappa=1 CIs", tags=("regime",),
        source=f"{SRC} B-C5; paper B-claim-4")


def _rule_extreme(m, pred, dec):
    neg = m["kappa1_negative"]
    if m["R1_escapes"] and all(neg.values()):
        return Verdict("supported", f"R1 escapes at S=0.8 ({m['R1_mean']:.2f} pp) and S1, S2 fall below")
    pos = [n for n, ci in m["kappa1_ci"].items() if ci[0] > 0]
    if m["R1_ci"][1] < dec["claimed_gain_pp"] or pos:
        return Verdict("refuted", f"R1 Delta {m['R1_mean']:.2f} pp CI {[round(x, 2) for x in m['R1_ci']]} excludes "
                                  f"+{dec['claimed_gain_pp']}; kappa=1 significantly negative: {neg}")
    return Verdict("inconclusive", f"R1 escapes={m['R1_escapes']}, kappa=1 negative={neg}")


declare(id="plateau.extreme_regime",
        statement="At S = 0.8 only raw high-frequency (kappa = 2) features escape (paper: +2.6 pp) while smooth "
                  "(kappa = 1) features fall below the plateau.",
        provenance="paper", status="refuted", rule=_rule_extreme, prediction=P.regime_prediction,
        decision={"alpha": 0.05, "claimed_gain_pp": 2.6},
        decision_notes="both signs must be significant (Holm over the 6 scorers); refuted when R1's CI excludes the "
                       "claimed gain or a kappa=1 scorer is significantly positive", tags=("regime",),
        source=f"{SRC} B-C6; paper B-claim-5")


def _rule_fake(m, pred, dec):
    per = m["per_S"]
    if all(v["p_less"] < dec["alpha"] for v in per.values()):
        return Verdict("supported", f"F below G at S=0.7 and 0.8: {[round(v['F_minus_G'], 2) for v in per.values()]}")
    above = {S: v["F_minus_G_ci"] for S, v in per.items() if v["F_minus_G_ci"][0] > 0}
    if above:
        return Verdict("refuted", f"the fake scorer beats the gradient baseline significantly at {above} "
                                  f"(F - G pp CI)")
    return Verdict("inconclusive", f"F - G: {[round(v['F_minus_G'], 2) for v in per.values()]}, not significant")


declare(id="plateau.fake_control",
        statement="A fake non-monotone scorer built from weight magnitude does worse than the gradient (Taylor) "
                  "baseline at S = 0.7 and 0.8.",
        provenance="paper", status="inconclusive", rule=_rule_fake, prediction=P.regime_prediction,
        decision={"alpha": 0.05}, decision_notes="paired one-sided t per S (spec B-C7)",
        tags=("control",), source=f"{SRC} B-C7; paper B-claim-7")


def _rule_indep(m, pred, dec):
    v = m["per_S"]["0.7"]
    if v["spearman"] < 0 and v["p_less"] < dec["alpha"]:
        return Verdict("supported", f"Delta falls with the locked share: Spearman {v['spearman']:.2f}, "
                                    f"Delta(1)-Delta(0) = {v['end_diff']:.2f} pp (p={v['p_less']:.3f})")
    if v["p_greater"] < dec["alpha"]:
        return Verdict("refuted", f"Delta rises with the magnitude-locked share (p={v['p_greater']:.3f})")
    return Verdict("inconclusive", f"flat={v['flat']}, Spearman {v['spearman']:.2f}, p={v['p_less']:.3f}")


declare(id="plateau.independence",
        statement="Escape requires magnitude-independent non-monotonicity: at matched q, mixing a magnitude-locked "
                  "component into a chaos feature lowers the escape.",
        provenance="paper", status="supported", rule=_rule_indep, prediction=P.regime_prediction,
        decision={"alpha": 0.05, "S": 0.7},
        decision_notes="Spearman(Delta, alpha) < 0 and paired one-sided Delta(1) < Delta(0) at 5% (spec B-C8)",
        tags=("control",), source=f"{SRC} B-C8; paper B-claim-7")


def _rule_null(m, pred, dec):
    k1, k2 = m["kappa1_above_null_at_0.7"], m["kappa2_above_null_at_0.8"]
    if k1 and k2:
        return Verdict("supported", "the claimed escapes exceed the random-swap null at 0.7 and 0.8")
    if not k1 and not k2:
        return Verdict("refuted", f"no claimed escape beats random boundary swaps at matched q (above null: "
                                  f"{m['above_null']})")
    return Verdict("inconclusive", f"kappa1@0.7 above null: {k1}; kappa2@0.8 above null: {k2}")


declare(id="plateau.random_swap_null",
        statement="The non-monotone features' gains at S = 0.7 (kappa = 1) and S = 0.8 (kappa = 2) exceed what random "
                  "boundary swaps at the same swap count give.",
        provenance="reconstructed", status="inconclusive", rule=_rule_null, prediction=P.regime_prediction,
        decision={"null_quantile": 0.95, "n_null": 300},
        decision_notes="seed-mean null at each scorer's own q_j, 95th percentile (spec 7.2, B-C9)",
        tags=("control", "null"), source=f"{SRC} B-C9; paper B-claim-4, B-claim-5")


def _rule_bump(m, pred, dec):
    missing = [c for c in dec["chaos_features"] if c not in m["per_chaos"]]
    if missing:
        return Verdict("inconclusive", f"chaos features {missing} were not measured")
    per = {c: m["per_chaos"][c] for c in dec["chaos_features"]}
    if any(v["survives"] for v in per.values()):
        return Verdict("supported", f"chaos - bump gap exceeds 2 null SD: {per}")
    if all(v["gap_ci"][1] < dec["claimed_gap_pp"] for v in per.values()):
        return Verdict("refuted", "gaps " + ", ".join(f"{c}-S1 {v['gap']:.2f} pp (CI upper {v['gap_ci'][1]:.2f}, "
                                                      f"2 null SD {2 * v['null_diff_sd']:.2f})"
                                                      for c, v in per.items())
                       + f" exclude the claimed +{dec['claimed_gap_pp']:.1f} pp")
    return Verdict("inconclusive", f"gap below 2 null SD but the claimed gap is not excluded: {per}")


declare(id="plateau.bump_vs_chaos",
        statement="At matched swap count the chaos-derived feature beats the handcrafted Gaussian bump by about "
                  "4 pp (paper: +4.6 vs +0.6).",
        provenance="paper", status="refuted", rule=_rule_bump, prediction=P.regime_prediction,
        decision={"null_sd_factor": 2.0, "claimed_gap_pp": 4.0, "S": 0.7,
                  "chaos_features": ["S2", "R1", "SL", "RL"]},
        decision_notes="survives only above 2 SD of the difference of two independent seed-mean nulls (B-C10); "
                       "chaos-derived = logistic-map S2/R1 (spec 3.8a) and the per-channel SGD-FTLE SL/RL "
                       "(project reconstruction of 3.8b by the tangent map); supported if any survives, refuted if "
                       "every gap CI lies below the claimed gap",
        tags=("control",), source=f"{SRC} B-C10; paper B-claim-8")


def _rule_boundary(m, pred, dec):
    s1 = m["S1_hat"]
    if (m["all_exist"] and m["spread"] is not None and m["spread"] <= dec["grid_step"] + 1e-9
            and m["max_dev_from_paper"] <= dec["grid_step"] + 1e-9):
        return Verdict("supported", f"S_1 = {s1} at widths {m['widths']}, at the paper's 0.65")
    d2 = f", depth 2: {m['depth2_S1_hat']}" if m.get("depth2_ran") else ""
    return Verdict("refuted", f"boundaries are set-up-specific: S_1 = {s1} at widths {m['widths']}{d2} (paper 0.65, "
                              f"tolerance one grid step {dec['grid_step']})")


declare(id="plateau.regime_boundaries",
        statement="The regime boundary at S = 0.65 is a real transition that does not move with width.",
        provenance="paper", status="refuted", rule=_rule_boundary, prediction=P.regime_prediction,
        decision={"grid_step": 0.025, "widths_quick": [128, 256], "widths_full": [128, 256, 512],
                  "depth2_full": "64-256-256-10"},
        decision_notes="S_1 = first S where the best of the nine scorers exceeds the per-S max-statistic null "
                       "95th percentile (B-C11)", tags=("regime", "width"), source=f"{SRC} B-C11; paper B-claim-2")


def _rule_multi(m, pred, dec):
    c = m["claimed"]
    surv = [k for k, v in c.items() if v["survives_global"]]
    if len(surv) == len(c):
        return Verdict("supported", f"claimed escapes survive the global max-statistic threshold "
                                    f"{m['global_threshold']:.2f} pp")
    if not surv:
        return Verdict("refuted", f"no claimed escape survives the global threshold {m['global_threshold']:.2f} pp: "
                                  + ", ".join(f"{k} {v['scorer']} {v['mean']:.2f}" for k, v in c.items()))
    return Verdict("inconclusive", f"only {surv} survive")


declare(id="plateau.multiple_comparisons",
        statement="The paper's claimed escapes (kappa = 1 at 0.7, kappa = 2 at 0.8) survive multiple-comparison "
                  "control over its 9 scorers x 4 sparsities.",
        provenance="reconstructed", status="refuted", rule=_rule_multi, prediction=P.regime_prediction,
        decision={"null_quantile": 0.95, "design": "9 x 4"},
        decision_notes="global Westfall-Young max-statistic over the 36 (scorer, S) cells (spec 7.2, B-C12)",
        tags=("null", "multiplicity"), source=f"{SRC} B-C12")
