"""The console of ``sparse-claims run``: plain lines when not a terminal, a live line per claim with a bar and
a coloured verdict on a terminal (a pseudo-terminal here), ``-q`` prints only the summary, ``-v`` the per-cell
lines, the per-cell log in ``--out``, and Ctrl-C on a terminal: one line, exit 130, the cache kept."""
import os
import re
import select
import signal
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import cells  # noqa: E402
from selftest import bind_claim  # noqa: E402

from simulations.harness import Evidence  # noqa: E402
from simulations.harness.cli import main  # noqa: E402
from theory import registry  # noqa: E402
from theory.registry import Verdict  # noqa: E402

TEST_ID = "graphon.console_selftest.cells"
FAULT_CLI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fault_cli.py")
FAULT_ID = "graphon.faults_selftest.sleepy"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _experiment(ctx):
    rows = ctx.sweep(cells.sleepy, [{"n": i, "sleep": 0.0} for i in range(3)])
    return Evidence(metrics={"cells": len(rows)}, cells=rows)


@pytest.fixture
def quick_claim(monkeypatch):
    claim = registry.Claim(id=TEST_ID, statement="Three cells finish.", provenance="reconstructed",
                           status="supported", rule=lambda m, p, d: Verdict("supported", "ran"),
                           prediction=lambda: {"cells": 3}, tags=("selftest",))
    return bind_claim(monkeypatch, claim, _experiment)


def test_piped_output_is_plain_lines_and_the_cells_go_to_the_log(quick_claim, tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["run", TEST_ID, "--out", str(out)]) == 0
    cap = capsys.readouterr()
    assert "\x1b" not in cap.out and "\x1b" not in cap.err and "\r" not in cap.err
    err = cap.err.splitlines()
    assert err[0] == f"[1/1] {TEST_ID} ..."
    assert err[-1].startswith(f"[1/1] {TEST_ID}: supported (recorded supported)")
    assert not any("cell 1/3" in ln for ln in err)            # per-cell lines only with -v
    assert "Per paper" in cap.out and "supported" in cap.out and "run.log" in cap.out
    log = (out / "run.log").read_text()
    assert "=== sparse-claims run" in log
    assert all(f"cell {i}/3" in log for i in (1, 2, 3))
    assert f"[1/1] {TEST_ID}: supported" in log
    # the log is appended: a second run adds its own header and cache lines
    assert main(["run", TEST_ID, "--out", str(out)]) == 0
    log = (out / "run.log").read_text()
    assert log.count("=== sparse-claims run") == 2 and "3/3 cells reused from cache" in log


def test_verbose_prints_the_per_cell_lines(quick_claim, tmp_path, capsys):
    assert main(["run", TEST_ID, "--out", str(tmp_path), "-v"]) == 0
    err = capsys.readouterr().err
    assert all(f"{TEST_ID}: cell {i}/3" in err for i in (1, 2, 3)) and "\x1b" not in err


def test_quiet_prints_only_the_summary(quick_claim, tmp_path, capsys):
    assert main(["run", TEST_ID, "--out", str(tmp_path), "-q"]) == 0
    cap = capsys.readouterr()
    assert cap.err == ""
    lines = cap.out.splitlines()
    assert lines[0].split() == ["id", "kind", "verdict", "recorded", "match", "seconds"]
    assert "Per paper" in cap.out and lines[-1].startswith("1 claims in")
    assert "cell 1/3" in (tmp_path / "run.log").read_text()   # the log is kept whatever the verbosity


def test_quiet_and_verbose_are_exclusive(tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["run", TEST_ID, "-q", "-v", "--out", str(tmp_path)])
    assert exc.value.code == 2


def _spawn_pty(out, *args, sleep=0.2, n=4):
    """fault_cli.py with standard output and error on a pseudo-terminal; returns (process, master fd)."""
    import pty

    master, slave = pty.openpty()
    os.set_blocking(master, False)
    env = dict(os.environ, FAULT_SLEEP=str(sleep), FAULT_CELLS=str(n), COLUMNS="140", LINES="40",
               TERM="xterm-256color")
    for k in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        env.pop(k, None)
    proc = subprocess.Popen([sys.executable, FAULT_CLI, "run", FAULT_ID, "--out", str(out), *args],
                            stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    return proc, master


def _read_all(proc, master, timeout=120, until=None) -> str:
    buf, t0 = b"", time.monotonic()
    while time.monotonic() - t0 < timeout:
        r, _, _ = select.select([master], [], [], 0.2)
        if r:
            try:
                chunk = os.read(master, 65536)
            except OSError:     # EIO: the child closed the terminal
                chunk = b""
            if chunk:
                buf += chunk
                if until and until(buf.decode("utf-8", "replace")):
                    return buf.decode("utf-8", "replace")
                continue
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        elif proc.poll() is not None:
            break
    return buf.decode("utf-8", "replace")


def test_terminal_shows_a_live_line_per_claim_with_a_bar_and_a_coloured_verdict(tmp_path):
    proc, master = _spawn_pty(tmp_path / "o", "--no-cache")
    text = _read_all(proc, master)
    assert proc.wait(timeout=60) == 0
    os.close(master)
    assert "\x1b[" in text                                    # escape codes: colour and cursor moves
    assert re.search(r"\x1b\[[0-9;]*32m(\x1b\[[0-9;]*m)*supported", text)  # the verdict in green
    plain = ANSI.sub("", text)
    assert "━" in plain                                       # the bar
    assert re.search(r"\[1/1\] " + re.escape(FAULT_ID) + r" .*━.* [0-4]/4 cells .*ETA", plain)  # the live line
    assert re.search(r"\[1/1\] " + re.escape(FAULT_ID) + r" .*━.* 4/4 cells +\d+:\d\d +supported", plain)
    assert "Per paper" in plain and "pham2026" in plain        # the final table with per-paper tallies
    assert "cell 1/4" in (tmp_path / "o" / "run.log").read_text()


def test_terminal_quiet_prints_only_the_summary(tmp_path):
    proc, master = _spawn_pty(tmp_path / "o", "-q", n=2, sleep=0)
    text = _read_all(proc, master)
    assert proc.wait(timeout=60) == 0
    os.close(master)
    plain = ANSI.sub("", text)
    assert "━" not in plain.split("claims")[0] and "ETA" not in plain and "cells" not in plain.split("id")[0]
    assert plain.lstrip().startswith("claims") and "Per paper" in plain


def test_ctrl_c_on_a_terminal_prints_one_line_exits_130_and_keeps_the_cache(tmp_path):
    out = tmp_path / "o"
    fast, m0 = _spawn_pty(out, sleep=0, n=2)       # two finished cells in the cache
    _read_all(fast, m0)
    assert fast.wait(timeout=60) == 0
    os.close(m0)
    cached = {p.name for p in (out / "cache").rglob("*.json")}
    assert len(cached) == 2
    proc, master = _spawn_pty(out, sleep=30, n=3)
    # wait until the live line is drawn, then Ctrl-C the whole process group (what a terminal does)
    _read_all(proc, master, timeout=90, until=lambda s: "cells" in ANSI.sub("", s))
    os.killpg(proc.pid, signal.SIGINT)
    text = _read_all(proc, master, timeout=60)
    assert proc.wait(timeout=60) == 130
    os.close(master)
    plain = ANSI.sub("", text)
    assert "Traceback" not in plain and "KeyboardInterrupt" not in plain
    assert sum("sparse-claims: interrupted" in ln for ln in plain.splitlines()) == 1
    assert cached <= {p.name for p in (out / "cache").rglob("*.json")}
    assert "interrupted (Ctrl-C)" in (out / "run.log").read_text()
