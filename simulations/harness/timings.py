"""How long a run took, per claim and per paper: the table a user plans a tier with.

``python -m simulations.harness.timings OUT`` reads ``OUT/results.json`` (each claim's ``seconds``, measured by
the runner around its experiment, readings included) and ``OUT/run.log`` (the wall time of the whole command,
from its first to its last timestamp) and prints a markdown page: the run's environment, its wall time, the
seconds of every paper's checks, and every check slowest first with its cell count and verdict.
``docs/tiers.md`` is this page for a measured full-tier run.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import re
import sys
from pathlib import Path

from simulations.harness.report import ResultsError, load_results

_STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})Z ")


def log_wall_seconds(log: Path) -> float | None:
    """Seconds from the first to the last timestamped line of a ``run.log`` (None when it has fewer than two,
    or is absent). The log is appended to by every run into the same folder: only the last run counts (from its
    ``=== sparse-claims run`` line on)."""
    try:
        lines = Path(log).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    starts = [i for i, ln in enumerate(lines) if "=== sparse-claims run" in ln]
    lines = lines[starts[-1]:] if starts else lines
    stamps = [m.group(1) for ln in lines if (m := _STAMP.match(ln))]
    if len(stamps) < 2:
        return None
    t = [_dt.datetime.fromisoformat(s) for s in (stamps[0], stamps[-1])]
    return (t[1] - t[0]).total_seconds()


def _hms(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600} h {s % 3600 // 60:02d} min" if s >= 3600 else f"{s // 60} min {s % 60:02d} s"


def timing_page(out: Path) -> str:
    """The markdown page of the run in ``out`` (see the module docstring)."""
    out = Path(out)
    data = load_results(out)
    claims = data["claims"]
    if not claims:
        raise ResultsError(f"{out / 'results.json'}: no claims recorded; run `sparse-claims run --out {out}` first")
    env = data.get("environment", {})
    wall = log_wall_seconds(out / "run.log")
    total = sum(float(c.get("seconds", 0.0)) for c in claims)
    tiers = sorted({str(c.get("tier")) for c in claims})
    lines = [f"Tier {', '.join(tiers)}; {len(claims)} checks; executor {env.get('executor', '?')}; "
             f"commit {str(env.get('git_commit', '?'))[:10]}{' (dirty)' if env.get('git_dirty') else ''}; "
             f"Python {env.get('python', '?')}, numpy {env.get('numpy', '?')}, torch {env.get('torch', '?')}; "
             f"root seed {env.get('seed', '?')}.", ""]
    if wall is not None:
        lines.append(f"Wall time of the command (first to last line of run.log): **{_hms(wall)}** ({wall:.0f} s).")
    lines += [f"Sum of the checks' own times: {_hms(total)} ({total:.0f} s).", "",
              "| paper prefix | checks | seconds | share |", "|---|---|---|---|"]
    by: dict[str, list] = {}
    for c in claims:
        by.setdefault(c["id"].split(".")[0], []).append(float(c.get("seconds", 0.0)))
    for k, v in sorted(by.items(), key=lambda kv: -sum(kv[1])):
        lines.append(f"| {k} | {len(v)} | {sum(v):.0f} | {100 * sum(v) / max(total, 1e-9):.0f} % |")
    lines += ["", "| check | kind | cells | seconds | verdict (recorded) |", "|---|---|---|---|---|"]
    for c in sorted(claims, key=lambda c: -float(c.get("seconds", 0.0))):
        rec = "" if c.get("verdict") == c.get("status") else f" (recorded {c.get('status')})"
        lines.append(f"| `{c['id']}` | {c.get('kind', '?')} | {len(c.get('cells', []))} | "
                     f"{float(c.get('seconds', 0.0)):.1f} | {c.get('verdict', '?')}{rec} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m simulations.harness.timings", description=__doc__.split("\n")[0])
    ap.add_argument("out", help="the --out folder of a run (holds results.json and run.log)")
    args = ap.parse_args(argv)
    try:
        sys.stdout.write(timing_page(Path(args.out)))
    except ResultsError as exc:
        print(f"timings: {exc}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
