"""The claims checker: every registered claim is collected here and run at the quick tier (the full tier
is ``slow``).  A claim's test fails when the evidence of this run no longer reproduces its recorded status,
or when its experiment raises.  The evidence is printed either way (``pytest -rA`` shows it on success).
"""
from __future__ import annotations

import json

import pytest

from simulations.harness.runner import check_claim
from theory import registry


def _params(tier_marks=()):
    return [pytest.param(c.id, id=c.id, marks=[pytest.mark.claim, getattr(pytest.mark, c.prefix), *tier_marks])
            for c in registry.claims()]


def _check(claim_id: str, tier: str, device: str = "cpu") -> None:
    rec = check_claim(claim_id, tier=tier, device=device, seed=0)   # rec["status"] is the tier's recorded one
    print(json.dumps({k: rec.get(k) for k in ("id", "verdict", "status", "reason", "metrics", "seconds")},
                     indent=1, default=str))
    assert rec["verdict"] != "error", rec.get("traceback")
    assert rec["verdict"] == rec["status"], (
        f"{claim_id}: this run gives {rec['verdict']!r} but the registry records {rec['status']!r}: {rec['reason']}")
    if registry.get(claim_id).kind in ("paper", "finding"):
        assert rec.get("plots") or rec.get("plot_specs"), (
            f"{claim_id}: a {registry.get(claim_id).kind!r} claim must return at least one plot of its evidence")


def test_every_claim_has_an_experiment():
    from simulations.harness.experiments import bound_ids

    ids = {c.id for c in registry.claims()}
    bound = set(bound_ids())
    assert not ids - bound, f"claims without an experiment: {sorted(ids - bound)}"
    assert not bound - ids, f"experiments bound to undeclared ids: {sorted(bound - ids)}"
    assert not [c.id for c in registry.claims() if c.status == "open"], "every claim must have been run"


def test_every_experiment_lives_under_simulations_experiments():
    """One home for every binding: from a claim id a reader reaches its experiment in one predictable hop."""
    from simulations.harness.experiments import get_experiment

    elsewhere = {c.id: get_experiment(c.id).__module__ for c in registry.claims()
                 if not get_experiment(c.id).__module__.startswith("simulations.experiments.")}
    assert not elsewhere, f"experiments bound outside simulations/experiments/: {elsewhere}"


@pytest.mark.parametrize("claim_id", _params())
def test_claim_quick(claim_id):
    _check(claim_id, "quick")


@pytest.mark.parametrize("claim_id", _params([pytest.mark.slow]))
def test_claim_full(claim_id):
    import torch

    _check(claim_id, "full", "cuda" if torch.cuda.is_available() else "cpu")


@pytest.mark.parametrize("claim_id", _params([pytest.mark.papersize]))
def test_claim_paper(claim_id):
    """The papers' sizes: runs only when asked (``pytest -m papersize``), on CUDA when present."""
    import torch

    _check(claim_id, "paper", "cuda" if torch.cuda.is_available() else "cpu")
