"""The runner: for each claim id, prediction (theory) -> experiment (simulations) -> verdict rule -> record.

A record holds what ``results.json`` stores per claim: id, paper, kind, provenance, status (recorded), verdict
(this run), scope (of this run's evidence), setting (paper's and suite's), verdict_text (verdict with its scope),
reason, fingerprint and revisions (the pre-registration ledger), metrics, prediction, cells, plots (specs),
counterexample, sensitivity (verdict under each declared reading, full tier), seconds, seed, tier, device,
rule and experiment (``module:qualname``) with rule_source and experiment_source (``path:line`` from the
repository root).  ``environment()`` adds git_commit and git_dirty (tracked files changed; None without git).
"""
from __future__ import annotations

import platform
import sys
import time
import traceback
from pathlib import Path
from typing import Callable, Iterable

from simulations.harness.context import DEVICES, TIERS, Context
from simulations.harness.evidence import Evidence, to_plain
from simulations.harness.experiments import get_experiment
from simulations.harness.sweep import Cache, Executor, SchedulerError
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
    env.update(git_state())
    return env


_ROOT = Path(__file__).resolve().parents[2]


def git_state(root: Path | None = None) -> dict:
    """``git_commit`` (HEAD) and ``git_dirty`` (uncommitted changes) of the checkout; None where there is
    no git or no repository."""
    import subprocess

    def git(*args):
        try:
            r = subprocess.run(["git", *args], cwd=root or _ROOT, capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.SubprocessError):
            return None
        return r.stdout if r.returncode == 0 else None

    head = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no") if head else None
    return {"git_commit": head.strip() if head else None, "git_dirty": None if status is None else bool(status.strip())}


def source_of(fn) -> dict:
    """``{"name": "module:qualname", "source": "path:line"}`` of a function (path relative to the repository
    root where it lies inside it); the source is None where it cannot be found (a builtin, a REPL lambda)."""
    import inspect

    fn = inspect.unwrap(fn)
    name = f"{getattr(fn, '__module__', '?')}:{getattr(fn, '__qualname__', getattr(fn, '__name__', '?'))}"
    try:
        path = Path(inspect.getsourcefile(fn)).resolve()
        line = inspect.getsourcelines(fn)[1]
    except (TypeError, OSError):
        return {"name": name, "source": None}
    try:
        path = path.relative_to(_ROOT)
    except ValueError:
        pass
    return {"name": name, "source": f"{path.as_posix()}:{line}"}


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
            "readings": [{"name": r.name, "description": r.description} for r in claim.readings],
            **_code_refs(claim)}


def _code_refs(claim) -> dict:
    """The rule and the experiment as ``module:qualname`` with ``path:line`` (the report links them)."""
    rule = source_of(claim.rule)
    out = {"rule": rule["name"], "rule_source": rule["source"], "experiment": None, "experiment_source": None}
    try:
        exp = source_of(get_experiment(claim.id))
        out.update(experiment=exp["name"], experiment_source=exp["source"])
    except KeyError:
        pass
    return out


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
        except SchedulerError:   # the cluster is gone: the run ends (exit 3), no verdict is recorded
            raise
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
    except SchedulerError:   # the cluster is gone: the run ends (exit 3), no verdict is recorded
        raise
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
