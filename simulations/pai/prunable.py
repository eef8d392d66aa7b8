"""Which tensors are prunable (spec graphon §3.6).

Default: the ``weight`` of every ``nn.Linear`` / ``nn.Conv2d`` (masked variants included).  Each excluded kind
is behind its own flag:

* ``prune_bias``     biases of Linear / Conv layers (the original SNIP scores them; the suite does not by default);
* ``prune_norm``     affine parameters (weight and bias) of BatchNorm / InstanceNorm / LayerNorm / GroupNorm;
* ``prune_shortcut`` every tensor of a residual / shortcut projection: a module whose qualified name has a
                     component ``shortcut`` or ``downsample`` (Synaptic-Flow's and torchvision's ResNets), or
                     that carries ``is_shortcut = True``; this covers the projection's BatchNorm too;
* ``prune_readout``  the readout = the last Linear / Conv layer in registration order.  ``None`` (default)
                     keeps the model's own choice (the module's ``prunable`` attribute: True for the readout of
                     :class:`~simulations.pai.models.MLP` and ``ConvNet``, False in the one-hidden-layer theory
                     model); True / False overrides it.

A module whose ``prunable`` attribute is False (other than the readout under an explicit ``prune_readout``) is
never pruned, nor are its bias and (for a shortcut) its norm parameters.  Tensors are listed in module-registration
order, weight before bias: that order is the pooling order of the global threshold.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

NORM_TYPES = (nn.modules.batchnorm._NormBase, nn.LayerNorm, nn.GroupNorm)
LAYER_TYPES = (nn.Linear, nn.Conv2d)
SHORTCUT_NAMES = ("shortcut", "downsample")
#: name of the 0/1 mask buffer a masked layer may carry for each attribute
MASK_BUFFER = {"weight": "mask", "bias": "bias_mask"}


@dataclass(frozen=True)
class PruneFlags:
    """Spec §3.6 flags; every excluded kind off by default."""

    prune_bias: bool = False
    prune_norm: bool = False
    prune_shortcut: bool = False
    prune_readout: bool | None = None

    def __post_init__(self):
        for k in ("prune_bias", "prune_norm", "prune_shortcut"):
            if not isinstance(getattr(self, k), bool):
                raise ValueError(f"{k} must be True or False, got {getattr(self, k)!r}")
        if self.prune_readout is not None and not isinstance(self.prune_readout, bool):
            raise ValueError(f"prune_readout must be True, False or None (the model's choice), "
                             f"got {self.prune_readout!r}")


def _is_shortcut(name: str, mod: nn.Module) -> bool:
    return bool(getattr(mod, "is_shortcut", False)) or any(part in SHORTCUT_NAMES for part in name.split("."))


def _pname(prefix: str, attr: str) -> str:
    return f"{prefix}.{attr}" if prefix else attr


def prunable_tensors(model: nn.Module, flags: PruneFlags | None = None) -> list[tuple[str, nn.Module, str]]:
    """``[(parameter name, module, attribute)]`` of the prunable tensors, in registration order."""
    flags = flags or PruneFlags()
    mods = list(model.named_modules())
    layers = [(n, m) for n, m in mods if isinstance(m, LAYER_TYPES)]
    readout = layers[-1][1] if layers else None
    out = []
    for name, mod in mods:
        shortcut = _is_shortcut(name, mod)
        if shortcut and not flags.prune_shortcut:
            continue
        if isinstance(mod, LAYER_TYPES):
            if mod is readout and flags.prune_readout is not None:
                keep = flags.prune_readout
            else:
                keep = bool(getattr(mod, "prunable", True))
            if not keep:
                continue
            out.append((_pname(name, "weight"), mod, "weight"))
            if flags.prune_bias and mod.bias is not None:
                out.append((_pname(name, "bias"), mod, "bias"))
        elif isinstance(mod, NORM_TYPES) and flags.prune_norm:
            for attr in ("weight", "bias"):
                if isinstance(getattr(mod, attr, None), torch.Tensor):   # a Parameter, or torch-pruned
                    out.append((_pname(name, attr), mod, attr))
    if not out:
        raise ValueError("model has no prunable tensor (no nn.Linear / nn.Conv2d weight selected by the flags)")
    return out
