"""Binding of claim ids to experiment functions (``@experiment("graphon.random.constant")``)."""
from __future__ import annotations

import importlib
import pkgutil
from typing import Callable

_EXPERIMENTS: dict[str, Callable] = {}


def experiment(claim_id: str) -> Callable[[Callable], Callable]:
    """Register ``fn(ctx: Context) -> Evidence`` as the experiment of ``claim_id``."""

    def deco(fn: Callable) -> Callable:
        if claim_id in _EXPERIMENTS and _EXPERIMENTS[claim_id] is not fn:
            raise ValueError(f"claim {claim_id!r} already has an experiment")
        _EXPERIMENTS[claim_id] = fn
        fn.claim_id = claim_id
        return fn

    return deco


def _load() -> None:
    """Import every module under ``simulations.experiments`` (subpackages included): the one home of every
    claim binding."""
    import simulations.experiments as pkg

    for mod in pkgutil.walk_packages(pkg.__path__, prefix="simulations.experiments."):
        importlib.import_module(mod.name)


def get_experiment(claim_id: str) -> Callable:
    _load()
    try:
        return _EXPERIMENTS[claim_id]
    except KeyError:
        raise KeyError(f"claim {claim_id!r} has no experiment bound with @experiment") from None


def bound_ids() -> list[str]:
    _load()
    return sorted(_EXPERIMENTS)
