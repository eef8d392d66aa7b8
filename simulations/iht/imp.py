"""Iterative magnitude pruning with lottery-ticket rewinding, as the authors' baseline runs it (spec §5.5):
bias-free MLP Linear(d->m)-ReLU-Linear(m->k_out), Adam (lr 1e-3), MSE, E epochs per round, global L1 pruning
of 10 % of the still-unpruned weights per round over all layers (at least one), rewind survivors to their
initial values and re-create Adam; one run scores every budget s by the first round with nnz <= s.

Two training modes per round: ``epochs`` (the code's: E epochs, i.e. E Adam steps full-batch) and ``converge``
(full-batch Adam until the loss stops improving: no relative improvement of ``tol`` over ``patience`` steps, or
``max_steps``), the competitive baseline of the IHT-vs-IMP claim.  ``evaluate``: ``trained`` scores a budget by
the model trained at a mask with nnz <= s; ``after_prune`` scores it as the authors' code does, right after the
pruning step that reaches nnz <= s (trained at the previous, larger mask, not retrained)."""
from __future__ import annotations

import numpy as np

from theory.checks import check_int, guard_module


def _budgets(budgets) -> list[int]:
    b = [check_int(v, "budgets", minimum=1) for v in np.ravel(np.asarray(budgets, dtype=object))]
    if not b:
        raise ValueError("budgets must hold at least one positive integer, got none")
    return sorted(b)


def _data(X, y) -> None:
    if np.ndim(X) != 2 or np.ndim(y) != 1 or np.shape(y)[0] != np.shape(X)[0]:
        raise ValueError(f"X must be (n, d) and y (n,), got shapes X {np.shape(X)} and y {np.shape(y)}")
    if not np.any(np.asarray(y) != 0):
        raise ValueError("y must not be all zero (the PSNR is relative to max |y|)")


def imp_run(X: np.ndarray, y: np.ndarray, m: int, budgets, *, epochs: int = 15, batch: int | None = None,
            rate: float = 0.1, lr: float = 1e-3, seed: int = 0, device: str = "cpu", train: str = "epochs",
            max_steps: int = 5000, patience: int = 200, tol: float = 1e-3, evaluate: str = "trained") -> dict:
    """Returns ``{"scores": {s: {"psnr", "nnz", "round", "steps_per_round"}}, "rounds", "steps"}``."""
    import torch

    if not 0 < rate < 1:
        raise ValueError(f"rate must be in (0, 1), got {rate}")
    if train not in ("epochs", "converge"):
        raise ValueError(f"train must be 'epochs' or 'converge', got {train!r}")
    if evaluate not in ("trained", "after_prune"):
        raise ValueError(f"evaluate must be 'trained' or 'after_prune', got {evaluate!r}")
    budgets = _budgets(budgets)
    _data(X, y)
    g = torch.Generator(device="cpu").manual_seed(int(seed))
    n, d = X.shape
    Xt = torch.as_tensor(X, dtype=torch.float32, device=device)
    yt = torch.as_tensor(y, dtype=torch.float32, device=device).reshape(-1, 1)
    # PyTorch's default Linear initialisation: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (kaiming_uniform with a=sqrt 5)
    init = [((torch.rand(d, m, generator=g, dtype=torch.float32) * 2 - 1) / d ** 0.5).to(device),
            ((torch.rand(m, 1, generator=g, dtype=torch.float32) * 2 - 1) / m ** 0.5).to(device)]
    masks = [torch.ones_like(w) for w in init]
    bs = n if batch is None else int(batch)
    ymax = float(np.max(np.abs(y)))
    out, rnd, total_steps = {}, 0, 0

    def score(W, mk):
        with torch.no_grad():
            pred = torch.relu(Xt @ (W[0] * mk[0])) @ (W[1] * mk[1])
            mse = float(torch.mean((pred - yt) ** 2))
        return float("inf") if mse == 0 else float(20 * np.log10(ymax) - 10 * np.log10(mse))

    while True:
        W = [(w * mk).clone().requires_grad_(True) for w, mk in zip(init, masks)]
        opt = torch.optim.Adam(W, lr=lr)
        steps = 0
        if train == "epochs":
            for _ in range(epochs):
                perm = torch.randperm(n, generator=g).to(device) if batch else torch.arange(n, device=device)
                for a in range(0, n, bs):
                    sel = perm[a:a + bs]
                    pred = torch.relu(Xt[sel] @ (W[0] * masks[0])) @ (W[1] * masks[1])
                    loss = torch.mean((pred - yt[sel]) ** 2)
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
                    steps += 1
        else:
            best, since = float("inf"), 0
            while steps < max_steps and since < patience:
                pred = torch.relu(Xt @ (W[0] * masks[0])) @ (W[1] * masks[1])
                loss = torch.mean((pred - yt) ** 2)
                opt.zero_grad()
                loss.backward()
                opt.step()
                steps += 1
                lv = float(loss.detach())
                if lv < best * (1 - tol):
                    best, since = lv, 0
                else:
                    since += 1
        total_steps += steps
        nnz = int(sum(int(mk.sum()) for mk in masks))
        if evaluate == "trained":
            sc = score(W, masks)
            for s in budgets:
                if s not in out and nnz <= s:
                    out[s] = {"psnr": sc, "nnz": nnz, "round": rnd, "steps_per_round": steps}
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
        if evaluate == "after_prune":
            nnz = int(sum(int(mk.sum()) for mk in masks))
            sc = score(W, masks)
            for s in budgets:
                if s not in out and nnz <= s:
                    out[s] = {"psnr": sc, "nnz": nnz, "round": rnd, "steps_per_round": steps}
            if nnz <= budgets[0]:
                break
        rnd += 1
    return {"scores": out, "rounds": rnd + 1, "steps": total_steps}


def _mlp_loss_grad(theta, X, y, d, m, M1, m2):
    """MSE of relu(X W1) w2 and its gradient in the flat parameters theta = [W1 (d x m), w2 (m)], masked."""
    W1 = theta[:d * m].reshape(d, m) * M1
    w2 = theta[d * m:] * m2
    Z = X @ W1
    H = np.maximum(Z, 0.0)
    r = H @ w2 - y
    n = X.shape[0]
    f = float(r @ r) / n
    g = 2.0 * r / n
    gw2 = (H.T @ g) * m2
    gW1 = (X.T @ (np.outer(g, w2) * (Z > 0))) * M1
    return f, np.concatenate([gW1.ravel(), gw2])


def imp_converged(X: np.ndarray, y: np.ndarray, m: int, budgets, *, rate: float = 0.1, seed: int = 0,
                  maxiter: int = 300, evaluate: str = "trained") -> dict:
    """IMP with every pruning round trained to convergence (full-batch L-BFGS on the alive weights, float64,
    at most ``maxiter`` iterations per round), otherwise as the authors' code: the same initialisation law,
    global magnitude pruning of 10 % of the alive weights per round over both layers (at least one), rewinding
    the survivors to their initial values after every round.  ``evaluate`` as in :func:`imp_run`."""
    from scipy.optimize import minimize

    if not 0 < rate < 1:
        raise ValueError(f"rate must be in (0, 1), got {rate}")
    if evaluate not in ("trained", "after_prune"):
        raise ValueError(f"evaluate must be 'trained' or 'after_prune', got {evaluate!r}")
    budgets = _budgets(budgets)
    _data(X, y)
    X, y = np.asarray(X, np.float64), np.asarray(y, np.float64)
    n, d = X.shape
    rng = np.random.default_rng(seed)
    init = np.concatenate([(rng.random(d * m) * 2 - 1) / d ** 0.5, (rng.random(m) * 2 - 1) / m ** 0.5])
    mask = np.ones(d * m + m)
    ymax = float(np.max(np.abs(y)))
    out, rnd, iters = {}, 0, 0

    def psnr_of(theta, mk):
        f, _ = _mlp_loss_grad(theta, X, y, d, m, mk[:d * m].reshape(d, m), mk[d * m:])
        return float("inf") if f == 0 else float(20 * np.log10(ymax) - 10 * np.log10(f))

    while True:
        M1, m2 = mask[:d * m].reshape(d, m), mask[d * m:]
        res = minimize(_mlp_loss_grad, init * mask, args=(X, y, d, m, M1, m2), jac=True, method="L-BFGS-B",
                       options={"maxiter": maxiter, "ftol": 1e-10, "gtol": 1e-8})
        theta = res.x * mask
        iters += int(res.nit)
        nnz = int(mask.sum())
        if evaluate == "trained":
            sc = psnr_of(theta, mask)
            for s in budgets:
                if s not in out and nnz <= s:
                    out[s] = {"psnr": sc, "nnz": nnz, "round": rnd, "iterations": int(res.nit)}
        if nnz <= budgets[0]:
            break
        alive = np.flatnonzero(mask)
        k = max(1, int(round(rate * alive.size)))
        cut = alive[np.argsort(np.abs(theta[alive]), kind="stable")[:k]]
        mask = mask.copy()
        mask[cut] = 0
        if evaluate == "after_prune":
            nnz = int(mask.sum())
            sc = psnr_of(theta, mask)
            for s in budgets:
                if s not in out and nnz <= s:
                    out[s] = {"psnr": sc, "nnz": nnz, "round": rnd, "iterations": int(res.nit)}
            if nnz <= budgets[0]:
                break
        rnd += 1
    return {"scores": out, "rounds": rnd + 1, "iterations": iters}


guard_module(globals(), ndim={"X": 2, "y": 1})
