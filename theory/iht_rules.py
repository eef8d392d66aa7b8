"""Verdict rules of the IHT claims: pure functions of (measured metrics, prediction, decision constants) that
decide through :mod:`theory.decide` (interval against the predicted region; exact checks only for quantities
with no sampling error)."""
from __future__ import annotations

import math

from theory import decide as D
from theory.iht_stats import median_interval, newcombe_interval
from theory.registry import Verdict


# ----------------------------------------------------------------------------------------------- helpers
def worst(members: list, what: str) -> Verdict:
    """Combine many member decisions like :func:`theory.decide.family` (any refuted -> refuted, all supported
    -> supported, else inconclusive) with a short reason: the counts and the deciding member."""
    if not members:
        raise ValueError("worst needs at least one member decision")
    out = D.family({str(i): v for i, v in enumerate(members)})
    counts = {k: sum(v.verdict == k for v in members) for k in ("supported", "inconclusive", "refuted")}
    pick = next((v for v in members if v.verdict == out.verdict and out.verdict != "supported"), None)
    if pick is None:        # all supported: show the member closest to an edge (the first one)
        pick = members[0]
    return Verdict(out.verdict, f"{what}: {counts['supported']} inside, {counts['inconclusive']} straddling, "
                                f"{counts['refuted']} outside; e.g. {pick.reason}")


def z_bonferroni(level: float, m: int) -> float:
    """Two-sided normal quantile for m simultaneous intervals at family level ``level``."""
    from scipy.stats import norm

    return float(norm.ppf(1 - (1 - level) / (2 * max(int(m), 1))))


def se_interval(est: float, se: float, z: float) -> tuple[float, float]:
    return (est - z * se, est + z * se)


# ----------------------------------------------------------------------------------------------- identities
def reformulation(m, pred, dec):
    v = D.exact(m["max_err"], dec["tol"], "max ‖A w* − y‖/‖y‖ over sign settings and indicators")
    return D.downgrade(v, not m["min_control_err"] > dec["control_min"],
                       f"negative control failed: h_j = w_j with v_j < 0 gave error {m['min_control_err']:.3g} "
                       f"(> {dec['control_min']} needed)")


def matrix_free(m, pred, dec):
    return D.family({"products vs dense A and per-block loop": D.exact(m["max_rel"], dec["tol"], "max rel diff"),
                     "adjoint": D.exact(m["max_adjoint"], dec["tol"], "adjoint defect")})


def streaming(m, pred, dec):
    return D.all_hold({"supports equal": m["support_mismatches"] <= dec["support_mismatches_allowed"],
                       "values equal": bool(m["values_ok"]), "buffer <= t + b d": bool(m["buffer_bound_ok"])},
                      "streaming vs dense H_t")


def memory_v1(m, pred, dec):
    """Deterministic ledger/trace facts (superseded by :func:`memory`)."""
    lo, hi = dec["slope_range"]
    r_lo, r_hi = dec["traced_ratio_range"]
    return D.all_hold({"persistent slope vs s in range": lo <= m["persistent_slope_s"] <= hi,
                       "persistent constant in p": bool(m["persistent_const_p"]),
                       "persistent constant in d": bool(m["persistent_const_d"]),
                       "traced peak ratio p x10 in range": r_lo <= m["traced_ratio"] <= r_hi,
                       "measured iterate bytes constant in p": bool(m["measured_state_const_p"])},
                      "memory ledger and traced peak")


def memory(m, pred, dec):
    """P6 on traced peaks of real steps: per solver, the peak does not grow with p (log-log slope interval within
    ±p_slope_tol) and grows with s at a per-nonzero cost (slope interval of peak on s, bytes) of at most
    max_bytes_per_nonzero at every n of the design (a materialised n x s product costs 8 n bytes per nonzero)."""
    members = {}
    for sv, r in m["solvers"].items():
        members[f"{sv} p"] = D.within(r["p_slope_ci"], 0.0, dec["p_slope_tol"],
                                      f"{sv}: log-log slope of the step peak against p")
        for n, f in r["per_nonzero"].items():
            members[f"{sv} s, n={n}"] = D.at_most(f["ci"], dec["max_bytes_per_nonzero"],
                                                  f"{sv}: bytes per added nonzero at n={n}")
    notes = "; ".join(f"{sv}: peak ∝ n^{r['n_slope']:.2f}, iterate {r['state_bytes_per_nonzero']:.0f} B/nonzero"
                      for sv, r in m["solvers"].items())
    return D.with_note(D.family(members), f"{notes}; level s̃/s = {m['level_over_s']}")


def throughput(m, pred, dec):
    speed = D.at_least(median_interval(m["speedups"], dec["level"]), dec["min_speedup"],
                       f"median speed-up of the matrix product over the per-block loop (order-statistic interval, "
                       f"{len(m['speedups'])} paired timings)")
    return D.family({"speed": speed, "agreement": D.exact(m["max_rel_err"], dec["tol"], "rel diff")})


# ----------------------------------------------------------------------------------------------- Assumption 2
def coverage(m, pred, dec):
    band = D.proportion(m["in_band_k"], m["in_band_n"], (dec["frac"], 1.0),
                        "fraction of generators with coverage in 0.5 ± 3/√n")
    low = D.at_least(D.mean_interval(m["mins"]), pred["coverage_lower_bound"],
                     "min coverage per replicate (t interval) vs the Hoeffding bound")
    return D.family({"band": band, "minimum": low})


def separation(m, pred, dec):
    t, n = dec["tol"], m["n"]
    gamma = pred[m.get("gamma_key", "gamma_exact")]
    lvl = 1 - (1 - dec["level"]) / max(len(m["pair_counts"]), 1)
    law = worst([D.interval(D.proportion_interval(k, n, level=lvl), (a / math.pi - t, a / math.pi + t),
                            f"pair d_H/n (Wilson, Bonferroni over {len(m['pair_counts'])})")
                 for k, a in zip(m["pair_counts"], m["pair_angles"])], "angle law |d_H/n − θ/π| ≤ tol")
    members = {"angle law": law,
               "minimum distinct pair": D.interval(D.proportion_interval(m["min_pair_count"], n),
                                                   (gamma - t, 1.0), "smallest distinct-pair d_H/n"),
               "closest constructed pair": D.within(D.proportion_interval(m["closest_count"], n), gamma, t,
                                                    "closest-pair d_H/n vs γ"),
               "antipodes": D.exact(m["antipodal_count"] - n, 0, "antipodal d_H − n"),
               "near-parallel Gaussian": D.at_most(D.proportion_interval(m["gaussian_close_count"], n),
                                                   dec["gaussian_close_max"], "near-parallel Gaussian d_H/n")}
    return D.family(members)


# ----------------------------------------------------------------------------------------------- Lemma 1
def rsc_measured(m, pred, dec):
    v = D.family({"λ_min": D.at_least(D.mean_interval(m["draw_min"]), dec["lam_min_floor"],
                                      "per-draw min λ_min(A_SᵀA_S/n) over supports (t interval)"),
                  "λ_max": D.at_most(D.mean_interval(m["draw_max"]), dec["lam_max_ceiling"],
                                     "per-draw max λ_max over supports (t interval)"),
                  "fluctuations shrink": D.interval(m["sd_ratio_ci"], tuple(dec["sd_ratio_range"]),
                                                    "sd(n=1000)/sd(n=300) (bootstrap over draws)")})
    return D.downgrade(v, not m["antipodal_lam4"] <= dec["null_tol"],
                       f"contrast failed: antipodal generator set gave λ₄ = {m['antipodal_lam4']:.2g}, not 0")


def rsc_population(m, pred, dec):
    cases = m["cases"]
    z = z_bonferroni(dec["level"], len(cases))
    return worst([D.within(se_interval(c["mc"] - c["formula"], c["se"], z), 0.0, dec["tol"],
                           f"MC − formula at θ={c['theta']}, {c['case']}") for c in cases],
                 "population λ_min against the closed form")


def overlap(m, pred, dec):
    rows = m["per_k"]
    z = z_bonferroni(dec["level"], len(rows))
    return worst([D.within(se_interval(r["lam_max"] / r["law"] - 1, r["se"] / r["law"], z), 0.0, dec["rel_tol"],
                           f"λ_max/(1/2+(k−1)c̄) − 1 at k={r['k']}") for r in rows],
                 "RSS of one feature in k blocks against 1/2 + (k−1)c̄")


# ----------------------------------------------------------------------------------------------- Theorem 1
def phase_transition(m, pred, dec):
    ks, ts, ns = m["k"], m["trials"], m["ns"]
    big = D.proportion(ks[-1], ts[-1], (dec["min_success_large"], 1.0), f"success at n={ns[-1]}")
    small = D.proportion(ks[0], ts[0], (0.0, dec["max_success_small"]), f"success at n={ns[0]}")
    lvl = 1 - (1 - dec["level"]) / max(len(ns) - 1, 1)
    mono = worst([D.at_least(newcombe_interval(ks[i + 1], ts[i + 1], ks[i], ts[i], lvl), -dec["max_dip"],
                             f"success(n={ns[i + 1]}) − success(n={ns[i]}) (Newcombe)")
                  for i in range(len(ns) - 1)], "no dip larger than max_dip")
    v = D.family({"large n": big, "small n": small, "monotone": mono})
    return D.with_note(v, f"n50 = {m['n50']:.1f} CI [{m['n50_ci'][0]:.1f}, {m['n50_ci'][1]:.1f}]")


def inflation(m, pred, dec):
    return D.with_note(D.at_least(m["gap_ci"], dec["min_gap"], "mean paired success gap s̃=2s minus s̃=s"),
                       f"rates s {m['rate_s']}, 2s {m['rate_2s']}")


def linear_rate(m, pred, dec):
    tails = D.proportion(m["niht_tail_ok"], m["niht_successes"], (dec["min_tail_ok_frac"], 1.0),
                         "fraction of successful NIHT runs with a linear tail (slope < −0.01, R² > 0.9)")
    slopes = m["niht_slopes"]
    slope = (D.at_most(D.mean_interval(slopes), dec["max_mean_slope"], "mean NIHT tail slope of log error")
             if len(slopes) >= 2 else Verdict("inconclusive", "fewer than 2 successful NIHT runs"))
    mono = D.exact(max(m["fixed_max_increase"], 0.0), dec["monotone_floor"],
                   "largest fixed-step objective increase / f(w₀)")
    return D.family({"NIHT linear tails": tails, "NIHT rate": slope, "fixed step monotone": mono})


def n50_ratio(m, pred, dec):
    """Ratio of the fitted n50 at the ends of the grid (bootstrap interval) against the predicted range."""
    ci = m["ratio_ci"]
    finite = all(math.isfinite(float(x)) for x in [m["ratio"], *ci])
    v = D.interval(ci if finite else (float("nan"), float("nan")), tuple(dec["ratio_range"]),
                   f"n50 ratio {m['compared'][1]} / {m['compared'][0]} (bootstrap)")
    v = D.downgrade(v, not finite, "a logistic fit has no transition inside the n grid")
    return D.with_note(v, f"point {float(m['ratio']):.3g}; n50 {m['n50']}")


# ----------------------------------------------------------------------------------------------- findings F1
def duplicates(m, pred, dec):
    return D.family({"no recovery": D.proportion(m["success_count"], m["trials"], (0.0, dec["max_success"]),
                                                 "recovery rate with a duplicated generator"),
                     "exact fit": D.proportion(m["fit_count"], m["trials"], (dec["min_fit_frac"], 1.0),
                                               "fraction of trials fitting y to 1e-8")})


def antipodal(m, pred, dec):
    """Finding F1: coverage and pairwise separation hold while A has an exact 4-sparse null vector.  An exhibited
    instance (constructed antipodal pairs, or one the search found) is deterministic evidence; the finding is
    refuted only when the construction applies, Assumption 2 holds on the sample and z is not a null vector."""
    applies = bool(m.get("construction_in_alphabet", True))
    a2 = bool(m["coverage_ok"]) and bool(m["angle_law_ok"]) and bool(m["separation_ok"])
    built = D.all_hold({"‖A z‖ ≤ tol": m["null_residual"] <= dec["null_tol"], "coverage": bool(m["coverage_ok"]),
                        "angle law": bool(m["angle_law_ok"]), "separation": bool(m["separation_ok"])},
                       "constructed antipodal pairs")
    note = (f"residual {m['null_residual']:.1e}; search over the alphabet found a counterexample: "
            f"{m['search_found']}")
    if (applies and built.verdict == "supported") or m["search_found"]:
        why = built.reason if applies and built.verdict == "supported" else \
            "search found generators satisfying Assumption 2 with α₄ = 0"
        return D.with_note(Verdict("supported", why), note)
    if applies and a2 and not m["search_found"]:
        return D.with_note(Verdict("refuted", f"Assumption 2 holds but z is not a null vector: {built.reason}"), note)
    return D.with_note(Verdict("inconclusive", "no exhibited instance (the construction does not apply or "
                                               "Assumption 2 failed on the sample) and none found by the search"),
                       note)


def twin(m, pred, dec):
    return D.family({"outputs equal": D.exact(m["max_output_diff"], dec["tol"], "max |f_a − f_b|"),
                     "A(w_a − w_b) = 0": D.exact(m["A_diff_norm"], dec["tol"], "‖A(w_a − w_b)‖"),
                     "distinct weights": D.all_hold({"w_a ≠ w_b": bool(m["weights_differ"])}),
                     "pairwise separated": D.at_least(D.proportion_interval(m["min_hamming_count"], m["n"]),
                                                      dec["min_hamming"], "smallest pairwise d_H/n (Wilson)")})


# ----------------------------------------------------------------------------------------------- structure, practice
def all_true(keys):
    def rule(m, pred, dec):
        return D.all_hold({k: bool(m[k]) for k in keys})
    return rule


def cs_sanity(m, pred, dec):
    k, t = m["aiht_k"], m["aiht_trials"]
    return D.family({"AIHT m=100": D.proportion(k["100"], t["100"], (dec["aiht_min_100"], 1.0), "AIHT success m=100"),
                     "AIHT m=40": D.proportion(k["40"], t["40"], (0.0, dec["aiht_max_40"]), "AIHT success m=40"),
                     "NIHT": D.proportion(m["niht_k"], m["niht_trials"], (dec["niht_min"], 1.0),
                                          "NIHT success (Gaussian amplitudes)")})


def scp_planted(m, pred, dec):
    p = m["psnr"]
    mem = {f"PSNR {c}": D.at_least(D.mean_interval(p[c]), dec["min_psnr"], f"mean PSNR at (m, s) = {c} (t, seeds)")
           for c in ("10_10", "10_50")}
    mem["s=200 worse"] = D.paired(p["10_10"], p["10_200"], "PSNR(10,10) − PSNR(10,200)")
    mem["model identity"] = D.exact(m["max_model_identity"], dec["identity_tol"], "rel diff Σ relu(X ŵ_j) vs solver")
    return D.family(mem)


def degeneracy(m, pred, dec):
    ref = dec["reference_p_pair"]
    cells = [c for c in ref if c in m["pair_k"]]
    lvl = 1 - (1 - dec["level"]) / len(cells)
    return worst([D.within(D.proportion_interval(m["pair_k"][c], m["draws"][c], level=lvl), ref[c], dec["tol"],
                           f"P(same-sign 1-sparse pair) at m_s={c} (Wilson, Bonferroni)") for c in cells],
                 "planted-pair probability vs the reference table")


def vs_imp(m, pred, dec):
    """Per cell: paired interval over seeds of PSNR(IHT) − PSNR(IMP) against > −margin dB; supported when at least
    ``min_cells`` cells are supported, refuted when so many are refuted that ``min_cells`` cannot be reached;
    storage is an exact ledger count."""
    members = []
    for c in m["cells_psnr"]:
        if len(c["iht"]) < 2:
            members.append(Verdict("inconclusive", f"cell {c['cell']}: one seed, no interval"))
        else:
            members.append(D.at_least(D.paired_interval(c["iht"], c["imp"]), -dec["margin_db"],
                                      f"cell {c['cell']}: PSNR(IHT) − PSNR(IMP)"))
    nsup = sum(v.verdict == "supported" for v in members)
    nref = sum(v.verdict == "refuted" for v in members)
    if nsup >= dec["min_cells"]:
        cells = Verdict("supported", f"{nsup}/{len(members)} cells competitive")
    elif len(members) - nref < dec["min_cells"]:
        cells = Verdict("refuted", f"{nref}/{len(members)} cells not competitive")
    else:
        cells = Verdict("inconclusive", f"{nsup} supported, {nref} refuted of {len(members)} cells")
    store = D.all_hold({f"IHT/IMP stored scalars {m['max_storage_ratio']:.3g} < {dec['max_storage_ratio']}":
                        m["max_storage_ratio"] < dec["max_storage_ratio"]}, "ledger (exact counts)")
    return D.family({"competitive": cells, "storage": store})


def sign_restriction(m, pred, dec):
    return D.all_hold({"zero generator under ≥ gives X w": m["zero_gen_ge_err"] <= dec["tol"],
                       "zero generator under > gives 0": m["zero_gen_gt_norm"] == 0,
                       "prediction non-negative with a negative output weight": m["neg_min_pred"] >= 0,
                       "alive blocks never increase after the switch": m["alive_increase"] <= 0},
                      "indicator and SCP sign restriction")


def imp_undertrained(m, pred, dec):
    """Finding F12: IMP trained to convergence beats the code-faithful IMP by more than ``margin_db`` (paired)."""
    v = D.paired(m["converged"], m["code_faithful"], "PSNR(IMP to convergence) − PSNR(code-faithful IMP)",
                 direction="greater", margin=dec["margin_db"])
    return D.with_note(v, f"code-faithful: {m['steps_per_round']} Adam steps per round; converged: "
                          f"{m['lbfgs_iterations_per_round']:.0f} L-BFGS iterations per round")


def fit_without_recovery(m, pred, dec):
    """Finding F5: an exhibited run that fits at >= min_psnr dB with weight-recovery error > max_error shows that
    the training PSNR does not certify recovery (deterministic per run); refuted when every fitting run
    recovers; inconclusive when no run fits."""
    v = D.all_hold({f"a run fits at >= {dec['min_psnr']} dB with recovery error > {dec['max_error']}":
                    m["fit_without_recovery"] >= 1}, f"{m['fit_without_recovery']} of {m['fits']} fitting runs")
    return D.downgrade(v, m["fits"] == 0, f"no run reached {dec['min_psnr']} dB")
