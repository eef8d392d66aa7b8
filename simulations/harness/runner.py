"""The runner: for each claim id, prediction (theory) -> experiment (simulations) -> verdict rule -> record.

A record holds what ``results.json`` stores per claim: id, paper, kind, provenance, status (recorded), verdict
(this run), scope (of this run's evidence), setting (paper's and suite's), verdict_text (verdict with its scope),
reason, fingerprint and revisions (the pre-registration ledger), metrics, prediction, cells, plots (specs),
counterexample, sensitivity (verdict under each declared reading, full tier), seconds, seed, tier, device.
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

SCHEMA_VERSION = 2


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


def _declaration(claim) -> dict:
    st = claim.setting
    return {"kind": claim.kind, "fingerprint": claim.fingerprint,
            "setting": None if st is None else {"paper": st.paper, "suite": st.suite},
            "revisions": [to_plain(dict(vars(r))) for r in claim.revisions],
            "readings": [{"name": r.name, "description": r.description} for r in claim.readings]}


def _run_once(claim, *, tier, device, seed, executor, cache, progress, prediction, reading=None):
    fn = get_experiment(claim.id)
    ctx = Context(claim=claim, tier=tier, device=device, seed=seed, executor=executor or Executor(),
                  cache=cache or Cache(None), progress=progress, prediction=prediction, reading=reading)
    ev = fn(ctx)
    if not isinstance(ev, Evidence):
        raise TypeError(f"experiment of {claim.id!r} must return Evidence, got {type(ev).__name__}")
    return ev, claim.judge(ev.metrics, prediction)


def sensitivity(claim, base_verdict: str, **kw) -> dict:
    """Re-judge the claim under each declared reading: ``robust`` when every reading gives the same verdict,
    ``fragile`` otherwise (with the readings that flip it)."""
    per = {}
    for r in claim.readings:
        try:
            _, v = _run_once(claim, reading=r.name, **kw)
            per[r.name] = {"verdict": v.verdict, "reason": v.reason}
        except Exception as exc:  # recorded, never hidden
            per[r.name] = {"verdict": "error", "reason": f"{type(exc).__name__}: {exc}"}
    flips = sorted(k for k, v in per.items() if v["verdict"] != base_verdict)
    return {"status": "fragile" if flips else "robust", "flips": flips, "readings": per}


def run_claim(claim, *, tier: str = "quick", device: str = "cpu", seed: int = 0, executor: Executor | None = None,
              cache: Cache | None = None, progress: Callable[[str], None] | None = None,
              readings: bool | None = None) -> dict:
    """Run one claim's experiment and judge it.  An experiment that raises gives verdict ``error``.

    ``readings`` (default: at the full tier) also re-judges the claim under each declared reading."""
    if tier not in TIERS:
        raise ValueError(f"tier must be one of {TIERS}, got {tier!r}")
    if device not in DEVICES:
        raise ValueError(f"device must be one of {DEVICES}, got {device!r}")
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    rec = {"id": claim.id, "paper": claim.paper.key, "paper_reference": claim.paper.reference,
           "statement": claim.statement, "provenance": claim.provenance, "status": claim.status_for(tier),
           "source": claim.source, "tags": list(claim.tags), "decision": to_plain(dict(claim.decision)),
           "decision_notes": claim.decision_notes, "seed": seed, "tier": tier, "device": device,
           **_declaration(claim), "scope": claim.scope_for(tier)}
    t0 = time.perf_counter()
    try:
        prediction = to_plain(claim.predict())
        rec["prediction"] = prediction
        kw = dict(tier=tier, device=device, seed=seed, executor=executor, cache=cache, progress=progress,
                  prediction=prediction)
        ev, v = _run_once(claim, **kw)
        rec.update(ev.to_dict())
        rec["verdict"], rec["reason"] = v.verdict, v.reason
        if claim.readings and (tier == "full" if readings is None else readings):
            rec["sensitivity"] = sensitivity(claim, v.verdict, **kw)
    except Exception as exc:  # recorded, never swallowed: the verdict 'error' fails the claim check
        rec.setdefault("prediction", None)
        rec.update({"metrics": {}, "cells": [], "plots": [], "counterexample": None, "notes": "",
                    "verdict": "error", "reason": f"{type(exc).__name__}: {exc}",
                    "traceback": traceback.format_exc(limit=8)})
    rec["verdict_text"] = registry.verdict_text(rec["verdict"], rec.get("scope"), claim.setting)
    rec["seconds"] = round(time.perf_counter() - t0, 3)
    rec["matches_status"] = rec["verdict"] == claim.status_for(tier)
    return rec


def check_claim(claim_id: str, tier: str = "quick", device: str = "cpu", seed: int = 0,
                progress: Callable[[str], None] | None = None) -> dict:
    """Run one claim without cache (the pytest claims checker and interactive use)."""
    return run_claim(registry.get(claim_id), tier=tier, device=device, seed=seed,
                     progress=progress or (lambda m: print(m, file=sys.stderr)))
