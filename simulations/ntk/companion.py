"""Companion check 28 (spec §9 #28, D2) [secondary-weak]: spectral concentration of the empirical NTK Gram of
a deep masked MLP (4 weight layers, NTK parameterisation, He σ² = 2, readout prunable) at density 0.1, masks
from Random, SNIP and iterative SynFlow (100 rounds) via :func:`simulations.pai.masks.prune`; Gram by the
structured torch engine (equal to the torch.func Jacobian contraction to 1e-10, check 27) on the synthetic sign
task of spec §8.9 (d = 64).
"""
from __future__ import annotations

import numpy as np

from theory import ntk as T


def companion_cell(cell) -> dict:
    import torch

    from simulations.ntk.structured import ntk_structured
    from simulations.ntk.models import NTKMLP
    from simulations.pai.masks import prune

    c = cell.config
    seed = int(c["pair_seed"]) % (2**31)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((c["N"], 64))
    y = np.where(X[:, :16].sum(1) >= 0, 1.0, -1.0)
    width = c["width"]
    dev = getattr(cell, "device", "cpu")
    model = NTKMLP([64, width, width, width, 1], seed=seed, sigmas=[np.sqrt(2.0)] * 4, prune_readout=True,
                   device=dev)
    Xt, yt = torch.as_tensor(X, device=dev), torch.as_tensor(y, device=dev)
    masks = prune(model, c["method"], c["density"], data=(Xt, yt), seed=seed, allow_collapse=True)
    model.set_masks([masks[f"layers.{i}.weight"] for i in range(4)])
    K = ntk_structured(model, Xt).cpu().numpy()      # = torch.func Jacobian contraction (test, 1e-10)
    lam = np.clip(T.eigenvalues(K), 0.0, None)
    Kc = K - K.mean(0, keepdims=True)
    Kc = Kc - Kc.mean(1, keepdims=True)        # centred Gram: removes the constant (mean-output) mode
    return {"top5_share": T.top_k_share(K, 5), "top5_share_centred": T.top_k_share(Kc, 5),
            "effective_rank": T.effective_rank(K),
            "top1_share": float(lam[0] / lam.sum()), "realised_density": float(
                sum(float(m.double().sum()) for m in masks.values()) / sum(m.numel() for m in masks.values()))}
