"""Masked torch models for pruning at initialisation (spec graphon §2.1, §3.1, §3.6).

Masks are float 0/1 **buffers** named ``mask`` on each maskable layer; the forward pass uses the effective
weight ``mask * weight``, so weights are never overwritten with zeros (as in the Synaptic-Flow masked layers).
Each maskable layer carries a ``prunable`` flag; scorers only score prunable layers.

* :class:`OneHiddenLayer` - the reference model of §2.1: NTK parameterisation, no biases, dense readout that
  is not prunable, float64 by default.  ``h = (sigma_w/sqrt d) (M * omega) x``, ``f = (sigma_a/sqrt n) sum_i
  alpha_i act(h_i)``; optional ``mask_rescale="inv_sqrt_density"`` multiplies kept weights by 1/sqrt(p).
* :class:`MLP` - widths ``[d, n_1, ..., n_out]``, optional biases, activation relu/tanh/linear/softplus,
  readout prunable by default (``prune_readout=True``), optional BatchNorm1d after hidden layers.
* :class:`ConvNet` - Conv2d layers (optional BatchNorm2d) then a linear readout.  A conv layer is viewed as a
  bipartite graph between output channels (rows) and input-channel x kernel-position pairs (columns), i.e. the
  weight reshaped to ``(out, in*kh*kw)`` (:func:`bipartite_matrix`; project reconstruction, not the paper's).

Every constructor takes an explicit ``seed``; initialisation never reads the global RNG.
"""
from __future__ import annotations

import math
from typing import Sequence

import torch
from torch import nn
from torch.nn import functional as F

ACTIVATIONS = ("relu", "tanh", "linear", "softplus")
MASK_RESCALES = ("none", "inv_sqrt_density")


def _act(name: str):
    if name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {name!r}")
    return {"relu": F.relu, "tanh": torch.tanh, "linear": lambda h: h, "softplus": F.softplus}[name]


def _gen(seed) -> torch.Generator:
    if seed is None or isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer (explicit seeding is required), got {seed!r}")
    g = torch.Generator(device="cpu")
    g.manual_seed(seed)
    return g


def _dtype(dtype) -> torch.dtype:
    if dtype not in (torch.float64, torch.float32):
        raise ValueError(f"dtype must be torch.float64 or torch.float32, got {dtype!r}")
    return dtype


def _effective_bias(mod):
    """``bias_mask * bias`` when a bias mask was applied (``prune_bias=True``), else the bias itself."""
    bm = getattr(mod, "bias_mask", None)
    return mod.bias if bm is None or mod.bias is None else bm * mod.bias


class _MaskedWeight:
    """Shared by the masked layers: a float 0/1 ``mask`` buffer and the effective (masked) weight and bias."""

    def _init_mask(self, prunable: bool) -> None:
        self.register_buffer("mask", torch.ones_like(self.weight))
        self.prunable = bool(prunable)

    def effective_weight(self) -> torch.Tensor:
        return self.mask * self.weight

    def effective_bias(self):
        return _effective_bias(self)


class MaskedLinear(_MaskedWeight, nn.Linear):
    """``nn.Linear`` whose forward uses ``mask * weight``; ``mask`` is a float 0/1 buffer."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True, prunable: bool = True,
                 dtype=torch.float64, device=None):
        super().__init__(in_features, out_features, bias=bias, dtype=dtype, device=device)
        self._init_mask(prunable)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, self.effective_weight(), self.effective_bias())


class MaskedConv2d(_MaskedWeight, nn.Conv2d):
    """``nn.Conv2d`` whose forward uses ``mask * weight``; ``mask`` is a float 0/1 buffer."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, bias: bool = True,
                 prunable: bool = True, dtype=torch.float64, device=None):
        super().__init__(in_channels, out_channels, kernel_size, stride=stride, padding=padding, bias=bias,
                         dtype=dtype, device=device)
        self._init_mask(prunable)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._conv_forward(x, self.effective_weight(), self.effective_bias())


MASKED_TYPES = (MaskedLinear, MaskedConv2d)


def bipartite_matrix(weight_or_mask: torch.Tensor) -> torch.Tensor:
    """The biadjacency view of a layer: rows = output units / channels, columns = inputs (for a conv layer,
    input channel x kernel position, i.e. ``reshape(out, in*kh*kw)``)."""
    t = torch.as_tensor(weight_or_mask)
    if t.ndim not in (2, 4):
        raise ValueError(f"expected a Linear (2-D) or Conv2d (4-D) weight or mask, got shape {tuple(t.shape)}")
    return t.reshape(t.shape[0], -1)


class OneHiddenLayer(nn.Module):
    """Spec §2.1 reference model.  ``hidden.weight`` is omega (n x d, iid N(0,1)), ``readout.weight`` is
    alpha (1 x n, iid N(0,1)); only ``hidden.weight`` is prunable."""

    def __init__(self, d: int, n: int, *, seed: int, sigma_w: float = 1.0, sigma_a: float = 1.0,
                 activation: str = "relu", mask_rescale: str = "none", dtype=torch.float64, device="cpu"):
        super().__init__()
        for name, v in (("d", d), ("n", n)):
            if not isinstance(v, int) or v < 1:
                raise ValueError(f"{name} must be a positive integer, got {v!r}")
        if mask_rescale not in MASK_RESCALES:
            raise ValueError(f"mask_rescale must be one of {MASK_RESCALES}, got {mask_rescale!r}")
        self.d, self.n = d, n
        self.sigma_w, self.sigma_a = float(sigma_w), float(sigma_a)
        self.activation = activation
        self._act = _act(activation)
        self.mask_rescale = mask_rescale
        self.input_shape = (d,)
        dtype = _dtype(dtype)
        g = _gen(seed)
        self.hidden = MaskedLinear(d, n, bias=False, prunable=True, dtype=dtype)
        self.readout = MaskedLinear(n, 1, bias=False, prunable=False, dtype=dtype)
        with torch.no_grad():
            self.hidden.weight.copy_(torch.randn(n, d, generator=g, dtype=dtype))
            self.readout.weight.copy_(torch.randn(1, n, generator=g, dtype=dtype))
        self.to(device)

    def hidden_preactivation(self, x: torch.Tensor) -> torch.Tensor:
        h = self.hidden(x) * (self.sigma_w / math.sqrt(self.d))
        if self.mask_rescale == "inv_sqrt_density":
            p = float(self.hidden.mask.mean())
            h = h / math.sqrt(p) if p > 0 else h
        return h

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s = self._act(self.hidden_preactivation(x))
        return self.readout(s) * (self.sigma_a / math.sqrt(self.n))


class MLP(nn.Module):
    """Fully connected net ``widths = [d, n_1, ..., n_L]``; layer l has weight ~ N(0, gain/fan_in) with gain 2
    for relu and 1 otherwise (``init_scale`` multiplies the std), biases zero.  Layers live in ``layers``;
    the last one is the readout (prunable iff ``prune_readout``)."""

    def __init__(self, widths: Sequence[int], *, seed: int, bias: bool = False, activation: str = "relu",
                 prune_readout: bool = True, batchnorm: bool = False, init_scale: float = 1.0,
                 dtype=torch.float64, device="cpu"):
        super().__init__()
        widths = list(widths)
        if len(widths) < 2 or any(not isinstance(w, int) or w < 1 for w in widths):
            raise ValueError(f"widths must be >= 2 positive integers [d, ..., n_out], got {widths!r}")
        self.widths = widths
        self.activation = activation
        self._act = _act(activation)
        self.input_shape = (widths[0],)
        dtype = _dtype(dtype)
        g = _gen(seed)
        gain = 2.0 if activation == "relu" else 1.0
        L = len(widths) - 1
        self.layers = nn.ModuleList()
        self.norms = nn.ModuleList()
        for i in range(L):
            last = i == L - 1
            lay = MaskedLinear(widths[i], widths[i + 1], bias=bias, prunable=(prune_readout or not last),
                               dtype=dtype)
            with torch.no_grad():
                std = float(init_scale) * math.sqrt(gain / widths[i])
                lay.weight.copy_(torch.randn(lay.weight.shape, generator=g, dtype=dtype) * std)
                if bias:
                    lay.bias.zero_()
            self.layers.append(lay)
            if batchnorm and not last:
                self.norms.append(nn.BatchNorm1d(widths[i + 1], dtype=dtype))
        self.to(device)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x
        for i, lay in enumerate(self.layers):
            h = lay(h)
            if i < len(self.layers) - 1:
                if len(self.norms):
                    h = self.norms[i](h)
                h = self._act(h)
        return h


class ConvNet(nn.Module):
    """Conv2d stack (``channels``, kernel ``kernel_size``, padding k//2, optional BatchNorm2d), activation,
    global average pooling, then a linear readout to ``num_outputs``."""

    def __init__(self, in_channels: int, image_size: int, channels: Sequence[int] = (8, 16), *, seed: int,
                 kernel_size: int = 3, num_outputs: int = 1, bias: bool = False, batchnorm: bool = False,
                 activation: str = "relu", prune_readout: bool = True, dtype=torch.float64, device="cpu"):
        super().__init__()
        if not channels or any(not isinstance(c, int) or c < 1 for c in channels):
            raise ValueError(f"channels must be a non-empty list of positive integers, got {channels!r}")
        self.input_shape = (in_channels, image_size, image_size)
        self._act = _act(activation)
        dtype = _dtype(dtype)
        g = _gen(seed)
        gain = 2.0 if activation == "relu" else 1.0
        self.convs = nn.ModuleList()
        self.norms = nn.ModuleList()
        c_in = in_channels
        for c in channels:
            conv = MaskedConv2d(c_in, c, kernel_size, padding=kernel_size // 2, bias=bias, dtype=dtype)
            with torch.no_grad():
                fan_in = c_in * kernel_size * kernel_size
                conv.weight.copy_(torch.randn(conv.weight.shape, generator=g, dtype=dtype) * math.sqrt(gain / fan_in))
                if bias:
                    conv.bias.zero_()
            self.convs.append(conv)
            if batchnorm:
                self.norms.append(nn.BatchNorm2d(c, dtype=dtype))
            c_in = c
        self.readout = MaskedLinear(c_in, num_outputs, bias=bias, prunable=prune_readout, dtype=dtype)
        with torch.no_grad():
            self.readout.weight.copy_(torch.randn(self.readout.weight.shape, generator=g, dtype=dtype)
                                      / math.sqrt(c_in))
            if bias:
                self.readout.bias.zero_()
        self.to(device)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x
        for i, conv in enumerate(self.convs):
            h = conv(h)
            if len(self.norms):
                h = self.norms[i](h)
            h = self._act(h)
        return self.readout(h.mean(dim=(2, 3)))


class ResidualConvNet(nn.Module):
    """Small ResNet-style net for the §3.6 flags: stem conv + BN, one residual block (conv-BN-act-conv-BN) whose
    shortcut is a 1x1 projection conv + BN (``block_shortcut``, a module named ``shortcut``), global average
    pooling, linear readout.  Conv layers carry biases when ``bias``; every BN has affine parameters."""

    def __init__(self, in_channels: int, image_size: int, width: int = 4, out_width: int = 6, *, seed: int,
                 num_outputs: int = 1, bias: bool = True, dtype=torch.float64, device="cpu"):
        super().__init__()
        self.input_shape = (in_channels, image_size, image_size)
        dtype = _dtype(dtype)
        g = _gen(seed)
        conv = lambda a, b, k: MaskedConv2d(a, b, k, padding=k // 2, bias=bias, dtype=dtype)
        self.stem, self.stem_bn = conv(in_channels, width, 3), nn.BatchNorm2d(width, dtype=dtype)
        self.conv1, self.bn1 = conv(width, out_width, 3), nn.BatchNorm2d(out_width, dtype=dtype)
        self.conv2, self.bn2 = conv(out_width, out_width, 3), nn.BatchNorm2d(out_width, dtype=dtype)
        self.shortcut = nn.Sequential(conv(width, out_width, 1), nn.BatchNorm2d(out_width, dtype=dtype))
        self.readout = MaskedLinear(out_width, num_outputs, bias=bias, dtype=dtype)
        with torch.no_grad():     # He init for the convs, 1/fan_in for the readout; small random biases and
            for name, p in self.named_parameters():   # affine BN parameters so every tensor has distinct scores
                if p.ndim > 1:
                    gain = 1.0 if name.startswith("readout") else 2.0
                    p.copy_(torch.randn(p.shape, generator=g, dtype=dtype) * math.sqrt(gain / p[0].numel()))
                else:
                    base = 1.0 if name.endswith("weight") else 0.0
                    p.copy_(base + 0.1 * torch.randn(p.shape, generator=g, dtype=dtype))
        self.to(device)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = F.relu(self.stem_bn(self.stem(x)))
        r = F.relu(self.bn1(self.conv1(h)))
        h = F.relu(self.bn2(self.conv2(r)) + self.shortcut(h))
        return self.readout(h.mean(dim=(2, 3)))
