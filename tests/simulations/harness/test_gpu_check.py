"""The GPU check (``python -m simulations.harness.gpu_check``) at small sizes on the CPU: its steps, budget,
summary files and exit codes.  The default-tier test runs the bench and claim steps on one cheap engine and
one cheap claim; the ``slow`` one runs all three steps exactly as the README's CPU smoke command does."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from simulations.harness import gpu_check as G

ROOT = Path(__file__).resolve().parents[3]


def _run(*args, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simulations.harness.gpu_check", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def _summary(out: Path) -> dict:
    s = json.loads((out / "summary.json").read_text())
    assert (out / "summary.md").read_text().startswith("# GPU check")
    for k in ("python", "torch", "torch_cuda", "cuda_available", "git_commit"):
        assert k in s["environment"], k
    return s


def test_gpu_check_small_bench_and_claim_on_cpu(tmp_path):
    out = tmp_path / "gpu"
    r = _run("--small", "--device", "cpu", "--out", str(out), "--steps", "bench,paper", "--engines", "cutnorm",
             "--claims", "iht.patterns.count", "--budget", "300")
    assert r.returncode == 0, r.stderr
    s = _summary(out)
    assert s["passed"] and [st["step"] for st in s["steps"]] == ["bench", "paper"]
    bench, paper = s["steps"]
    assert bench["status"] == "passed" and bench["engines"][0]["engine"] == "cutnorm"
    rows = json.loads((out / "bench.json").read_text())
    assert {r["engine"] for r in rows} == {"graphs.cutnorm_alternating", "graphs.cutnorm_spectral"}
    assert all(r["seconds"] > 0 for r in rows)
    assert paper["tier"] == "quick"
    ran = {c["id"]: c for c in paper["claims"]}
    assert ran["iht.patterns.count"]["status"] == "ran" and ran["iht.patterns.count"]["verdict"]
    assert (out / "paper" / "results.json").exists()
    # nothing pickled: everything written is text
    for f in out.rglob("*"):
        if f.is_file():
            assert f.suffix in (".json", ".md", ".html", ".log", ".xml", ".png", ".txt", ".svg", ".csv", ""), f


def test_budget_skips_what_does_not_fit(tmp_path):
    """A claim whose expected seconds exceed the budget left is skipped and recorded, and the step still passes."""
    out = tmp_path / "gpu"
    args = G.build_parser().parse_args(["--small", "--device", "cpu", "--out", str(out), "--budget", "30"])
    args.steps, args.engines = ["paper"], []
    args.claims = [("iht.patterns.count", 1000.0)]
    assert G.Check(args).run() == 0
    (c,) = _summary(out)["steps"][0]["claims"]
    assert c["status"] == "skipped" and "budget" in c["reason"]
    assert "skipped" in (out / "summary.md").read_text()


def test_usage_errors(tmp_path, monkeypatch):
    import torch

    assert G.main(["--steps", "nosuch", "--device", "cpu", "--out", str(tmp_path)]) == 2
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert G.main(["--out", str(tmp_path)]) == 2          # the default device is cuda
    assert not (tmp_path / "summary.json").exists()


def test_declared_claims_are_registered_and_ordered_by_cost():
    from theory import registry

    for cid, est in G.PAPER_CLAIMS + G.SMALL_CLAIMS:
        registry.get(cid)
        assert est > 0
    costs = [est for _, est in G.PAPER_CLAIMS]
    assert costs == sorted(costs)


@pytest.mark.slow
def test_gpu_check_all_steps_small_on_cpu(tmp_path):
    """The CPU smoke run of the README: pytest -m gpu (all skip on the CPU), bench --quick of every engine,
    the quick tier of two cheap claims (a few minutes on a loaded 2-core machine)."""
    out = tmp_path / "gpu"
    r = _run("--small", "--device", "cpu", "--out", str(out), timeout=900)
    assert r.returncode == 0, r.stderr
    s = _summary(out)
    assert [st["step"] for st in s["steps"]] == list(G.STEPS) and s["passed"]
    assert (out / "pytest-gpu.xml").exists()
    engines = {e["engine"]: e["status"] for e in s["steps"][1]["engines"]}
    assert engines == {e: "passed" for e in G.BENCH_ENGINES}
