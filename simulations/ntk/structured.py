"""Structured empirical NTK of a masked :class:`~simulations.ntk.models.NTKMLP` in torch, on the model's device.

The per-example gradient of a linear layer's weight is an outer product, ∂f/∂W^ℓ_ij = c_ℓ δ^ℓ_i(x) a^{ℓ-1}_j(x)
M_ij with c_ℓ = σ_ℓ/√n_{ℓ-1}, so the layer's NTK contribution is

    Θ_ℓ(x, x') = c_ℓ² Σ_ij M_ij δ_i(x)δ_i(x') a_j(x)a_j(x')

computed without materialising per-example Jacobians: (δδ'ᵀ) ⊙ (aa'ᵀ) for an unmasked layer, over the kept
entries (N² K) when the mask is sparse, or as rowsum((P M) ⊙ Q) over pairs (a dense GEMM) otherwise.  δ comes from one batched backward recursion.
Same quantity as :func:`simulations.ntk.empirical.ntk_jacobian` (tested to 1e-10), usable on cuda.
"""
from __future__ import annotations

import math

import torch

from simulations.ntk.models import NTKMLP

_DERIV = {"relu": lambda h: (h > 0).to(h.dtype), "tanh": lambda h: 1 - torch.tanh(h) ** 2,
          "linear": torch.ones_like, "erf": lambda h: (2 / math.sqrt(math.pi)) * torch.exp(-h * h)}


def _gram(A, B, M, A2, B2, max_block: int = 8_000_000):
    """Σ_ij M_ij A[k,i]A2[l,i] B[k,j]B2[l,j]: kept-entry route for sparse masks, pair route for dense ones."""
    N1, N2 = A.shape[0], A2.shape[0]
    if bool((M != 0).all()):                            # dense layer: (A A2ᵀ) ⊙ (B B2ᵀ), no pairs needed
        return (A @ A2.T) * (B @ B2.T)
    if float(M.mean()) <= 0.25:
        rows, cols = torch.nonzero(M, as_tuple=True)
        out = torch.zeros(N1, N2, dtype=A.dtype, device=A.device)
        step = max(1, max_block // max(N1, N2))
        for s in range(0, rows.numel(), step):          # chunks of kept entries, each one GEMM
            r, c = rows[s:s + step], cols[s:s + step]
            out += (A[:, r] * B[:, c]) @ (A2[:, r] * B2[:, c]).T
        return out
    out = torch.empty(N1, N2, dtype=A.dtype, device=A.device)
    step = max(1, max_block // max(1, N2 * max(A.shape[1], B.shape[1])))
    for s in range(0, N1, step):                        # chunks of rows, each one GEMM over pairs
        P = (A[s:s + step, None, :] * A2[None, :, :]).reshape(-1, A.shape[1])
        Q = (B[s:s + step, None, :] * B2[None, :, :]).reshape(-1, B.shape[1])
        out[s:s + step] = ((P @ M) * Q).sum(1).reshape(-1, N2)
    return out


def _forward_backward(model: NTKMLP, x: torch.Tensor):
    act = {"relu": torch.relu, "tanh": torch.tanh, "linear": lambda h: h, "erf": torch.erf}[model.activation]
    der = _DERIV[model.activation]
    L = len(model.layers)
    coef = [model.sigmas[i] / math.sqrt(model.widths[i]) for i in range(L)]
    acts, pre = [x], []
    for i, lay in enumerate(model.layers):
        h = coef[i] * acts[-1] @ (lay.mask * lay.weight).T
        pre.append(h)
        if i < L - 1:
            acts.append(act(h))
    deltas = [None] * L
    deltas[-1] = torch.ones_like(pre[-1])
    for i in range(L - 2, -1, -1):
        lay = model.layers[i + 1]
        deltas[i] = der(pre[i]) * (coef[i + 1] * deltas[i + 1] @ (lay.mask * lay.weight))
    return acts, deltas, coef


@torch.no_grad()
def ntk_structured(model: NTKMLP, x1: torch.Tensor, x2: torch.Tensor | None = None) -> torch.Tensor:
    """Θ(x1, x2) summed over every layer's kept entries; (N1, N2) on the model's device."""
    if not isinstance(model, NTKMLP):
        raise ValueError(f"model must be an NTKMLP (bias-free masked MLP), got {type(model).__name__}")
    if not isinstance(x1, torch.Tensor) or x1.ndim != 2:
        raise ValueError("x1 must be a 2-D torch tensor (N, d)")
    a1, g1, coef = _forward_backward(model, x1)
    a2, g2 = (a1, g1) if x2 is None else _forward_backward(model, x2)[:2]
    out = None
    for i, lay in enumerate(model.layers):
        t = coef[i] ** 2 * _gram(g1[i], a1[i], lay.mask, g2[i], a2[i])
        out = t if out is None else out + t
    return out
