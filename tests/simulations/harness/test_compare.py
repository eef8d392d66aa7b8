"""`sparse-claims diff` and `sparse-claims export` on two synthetic runs (and the registry)."""
from __future__ import annotations

import csv
import io
import json

import pytest

from simulations.harness import cli
from simulations.harness.compare import diff, metric_changes, to_latex


def _rec(cid, verdict, metrics, kind="paper", scope="scaled", paper="p1"):
    return {"id": cid, "paper": paper, "status": "supported", "provenance": "paper", "statement": f"s {cid}",
            "verdict": verdict, "kind": kind, "scope": scope, "metrics": metrics, "seconds": 1.0}


def _write(path, claims, env=None):
    path.mkdir()
    (path / "results.json").write_text(json.dumps({"environment": env or {}, "claims": claims}))
    return path


@pytest.fixture
def runs(tmp_path):
    a = _write(tmp_path / "a", [_rec("x.one", "supported", {"slope": -0.50, "ci": [-0.6, -0.4], "n": 3}),
                                _rec("x.two", "supported", {"p": 0.01}, kind="validation"),
                                _rec("x.gone", "refuted", {"q": 1.0})], {"seed": 0})
    b = _write(tmp_path / "b", [_rec("x.one", "inconclusive", {"slope": -0.51, "ci": [-0.9, -0.1], "n": 3}),
                                _rec("x.two", "supported", {"p": 0.0100001}, kind="validation"),
                                _rec("x.new", "supported", {"q": 2.0}, paper="p2")], {"seed": 1})
    return a, b


def test_diff_finds_flips_metric_changes_added_removed(runs):
    a, b = (json.loads((r / "results.json").read_text()) for r in runs)
    d = diff(a, b, rel=0.05)
    p1 = d["papers"]["p1"]
    assert d["n_flipped"] == 1 and p1["flipped"][0]["id"] == "x.one"
    assert p1["removed"] == ["x.gone"] and d["papers"]["p2"]["added"] == ["x.new"]
    changed = {c["metric"] for c in p1["metrics"]["x.one"]}
    assert changed == {"ci[0]", "ci[1]"}          # slope moved 2% < 5%: not listed
    assert "x.two" not in p1["metrics"]           # 1e-5 relative: not listed
    assert metric_changes({"a": "nan"}, {"a": "nan"}, 0.05) == []
    assert metric_changes({"a": True}, {"a": False}, 0.05)[0]["metric"] == "a"
    with pytest.raises(ValueError, match="rel"):
        diff(a, b, rel=-1)


def test_diff_cli_exit_codes(runs, capsys):
    a, b = runs
    assert cli.main(["diff", str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert "VERDICT x.one (paper): supported -> inconclusive" in out and "seed: 0 -> 1" in out
    assert cli.main(["diff", str(a), str(a / "results.json")]) == 0
    assert cli.main(["diff", str(a), str(a.parent / "missing")]) == 3
    capsys.readouterr()
    assert cli.main(["diff", str(a), str(b), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["n_flipped"] == 1


def test_export_csv_and_latex(runs, capsys, tmp_path):
    a, _ = runs
    assert cli.main(["export", "--out", str(a)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["id"] for r in rows] == ["x.gone", "x.one", "x.two"]     # paper claims first, then validation
    assert rows[1]["scope"] == "scaled" and rows[2]["scope"] == ""      # scope only for paper claims
    target = tmp_path / "t.tex"
    assert cli.main(["export", "--format", "latex", "--out", str(a), "--output", str(target)]) == 0
    tex = target.read_text()
    assert r"\begin{tabular}" in tex and r"\texttt{x.one}" in tex
    assert r"a\_b \& c" in to_latex({"claims": [_rec("y.z", "supported", {}, paper="a_b & c")]})
