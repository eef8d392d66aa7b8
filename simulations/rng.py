"""Seeded random number helpers for numpy and torch.

Per-cell seeds derive from a root seed and the canonical cell key through numpy's ``SeedSequence``,
so a result never depends on execution order or on which worker ran the cell.
"""
from __future__ import annotations

import hashlib
import json

import numpy as np


def canonical_json(obj) -> str:
    """Canonical JSON (sorted keys, no spaces) used for hashing configurations."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=True, default=_default)


def _default(o):
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, tuple):
        return list(o)
    raise TypeError(f"configuration values must be JSON-able, got {type(o).__name__}")


def config_hash(obj) -> str:
    return hashlib.sha256(canonical_json(obj).encode()).hexdigest()[:20]


def derive_seed(root_seed: int, *key) -> int:
    """A 63-bit seed derived from ``root_seed`` and any JSON-able key."""
    if not isinstance(root_seed, (int, np.integer)) or root_seed < 0:
        raise ValueError(f"root_seed must be a non-negative integer, got {root_seed!r}")
    digest = hashlib.sha256(canonical_json(list(key)).encode()).digest()
    words = [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4)]
    ss = np.random.SeedSequence(entropy=int(root_seed), spawn_key=tuple(words))
    return int(ss.generate_state(2, dtype=np.uint64)[0] >> np.uint64(1))


def numpy_rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def torch_generator(seed: int, device: str = "cpu"):
    import torch

    g = torch.Generator(device=device)
    g.manual_seed(int(seed) % (2**63 - 1))
    return g


def seed_everything(seed: int) -> None:
    """Seed ``random``, numpy's legacy global RNG and torch (for code that cannot take a generator)."""
    import random

    random.seed(seed)
    np.random.seed(seed % (2**32))
    try:
        import torch
    except ImportError:  # torch is an extra
        return
    torch.manual_seed(seed)


from theory.checks import guard_module  # noqa: E402  (last: wraps the public functions above)

guard_module(globals())
