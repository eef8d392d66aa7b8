"""The timing page of a run: wall time from run.log (last run only), per-paper sums, checks slowest first."""
import json

import pytest

from simulations.harness import timings


def _claim(cid, seconds, verdict="supported", status="supported", cells=2):
    return {"id": cid, "status": status, "verdict": verdict, "provenance": "secondary", "paper": "x",
            "statement": "s", "seconds": seconds, "tier": "full", "kind": "paper", "cells": [{}] * cells}


def _run(tmp_path, claims, log):
    (tmp_path / "results.json").write_text(json.dumps({"environment": {"executor": "processes", "seed": 0},
                                                       "claims": claims}))
    (tmp_path / "run.log").write_text(log)
    return tmp_path


LOG = ("2026-01-01T00:00:00Z === sparse-claims run --tier quick (1 claims) pid 1\n"
       "2026-01-01T00:00:05Z [1/1] a.b: supported in 5s\n"
       "2026-01-01T01:00:00Z === sparse-claims run --tier full (2 claims) pid 2\n"
       "  a continuation line without a stamp\n"
       "2026-01-01T01:30:00Z [1/2] graphon.a ...\n"
       "2026-01-01T02:05:09Z [2/2] iht.b: refuted (recorded supported) in 3s\n")


def test_wall_time_is_the_last_runs_span(tmp_path):
    out = _run(tmp_path, [_claim("graphon.a", 100.0)], LOG)
    assert timings.log_wall_seconds(out / "run.log") == 65 * 60 + 9
    assert timings.log_wall_seconds(out / "absent.log") is None


def test_page_sums_per_paper_and_orders_checks_slowest_first(tmp_path):
    out = _run(tmp_path, [_claim("graphon.a", 100.0), _claim("iht.b", 3000.0, verdict="refuted"),
                          _claim("graphon.c", 20.0, cells=7)], LOG)
    page = timings.timing_page(out)
    assert "**1 h 05 min**" in page
    assert "| iht | 1 | 3000 | 96 % |" in page and "| graphon | 2 | 120 | 4 % |" in page
    rows = [ln for ln in page.splitlines() if ln.startswith("| `")]
    assert [r.split("`")[1] for r in rows] == ["iht.b", "graphon.a", "graphon.c"]
    assert "refuted (recorded supported)" in rows[0] and "| 7 |" in rows[2]


def test_an_empty_or_missing_run_is_a_clear_error(tmp_path, capsys):
    assert timings.main([str(tmp_path)]) == 3
    assert "no claims recorded" in capsys.readouterr().err
    (tmp_path / "results.json").write_text("[]")
    assert timings.main([str(tmp_path)]) == 3
    assert "results.json" in capsys.readouterr().err
