"""``sparse-claims``: list claims, run them, rebuild the report.

Exit codes: 0 every verdict reproduces its recorded status; 1 some verdict differs (or an experiment
errored); 2 usage error (unknown claim id or paper, bad option value, CUDA asked for but absent); 3 an
environment or I/O error (``--out`` not a writable folder, a malformed ``results.json``, a dask scheduler that
cannot be reached or has no workers), one line naming the path; 130 interrupted (Ctrl-C), 143 terminated
(SIGTERM): finished cells stay in the cache and finished claims in ``results.json``.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path

from simulations.harness.context import DEVICES, TIERS
from simulations.harness.sweep import SchedulerError
from theory import registry


class UsageError(Exception):
    """Exit 2."""


class EnvError(Exception):
    """Exit 3: the environment or the file system, not the command line, is at fault."""


class _Terminated(BaseException):
    """Raised in the main thread by the SIGTERM handler of ``run``, so cleanup code runs."""


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*header), fmt.format(*["-" * w for w in widths])] +
                     [fmt.format(*map(str, r)) for r in rows])


def _last_records(out: Path) -> dict:
    from simulations.harness.report import load_results

    try:
        return {c["id"]: c for c in load_results(out)["claims"] if isinstance(c, dict) and "id" in c}
    except (ValueError, OSError, TypeError, KeyError, AttributeError):
        return {}


def cmd_list(args) -> int:
    claims = registry.claims(args.paper)
    if args.kind:
        claims = [c for c in claims if c.kind == args.kind]
    last = _last_records(Path(args.out))
    rows = []
    for c in claims:
        rec = last.get(c.id, {})
        verdict = rec.get("verdict", "-")
        scope = (rec.get("scope") or c.scope_for("quick") or "-") if c.kind == "paper" else ""
        rows.append([c.id, c.kind, c.status, scope, c.provenance, c.paper.key, verdict,
                     f"{len(c.revisions)}" if c.revisions else ""])
    print(_table(rows, ["id", "kind", "status", "scope", "provenance", "paper", "last verdict", "revisions"]))
    counts = {k: sum(c.kind == k for c in claims) for k in registry.KINDS}
    print(f"\n{len(claims)} checks: " + ", ".join(f"{n} {k}" for k, n in counts.items() if n) +
          " (only paper claims make a paper's tally; scope is shown for paper claims)")
    return 0


def _validate_run(args) -> list:
    from simulations.harness.runner import select

    for i in args.ids:
        try:
            registry.get(i)
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
    if args.ids and args.paper:
        raise UsageError("give claim ids or --paper, not both")
    from simulations.harness.sweep import MAX_WORKERS, check_scheduler_address

    if not 1 <= args.workers <= MAX_WORKERS:
        raise UsageError(f"--workers must be an integer in [1, {MAX_WORKERS}], got {args.workers}")
    if args.scheduler is not None:
        try:
            check_scheduler_address(args.scheduler)
        except ValueError as exc:
            raise UsageError(f"--scheduler: {exc}") from None
    if not 0 < args.connect_timeout <= 86400:  # also refuses nan
        raise UsageError(f"--connect-timeout must be a number of seconds in (0, 86400], got {args.connect_timeout}")
    if args.seed < 0:
        raise UsageError(f"--seed must be a non-negative integer, got {args.seed}")
    if args.device == "cuda":
        import torch

        if not torch.cuda.is_available():
            raise UsageError("--device cuda was asked for but torch.cuda.is_available() is False")
    if args.scheduler and args.workers != 1:
        raise UsageError("--workers and --scheduler are exclusive (the cluster decides its workers)")
    claims = select(args.ids, args.paper)
    if not claims:
        raise UsageError("no claims selected")
    return claims


def cmd_run(args) -> int:
    from simulations.harness.report import draw_plots, load_results, merge, write_report, write_results
    from simulations.harness.runner import environment, run_claim
    from simulations.harness.sweep import Cache, make_executor

    from simulations.harness.sweep import cpu_count

    claims = _validate_run(args)
    out = Path(args.out)
    _prepare_out(out)                 # before any claim runs: a bad --out costs nothing
    try:
        existing = load_results(out)
    except (ValueError, OSError) as exc:
        raise EnvError(str(exc)) from None
    workers = args.workers
    if workers > 1 and not args.scheduler:
        cpus = cpu_count()
        if workers > cpus:
            print(f"sparse-claims: --workers {workers} capped at {cpus} (the CPUs available to this process); "
                  "a sweep never starts more workers than it has cells", file=sys.stderr)
            workers = cpus
    try:
        executor = make_executor(workers, args.scheduler, args.connect_timeout)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    except (SchedulerError, RuntimeError, OSError) as exc:
        raise EnvError(str(exc)) from None
    from simulations.harness.console import RunDisplay

    display = RunDisplay(len(claims), out, quiet=args.quiet, verbose=args.verbose,
                         argv=[*args.ids, "--tier", args.tier, "--seed", str(args.seed), "--out", str(out)])
    cache = Cache(None if args.no_cache else out / "cache", report=display.note)
    env = environment(args.device)
    env.update({"tier": args.tier, "seed": args.seed, "executor": executor.name})

    records = []
    t0 = time.perf_counter()
    old_term = None
    if threading.current_thread() is threading.main_thread():
        def _on_term(signum, frame):
            raise _Terminated()

        old_term = signal.signal(signal.SIGTERM, _on_term)
    try:
        with display:  # live lines on a terminal, plain lines otherwise; every message also in OUT/run.log
            for k, claim in enumerate(claims, 1):
                display.claim_started(k, claim)
                rec = run_claim(claim, tier=args.tier, device=args.device, seed=args.seed, executor=executor,
                                cache=cache, progress=display.progress)
                draw_plots(out, rec)
                records.append(rec)
                display.claim_finished(k, claim, rec)
                existing = merge(existing, [rec], env)
                write_results(out, existing)   # after every claim: an interrupted run keeps what finished
    except BaseException:  # Ctrl-C, SIGTERM, an I/O error: end the workers now, do not wait for their cells
        executor.abort()
        raise
    else:
        executor.close()
    finally:
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
    write_report(out, existing)
    display.summary(records, out, time.perf_counter() - t0)   # standard output: coloured on a terminal
    bad = [r["id"] for r in records if not r["matches_status"]]
    if bad:
        print(f"{len(bad)} verdict(s) differ from the recorded status: {', '.join(bad)}", file=sys.stderr)
        return 1
    return 0


def _prepare_out(out: Path) -> None:
    """``--out`` must be a writable folder (created if absent); checked before any claim runs (exit 3)."""
    if out.exists() and not out.is_dir():
        raise EnvError(f"--out {out} exists and is not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EnvError(f"--out {out}: cannot create the directory ({exc.strerror or exc})") from None
    probe = out / f".sparse-claims-write-test-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise EnvError(f"--out {out} is not writable ({exc.strerror or exc})") from None


def cmd_report(args) -> int:
    from simulations.harness.report import load_results, write_report, write_results

    out = Path(args.out)
    if not (out / "results.json").exists():
        raise UsageError(f"no results.json in {out}; run `sparse-claims run --out {out}` first")
    try:
        data = load_results(out)
    except (ValueError, OSError) as exc:
        raise EnvError(str(exc)) from None
    write_report(out, data, redraw=True)
    write_results(out, data)
    print(f"report rebuilt from {out}/results.json: {out}/report.md, {out}/report.html")
    return 0


def cmd_diff(args) -> int:
    import json as _json

    from simulations.harness.compare import diff, load_run, render_diff

    runs = []
    for r in (args.run_a, args.run_b):
        try:
            runs.append(load_run(r))
        except ValueError as exc:
            raise EnvError(str(exc)) from None
    try:
        d = diff(runs[0], runs[1], rel=args.rel)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print(_json.dumps(d, indent=1, default=str))
    else:
        print(render_diff(d, runs[0].get("environment"), runs[1].get("environment")))
    return 1 if d["n_flipped"] else 0


def cmd_export(args) -> int:
    from simulations.harness.compare import load_run, registry_data, to_csv, to_latex

    out = Path(args.out)
    if (out / "results.json").exists():
        try:
            data = load_run(out)
        except ValueError as exc:
            raise EnvError(str(exc)) from None
        origin = f"verdicts of the run in {out}"
    else:
        data = registry_data()
        origin = "recorded statuses (no results.json in --out)"
    text = to_csv(data) if args.format == "csv" else to_latex(data)
    if args.output:
        from simulations.harness.sweep import atomic_write_text

        atomic_write_text(Path(args.output), text)
        print(f"wrote {args.output} ({origin})", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_new(args) -> int:
    from simulations.harness.scaffold import ScaffoldError, scaffold

    root = Path(args.root)
    try:
        res = scaffold(root, args.id, args.statement, kind=args.kind, provenance=args.provenance, paper=args.paper,
                       paper_title=args.paper_title or "", paper_reference=args.paper_reference or "",
                       record=args.record)
    except ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    print(f"scaffolded {args.id} (status {res['status']}); files written or changed:")
    for f in res["files"]:
        print(f"  {f}")
    steps = ["replace the stub simulation and prediction, fix the decision constants from the prediction",
             f"python -m theory.ledger update {args.id}   (after editing the rule or constants)"]
    if res["status"] == "open":
        steps.insert(1, f"sparse-claims run {args.id}, then set status= in the declaration to its verdict")
    steps.append("python -m simulations.harness.status_page > docs/status.md; pip install -e . if `sparse-claims` "
                 "runs another checkout")
    print("next:\n" + "\n".join(f"  {i}. {s}" for i, s in enumerate(steps, 1)))
    return 0


def cmd_bench(args) -> int:
    """Each engine's benchmark against its baseline in this process (simulations.harness.bench)."""
    import json

    from simulations.harness import bench

    bad = [e for e in args.engines if e not in bench.ENGINES]
    if bad:
        raise UsageError(f"unknown engine(s) {', '.join(bad)}; known: {', '.join(sorted(bench.ENGINES))}")
    try:
        bench.check_device(args.device)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    progress = None if args.json else (lambda m: print(m, file=sys.stderr, flush=True))
    cases = bench.run(args.engines or None, quick=args.quick, progress=progress, device=args.device)
    print(json.dumps(bench.to_json(cases), indent=1) if args.json else bench.table(cases))
    return 0


def build_parser() -> argparse.ArgumentParser:
    papers = sorted(set(registry.PAPERS) | set(registry.PREFIXES))
    p = argparse.ArgumentParser(prog="sparse-claims", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    pl = sub.add_parser("list", help="table of registered claims")
    pl.add_argument("--paper", choices=papers)
    pl.add_argument("--kind", choices=registry.KINDS, help="only checks of this kind")
    pl.add_argument("--out", default="results", help="folder whose results.json gives the last verdicts")
    pl.set_defaults(func=cmd_list)
    pr = sub.add_parser("run", help="run claims and write results.json, report.md, report.html, plots/")
    pr.add_argument("ids", nargs="*", help="claim ids (default: all, or those of --paper)")
    pr.add_argument("--paper", choices=papers)
    pr.add_argument("--tier", choices=TIERS, default="quick")
    pr.add_argument("--device", choices=DEVICES, default="cpu")
    pr.add_argument("--workers", type=int, default=1, help="local worker processes for sweep cells")
    pr.add_argument("--scheduler", default=None, help="dask.distributed scheduler address tcp://HOST:PORT")
    pr.add_argument("--connect-timeout", type=float, default=30.0, metavar="SECONDS",
                    help="how long to wait for the dask scheduler and its first worker (default 30)")
    pr.add_argument("--seed", type=int, default=0, help="root seed (per-cell seeds derive from it)")
    pr.add_argument("--out", default="results")
    pr.add_argument("--no-cache", action="store_true", help="recompute every cell (the cache lives in OUT/cache)")
    loud = pr.add_mutually_exclusive_group()
    loud.add_argument("-q", "--quiet", action="store_true", help="print only the final summary (warnings "
                                                                   "still go to standard error)")
    loud.add_argument("-v", "--verbose", action="store_true", help="also print a line per finished cell (always "
                                                                     "written to OUT/run.log)")
    pr.set_defaults(func=cmd_run)
    rp = sub.add_parser("report", help="rebuild report.md, report.html and plots from results.json")
    rp.add_argument("--out", default="results")
    rp.set_defaults(func=cmd_report)
    dp = sub.add_parser("diff", help="compare two runs: verdict flips, metric changes, claims added or removed "
                                     "(exit 1 when a verdict flipped)")
    dp.add_argument("run_a", help="run folder (or its results.json)")
    dp.add_argument("run_b", help="run folder (or its results.json)")
    dp.add_argument("--rel", type=float, default=0.05, help="relative change of a metric worth listing (0.05)")
    dp.add_argument("--json", action="store_true", help="print the diff as JSON")
    dp.set_defaults(func=cmd_diff)
    ep = sub.add_parser("export", help="the verdict table per paper, with kind and scope, as CSV or LaTeX")
    ep.add_argument("--format", choices=("csv", "latex"), default="csv")
    ep.add_argument("--out", default="results", help="run folder whose results.json is exported (else the "
                                                       "recorded statuses)")
    ep.add_argument("--output", default=None, help="write to this file instead of standard output")
    ep.set_defaults(func=cmd_export)
    npr = sub.add_parser("new", help="scaffold a claim: declaration, experiment stub, docs paragraph, ledger, "
                                     "status page (and a new paper prefix end to end)")
    npr.add_argument("id", help="claim id, e.g. graphon.conjecture.my_idea (a new prefix adds a paper)")
    npr.add_argument("--statement", required=True, help="the claim in one sentence")
    npr.add_argument("--kind", choices=registry.KINDS, default="finding")
    npr.add_argument("--provenance", choices=registry.PROVENANCES, default="reconstructed")
    npr.add_argument("--paper", default=None, help="paper key for a new prefix (default: the prefix)")
    npr.add_argument("--paper-title", default=None, help="title of a new paper")
    npr.add_argument("--paper-reference", default=None, help="arXiv id or DOI of a new paper")
    npr.add_argument("--record", action="store_true", help="run the scaffolded claim once and record its verdict")
    npr.add_argument("--root", default=".", help="repository checkout to scaffold in (default: here)")
    npr.set_defaults(func=cmd_new)
    bp = sub.add_parser("bench", help="time each engine against its baseline in this process: seconds, ratio, "
                                      "peak traced bytes per case")
    bp.add_argument("engines", nargs="*", metavar="ENGINE",
                    help="iht, iht-engine (iht without the authors' AIHT baseline), iht-memory, lyapunov, cutnorm, "
                         "plateau, ntk, pai (default: all but iht-engine and iht-memory)")
    bp.add_argument("--json", action="store_true", help="print one JSON list of objects with the keys engine, "
                                                        "case, seconds, baseline, baseline_seconds, ratio, peak_bytes")
    bp.add_argument("--quick", action="store_true", help="small problems (seconds; the IHT cases leave the "
                                                         "paper size)")
    bp.add_argument("--device", choices=DEVICES, default="cpu",
                    help="run the engines' torch paths on this device (cuda: wall clock after a synchronize, "
                         "peak from torch.cuda.max_memory_allocated; numpy baselines stay on the CPU)")
    bp.set_defaults(func=cmd_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        rc = args.func(args)
        sys.stdout.flush()  # a closed pipe is seen here, not in the interpreter's final flush
        return rc
    except UsageError as exc:
        print(f"sparse-claims: error: {exc}", file=sys.stderr)
        return 2
    except EnvError as exc:
        print(f"sparse-claims: error: {exc}", file=sys.stderr)
        return 3
    except SchedulerError as exc:   # every dask worker left mid-run
        print(f"sparse-claims: error: {exc}", file=sys.stderr)
        return 3
    except BrokenPipeError:
        # the reader went away (`sparse-claims list | head`): end quietly; point stdout at /dev/null so the
        # interpreter's final flush does not raise again
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):  # stdout without a file descriptor (captured)
            pass
        return 0
    except OSError as exc:
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        print(f"sparse-claims: error:{where} {exc.strerror or exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("sparse-claims: interrupted; finished cells are kept in the cache and finished claims in "
              "results.json (rerun to resume)", file=sys.stderr)
        return 130
    except _Terminated:
        print("sparse-claims: terminated (SIGTERM); finished cells are kept in the cache", file=sys.stderr)
        return 143


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
