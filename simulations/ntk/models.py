"""Masked networks in the NTK parameterisation for empirical-NTK checks (spec §2.1, §8.4).

:class:`NTKMLP` has weight layers ``h^ℓ = (σ_ℓ/√n_{ℓ-1}) (M^ℓ ⊙ W^ℓ) a^{ℓ-1}`` with W^ℓ iid N(0, 1), a^ℓ =
act(h^ℓ) for hidden layers and f = h^L.  Masks are float 0/1 buffers (``layers.<i>.mask``) on
:class:`simulations.pai.models.MaskedLinear`, so the PaI scorers (:func:`simulations.pai.masks.prune`) work on
it unchanged.  With widths [d, n, 1] and sigmas (σ_w, σ_a) and the readout not prunable it is the spec's
one-hidden-layer reference model (equivalently :class:`simulations.pai.models.OneHiddenLayer`).
"""
from __future__ import annotations

import math
from typing import Sequence

import torch
from torch import nn
from torch.nn import functional as F

from simulations.pai.models import MaskedLinear

ACTS = {"relu": F.relu, "tanh": torch.tanh, "linear": lambda h: h, "erf": torch.erf}


class NTKMLP(nn.Module):
    """Bias-free masked MLP in NTK parameterisation; ``widths = [d, n_1, ..., n_{L-1}, 1]``."""

    def __init__(self, widths: Sequence[int], *, seed: int, sigmas: float | Sequence[float] = 1.0,
                 activation: str = "relu", prune_readout: bool = True, dtype=torch.float64, device="cpu"):
        super().__init__()
        widths = [int(w) for w in widths]
        if len(widths) < 2 or min(widths) < 1:
            raise ValueError(f"widths must be >= 2 positive integers [d, ..., 1], got {widths!r}")
        if activation not in ACTS:
            raise ValueError(f"activation must be one of {tuple(ACTS)}, got {activation!r}")
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        L = len(widths) - 1
        sig = [float(sigmas)] * L if isinstance(sigmas, (int, float)) else [float(s) for s in sigmas]
        if len(sig) != L or min(sig) <= 0:
            raise ValueError(f"sigmas must be a positive number or one per weight layer ({L}), got {sigmas!r}")
        self.widths, self.sigmas, self.activation = widths, sig, activation
        self.input_shape = (widths[0],)
        g = torch.Generator(device="cpu")
        g.manual_seed(seed)
        self.layers = nn.ModuleList()
        for i in range(L):
            lay = MaskedLinear(widths[i], widths[i + 1], bias=False,
                               prunable=(prune_readout or i < L - 1), dtype=dtype)
            with torch.no_grad():
                lay.weight.copy_(torch.randn(lay.weight.shape, generator=g, dtype=dtype))
            self.layers.append(lay)
        self.to(device)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        act = ACTS[self.activation]
        h = x
        last = len(self.layers) - 1
        for i, lay in enumerate(self.layers):
            h = lay(h) * (self.sigmas[i] / math.sqrt(self.widths[i]))
            if i < last:
                h = act(h)
        return h

    def set_masks(self, masks: Sequence) -> "NTKMLP":
        """Masks per layer (array-like 0/1, ``None`` = dense), in layer order."""
        if len(masks) != len(self.layers):
            raise ValueError(f"need one mask (or None) per weight layer ({len(self.layers)}), got {len(masks)}")
        with torch.no_grad():
            for lay, m in zip(self.layers, masks):
                if m is None:
                    lay.mask.fill_(1.0)
                    continue
                t = torch.as_tensor(m, dtype=lay.mask.dtype, device=lay.mask.device).reshape(lay.mask.shape)
                lay.mask.copy_(t)
        return self

    def numpy_state(self) -> tuple[list, list]:
        """(weights, masks) as float64 numpy arrays, layer order (for the numpy closed-form contraction)."""
        W = [lay.weight.detach().cpu().double().numpy() for lay in self.layers]
        M = [lay.mask.detach().cpu().double().numpy() for lay in self.layers]
        return W, M
