"""Counterexample search: hypothesis looks for an input that breaks a property and shrinks it to a minimal
one, returned as plain data that reproduces it."""
from __future__ import annotations

from random import Random
from typing import Any, Callable

from simulations.harness.evidence import to_plain


def search_counterexample(prop: Callable[[Any], bool], strategy, *, max_examples: int, seed: int,
                          to_data: Callable[[Any], Any] = lambda x: x) -> dict:
    """Return ``{"found": bool, "example": data | None, "max_examples": n}``.

    ``prop(x)`` is the conjectured property; a counterexample is an ``x`` with ``prop(x)`` False.  The
    search is seeded (same seed, same result) and keeps no example database.
    """
    from hypothesis import HealthCheck, find, settings
    from hypothesis.errors import NoSuchExample

    if not isinstance(max_examples, int) or max_examples < 1:
        raise ValueError(f"max_examples must be a positive integer, got {max_examples!r}")
    cfg = settings(max_examples=max_examples, database=None, deadline=None,
                   suppress_health_check=list(HealthCheck))
    try:
        ex = find(strategy, lambda x: not prop(x), settings=cfg, random=Random(seed))
    except NoSuchExample:
        return {"found": False, "example": None, "max_examples": max_examples}
    return {"found": True, "example": to_plain(to_data(ex)), "max_examples": max_examples}
