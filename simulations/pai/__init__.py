"""Pruning at initialisation: models, scorers (Random, Magnitude, SNIP, GraSP, |GraSP|, SynFlow), thresholds
and masks, following the scorer conventions described in ``docs/papers/graphon-scorers.md``.

Public entry points::

    from simulations.pai import compute_scores, prune, apply_masks, OneHiddenLayer, MLP, ConvNet
"""
from simulations.pai.masks import LayerCollapseError, PruneResult, apply_masks, prune, prune_with_info
from simulations.pai.models import MLP, ConvNet, MaskedConv2d, MaskedLinear, OneHiddenLayer, ResidualConvNet, \
    bipartite_matrix
from simulations.pai.prunable import PruneFlags, prunable_tensors
from simulations.pai.scorers import METHODS, ScoreResult, compute_scores, current_masks, prunable_layers, score

__all__ = ["compute_scores", "score", "ScoreResult", "prune", "prune_with_info", "PruneResult", "apply_masks",
           "LayerCollapseError", "OneHiddenLayer", "MLP", "ConvNet", "MaskedLinear", "MaskedConv2d",
           "bipartite_matrix", "current_masks", "prunable_layers", "METHODS", "ResidualConvNet", "PruneFlags",
           "prunable_tensors"]
