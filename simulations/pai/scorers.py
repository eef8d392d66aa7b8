"""Pruning-at-initialisation scorers (spec graphon §3.1-§3.2, §3.5-§3.6).

Methods (keep the **largest** score):

* ``random``     iid N(0,1) per entry from the scorer's own generator (``seed`` required).
* ``magnitude``  |theta|.
* ``snip``       |dL/dm| at the current mask = |theta * G|, G = dL/d theta_eff summed over all scoring batches
                 before the absolute value; divided by the global sum.
* ``grasp``      theta * (H g) (the original, signed): g = sum_b grad L_b(f/T) (detached), Hg = grad_theta(sum_b
                 g . grad L_b(f/T)) by double backward; divided by |sum of scores| + 1e-10.  Keeping the largest
                 theta*Hg equals the reference's removal of the largest -theta*Hg.
* ``grasp_abs``  |theta * (H g)|, the variant the ICML paper analyses [secondary]; same normalisation.
* ``synflow``    |theta * dR/dtheta| with every floating-point parameter and buffer replaced by its absolute value,
                 all-ones input of batch size 1, R = sum of outputs; not normalised.

Nothing on the model is ever modified: the scorers evaluate the network with ``torch.func.functional_call`` on
substituted tensors (|theta| for SynFlow, leaf copies for gradients), so parameters, buffers (signs included),
``.grad`` fields and ``requires_grad`` flags stay bitwise identical.  Scoring runs in ``eval()`` mode unless
``train_mode=True``; the previous mode of every submodule is restored (and, in train mode, every buffer).

Prunable tensors (spec §3.6, :mod:`simulations.pai.prunable`): by default the ``weight`` of every ``nn.Linear`` /
``nn.Conv2d`` (masked variants included) whose ``prunable`` attribute is not False; biases (``prune_bias``),
normalisation parameters (``prune_norm``) and shortcut projections (``prune_shortcut``) are scored only when their
flag is on, and ``prune_readout`` overrides the model's choice for the last layer.  A tensor is masked in the
forward pass through the layer's mask buffer (``mask`` for weights, ``bias_mask`` for biases of masked layers)
when it has one, and otherwise by substituting ``mask * tensor``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

import torch
from torch import nn
from torch.func import functional_call
from torch.nn import functional as F

from simulations.pai.prunable import MASK_BUFFER, PruneFlags, prunable_tensors

METHODS = ("random", "magnitude", "snip", "grasp", "grasp_abs", "synflow")
DATA_METHODS = ("snip", "grasp", "grasp_abs")
LOSSES = ("mse", "ce")


@dataclass
class ScoreResult:
    """Scores keyed by parameter name, plus metadata (spec §3.1)."""

    scores: dict[str, torch.Tensor]
    method: str
    normalised: bool
    normaliser: float = 1.0          # the divisor used (1.0 when not normalised)
    R: float | None = None           # SynFlow's R = sum of outputs of the |theta| network
    meta: dict = field(default_factory=dict)


def prunable_layers(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """``[(parameter name of the weight, module)]`` in module-registration order (default flags)."""
    return [(w, mod) for w, mod, _ in prunable_tensors(model)]


def _flags(flags) -> PruneFlags:
    if flags is None:
        return PruneFlags()
    if isinstance(flags, PruneFlags):
        return flags
    if isinstance(flags, Mapping):
        return PruneFlags(**flags)
    raise ValueError(f"flags must be a PruneFlags, a dict of its fields or None, got {flags!r}")


class _Tensors:
    """The prunable tensors of a model: ``items`` = [(name, module, attr)], with lookups."""

    def __init__(self, model: nn.Module, flags: PruneFlags):
        self.items = prunable_tensors(model, flags)
        self.attr = {w: a for w, _, a in self.items}
        self.module = {w: m for w, m, _ in self.items}

    def tensor(self, w: str) -> torch.Tensor:
        return getattr(self.module[w], self.attr[w])

    def buffer_name(self, w: str) -> str | None:
        """Full name of the layer's mask buffer for tensor ``w``, or None when it has none."""
        b = MASK_BUFFER.get(self.attr[w])
        if b is None or not isinstance(getattr(self.module[w], b, None), torch.Tensor):
            return None
        return w[: -len(self.attr[w])] + b

    def names(self) -> list[str]:
        return [w for w, _, _ in self.items]


def current_masks(model: nn.Module, flags=None) -> dict[str, torch.Tensor]:
    """The model's masks (bool) for its prunable tensors; all-True where a tensor has no mask buffer."""
    T = _Tensors(model, _flags(flags))
    out = {}
    for w in T.names():
        b = T.buffer_name(w)
        t = T.tensor(w)
        out[w] = (getattr(T.module[w], MASK_BUFFER[T.attr[w]]) != 0) if b else torch.ones_like(t, dtype=torch.bool)
    return out


def _batches(data, device, dtype, loss) -> list[tuple[torch.Tensor, torch.Tensor]]:
    if data is None:
        raise ValueError("data is required for data-dependent scorers (snip, grasp, grasp_abs): pass (X, y) "
                         "or a list of (X, y) batches")
    if isinstance(data, tuple) and len(data) == 2 and isinstance(data[0], torch.Tensor):
        data = [data]
    if not isinstance(data, (list, tuple)) or not data:
        raise ValueError("data must be a tuple (X, y) of tensors or a non-empty list of such tuples")
    out = []
    for b in data:
        if not (isinstance(b, (tuple, list)) and len(b) == 2 and all(isinstance(t, torch.Tensor) for t in b)):
            raise ValueError("each scoring batch must be a pair (X, y) of torch tensors")
        x, y = b
        if x.shape[0] != y.shape[0] or x.shape[0] == 0:
            raise ValueError(f"X and y must have the same non-zero batch size, got {x.shape[0]} and {y.shape[0]}")
        x = x.to(device=device, dtype=dtype)
        y = y.to(device=device, dtype=torch.long if loss == "ce" else dtype)
        out.append((x, y))
    return out


def _loss_fn(loss) -> Callable:
    if callable(loss):
        return loss
    if loss == "mse":   # L = (1/(2N)) sum_k ||f(x_k) - y_k||^2
        return lambda out, y: 0.5 * (out.reshape(y.shape[0], -1) - y.reshape(y.shape[0], -1)).pow(2).sum(1).mean()
    if loss == "ce":
        return lambda out, y: F.cross_entropy(out, y)
    raise ValueError(f"loss must be one of {LOSSES} or a callable (output, target) -> scalar, got {loss!r}")


class _ModeGuard:
    """eval() (or train()) for the duration; restores every submodule's mode, and in train mode every buffer."""

    def __init__(self, model: nn.Module, train_mode: bool):
        self.model, self.train_mode = model, bool(train_mode)

    def __enter__(self):
        self.modes = {m: m.training for m in self.model.modules()}
        self.bufs = ({k: b.detach().clone() for k, b in self.model.named_buffers()} if self.train_mode else {})
        self.model.train(self.train_mode)
        return self

    def __exit__(self, *exc):
        for m, t in self.modes.items():
            m.training = t
        if self.bufs:
            with torch.no_grad():
                for k, b in self.model.named_buffers():
                    b.copy_(self.bufs[k])
        return False


def _input_shape(model, data) -> tuple:
    if data is not None:
        x = data[0] if isinstance(data, tuple) else data[0][0]
        return tuple(x.shape[1:])
    shp = getattr(model, "input_shape", None)
    if shp is None:
        raise ValueError("synflow needs the input shape: give the model an `input_shape` attribute or pass data")
    return tuple(shp)


def _check_masks(T: _Tensors, masks):
    if masks is None:
        return {}
    names = T.names()
    if set(masks) - set(names):
        raise ValueError(f"masks has unknown parameter names {sorted(set(masks) - set(names))}; prunable: {names}")
    out = {}
    for w in names:
        if w in masks:
            t = T.tensor(w)
            m = torch.as_tensor(masks[w], device=t.device)
            if tuple(m.shape) != tuple(t.shape):
                raise ValueError(f"mask {w!r} has shape {tuple(m.shape)}, expected {tuple(t.shape)}")
            out[w] = m if m.dtype == t.dtype else m.to(t.dtype)
    return out


def _overrides(T: _Tensors, masks, weight_leaves=None, mask_leaves=None) -> dict:
    """functional_call substitutions: a tensor whose layer has a mask buffer gets that buffer replaced, any
    other tensor is replaced by ``tensor * mask``; leaves replace the tensors (or the masks, for SNIP)."""
    ov = {}
    for w in T.names():
        t = weight_leaves[w] if weight_leaves is not None else T.tensor(w)
        buf = T.buffer_name(w)
        m = mask_leaves[w] if mask_leaves is not None else masks.get(w)
        if buf is not None:
            if m is not None:
                ov[buf] = m
            if weight_leaves is not None:
                ov[w] = t
        elif m is not None or weight_leaves is not None:
            ov[w] = t * m if m is not None else t
    return ov


def torch_pruned_tensors(model: nn.Module) -> list[str]:
    """Names of tensors that ``torch.nn.utils.prune`` has reparametrised (``<name>_orig`` + ``<name>_mask``)."""
    from torch.nn.utils import prune as _tp

    out = []
    for mname, mod in model.named_modules():
        for hook in mod._forward_pre_hooks.values():
            if isinstance(hook, _tp.BasePruningMethod):
                names = [h._tensor_name for h in hook] if isinstance(hook, _tp.PruningContainer) \
                    else [hook._tensor_name]
                out += [f"{mname}.{n}" if mname else n for n in names]
    return sorted(set(out))


def _refuse_torch_pruned(model: nn.Module) -> None:
    pruned = torch_pruned_tensors(model)
    if pruned:
        raise ValueError(
            f"model: {pruned} were pruned with torch.nn.utils.prune (weight_orig * weight_mask recomputed by a "
            f"forward hook), which the scorers cannot see through; call torch.nn.utils.prune.remove(module, name) "
            f"on each to make the pruning permanent (the effective weights are then scored, pruned entries as 0), "
            f"or give the masks to the suite's masked layers (simulations.pai.masks.apply_masks)")


def score(model: nn.Module, method: str, data=None, *, loss="mse", temperature: float = 1.0, seed=None,
          normalize: bool = True, masks: Mapping[str, torch.Tensor] | None = None,
          train_mode: bool = False, flags=None) -> ScoreResult:
    """Scores of every prunable tensor (see module docstring; ``flags`` a :class:`PruneFlags` or a dict of its
    fields, default all off).  ``masks`` substitutes the masks the network is evaluated with (default: the
    model's own mask buffers)."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if not (isinstance(temperature, (int, float)) and temperature > 0):
        raise ValueError(f"temperature must be a positive number, got {temperature!r}")
    _refuse_torch_pruned(model)
    fl = _flags(flags)
    layers = _Tensors(model, fl)
    masks = _check_masks(layers, masks)
    p0 = layers.tensor(layers.names()[0])
    device, dtype = p0.device, p0.dtype
    res = _score(model, method, data, layers, masks, device, dtype, loss, temperature, seed, normalize, train_mode)
    res.meta.update({"prunable": layers.names(), "flags": dict(vars(fl))})
    return res


def _score(model, method, data, layers, masks, device, dtype, loss, temperature, seed, normalize, train_mode):
    if method == "random":
        if seed is None or isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise ValueError(f"random scores need an explicit non-negative integer seed, got {seed!r}")
        g = torch.Generator(device="cpu")
        g.manual_seed(seed)
        s = {w: torch.randn(layers.tensor(w).shape, generator=g, dtype=torch.float64).to(device=device, dtype=dtype)
             for w in layers.names()}
        return ScoreResult(s, method, False)
    if method == "magnitude":
        return ScoreResult({w: layers.tensor(w).detach().abs() for w in layers.names()}, method, False)
    with _ModeGuard(model, train_mode):
        if method == "synflow":
            return _synflow(model, layers, masks, data, device, dtype)
        batches = _batches(data, device, dtype, loss)
        lf = _loss_fn(loss)
        if method == "snip":
            return _snip(model, layers, masks, batches, lf, normalize)
        return _grasp(model, layers, masks, batches, lf, float(temperature), method, normalize)


def _snip(model, layers, masks, batches, lf, normalize) -> ScoreResult:
    def start(w):
        if w in masks:
            return masks[w]
        b = layers.buffer_name(w)
        return getattr(layers.module[w], MASK_BUFFER[layers.attr[w]]) if b else torch.ones_like(layers.tensor(w))

    leaves = {w: start(w).detach().clone().requires_grad_(True) for w in layers.names()}
    total = {w: torch.zeros_like(v) for w, v in leaves.items()}
    for x, y in batches:
        out = functional_call(model, _overrides(layers, masks, mask_leaves=leaves), (x,))
        grads = torch.autograd.grad(lf(out, y), list(leaves.values()), allow_unused=True)
        for w, gr in zip(leaves, grads):
            if gr is not None:
                total[w] += gr
    s = {w: v.abs() for w, v in total.items()}
    norm = float(sum(float(v.sum()) for v in s.values())) if normalize else 1.0
    if normalize and norm > 0:
        s = {w: v / norm for w, v in s.items()}
    return ScoreResult({w: v.detach() for w, v in s.items()}, "snip", normalize and norm > 0, norm if normalize else 1.0)


def _grasp(model, layers, masks, batches, lf, T, method, normalize) -> ScoreResult:
    leaves = {w: layers.tensor(w).detach().clone().requires_grad_(True) for w in layers.names()}
    keys = list(leaves)

    def grads(x, y, create_graph):
        out = functional_call(model, _overrides(layers, masks, weight_leaves=leaves), (x,))
        gs = torch.autograd.grad(lf(out / T, y), [leaves[k] for k in keys], create_graph=create_graph,
                                 allow_unused=True)
        return [torch.zeros_like(leaves[k]) if gr is None else gr for k, gr in zip(keys, gs)]

    g = [torch.zeros_like(leaves[k]) for k in keys]
    for x, y in batches:
        for acc, gr in zip(g, grads(x, y, False)):
            acc += gr.detach()
    hg = [torch.zeros_like(leaves[k]) for k in keys]
    for x, y in batches:
        gs = grads(x, y, True)
        z = sum((gi * ci).sum() for gi, ci in zip(gs, g))
        if not z.requires_grad:       # e.g. all-zero gradient: H g = 0
            continue
        h = torch.autograd.grad(z, [leaves[k] for k in keys], allow_unused=True)
        for acc, hi in zip(hg, h):
            if hi is not None:
                acc += hi.detach()
    s = {k: leaves[k].detach() * h for k, h in zip(keys, hg)}
    if method == "grasp_abs":
        s = {k: v.abs() for k, v in s.items()}
    norm = abs(float(sum(float(v.sum()) for v in s.values()))) + 1e-10 if normalize else 1.0
    s = {k: v / norm for k, v in s.items()}
    return ScoreResult(s, method, normalize, norm, meta={"grad_norm": float(sum(float((c * c).sum()) for c in g))
                                                         ** 0.5, "temperature": T})


def path_R(model: nn.Module, masks: Mapping[str, torch.Tensor] | None = None, data=None, flags=None) -> float:
    """R of the masked |theta| network on the all-ones input, forward only, in eval mode (0 means no
    input -> output path survives the masks)."""
    layers = _Tensors(model, _flags(flags))
    masks = _check_masks(layers, masks)
    p0 = layers.tensor(layers.names()[0])
    with _ModeGuard(model, False), torch.no_grad():
        skip = {layers.buffer_name(w) for w in layers.names()} - {None}     # 0/1 masks: abs is the identity
        ov = {k: (t.detach() if k in skip else t.detach().abs())
              for k, t in list(model.named_parameters()) + list(model.named_buffers()) if t.is_floating_point()}
        for k, v in _overrides(layers, masks, weight_leaves={w: ov[w] for w in layers.names()}).items():
            ov[k] = v
        x = torch.ones((1,) + _input_shape(model, data), device=p0.device, dtype=p0.dtype)
        return float(functional_call(model, ov, (x,)).sum())


def _synflow(model, layers, masks, data, device, dtype) -> ScoreResult:
    ov = {}
    for k, t in list(model.named_parameters()) + list(model.named_buffers()):
        if t.is_floating_point():
            ov[k] = t.detach().abs()
    leaves = {w: layers.tensor(w).detach().abs().clone().requires_grad_(True) for w in layers.names()}
    bufs = {layers.buffer_name(w) for w in layers.names()} - {None}
    sub = _overrides(layers, masks, weight_leaves=leaves)
    for k, v in sub.items():
        ov[k] = v.abs() if k in bufs else v
    x = torch.ones((1,) + _input_shape(model, data), device=device, dtype=dtype)
    out = functional_call(model, ov, (x,))
    R = out.sum()
    gs = torch.autograd.grad(R, list(leaves.values()), allow_unused=True)
    s = {w: (leaves[w].detach() * (torch.zeros_like(leaves[w]) if gr is None else gr)).abs()
         for w, gr in zip(leaves, gs)}
    return ScoreResult(s, "synflow", False, 1.0, R=float(R.detach()))


def compute_scores(model: nn.Module, method: str, data=None, *, loss="mse", temperature: float = 1.0,
                   seed=None, normalize: bool = True, masks=None, train_mode: bool = False,
                   flags=None, **flag_kw) -> dict[str, torch.Tensor]:
    """Scores keyed by parameter name (``{"hidden.weight": tensor, ...}``); see :func:`score`.  The §3.6 flags
    may be given as keywords (``prune_bias=True``, ``prune_norm``, ``prune_shortcut``, ``prune_readout``)."""
    return score(model, method, data, loss=loss, temperature=temperature, seed=seed, normalize=normalize,
                 masks=masks, train_mode=train_mode, flags=merge_flags(flags, flag_kw)).scores


def merge_flags(flags, flag_kw: Mapping) -> PruneFlags:
    """``flags`` (PruneFlags / dict / None) updated by keyword flags; unknown keywords raise ValueError."""
    known = set(PruneFlags.__dataclass_fields__)
    bad = set(flag_kw) - known
    if bad:
        raise ValueError(f"unknown keyword(s) {sorted(bad)}; the prunable-tensor flags are {sorted(known)}")
    base = dict(vars(_flags(flags)))
    base.update(flag_kw)
    return PruneFlags(**base)
