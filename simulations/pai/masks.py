"""Scores -> masks: thresholds, scope, ties, iterative nesting, layer collapse (spec graphon §3.3-§3.6).

``prune(model, method, density, data)`` returns boolean masks keyed by parameter name and never modifies the
model; ``apply_masks(model, masks)`` writes them into the ``mask`` buffers of the masked layers.

* Round k = 1..R targets density p^(k/R) (R = 100 for SynFlow, 1 otherwise, unless ``rounds`` is given; or,
  with ``schedule="fraction_of_remaining"``, removes round(f * remaining) per pool, f = 1 - p^(1/R)); every
  round re-scores the masked network, and the scores of already-pruned entries are set to -inf first, so masks
  are nested (the reference recomputes from all scores; for iterative Random and SNIP the suite never re-admits).
* Density is relative to all prunable entries, K(p, N) = round(p N); ``scope`` global pools tensors in
  registration order, ``layerwise`` keeps K(p, N_l) per tensor; ties per :mod:`simulations.pai.threshold`.
* Prunable tensors follow the §3.6 flags ``prune_bias``, ``prune_norm``, ``prune_shortcut`` (all off by default)
  and ``prune_readout`` (None: the model's choice); masks are keyed by parameter name (``"layers.0.bias"``,
  ``"bn1.weight"``, ...).  See :mod:`simulations.pai.prunable`.
* Layer collapse (a prunable tensor left empty, or R = 0 for the masked |theta| network on all-ones input)
  raises :class:`LayerCollapseError`, or is recorded in ``PruneResult.collapsed`` with ``allow_collapse=True``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import nn

from simulations.pai import threshold as th
from simulations.pai.prunable import PruneFlags
from simulations.pai.scorers import METHODS, current_masks, path_R, score
from simulations.rng import derive_seed


class LayerCollapseError(RuntimeError):
    """A prunable tensor lost every entry, or no input -> output path survives the mask."""


@dataclass
class PruneResult:
    masks: dict[str, torch.Tensor]            # bool, keyed by parameter name
    density: float                             # realised overall density (kept / prunable)
    layer_densities: dict[str, float]
    round_densities: list[float]               # realised overall density after every round
    round_targets: list[float]                 # p^(k/R)
    thresholds: list[float]                    # tau_n per round: smallest kept score (global scope)
    R: list[float] = field(default_factory=list)   # SynFlow's R per round (score of the network it pruned)
    R_final: float | None = None               # R of the final masked |theta| network (path check)
    collapsed: list[str] = field(default_factory=list)   # empty tensors, or "<no path>"
    normalisers: list[float] = field(default_factory=list)
    flags: dict = field(default_factory=dict)             # the §3.6 prunable-tensor flags used


def _check_args(method, scope, ties, rounds):
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if scope not in th.SCOPES:
        raise ValueError(f"scope must be one of {th.SCOPES}, got {scope!r}")
    if ties not in th.TIES:
        raise ValueError(f"ties must be one of {th.TIES}, got {ties!r}")
    if rounds is None:
        return 100 if method == "synflow" else 1
    if isinstance(rounds, bool) or not isinstance(rounds, int) or rounds < 1:
        raise ValueError(f"rounds must be a positive integer (or None for the method default), got {rounds!r}")
    return rounds


SCHEDULES = ("exponential", "fraction_of_remaining")


def _fraction_targets(masks, scope, f) -> dict[str, float] | float:
    """open_lth style: remove round(f * remaining) of the still-kept entries of every pool; returns the
    density to select with (global: one value; layer-wise: one per tensor)."""
    if scope == "global":
        n = sum(int(m.numel()) for m in masks.values())
        rem = sum(int(torch.count_nonzero(m)) for m in masks.values())
        return (rem - int(round(f * rem))) / n
    out = {}
    for w, m in masks.items():
        rem = int(torch.count_nonzero(m))
        out[w] = (rem - int(round(f * rem))) / m.numel()
    return out


def _select(s, density, scope, ties):
    if isinstance(density, dict):
        return {w: (th.top_k_mask(v, density[w], ties) if density[w] > 0 else torch.zeros_like(v, dtype=torch.bool))
                for w, v in s.items()}
    if density <= 0:
        return {w: torch.zeros_like(v, dtype=torch.bool) for w, v in s.items()}
    return th.top_k_masks(s, density, scope=scope, ties=ties)


def prune_with_info(model: nn.Module, method: str, density: float, data=None, *, scope: str = "global",
                    ties: str = "exact", rounds: int | None = None, seed: int | None = None, loss="mse",
                    temperature: float = 1.0, allow_collapse: bool = False, train_mode: bool = False,
                    path_check: bool = True, on_round=None, schedule: str = "exponential",
                    prune_bias: bool = False, prune_norm: bool = False, prune_shortcut: bool = False,
                    prune_readout: bool | None = None) -> PruneResult:
    """Masks and metadata; see module docstring.  ``on_round(k, score_result, masks_before, masks_after)``
    is called after every round (for diagnostics such as SynFlow conservation at each round).
    ``schedule="fraction_of_remaining"`` (open_lth style) removes round(f * remaining) entries of every pool per
    round with f = 1 - density^(1/R), instead of targeting K(density^(k/R), N).  ``prune_*`` are the §3.6
    prunable-tensor flags (:class:`simulations.pai.prunable.PruneFlags`)."""
    p = th.check_density(density)
    fl = PruneFlags(prune_bias, prune_norm, prune_shortcut, prune_readout)
    R_rounds = _check_args(method, scope, ties, rounds)
    if schedule not in SCHEDULES:
        raise ValueError(f"schedule must be one of {SCHEDULES}, got {schedule!r}")
    frac = 1.0 - p ** (1.0 / R_rounds)
    masks = current_masks(model, fl)
    names = list(masks)
    n_total = sum(int(m.numel()) for m in masks.values())
    res = PruneResult(masks={}, density=0.0, layer_densities={}, round_densities=[], round_targets=[],
                      thresholds=[], flags=dict(vars(fl)))
    for k in range(1, R_rounds + 1):
        pk = p ** (k / R_rounds) if schedule == "exponential" else _fraction_targets(masks, scope, frac)
        rseed = None if seed is None else (seed if R_rounds == 1 else derive_seed(seed, "round", k))
        sr = score(model, method, data, loss=loss, temperature=temperature, seed=rseed, masks=masks,
                   train_mode=train_mode, flags=fl)
        if sr.R is not None:
            res.R.append(sr.R)
        res.normalisers.append(sr.normaliser)
        full = {w: bool(masks[w].all()) for w in names}
        s = {w: sr.scores[w] if full[w] else sr.scores[w].masked_fill(~masks[w], float("-inf")) for w in names}
        new = _select(s, pk, scope, ties)
        # -inf ties can only pick already-pruned entries
        new = {w: new[w] if full[w] else new[w] & masks[w] for w in new}
        kept_min = [float(s[w].masked_fill(~new[w], float("inf")).min()) for w in new if bool(new[w].any())]
        res.thresholds.append(min(kept_min, default=float("nan")))
        if on_round is not None:
            on_round(k, sr, masks, new)
        masks = new
        res.round_targets.append(pk if not isinstance(pk, dict) else
                                 sum(v * masks[w].numel() for w, v in pk.items()) / n_total)
        res.round_densities.append(sum(int(torch.count_nonzero(m)) for m in masks.values()) / n_total)
        empty = [w for w, m in masks.items() if not bool(m.any())]
        if empty:
            res.collapsed = empty
            break
    res.masks = masks
    res.density = res.round_densities[-1]
    res.layer_densities = {w: int(torch.count_nonzero(m)) / m.numel() for w, m in masks.items()}
    if not res.collapsed and path_check:
        try:
            res.R_final = path_R(model, masks, data, flags=fl)
        except ValueError:            # no input shape known: the empty-tensor check still ran
            res.R_final = None
        if res.R_final is not None and res.R_final == 0.0:
            res.collapsed = ["<no path>"]
    if res.collapsed and not allow_collapse:
        raise LayerCollapseError(f"{method} at density {p} collapsed: {res.collapsed} (empty tensor or no "
                                 "input->output path); pass allow_collapse=True to record it instead")
    return res


def prune(model: nn.Module, method: str, density: float, data=None, *, scope: str = "global",
          ties: str = "exact", rounds: int | None = None, seed: int | None = None, loss="mse",
          allow_collapse: bool = False, temperature: float = 1.0, train_mode: bool = False,
          schedule: str = "exponential", prune_bias: bool = False, prune_norm: bool = False,
          prune_shortcut: bool = False, prune_readout: bool | None = None) -> dict[str, torch.Tensor]:
    """Boolean masks keyed by parameter name (the model is not modified; see :func:`apply_masks`)."""
    return prune_with_info(model, method, density, data, scope=scope, ties=ties, rounds=rounds, seed=seed,
                           loss=loss, temperature=temperature, allow_collapse=allow_collapse,
                           train_mode=train_mode, schedule=schedule, prune_bias=prune_bias, prune_norm=prune_norm,
                           prune_shortcut=prune_shortcut, prune_readout=prune_readout).masks


def apply_masks(model: nn.Module, masks: dict) -> nn.Module:
    """Copy masks (bool or float 0/1) into the mask buffers of the named layers; returns the model.  Weights go
    to the ``mask`` buffer of a masked layer; biases of a masked layer (``prune_bias``) to a ``bias_mask``
    buffer, registered on first use.  Other tensors (normalisation parameters, plain torch modules) have no
    buffer: use :mod:`simulations.pai.torch_prune`."""
    from simulations.pai.models import MASKED_TYPES

    mods = dict(model.named_modules())
    for w, m in masks.items():
        attr = w.rsplit(".", 1)[-1]
        mod = mods.get(w[: -len(attr) - 1] if "." in w else "")
        if attr not in ("weight", "bias") or not isinstance(mod, MASKED_TYPES) or getattr(mod, attr) is None:
            raise ValueError(f"{w!r} is not the weight or bias of a masked layer (MaskedLinear / MaskedConv2d); "
                             "use simulations.pai.torch_prune for normalisation parameters and plain torch modules")
        t = getattr(mod, attr)
        m = torch.as_tensor(m, device=t.device)
        if tuple(m.shape) != tuple(t.shape):
            raise ValueError(f"mask {w!r} has shape {tuple(m.shape)}, expected {tuple(t.shape)}")
        if m.dtype != torch.bool and not bool(((m == 0) | (m == 1)).all()):
            raise ValueError(f"mask {w!r} must be boolean or 0/1")
        if attr == "bias" and getattr(mod, "bias_mask", None) is None:
            mod.register_buffer("bias_mask", torch.ones_like(t.detach()))
        buf = mod.mask if attr == "weight" else mod.bias_mask
        with torch.no_grad():
            buf.copy_(m.to(buf.dtype))
    return model
