"""Iterative magnitude pruning with lottery-ticket rewinding, as the authors' baseline runs it (spec §5.5):
bias-free MLP Linear(d->m)-ReLU-Linear(m->k_out), Adam (lr 1e-3), MSE, E epochs per round, global L1 pruning
of 10 % of the still-unpruned weights per round over all layers (at least one), rewind survivors to their
initial values and re-create Adam; one run scores every budget s by the first round with nnz <= s."""
from __future__ import annotations

import numpy as np


def imp_run(X: np.ndarray, y: np.ndarray, m: int, budgets, *, epochs: int = 15, batch: int | None = None,
            rate: float = 0.1, lr: float = 1e-3, seed: int = 0, device: str = "cpu") -> dict:
    """Returns ``{s: {"psnr", "nnz", "round", "steps_per_round"}}`` for each budget s, plus the rounds run."""
    import torch

    if not 0 < rate < 1:
        raise ValueError(f"rate must be in (0, 1), got {rate}")
    budgets = sorted(int(b) for b in budgets)
    if not budgets or budgets[0] < 1:
        raise ValueError(f"budgets must be positive integers, got {budgets}")
    g = torch.Generator(device="cpu").manual_seed(int(seed))
    n, d = X.shape
    Xt = torch.as_tensor(X, dtype=torch.float32, device=device)
    yt = torch.as_tensor(y, dtype=torch.float32, device=device).reshape(-1, 1)
    # PyTorch's default Linear initialisation: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (kaiming_uniform with a=sqrt 5)
    init = [((torch.rand(d, m, generator=g, dtype=torch.float32) * 2 - 1) / d ** 0.5).to(device),
            ((torch.rand(m, 1, generator=g, dtype=torch.float32) * 2 - 1) / m ** 0.5).to(device)]
    masks = [torch.ones_like(w) for w in init]
    bs = n if batch is None else int(batch)
    steps_per_round = epochs * (-(-n // bs))
    ymax = float(np.max(np.abs(y)))
    out, rnd = {}, 0
    while True:
        W = [(w * mk).clone().requires_grad_(True) for w, mk in zip(init, masks)]
        opt = torch.optim.Adam(W, lr=lr)
        for _ in range(epochs):
            perm = torch.randperm(n, generator=g).to(device) if batch else torch.arange(n, device=device)
            for a in range(0, n, bs):
                sel = perm[a:a + bs]
                pred = torch.relu(Xt[sel] @ (W[0] * masks[0])) @ (W[1] * masks[1])
                loss = torch.mean((pred - yt[sel]) ** 2)
                opt.zero_grad()
                loss.backward()
                opt.step()
        with torch.no_grad():
            pred = torch.relu(Xt @ (W[0] * masks[0])) @ (W[1] * masks[1])
            mse = float(torch.mean((pred - yt) ** 2))
        nnz = int(sum(int(mk.sum()) for mk in masks))
        score = float("inf") if mse == 0 else 20 * np.log10(ymax) - 10 * np.log10(mse)
        for s in budgets:
            if s not in out and nnz <= s:
                out[s] = {"psnr": float(score), "nnz": nnz, "round": rnd, "steps_per_round": steps_per_round}
        if nnz <= budgets[0]:
            break
        with torch.no_grad():                       # global magnitude pruning of the unpruned weights
            mags = torch.cat([(w.abs() * mk).ravel() for w, mk in zip(W, masks)])
            alive = torch.cat([mk.ravel() for mk in masks]).bool()
            k = max(1, int(round(rate * int(alive.sum()))))
            vals = mags.clone()
            vals[~alive] = float("inf")
            cut = torch.topk(vals, k, largest=False).indices
            flat = torch.cat([mk.ravel() for mk in masks])
            flat[cut] = 0
            a = masks[0].numel()
            masks = [flat[:a].reshape(masks[0].shape), flat[a:].reshape(masks[1].shape)]
        rnd += 1
    return {"scores": out, "rounds": rnd + 1}
