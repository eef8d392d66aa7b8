"""Runs ``sparse-claims`` in a subprocess with one test-only claim whose cells sleep (signal tests).

Usage: ``python fault_cli.py run faults.selftest.sleepy --workers 2 --out DIR``; the cells sleep
``FAULT_SLEEP`` seconds each (default 30) and there are ``FAULT_CELLS`` of them (default 4).  Nothing is
added to the registry of the installed package: the claim lives in this process only."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cells  # noqa: E402

from simulations.harness import Evidence, experiments  # noqa: E402
from simulations.harness.cli import main  # noqa: E402
from theory import registry  # noqa: E402
from theory.registry import Verdict  # noqa: E402

CLAIM_ID = "graphon.faults_selftest.sleepy"


def _experiment(ctx):
    sleep = float(os.environ.get("FAULT_SLEEP", "30"))
    n = int(os.environ.get("FAULT_CELLS", "4"))
    rows = ctx.sweep(cells.sleepy, [{"n": i, "sleep": sleep} for i in range(n)])
    return Evidence(metrics={"cells": len(rows)}, cells=rows)


def install() -> None:
    registry._REGISTRY[CLAIM_ID] = registry.Claim(
        id=CLAIM_ID, statement="Sleeping cells finish.", provenance="reconstructed", status="supported",
        rule=lambda m, p, d: Verdict("supported", "ran"), prediction=lambda: {"cells": 0}, tags=("selftest",))
    registry._load = lambda: None
    experiments._EXPERIMENTS[CLAIM_ID] = _experiment
    experiments._load = lambda: None


if __name__ == "__main__":
    install()
    sys.exit(main(sys.argv[1:]))
