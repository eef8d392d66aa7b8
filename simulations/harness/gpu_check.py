"""The GPU check: one prepared run of everything that needs or profits from a GPU, within a time budget.

    python -m simulations.harness.gpu_check --out results/gpu            # on a GPU machine (default --device cuda)
    python -m simulations.harness.gpu_check --small --device cpu --out /tmp/gpu-smoke   # the CPU smoke run

Three steps, each in its own process, each with its wall time and exit status recorded:

1. ``pytest``: ``pytest -m gpu -q`` over ``tests/`` (JUnit XML into ``OUT/pytest-gpu.xml``; on the CPU every
   test skips with its reason, which passes);
2. ``bench``: ``sparse-claims bench ENGINE --json --device D`` once per engine of :data:`BENCH_ENGINES`
   (``--quick`` with ``--small``), each in its own process within the step's share of the budget, the rows merged into ``OUT/bench.json`` (the same list of objects ``bench --json`` prints), an engine that
   fails or runs out of the step's time recorded as such;
3. ``paper``: ``sparse-claims run ID --tier paper --device D --out OUT/paper`` for the claims of
   :data:`PAPER_CLAIMS` in order of expected cost, each only when its expected seconds fit the budget left
   (``--small``: the quick tier of :data:`SMALL_CLAIMS`); what does not fit is recorded as skipped.  A verdict
   that differs from the recorded status (exit 1 of ``run``) is a result, not a failure of the step.

``OUT/summary.json`` (steps, times, exit codes, the environment: Python, torch and CUDA versions, GPU name and
memory, git commit) and ``OUT/summary.md`` are written after every step, so an interrupted run keeps what
finished; the logs of every command are under ``OUT/logs/``.  Everything written is JSON, markdown, XML, text
or the run's own report (no pickle).  Exit 0 when every step passed, 1 when one failed, 2 on a usage error
(``--device cuda`` without CUDA, an unknown step).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path

STEPS = ("pytest", "bench", "paper")
#: engines of the bench step, cheapest first; the IHT cases without the authors' per-block AIHT step, whose
#: numpy loop takes about 400 s per call at the paper size (README, Benchmarks), last
BENCH_ENGINES = ("cutnorm", "lyapunov", "pai", "plateau", "ntk", "iht-engine")
#: (claim id, expected seconds of its paper tier on one large GPU machine), in order of expected cost.  The
#: paper tier falls back to the full tier where an experiment defines no paper size; on cuda the graphon
#: experiments add widths 4096 and 8192 and ntk.bound.complexity_term the paper's width 4096.  The estimates
#: are the CPU full-tier times of docs/papers/*.md divided by about 3 (16 unloaded cores instead of 2 loaded
#: ones, and the GPU for the large widths); replace them with the seconds of summary.json after a GPU run.
PAPER_CLAIMS = (
    ("ntk.bound.complexity_term", 60),
    ("plateau.fake_control", 120),
    ("graphon.magnitude.constant", 150),
    ("graphon.fsm.convergence", 150),
    ("graphon.random.constant", 180),
    ("graphon.homomorphism.certificates", 240),
)
#: two cheap claims at the quick tier for ``--small`` (about 10 s each on a loaded 2-core CPU)
SMALL_CLAIMS = (("iht.patterns.count", 15), ("iht.reformulation", 15))
#: the most the first two steps may take of the budget (the rest is the paper tier's)
PYTEST_SHARE, BENCH_SHARE = 0.3, 0.4
ROOT = Path(__file__).resolve().parents[2]


def environment(device: str) -> dict:
    env = {"date_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
           "python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
           "device": device}
    try:
        import numpy
        import torch

        env.update({"numpy": numpy.__version__, "torch": torch.__version__, "torch_cuda": torch.version.cuda,
                    "cuda_available": bool(torch.cuda.is_available())})
        if torch.cuda.is_available():
            props = torch.cuda.get_device_properties(0)
            env.update({"gpu": torch.cuda.get_device_name(0), "gpu_memory_bytes": int(props.total_memory),
                        "gpu_count": torch.cuda.device_count(), "cudnn": torch.backends.cudnn.version()})
    except Exception as exc:  # the summary must still be written
        env["torch_error"] = repr(exc)
    try:
        env["git_commit"] = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                           timeout=10).stdout.strip() or None
        env["git_dirty"] = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                                               capture_output=True, text=True, timeout=30).stdout.strip())
    except (OSError, subprocess.SubprocessError):
        env["git_commit"] = None
    return env


def run_cmd(cmd: list[str], timeout: float, log: Path) -> dict:
    """Run ``cmd`` in the repository root in its own process group, output into ``log``; on timeout the group is
    terminated (then killed).  Returns {cmd, rc, seconds, timed_out, stdout}."""
    log.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    timed_out = False
    with open(log, "w", encoding="utf-8") as err:
        err.write("$ " + " ".join(cmd) + "\n")
        err.flush()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True,
                                start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=max(timeout, 1.0))
        except subprocess.TimeoutExpired:
            timed_out = True
            for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 15)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    out, _ = proc.communicate(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
            else:
                out = ""
        err.write(f"\n# exit {proc.returncode}{' (timed out)' if timed_out else ''} after "
                  f"{time.perf_counter() - t0:.1f}s\n")
    with open(log, "a", encoding="utf-8") as f:
        f.write("# stdout\n" + (out or ""))
    return {"cmd": cmd, "rc": proc.returncode, "seconds": round(time.perf_counter() - t0, 2),
            "timed_out": timed_out, "stdout": out or ""}


class Check:
    def __init__(self, args):
        self.args, self.out = args, Path(args.out)
        self.t0 = time.perf_counter()
        self.summary = {"command": [sys.executable, "-m", "simulations.harness.gpu_check", *sys.argv[1:]],
                        "device": args.device, "small": args.small, "budget_s": args.budget,
                        "environment": environment(args.device), "steps": []}

    def left(self) -> float:
        return self.args.budget - (time.perf_counter() - self.t0)

    def cli(self, *a) -> list[str]:
        return [sys.executable, "-m", "simulations.harness.cli", *a]

    # ------------------------------------------------------------------------------------------ steps
    def step_pytest(self) -> dict:
        xml = self.out / "pytest-gpu.xml"
        cmd = [sys.executable, "-m", "pytest", "-m", "gpu", "-q", "-p", "no:cacheprovider", f"--junitxml={xml}",
               *self.args.tests]
        r = run_cmd(cmd, min(self.left(), PYTEST_SHARE * self.args.budget), self.out / "logs" / "pytest.log")
        tally = r["stdout"].strip().splitlines()[-1:] if r["stdout"].strip() else []
        passed = r["rc"] == 0 and not r["timed_out"]
        return {"status": "passed" if passed else ("timeout" if r["timed_out"] else "failed"), "rc": r["rc"],
                "seconds": r["seconds"], "junit": xml.name if xml.exists() else None, "tally": tally,
                "command": " ".join(cmd)}

    def step_bench(self) -> dict:
        rows, engines = [], []
        end = time.perf_counter() + min(self.left(), BENCH_SHARE * self.args.budget)
        t0 = time.perf_counter()
        for e in self.args.engines:
            left = min(end - time.perf_counter(), self.left())
            if left < 5:
                engines.append({"engine": e, "status": "skipped", "reason": "no time left in the bench step"})
                continue
            cmd = self.cli("bench", e, "--json", "--device", self.args.device, *(["--quick"] if self.args.small else []))
            r = run_cmd(cmd, left, self.out / "logs" / f"bench-{e}.log")
            ent = {"engine": e, "rc": r["rc"], "seconds": r["seconds"], "command": " ".join(cmd[1:])}
            if r["timed_out"]:
                ent["status"] = "timeout"
            elif r["rc"] != 0:
                ent["status"] = "failed"
            else:
                try:
                    got = json.loads(r["stdout"])
                    rows.extend(got)
                    ent.update(status="passed", cases=len(got))
                except ValueError as exc:
                    ent.update(status="failed", reason=f"output is not JSON: {exc}")
            engines.append(ent)
        (self.out / "bench.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
        self.bench_rows = rows
        ok = all(e["status"] == "passed" for e in engines)
        return {"status": "passed" if ok else "failed", "rc": 0 if ok else 1,
                "seconds": round(time.perf_counter() - t0, 2), "engines": engines, "file": "bench.json"}

    def step_paper(self) -> dict:
        tier = "quick" if self.args.small else "paper"
        todo = self.args.claims
        claims, t0, stop = [], time.perf_counter(), None
        paper_out = self.out / "paper"
        for cid, est in todo:
            left = self.left()
            if stop or est > left:
                claims.append({"id": cid, "expected_s": est, "status": "skipped",
                               "reason": stop or f"expected {est}s > {left:.0f}s left of the budget"})
                continue
            cmd = self.cli("run", cid, "--tier", tier, "--device", self.args.device, "--out", str(paper_out),
                           "--workers", str(self.args.workers))
            r = run_cmd(cmd, left, self.out / "logs" / f"paper-{cid}.log")
            ent = {"id": cid, "expected_s": est, "rc": r["rc"], "seconds": r["seconds"],
                   "command": " ".join(cmd[1:])}
            if r["timed_out"]:
                ent["status"] = "timeout"
                stop = "the budget ran out during an earlier claim"
            elif r["rc"] in (0, 1):
                ent["status"] = "ran"
                ent.update(_verdict(paper_out, cid))
            else:
                ent["status"] = "failed"
            claims.append(ent)
        ok = not any(c["status"] in ("failed", "timeout") for c in claims)
        return {"status": "passed" if ok else "failed", "rc": 0 if ok else 1, "tier": tier,
                "seconds": round(time.perf_counter() - t0, 2), "claims": claims,
                "out": "paper" if paper_out.exists() else None}

    # ------------------------------------------------------------------------------------------ driver
    def run(self) -> int:
        self.out.mkdir(parents=True, exist_ok=True)
        self.bench_rows = []
        for name in self.args.steps:
            print(f"gpu_check: {name} ({self.left():.0f}s of the budget left) ...", file=sys.stderr, flush=True)
            if self.left() < 5:
                res = {"status": "skipped", "rc": None, "seconds": 0.0, "reason": "budget spent"}
            else:
                res = getattr(self, f"step_{name}")()
            self.summary["steps"].append({"step": name, **res})
            print(f"gpu_check: {name}: {res['status']} in {res['seconds']:.0f}s", file=sys.stderr, flush=True)
            self.write()
        self.summary["seconds"] = round(time.perf_counter() - self.t0, 2)
        self.summary["passed"] = all(s["status"] == "passed" for s in self.summary["steps"])
        self.write()
        print(f"gpu_check: {'passed' if self.summary['passed'] else 'FAILED'} in {self.summary['seconds']:.0f}s; "
              f"{self.out}/summary.md", file=sys.stderr)
        return 0 if self.summary["passed"] else 1

    def write(self) -> None:
        (self.out / "summary.json").write_text(json.dumps(self.summary, indent=1, default=str) + "\n",
                                               encoding="utf-8")
        (self.out / "summary.md").write_text(render_md(self.summary, self.bench_rows), encoding="utf-8")


def _verdict(paper_out: Path, cid: str) -> dict:
    try:
        data = json.loads((paper_out / "results.json").read_text(encoding="utf-8"))
        rec = next(c for c in data.get("claims", []) if isinstance(c, dict) and c.get("id") == cid)
    except (OSError, ValueError, StopIteration):
        return {}
    out = {k: rec.get(k) for k in ("verdict", "matches_status", "scope") if k in rec}
    if "status" in rec:
        out["recorded"] = rec["status"]
    return out


def _f(v, nd=4) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.{nd}g}"
    return str(v)


def render_md(s: dict, rows: list[dict]) -> str:
    env = s["environment"]
    gpu = env.get("gpu") or "none (torch.cuda.is_available() is False)"
    lines = [f"# GPU check, {env.get('date_utc', '')}", "",
             f"Device `{s['device']}`{' (small sizes)' if s['small'] else ''}; budget {s['budget_s']:.0f} s"
             + (f"; total {s['seconds']:.0f} s; **{'passed' if s.get('passed') else 'FAILED'}**"
                if "seconds" in s else " (in progress)") + ".", "",
             f"GPU: {gpu}; torch {env.get('torch')} (CUDA {env.get('torch_cuda')}); Python {env.get('python')}; "
             f"{env.get('cpus')} CPUs; commit {(env.get('git_commit') or '?')[:12]}"
             f"{' (dirty)' if env.get('git_dirty') else ''}.", "",
             "| step | status | exit | seconds |", "|---|---|---|---|"]
    for st in s["steps"]:
        lines.append(f"| {st['step']} | {st['status']} | {_f(st.get('rc'))} | {st['seconds']:.1f} |")
    for st in s["steps"]:
        if st["step"] == "pytest" and st.get("tally"):
            lines += ["", f"pytest -m gpu: {st['tally'][0]}"]
        if st["step"] == "bench" and st.get("engines"):
            lines += ["", "## bench", "", "| engine | status | seconds |", "|---|---|---|"]
            lines += [f"| {e['engine']} | {e['status']} | {_f(e.get('seconds'))} |" for e in st["engines"]]
            if rows:
                lines += ["", "| engine | seconds | baseline | baseline seconds | ratio | peak bytes | case |",
                          "|---|---|---|---|---|---|---|"]
                lines += [f"| {r['engine']} | {_f(r['seconds'])} | {r['baseline']} | {_f(r['baseline_seconds'])} | "
                          f"{_f(r['ratio'])} | {_f(r['peak_bytes'])} | {r['case'].replace('|', chr(92) + '|')} |" for r in rows]
        if st["step"] == "paper" and st.get("claims"):
            lines += ["", f"## claims ({st.get('tier')} tier)", "",
                      "| claim | status | expected s | seconds | verdict | recorded | matches |",
                      "|---|---|---|---|---|---|---|"]
            for c in st["claims"]:
                what = c["status"] + (f" ({c['reason']})" if c.get("reason") else "")
                lines.append(f"| `{c['id']}` | {what} | {c['expected_s']} | {_f(c.get('seconds'))} | "
                             f"{c.get('verdict', '-')} | {c.get('recorded', '-')} | {_f(c.get('matches_status'))} |")
    return "\n".join(lines) + "\n"


def _claims(text: str | None, default) -> list[tuple[str, float]]:
    if not text:
        return list(default)
    known = dict(PAPER_CLAIMS + SMALL_CLAIMS)
    return [(c, known.get(c, 0.0)) for c in text.split(",") if c]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m simulations.harness.gpu_check", description=__doc__.splitlines()[0])
    p.add_argument("--device", choices=("cuda", "cpu"), default="cuda")
    p.add_argument("--small", action="store_true", help="CPU smoke sizes: bench --quick, quick tier of two cheap "
                                                        "claims")
    p.add_argument("--out", default=None, help="output folder (default results/gpu/<UTC date>)")
    p.add_argument("--budget", type=float, default=540.0, metavar="SECONDS", help="wall-time budget (540)")
    p.add_argument("--steps", default=",".join(STEPS), help=f"comma-separated subset of {','.join(STEPS)}")
    p.add_argument("--engines", default=None, help=f"bench engines (default {','.join(BENCH_ENGINES)})")
    p.add_argument("--claims", default=None, help="claim ids of the paper step, in order (default: the declared "
                                                  "list; with --small two cheap claims)")
    p.add_argument("--tests", nargs="+", default=["tests"], help="paths for pytest -m gpu (default tests)")
    p.add_argument("--workers", type=int, default=1, help="--workers of sparse-claims run (default 1)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    steps = [s for s in args.steps.split(",") if s]
    bad = [s for s in steps if s not in STEPS]
    if bad or not steps:
        print(f"gpu_check: error: unknown step(s) {bad}; known: {','.join(STEPS)}", file=sys.stderr)
        return 2
    args.steps = steps
    if args.device == "cuda":
        import torch

        if not torch.cuda.is_available():
            print("gpu_check: error: --device cuda was asked for but torch.cuda.is_available() is False "
                  "(use --device cpu --small for the CPU smoke run)", file=sys.stderr)
            return 2
    if not args.budget > 0 or args.workers < 1:
        print("gpu_check: error: --budget must be > 0 and --workers >= 1", file=sys.stderr)
        return 2
    args.engines = [e for e in (args.engines.split(",") if args.engines else BENCH_ENGINES) if e]
    args.claims = _claims(args.claims, SMALL_CLAIMS if args.small else PAPER_CLAIMS)
    if args.out is None:
        args.out = str(ROOT / "results" / "gpu" / _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d"))
    return Check(args).run()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
