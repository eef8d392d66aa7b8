"""The context an experiment receives: its claim, prediction and decision constants, the tier, device and
root seed, and the means to run sweeps and counterexample searches."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from simulations.harness.search import search_counterexample
from simulations.harness.sweep import Cache, Executor, make_cells, run_sweep
from simulations.rng import derive_seed

#: quick: CI sizes (minutes on 2 cores); full: larger sizes and more seeds (hours at most on 2 cores);
#: paper: the papers' own sizes where an experiment defines them (a GPU or many CPU hours; run only when asked)
TIERS = ("quick", "full", "paper")
DEVICES = ("cpu", "cuda")


@dataclass
class Context:
    claim: Any                      # theory.registry.Claim
    tier: str = "quick"
    device: str = "cpu"
    seed: int = 0
    executor: Executor = field(default_factory=Executor)
    cache: Cache = field(default_factory=lambda: Cache(None))
    progress: Callable[[str], None] | None = None
    prediction: dict = field(default_factory=dict)
    #: the reading of a reconstructed definition this run uses (None: the declared one; see Claim.readings)
    reading: str | None = None

    def __post_init__(self) -> None:
        if self.tier not in TIERS:
            raise ValueError(f"tier must be one of {TIERS}, got {self.tier!r}")
        if self.device not in DEVICES:
            raise ValueError(f"device must be one of {DEVICES}, got {self.device!r}")
        if not self.prediction:
            self.prediction = self.claim.predict()
        names = [r.name for r in getattr(self.claim, "readings", ())]
        if self.reading is not None and self.reading not in names:
            raise ValueError(f"reading must be one of {names} (the claim's declared readings) or None, "
                             f"got {self.reading!r}")

    @property
    def decision(self) -> dict:
        return dict(self.claim.decision)

    def pick(self, quick, full, paper=None):
        """The tier's value: sizes, seeds, grids (the paper tier falls back to the full tier's value where an
        experiment defines no paper size)."""
        if self.tier == "quick":
            return quick
        if self.tier == "paper" and paper is not None:
            return paper
        return full

    def at_least(self, tier: str) -> bool:
        """True when this run's tier is ``tier`` or a larger one (quick < full < paper): a design's extras of
        the full tier run at the paper tier too."""
        if tier not in TIERS:
            raise ValueError(f"tier must be one of {TIERS}, got {tier!r}")
        return TIERS.index(self.tier) >= TIERS.index(tier)

    def seed_for(self, *key) -> int:
        return derive_seed(self.seed, self.claim.id, *key)

    def rng(self, *key) -> np.random.Generator:
        return np.random.default_rng(self.seed_for(*key))

    def log(self, msg: str) -> None:
        if self.progress:
            self.progress(f"{self.claim.id}: {msg}")

    def sweep(self, fn: Callable, configs: Sequence[dict], replicates: int = 1, label: str = "") -> list[dict]:
        """Run ``fn(cell)`` over configs x replicates; rows are ``{**config, replicate, seed, **result}``."""
        cells = make_cells(self.claim.id, fn, configs, replicates, self.seed, self.device, tier=self.tier)
        results = run_sweep(cells, self.executor, self.cache, self.progress,
                            label=f"{self.claim.id}{'/' + label if label else ''}")
        return [{**c.config, "replicate": c.replicate, "seed": c.seed, **r} for c, r in zip(cells, results)]

    def search(self, prop: Callable[[Any], bool], strategy, max_examples: int = 200,
               to_data: Callable[[Any], Any] = lambda x: x, label: str = "") -> dict:
        """Hypothesis search for an input where ``prop`` is False, shrunk to a minimal one (plain data)."""
        out = search_counterexample(prop, strategy, max_examples=max_examples,
                                    seed=self.seed_for("search", label), to_data=to_data)
        self.log(f"search {label or ''}: {'counterexample found' if out['found'] else 'none found'}")
        return out
