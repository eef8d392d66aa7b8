"""Scores as ``importance_scores`` for ``torch.nn.utils.prune`` (spec graphon §3.7).

The traps handled here:

1. ``L1Unstructured`` ranks by |score|: signed scores (original GraSP, Random's N(0,1) draws) are shifted to
   s - min(s) (the minimum over the pooled tensors), which keeps their order.  Passing raw signed GraSP scores
   silently gives the |GraSP| mask (``shift=False`` reproduces that trap on purpose).
2. ``amount`` is the number **to prune**; a float would be rounded by torch, so the integer N - K is passed.
3. On modules that already carry a torch mask, ``amount`` counts still-unpruned entries: the count passed is
   (currently kept) - K.
4. torch breaks ties with ``topk``: compare with the suite's masks only on tie-free scores.
5. torch re-parameterises the module (``weight_orig``, ``weight_mask``, a forward pre-hook); ``prune.remove``
   makes it permanent.
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils import prune as tprune

from simulations.pai import threshold as th
from simulations.pai.prunable import prunable_tensors
from simulations.pai.scorers import merge_flags

SIGNED_METHODS = ("grasp", "random")


def importance_scores(scores: dict[str, torch.Tensor], signed: bool) -> dict[str, torch.Tensor]:
    """Scores safe for ``L1Unstructured``: shifted by the pooled minimum when ``signed``."""
    if not signed:
        return {k: v.detach() for k, v in scores.items()}
    lo = min(float(v.min()) for v in scores.values())
    return {k: v.detach() - lo for k, v in scores.items()}


def _kept(mod: nn.Module, attr: str) -> int:
    m = getattr(mod, attr + "_mask", None)
    return int(m.sum()) if isinstance(m, torch.Tensor) else int(getattr(mod, attr).numel())


def torch_prune(model: nn.Module, scores: dict[str, torch.Tensor], density: float, *, scope: str = "global",
                signed: bool = False, shift: bool = True, flags=None, **flag_kw) -> dict[str, torch.Tensor]:
    """Prune ``model`` in place with ``torch.nn.utils.prune`` (global_unstructured / l1_unstructured) using
    ``scores`` as importance scores; returns the resulting ``<attr>_mask`` buffers as bool masks.  The §3.6
    flags (``prune_bias=True``, ...) select the tensors, as in :func:`simulations.pai.prune`; torch can mask
    any parameter, normalisation parameters included."""
    if scope not in th.SCOPES:
        raise ValueError(f"scope must be one of {th.SCOPES}, got {scope!r}")
    tensors = {w: (m, a) for w, m, a in prunable_tensors(model, merge_flags(flags, flag_kw))}
    if set(scores) != set(tensors):
        raise ValueError(f"scores must cover exactly the prunable tensors {sorted(tensors)}, got {sorted(scores)}")
    imp = importance_scores(scores, signed and shift)
    size = {w: int(getattr(m, a).numel()) for w, (m, a) in tensors.items()}
    if scope == "global":
        k = th.kept_count(density, sum(size.values()))
        amount = sum(_kept(m, a) for m, a in tensors.values()) - k
        tprune.global_unstructured(list(tensors.values()), pruning_method=tprune.L1Unstructured,
                                   importance_scores={tensors[w]: imp[w] for w in tensors},
                                   amount=int(max(amount, 0)))
    else:
        for w, (m, a) in tensors.items():
            k = th.kept_count(density, size[w])
            tprune.l1_unstructured(m, a, amount=int(max(_kept(m, a) - k, 0)), importance_scores=imp[w])
    return {w: getattr(m, a + "_mask").detach() != 0 for w, (m, a) in tensors.items()}
