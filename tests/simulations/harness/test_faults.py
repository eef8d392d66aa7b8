"""Fault injection: each row of the reliability issue's table, reproduced and checked.

* stale code and a changed tier are never served from the cache;
* an edited, corrupted or foreign cache entry is reported in one line, recomputed, and the verdict is right;
* ``kill -9`` / SIGTERM of a ``--workers 2`` run leaves no process behind (checked by PID), Ctrl-C exits 130
  with one line and no traceback;
* a dask scheduler with no workers, or with nothing listening, fails within ``--connect-timeout`` (exit 3);
  a malformed address is a usage error naming the fault;
* ``--out`` problems exit 3 before any claim runs; absurd ``--workers`` exit 2, large ones are capped;
* ``report`` on hostile ``results.json`` files exits 3 with one line naming the file; a closed pipe is quiet;
  every field of ``results.json`` is escaped in ``report.html``;
* importing the sweep module does not touch the process umask.

The in-process tests bind test-local claims through monkeypatch; the signal tests run
``fault_cli.py`` (the CLI plus one test-only claim with sleeping cells) in a subprocess.
"""
import importlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cells  # noqa: E402
from selftest import bind_claim  # noqa: E402

from simulations.harness import Evidence, sweep  # noqa: E402
from simulations.harness.cli import main  # noqa: E402
from theory import registry, stats  # noqa: E402
from theory.registry import Verdict  # noqa: E402

FAULT_CLI = os.path.join(HERE, "fault_cli.py")
SLEEPY = "graphon.faults_selftest.sleepy"
RATE = "graphon.faults_selftest.rate"
STALE = "graphon.faults_selftest.stale"


def _rate_rule(m, pred, dec):
    return Verdict("supported" if abs(m["slope"] - pred["slope"]) < dec["tol"] else "refuted",
                   f"slope {m['slope']:.3f}")


def _rate_experiment(ctx):
    rows = ctx.sweep(cells.noisy_power, [{"n": n} for n in (8, 16, 32, 64)], replicates=2)
    fit = stats.loglog_fit([r["n"] for r in rows], [r["spec"] for r in rows])
    return Evidence(metrics={"slope": fit.slope}, cells=rows)


def _bind(monkeypatch, claim_id, experiment, rule, prediction, decision=None, status="supported"):
    claim = registry.Claim(id=claim_id, statement="test-only claim", provenance="reconstructed", status=status,
                           rule=rule, prediction=prediction, decision=decision or {}, tags=("selftest",))
    return bind_claim(monkeypatch, claim, experiment)


@pytest.fixture
def rate_claim(monkeypatch):
    return _bind(monkeypatch, RATE, _rate_experiment, _rate_rule, lambda: {"slope": 1.0}, {"tol": 0.2})


def _record(out: Path) -> dict:
    return json.loads((out / "results.json").read_text())["claims"][0]


def _exit_code(argv) -> int:
    try:
        return main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        return exc.code


# ---------------------------------------------------------------------------------------------- cache


def test_edited_code_and_other_tier_are_recomputed(monkeypatch, tmp_path, capsys):
    """Row 1: a cell computed by old code is never reused; nor is a cell of another tier."""
    src = tmp_path / "mods"
    src.mkdir()
    mod_file = src / "stale_cells_mod.py"
    mod_file.write_text("def value(cell):\n    return {'v': 1}\n")
    monkeypatch.syspath_prepend(str(src))
    mod = importlib.import_module("stale_cells_mod")

    def experiment(ctx):
        rows = ctx.sweep(sys.modules["stale_cells_mod"].value, [{"n": 1}, {"n": 2}])
        return Evidence(metrics={"v": rows[0]["v"]}, cells=rows)

    _bind(monkeypatch, STALE, experiment, lambda m, p, d: Verdict("supported" if m["v"] == 2 else "refuted", ""),
          lambda: {"v": 2}, status="supported")
    out = tmp_path / "out"
    assert main(["run", STALE, "--out", str(out)]) == 1          # old code: v = 1, refuted
    assert _record(out)["metrics"]["v"] == 1
    capsys.readouterr()
    assert main(["run", STALE, "--out", str(out)]) == 1          # unchanged code: reused
    assert "2/2 cells reused from cache" in capsys.readouterr().err
    mod_file.write_text("def value(cell):\n    return {'v': 2}  # fixed\n")
    os.utime(mod_file, ns=(time.time_ns() + 10**9,) * 2)  # a new mtime even on coarse clocks
    importlib.reload(mod)
    assert main(["run", STALE, "--out", str(out)]) == 0          # new code: recomputed, v = 2
    err = capsys.readouterr().err
    assert "reused from cache" not in err
    assert _record(out)["metrics"]["v"] == 2
    assert main(["run", STALE, "--out", str(out), "--tier", "full"]) == 0
    assert "reused from cache" not in capsys.readouterr().err   # same configs, other tier: not reused
    sys.modules.pop("stale_cells_mod", None)


def test_code_fingerprint_covers_engines_not_presentation(monkeypatch, tmp_path):
    """The fingerprint changes when any engine or theory module changes, not when the report code does."""
    for rel in ("simulations/pai/scorers.py", "theory/graphon.py", "simulations/harness/report.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x = 1\n")
    monkeypatch.setattr(sweep, "_PKG_ROOT", tmp_path)
    monkeypatch.setattr(sweep, "_FILE_HASHES", {})
    fp = sweep.code_fingerprint()
    (tmp_path / "simulations/harness/report.py").write_text("x = 2  # presentation only\n")
    assert sweep.code_fingerprint() == fp
    for rel in ("simulations/pai/scorers.py", "theory/graphon.py"):
        (tmp_path / rel).write_text("x = 3\n")
        assert sweep.code_fingerprint() != fp
        fp = sweep.code_fingerprint()


def _entries(out: Path) -> list[Path]:
    return sorted((out / "cache").rglob("*.json"))


def _entry_for_n(out: Path, n: int) -> list[Path]:
    return [p for p in _entries(out) if json.loads(p.read_text())["cell"]["config"]["n"] == n]


def test_hand_edited_cache_value_is_detected_and_verdict_kept(rate_claim, tmp_path, capsys):
    """Row 2: a cached value edited by hand (x100) fails its checksum and is recomputed; the verdict stays."""
    out = tmp_path / "out"
    assert main(["run", RATE, "--out", str(out)]) == 0
    good = _record(out)["metrics"]
    for p in _entry_for_n(out, 64):          # x100 on the largest n would flip the slope to ~2.7
        e = json.loads(p.read_text())
        e["result"]["spec"] *= 100
        p.write_text(json.dumps(e))
    capsys.readouterr()
    assert main(["run", RATE, "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.count("fails its checksum") == 2 and "6/8 cells reused from cache" in err
    assert _record(out)["verdict"] == "supported" and _record(out)["metrics"] == good
    for p in _entry_for_n(out, 64):          # overwritten with a valid entry
        e = json.loads(p.read_text())
        assert e["checksum"] == sweep.checksum(e["result"])


@pytest.mark.parametrize("content", [b"\xff\xfe\x00garbage", b"[]", b'{"cell":{},"result":{}}', b"{trunc",
                                     b'{"format": 2, "key": "x", "cell": {}, "result": [], "checksum": ""}'])
def test_corrupt_cache_entries_are_recomputed_never_an_error(rate_claim, tmp_path, capsys, content):
    """Row 3: invalid UTF-8, ``[]``, an entry of the old format, truncated JSON, a foreign entry: each is
    reported in one line, recomputed and overwritten; the verdict is the right one, never ``error``."""
    out = tmp_path / "out"
    assert main(["run", RATE, "--out", str(out)]) == 0
    good = _record(out)["metrics"]
    victim = _entries(out)[0]
    victim.write_bytes(content)
    capsys.readouterr()
    assert main(["run", RATE, "--out", str(out)]) == 0
    err = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("cache:")]
    assert len(err) == 1 and str(victim) in err[0] and "recomputing" in err[0]
    assert _record(out)["verdict"] == "supported" and _record(out)["metrics"] == good
    assert json.loads(victim.read_text())["format"] == sweep.CACHE_FORMAT   # overwritten


def test_cache_entry_that_cannot_be_written_does_not_break_the_verdict(rate_claim, tmp_path, capsys):
    """A folder where an entry should go: reported, result used, verdict right."""
    out = tmp_path / "out"
    assert main(["run", RATE, "--out", str(out)]) == 0
    victim = _entries(out)[0]
    victim.unlink()
    victim.mkdir()
    assert main(["run", RATE, "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "could not write" in err and _record(out)["verdict"] == "supported"


# ------------------------------------------------------------------------------------------ processes


def _spawn(out: Path, *extra, sleep=30, n=4):
    env = {**os.environ, "FAULT_SLEEP": str(sleep), "FAULT_CELLS": str(n), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, FAULT_CLI, "run", SLEEPY, "--out", str(out), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)


def _wait_for_workers(proc, k: int, timeout: float = 60) -> list[int]:
    """PIDs of the run's descendants once ``k`` worker processes run cells (plus the resource tracker)."""
    parent = psutil.Process(proc.pid)
    t0 = time.time()
    while time.time() - t0 < timeout:
        kids = parent.children(recursive=True)
        workers = [c for c in kids if "resource_tracker" not in " ".join(_cmdline(c))]
        if len(workers) >= k:
            time.sleep(3)  # let them import and start their cells
            return [c.pid for c in parent.children(recursive=True)]
        if proc.poll() is not None:
            raise AssertionError(f"the run ended early: {proc.communicate()}")
        time.sleep(0.2)
    raise AssertionError(f"no {k} workers within {timeout}s")


def _cmdline(p) -> list[str]:
    try:
        return p.cmdline()
    except psutil.Error:
        return []


def _alive(pids: list[int]) -> list[int]:
    out = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                out.append(pid)
        except psutil.NoSuchProcess:
            pass
    return out


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    t0 = time.time()
    while time.time() - t0 < seconds:
        if not _alive(pids):
            return []
        time.sleep(0.2)
    left = _alive(pids)
    for pid in left:       # never leave them behind, even when the test fails
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return left


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_the_parent_leaves_no_process(tmp_path, sig):
    """Row 4: ``kill -9`` or ``kill`` of a ``--workers 2`` run: every worker and the resource tracker are
    gone within seconds (checked by PID)."""
    proc = _spawn(tmp_path / "out", "--workers", "2")
    pids = _wait_for_workers(proc, 2)
    assert len(pids) >= 2
    os.kill(proc.pid, sig)
    proc.wait(timeout=30)
    assert _gone_within(pids, 10) == []
    if sig == signal.SIGTERM:
        assert proc.returncode == 143
        assert "Traceback" not in proc.stderr.read().decode()
    proc.stdout.close()
    proc.stderr.close()


def test_ctrl_c_exits_130_with_one_line_and_keeps_finished_cells(tmp_path):
    """Row 5: SIGINT to the whole process group (a terminal's Ctrl-C): exit 130, one line, no traceback,
    no worker left, and the cells that finished before are in the cache."""
    out = tmp_path / "out"
    # 2 quick cells finish, then the 30 s ones are interrupted
    fast = _spawn(out, "--workers", "2", sleep=0, n=2)
    assert fast.wait(timeout=120) == 0
    fast.stdout.close()
    fast.stderr.close()
    cached = set(p.name for p in (out / "cache").rglob("*.json"))
    assert len(cached) == 2
    proc = _spawn(out, "--workers", "2", sleep=30, n=4)
    pids = _wait_for_workers(proc, 2)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    err = err.decode()
    assert proc.returncode == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert err.strip().splitlines()[-1].startswith("sparse-claims: interrupted")
    assert sum("interrupted" in ln for ln in err.splitlines()) == 1
    assert _gone_within(pids, 10) == []
    assert cached <= set(p.name for p in (out / "cache").rglob("*.json"))


def test_workers_absurd_values_are_usage_errors_and_large_ones_are_capped(rate_claim, tmp_path, monkeypatch,
                                                                          capsys):
    """Row 8: ``--workers 1000000`` and ``10000000000`` exit 2 with a message (no OverflowError); a value
    above the CPU count is capped with a message and the run proceeds."""
    for w in ("1000000", "10000000000", "-3", "0"):
        assert _exit_code(["run", RATE, "--workers", w, "--out", str(tmp_path / "x")]) == 2
        assert "--workers must be an integer in [1, 1024]" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
    monkeypatch.setattr(sweep, "cpu_count", lambda: 2)
    assert main(["run", RATE, "--workers", "64", "--out", str(tmp_path / "y")]) == 0
    assert "--workers 64 capped at 2" in capsys.readouterr().err


# -------------------------------------------------------------------------------------------------- dask


def test_scheduler_without_workers_fails_within_the_timeout(rate_claim, tmp_path, capsys):
    """Row 6: a scheduler with no workers: exit 3 within --connect-timeout, saying so; nothing hangs."""
    distributed = pytest.importorskip("distributed", reason="dask.distributed is the optional extra [distributed]")
    with distributed.LocalCluster(n_workers=0, host="127.0.0.1", dashboard_address=None) as cluster:
        t0 = time.perf_counter()
        rc = main(["run", RATE, "--scheduler", cluster.scheduler_address, "--connect-timeout", "2",
                   "--out", str(tmp_path / "o")])
        dt = time.perf_counter() - t0
    assert rc == 3 and dt < 2 + 8
    assert "has no workers" in capsys.readouterr().err
    assert not (tmp_path / "o" / "results.json").exists()


def _sleepy_experiment(ctx):
    rows = ctx.sweep(cells.sleepy, [{"n": n, "sleep": 0.3} for n in range(40)])
    return Evidence(metrics={"slope": 1.0}, cells=rows)


def test_workers_leaving_mid_run_end_it_within_the_timeout(monkeypatch, tmp_path, capsys):
    """Every dask worker leaves partway through a sweep: exit 3 within --connect-timeout of their leaving,
    saying so and that finished cells are cached (before: the run waited for ever)."""
    distributed = pytest.importorskip("distributed", reason="dask.distributed is the optional extra [distributed]")
    import threading

    _bind(monkeypatch, SLEEPY, _sleepy_experiment, _rate_rule, lambda: {"slope": 1.0}, {"tol": 0.2})
    out = tmp_path / "o"
    dropped = []

    def drop_workers_after_a_finished_cell(cluster):
        t_end = time.monotonic() + 60
        while time.monotonic() < t_end and not list((out / "cache").rglob("*.json")):
            time.sleep(0.05)
        cluster.scale(0)
        dropped.append(time.perf_counter())

    with distributed.LocalCluster(n_workers=1, processes=False, threads_per_worker=1, protocol="tcp",
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        watcher = threading.Thread(target=drop_workers_after_a_finished_cell, args=(cluster,))
        watcher.start()
        rc = main(["run", SLEEPY, "--scheduler", cluster.scheduler_address, "--connect-timeout", "2",
                   "--out", str(out)])
        t_end = time.perf_counter()
        watcher.join()
    err = capsys.readouterr().err
    assert rc == 3, err
    assert dropped and t_end - dropped[0] < 2 + 8, t_end - dropped[0]
    assert "every dask worker left the scheduler" in err and "finished cells are cached" in err
    assert len(list((out / "cache").rglob("*.json"))) >= 1   # what finished before is kept


def test_unreachable_scheduler_fails_within_the_timeout(rate_claim, tmp_path, capsys):
    """Row 7: nothing listening at the address: exit 3 within --connect-timeout (not a hard-coded 30 s)."""
    pytest.importorskip("distributed", reason="dask.distributed is the optional extra [distributed]")
    t0 = time.perf_counter()
    rc = main(["run", RATE, "--scheduler", "tcp://127.0.0.1:1", "--connect-timeout", "2",
               "--out", str(tmp_path / "o")])
    assert rc == 3 and time.perf_counter() - t0 < 2 + 8
    assert "could not connect to the dask scheduler at tcp://127.0.0.1:1 within 2s" in capsys.readouterr().err


@pytest.mark.parametrize("addr,msg", [("127.0.0.1:8786", "no protocol"), ("tcp://127.0.0.1", "no port"),
                                      ("tcp://127.0.0.1:99999", "outside 1..65535"), ("foo://h:1", "protocol"),
                                      ("tcp://bad host:1", "host part"), ("tcp://h:1x", "host part")])
def test_malformed_scheduler_address_is_a_usage_error_naming_the_fault(rate_claim, tmp_path, capsys, addr, msg):
    assert _exit_code(["run", RATE, "--scheduler", addr, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert msg in err and "--scheduler" in err and len(err.strip().splitlines()) == 1


# ------------------------------------------------------------------------------------------ CLI contract


def _never_run(monkeypatch):
    calls = []

    def experiment(ctx):
        calls.append(1)
        return Evidence(metrics={"slope": 1.0})

    _bind(monkeypatch, RATE, experiment, _rate_rule, lambda: {"slope": 1.0}, {"tol": 0.2})
    return calls


def test_out_that_is_a_file_exits_3_before_any_claim_runs(monkeypatch, tmp_path, capsys):
    """Row 8 (--out): a file as --out: exit 3 with one line naming it, and no claim ran."""
    calls = _never_run(monkeypatch)
    f = tmp_path / "file"
    f.write_text("x")
    assert main(["run", RATE, "--out", str(f)]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(f) in err[0] and "not a directory" in err[0]
    assert calls == [] and f.read_text() == "x"


def test_unwritable_out_exits_3_before_any_claim_runs(monkeypatch, tmp_path, capsys):
    """Row 8 (--out): an unwritable directory (and one that cannot be created) exits 3 before any claim."""
    calls = _never_run(monkeypatch)
    bad = ["/proc/1", "/proc/version/sub"]            # a folder nobody may write in (root included), and
    if os.geteuid() != 0:                            # a path under a file; plus a 0500 folder when not root
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        bad.append(str(ro))
    for path in bad:
        assert main(["run", RATE, "--out", path]) == 3
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and path in err[0]
    assert calls == []


HOSTILE = {
    "claims item empty": {"claims": [{}]},
    "missing status": {"claims": [{"id": "graphon.a.b", "provenance": "paper", "paper": "p", "statement": "s"}]},
    "claims not a list": {"claims": {"id": "x"}},
    "top level a list": [],
    "bad verdict": {"claims": [{"id": "graphon.a.b", "status": "supported", "provenance": "paper", "paper": "p",
                                "statement": "s", "verdict": "<script>"}]},
    "plot outside plots/": {"claims": [{"id": "graphon.a.b", "status": "supported", "provenance": "paper",
                                        "paper": "p", "statement": "s", "plots": ["../../etc/passwd"]}]},
    "id with a slash": {"claims": [{"id": "../x", "status": "supported", "provenance": "paper", "paper": "p",
                                    "statement": "s"}]},
    "seconds a string": {"claims": [{"id": "graphon.a.b", "status": "supported", "provenance": "paper",
                                     "paper": "p", "statement": "s", "seconds": "1"}]},
}


@pytest.mark.parametrize("name", sorted(HOSTILE) + ["truncated", "not utf-8", "a directory"])
def test_report_on_malformed_results_names_the_file_never_a_traceback(tmp_path, capsys, name):
    """Row 9: ``report`` on malformed results.json files: exit 3, one line naming the file and the fault."""
    p = tmp_path / "results.json"
    if name == "truncated":
        p.write_text('{"claims": [{"id": "graphon.a.b", "st')
    elif name == "not utf-8":
        p.write_bytes(b'{"claims": [\xff]}')
    elif name == "a directory":
        p.mkdir()
    else:
        p.write_text(json.dumps(HOSTILE[name]))
    assert main(["report", "--out", str(tmp_path)]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(p) in err[0]
    assert not (tmp_path / "report.html").exists()


def test_closed_pipe_ends_quietly(tmp_path):
    """Row 10: ``sparse-claims list | true`` (the reader is gone before the table is written): no traceback."""
    r = subprocess.run(f"'{sys.executable}' '{FAULT_CLI}' list --out '{tmp_path}' | true; "
                       f"'{sys.executable}' '{FAULT_CLI}' list --out '{tmp_path}' | head -c 10",
                       shell=True, capture_output=True, timeout=120)
    assert r.stderr.decode() == "" and len(r.stdout) == 10


def test_every_results_field_is_escaped_in_the_html_report(tmp_path):
    """Row 11: a ``<script>`` in any field of results.json reaches report.html escaped."""
    from simulations.harness.cli import main as cli_main

    x = "<script>alert(1)</script>"
    rec = {"id": "graphon.a.b", "status": x, "provenance": x, "paper": x, "statement": x, "verdict": "refuted",
           "reason": x, "source": x, "paper_reference": x, "traceback": x, "seconds": 1.5,
           "prediction": {x: x}, "metrics": {x: x, "l": [x]}, "counterexample": {"found": True, "example": x},
           "plot_errors": [x], "plots": [], "matches_status": False}
    rec2 = {**rec, "id": "graphon.a.c", "counterexample": {"found": False, "max_examples": x}}
    (tmp_path / "results.json").write_text(json.dumps({"environment": {x: x}, "claims": [rec, rec2]}))
    assert cli_main(["report", "--out", str(tmp_path)]) == 0
    html = (tmp_path / "report.html").read_text()
    # the one <script> element is the report's own inline filter script, at the end; no field reaches it raw
    assert html.count("<script") == 1 and html.rstrip().endswith("</script></body></html>")
    assert "alert(1)</" not in html and "&lt;script&gt;" in html


def test_every_results_field_is_escaped_in_the_markdown_report(tmp_path):
    """Row 11, report.md: no field of results.json reaches the Markdown as a tag, a link, a table break or an
    open code span; every table row keeps its cell count."""
    from simulations.harness.cli import main as cli_main

    x = "<script>alert(1)</script> [a](javascript:alert(2)) x|y ``` `z"
    rec = {"id": "graphon.a.b", "status": x, "provenance": x, "paper": x, "statement": x + "\nline two",
           "verdict": "refuted", "verdict_text": x, "reason": x, "source": x, "paper_reference": x, "kind": "paper",
           "scope": x, "fingerprint": x, "rule": x, "rule_source": x, "experiment": x, "experiment_source": x,
           "traceback": x + "\n```\n<img src=q>", "seconds": 1.5, "decision": {x: x}, "prediction": {x: x},
           "metrics": {x: x, "l": [x]}, "counterexample": {"found": True, "example": x}, "plot_errors": [x],
           "plots": [], "matches_status": False, "revisions": [{"date": x, "change": x, "why": x, "before": x,
                                                              "after": x, "evidence": x}],
           "sensitivity": {"status": x, "readings": {x: {"verdict": x}}}}
    (tmp_path / "results.json").write_text(json.dumps({"environment": {x: x}, "claims": [rec]}))
    assert cli_main(["report", "--out", str(tmp_path)]) == 0
    md = (tmp_path / "report.md").read_text()
    outside_fences, fence = [], 0          # CommonMark: a fence closes on a line of at least as many backticks
    for ln in md.splitlines():
        run = len(ln) - len(ln.lstrip("`"))
        if not fence and run >= 3:
            fence = run
        elif fence and run >= fence and not ln.strip("`"):
            fence = 0
        elif not fence:
            outside_fences.append(ln)
    esc = r"&lt;script&gt;alert(1)&lt;/script&gt; \[a\](javascript:alert(2)) x\|y \`\`\` \`z"
    assert f"**Statement.** {esc} line two" in outside_fences          # a tag, a link, a pipe: all inert
    assert not any(ln.lstrip().startswith("<") for ln in outside_fences)
    import re as _re
    rule = next(ln for ln in outside_fences if ln.startswith("**Rule:**"))
    assert rule.startswith("**Rule:** ```` <script>") and rule.count("````") == 8   # literal code spans, closed
    env = next(ln for ln in outside_fences if ln.startswith("Environment: "))
    assert env.startswith("Environment: ```` ") and env.endswith(" ````")   # fence longer than the field's ```
    rows = [ln for ln in md.splitlines() if ln.startswith("| `graphon.a.b`")]
    assert len(rows) == 1 and len(_re.findall(r"(?<!\\)\|", rows[0])) == 9   # 8 cells, none split by a field
    # the traceback block is fenced longer than the backtick run inside it
    assert "````" in md


def test_sweep_import_leaves_the_umask_alone():
    """Row 12: importing the sweep module never calls os.umask (process-wide, racy in threaded workers)."""
    code = ("import os\n"
            "def boom(*a):\n    raise AssertionError('os.umask called')\n"
            "os.umask = boom\n"
            "import simulations.harness.sweep as s, tempfile, pathlib\n"
            "s.atomic_write_text(pathlib.Path(tempfile.mkdtemp()) / 'x', 'y')\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode()
