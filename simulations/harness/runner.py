"""The runner: for each claim id, prediction (theory) -> experiment (simulations) -> verdict rule -> record.

A record holds what ``results.json`` stores per claim: id, paper, provenance, status (recorded), verdict (this
run), reason, metrics, prediction, cells, plots (specs), counterexample, seconds, seed, tier, device.
"""
from __future__ import annotations

import platform
import sys
import time
import traceback
from typing import Callable, Iterable

from simulations.harness.context import DEVICES, TIERS, Context
from simulations.harness.evidence import Evidence, to_plain
from simulations.harness.experiments import get_experiment
from simulations.harness.sweep import Cache, Executor
from theory import registry

SCHEMA_VERSION = 1


def environment(device: str = "cpu") -> dict:
    import numpy as np
    import scipy

    env = {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
           "platform": platform.platform(), "device": device, "schema_version": SCHEMA_VERSION}
    try:
        import torch

        env["torch"] = torch.__version__
        env["cuda"] = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    except ImportError:
        env["torch"] = None
    return env


def select(ids: Iterable[str] = (), paper: str | None = None) -> list:
    """Claims named by id (in the order given) or all claims of a paper / all claims."""
    ids = list(ids)
    if ids:
        return [registry.get(i) for i in ids]
    return registry.claims(paper)


def run_claim(claim, *, tier: str = "quick", device: str = "cpu", seed: int = 0, executor: Executor | None = None,
              cache: Cache | None = None, progress: Callable[[str], None] | None = None) -> dict:
    """Run one claim's experiment and judge it.  An experiment that raises gives verdict ``error``."""
    if tier not in TIERS:
        raise ValueError(f"tier must be one of {TIERS}, got {tier!r}")
    if device not in DEVICES:
        raise ValueError(f"device must be one of {DEVICES}, got {device!r}")
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    rec = {"id": claim.id, "paper": claim.paper.key, "paper_reference": claim.paper.reference,
           "statement": claim.statement, "provenance": claim.provenance, "status": claim.status,
           "source": claim.source, "tags": list(claim.tags), "decision": to_plain(dict(claim.decision)),
           "decision_notes": claim.decision_notes, "seed": seed, "tier": tier, "device": device}
    t0 = time.perf_counter()
    try:
        prediction = to_plain(claim.predict())
        rec["prediction"] = prediction
        fn = get_experiment(claim.id)
        ctx = Context(claim=claim, tier=tier, device=device, seed=seed, executor=executor or Executor(),
                      cache=cache or Cache(None), progress=progress, prediction=prediction)
        ev = fn(ctx)
        if not isinstance(ev, Evidence):
            raise TypeError(f"experiment of {claim.id!r} must return Evidence, got {type(ev).__name__}")
        v = claim.judge(ev.metrics, prediction)
        rec.update(ev.to_dict())
        rec["verdict"], rec["reason"] = v.verdict, v.reason
    except Exception as exc:  # recorded, never swallowed: the verdict 'error' fails the claim check
        rec.setdefault("prediction", None)
        rec.update({"metrics": {}, "cells": [], "plots": [], "counterexample": None, "notes": "",
                    "verdict": "error", "reason": f"{type(exc).__name__}: {exc}",
                    "traceback": traceback.format_exc(limit=8)})
    rec["seconds"] = round(time.perf_counter() - t0, 3)
    rec["matches_status"] = rec["verdict"] == claim.status
    return rec


def check_claim(claim_id: str, tier: str = "quick", device: str = "cpu", seed: int = 0,
                progress: Callable[[str], None] | None = None) -> dict:
    """Run one claim without cache (the pytest claims checker and interactive use)."""
    return run_claim(registry.get(claim_id), tier=tier, device=device, seed=seed,
                     progress=progress or (lambda m: print(m, file=sys.stderr)))
