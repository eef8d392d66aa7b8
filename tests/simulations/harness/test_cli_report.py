"""CLI exit codes, the report files and their atomicity, plots from stored specs, counterexample search.

These tests bind a test-local claim (not in the registry) to a test-local experiment through monkeypatch,
so they exercise the machinery without adding anything to the registered claims."""
import json
import os
import sys

import numpy as np
import pytest
from hypothesis import strategies as st

sys.path.insert(0, os.path.dirname(__file__))
import cells  # noqa: E402
from selftest import bind_claim  # noqa: E402

from simulations.harness import Evidence, experiments, plots  # noqa: E402
from simulations.harness.cli import main  # noqa: E402
from theory import registry, stats  # noqa: E402
from theory.registry import Verdict  # noqa: E402

TEST_ID = "graphon.harness_selftest.spectral_rate"


def _rule(m, pred, dec):
    return Verdict("supported" if abs(m["slope"] - pred["slope"]) < dec["tol"] else "refuted",
                   f"slope {m['slope']:.3f} vs {pred['slope']}")


def _experiment(ctx):
    rows = ctx.sweep(cells.noisy_power, [{"n": n} for n in (8, 16, 32, 64)], replicates=2)
    fit = stats.loglog_fit([r["n"] for r in rows], [r["spec"] for r in rows])
    ce = ctx.search(lambda xs: sum(xs) < 10, st.lists(st.integers(0, 100)), max_examples=100, label="sum")
    return Evidence(metrics={"slope": fit.slope, "slope_ci": [fit.ci_low, fit.ci_high]}, cells=rows,
                    plots=[plots.loglog_fit("spec", "spectral norm", "n", "norm",
                                            [plots.series("||AA^T||", [r["n"] for r in rows],
                                                          [r["spec"] for r in rows], style="o")],
                                            [{"label": "fit", "slope": fit.slope, "intercept": fit.intercept,
                                              "x": [8, 64]}]),
                           plots.heatmaps("img", "matrix", [{"title": "a", "matrix": np.eye(300)}])],
                    counterexample=ce)


@pytest.fixture
def selftest_claim(monkeypatch):
    claim = registry.Claim(id=TEST_ID, statement="The spectral norm of A A^T grows like n (slope 1).",
                           provenance="reconstructed", status="supported", rule=_rule,
                           prediction=lambda: {"slope": 1.0}, decision={"tol": 0.2}, tags=("selftest",))
    return bind_claim(monkeypatch, claim, _experiment)


def test_run_writes_results_report_and_plots(selftest_claim, tmp_path, capsys):
    out = tmp_path / "res"
    assert main(["run", TEST_ID, "--out", str(out)]) == 0
    data = json.loads((out / "results.json").read_text())
    rec = data["claims"][0]
    for key in ("id", "paper", "provenance", "status", "verdict", "metrics", "plots", "seconds", "seed"):
        assert key in rec
    assert rec["verdict"] == "supported" and rec["metrics"]["slope"] == pytest.approx(1.0, abs=0.2)
    assert {"python", "numpy", "torch", "device"} <= set(data["environment"])
    assert all((out / f).exists() for f in rec["plots"]) and len(rec["plots"]) == 2
    assert rec["counterexample"]["found"] and rec["counterexample"]["example"] == [10]  # shrunk to minimal
    html = (out / "report.html").read_text()
    assert "data:image/png;base64," in html and TEST_ID in html and "shrunk to" in html
    assert not list(out.rglob("*.tmp*"))
    # rebuilding the report from stored results alone redraws the plots
    for f in rec["plots"]:
        (out / f).unlink()
    assert main(["report", "--out", str(out)]) == 0
    assert all((out / f).exists() for f in rec["plots"])
    # a rerun reuses every cached cell and gives identical metrics
    assert main(["run", TEST_ID, "--out", str(out)]) == 0
    assert "reused from cache" in capsys.readouterr().err
    assert json.loads((out / "results.json").read_text())["claims"][0]["metrics"] == rec["metrics"]


def test_workers_give_the_same_metrics_as_serial(selftest_claim, tmp_path):
    assert main(["run", TEST_ID, "--out", str(tmp_path / "a"), "--no-cache"]) == 0
    assert main(["run", TEST_ID, "--out", str(tmp_path / "b"), "--no-cache", "--workers", "2"]) == 0
    a, b = (json.loads((tmp_path / x / "results.json").read_text())["claims"][0]["metrics"] for x in "ab")
    assert a == b


def test_verdict_differing_from_status_exits_1(selftest_claim, monkeypatch, tmp_path):
    import dataclasses

    monkeypatch.setitem(registry._REGISTRY, TEST_ID, dataclasses.replace(selftest_claim, status="refuted"))
    assert main(["run", TEST_ID, "--out", str(tmp_path)]) == 1


def test_failing_experiment_is_recorded_as_error(selftest_claim, monkeypatch, tmp_path):
    def broken(ctx):
        raise FloatingPointError("boom")

    monkeypatch.setitem(experiments._EXPERIMENTS, TEST_ID, broken)
    assert main(["run", TEST_ID, "--out", str(tmp_path)]) == 1
    rec = json.loads((tmp_path / "results.json").read_text())["claims"][0]
    assert rec["verdict"] == "error" and "boom" in rec["reason"]


def _exit_code(argv) -> int:
    try:
        return main(argv)
    except SystemExit as exc:  # argparse rejects bad choices itself, with status 2
        return exc.code


@pytest.mark.parametrize("argv", [["run", "no.such.claim"], ["run", "--tier", "huge"], ["run", "--workers", "0"],
                                  ["run", "--paper", "nope"], ["report", "--out", "/nonexistent/dir"],
                                  ["run", "--seed", "-1"], ["run", "--device", "tpu"]])
def test_usage_errors_exit_2_and_write_nothing(argv, tmp_path):
    argv = argv + (["--out", str(tmp_path / "o")] if argv[0] == "run" else [])
    assert _exit_code(argv) == 2
    assert not (tmp_path / "o").exists()


def test_list_prints_every_registered_claim(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert all(c.id in out for c in registry.claims())


def test_declare_validates_its_arguments():
    ok = dict(id="graphon.selftest.x", statement="s", provenance="paper", status="open", rule=_rule)
    for key, bad, msg in [("id", "Graphon X", "dotted"), ("id", "foo.bar", "prefix"),
                          ("provenance", "folklore", "provenance"), ("status", "true", "status"),
                          ("statement", " ", "statement")]:
        with pytest.raises(ValueError, match=msg):
            registry.declare(**{**ok, key: bad})
    with pytest.raises(ValueError, match="paper must be one of"):
        registry.claims("nope")


def test_evidence_and_plot_specs_validate():
    with pytest.raises(ValueError, match="metrics"):
        Evidence(metrics={})
    with pytest.raises(ValueError, match="plot name"):
        plots.line("Bad Name", "t", "x", "y", [])
    with pytest.raises(ValueError, match="same length"):
        plots.series("s", [1, 2], [1])
    with pytest.raises(TypeError, match="JSON-able"):
        Evidence(metrics={"x": object()})


def test_recorded_verdict_per_tier_and_its_validation():
    """A run is compared with the paper tier's recorded verdict at the paper tier, else the full tier's, else the
    quick tier's; the status page names each tier's verdict where it differs from the one below it."""
    import dataclasses

    from simulations.harness.status_page import _other_tiers

    base = dataclasses.replace(registry.claims()[0], status="inconclusive", full_status=None, paper_status=None)
    assert [base.status_for(t) for t in ("quick", "full", "paper")] == ["inconclusive"] * 3 and not _other_tiers(base)
    full = dataclasses.replace(base, full_status="supported")
    assert [full.status_for(t) for t in ("quick", "full", "paper")] == ["inconclusive", "supported", "supported"]
    both = dataclasses.replace(full, paper_status="refuted")
    assert [both.status_for(t) for t in ("quick", "full", "paper")] == ["inconclusive", "supported", "refuted"]
    assert _other_tiers(both) == " (full tier: supported) (paper tier: refuted)"
    paper_only = dataclasses.replace(base, paper_status="supported")
    assert paper_only.status_for("full") == "inconclusive" and _other_tiers(paper_only) == " (paper tier: supported)"
    ok = dict(id="graphon.selftest.y", statement="s", provenance="paper", status="open", rule=_rule)
    for key in ("full_status", "paper_status"):
        with pytest.raises(ValueError, match=key):
            registry.declare(**{**ok, key: "open"})
