"""Bind a test-only claim and its experiment into the registries for one test (undone by ``monkeypatch``)."""
from simulations.harness import experiments
from theory import registry


def bind_claim(monkeypatch, claim, experiment):
    """Load the real registries, add ``claim`` and its ``experiment`` under ``claim.id`` and stop either registry
    from reloading over them; returns ``claim``."""
    registry._load()
    experiments._load()
    monkeypatch.setitem(registry._REGISTRY, claim.id, claim)
    monkeypatch.setattr(registry, "_load", lambda: None)
    monkeypatch.setitem(experiments._EXPERIMENTS, claim.id, experiment)
    monkeypatch.setattr(experiments, "_load", lambda: None)
    return claim
