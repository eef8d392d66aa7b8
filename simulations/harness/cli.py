"""``sparse-claims``: list claims, run them, rebuild the report.

Exit codes: 0 every verdict reproduces its recorded status; 1 some verdict differs (or an experiment
errored); 2 usage error (unknown claim id or paper, bad option value, CUDA asked for but absent).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from simulations.harness.context import DEVICES, TIERS
from theory import registry


class UsageError(Exception):
    pass


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*header), fmt.format(*["-" * w for w in widths])] +
                     [fmt.format(*map(str, r)) for r in rows])


def _last_verdicts(out: Path) -> dict:
    from simulations.harness.report import load_results

    try:
        return {c["id"]: c.get("verdict", "") for c in load_results(out)["claims"]}
    except (ValueError, OSError):
        return {}


def cmd_list(args) -> int:
    claims = registry.claims(args.paper)
    last = _last_verdicts(Path(args.out))
    rows = [[c.id, c.status, c.provenance, c.paper.key, last.get(c.id, "-")] for c in claims]
    print(_table(rows, ["id", "status", "provenance", "paper", "last verdict"]))
    print(f"\n{len(claims)} claims")
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
    if args.workers < 1:
        raise UsageError(f"--workers must be >= 1, got {args.workers}")
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

    claims = _validate_run(args)
    out = Path(args.out)
    try:
        existing = load_results(out)
    except (ValueError, OSError) as exc:
        raise UsageError(f"--out {out}: {exc}") from None
    try:
        executor = make_executor(args.workers, args.scheduler)
    except (RuntimeError, ValueError, OSError) as exc:
        raise UsageError(str(exc)) from None
    cache = Cache(None if args.no_cache else out / "cache")
    env = environment(args.device)
    env.update({"tier": args.tier, "seed": args.seed, "executor": executor.name})

    def progress(msg: str) -> None:
        print(f"  {msg}", file=sys.stderr, flush=True)

    records = []
    t0 = time.perf_counter()
    try:
        for k, claim in enumerate(claims, 1):
            print(f"[{k}/{len(claims)}] {claim.id} ...", file=sys.stderr, flush=True)
            rec = run_claim(claim, tier=args.tier, device=args.device, seed=args.seed, executor=executor,
                            cache=cache, progress=progress)
            draw_plots(out, rec)
            records.append(rec)
            print(f"[{k}/{len(claims)}] {claim.id}: {rec['verdict']} (recorded {claim.status}) "
                  f"in {rec['seconds']:.1f}s — {rec['reason']}", file=sys.stderr, flush=True)
            existing = merge(existing, [rec], env)
            write_results(out, existing)   # after every claim: an interrupted run keeps what finished
    finally:
        executor.close()
    write_report(out, existing)
    rows = [[r["id"], r["verdict"], r["status"], "yes" if r["matches_status"] else "NO", f"{r['seconds']:.1f}"]
            for r in records]
    print(_table(rows, ["id", "verdict", "recorded", "match", "seconds"]))
    bad = [r["id"] for r in records if not r["matches_status"]]
    print(f"\n{len(records)} claims in {time.perf_counter() - t0:.0f}s; results in {out}/results.json, "
          f"report in {out}/report.html")
    if bad:
        print(f"{len(bad)} verdict(s) differ from the recorded status: {', '.join(bad)}", file=sys.stderr)
        return 1
    return 0


def cmd_report(args) -> int:
    from simulations.harness.report import load_results, write_report, write_results

    out = Path(args.out)
    if not (out / "results.json").exists():
        raise UsageError(f"no results.json in {out}; run `sparse-claims run --out {out}` first")
    try:
        data = load_results(out)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    write_report(out, data, redraw=True)
    write_results(out, data)
    print(f"report rebuilt from {out}/results.json: {out}/report.md, {out}/report.html")
    return 0


def cmd_bench(args) -> int:
    """Each engine's benchmark against its baseline in this process (simulations.harness.bench)."""
    import json

    from simulations.harness import bench

    bad = [e for e in args.engines if e not in bench.ENGINES]
    if bad:
        raise UsageError(f"unknown engine(s) {', '.join(bad)}; known: {', '.join(sorted(bench.ENGINES))}")
    progress = None if args.json else (lambda m: print(m, file=sys.stderr, flush=True))
    cases = bench.run(args.engines or None, quick=args.quick, progress=progress)
    print(json.dumps(bench.to_json(cases), indent=1) if args.json else bench.table(cases))
    return 0


def build_parser() -> argparse.ArgumentParser:
    papers = sorted(set(registry.PAPERS) | set(registry.PREFIXES))
    p = argparse.ArgumentParser(prog="sparse-claims", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    pl = sub.add_parser("list", help="table of registered claims")
    pl.add_argument("--paper", choices=papers)
    pl.add_argument("--out", default="results", help="folder whose results.json gives the last verdicts")
    pl.set_defaults(func=cmd_list)
    pr = sub.add_parser("run", help="run claims and write results.json, report.md, report.html, plots/")
    pr.add_argument("ids", nargs="*", help="claim ids (default: all, or those of --paper)")
    pr.add_argument("--paper", choices=papers)
    pr.add_argument("--tier", choices=TIERS, default="quick")
    pr.add_argument("--device", choices=DEVICES, default="cpu")
    pr.add_argument("--workers", type=int, default=1, help="local worker processes for sweep cells")
    pr.add_argument("--scheduler", default=None, help="dask.distributed scheduler address tcp://HOST:PORT")
    pr.add_argument("--seed", type=int, default=0, help="root seed (per-cell seeds derive from it)")
    pr.add_argument("--out", default="results")
    pr.add_argument("--no-cache", action="store_true", help="recompute every cell (the cache lives in OUT/cache)")
    pr.set_defaults(func=cmd_run)
    rp = sub.add_parser("report", help="rebuild report.md, report.html and plots from results.json")
    rp.add_argument("--out", default="results")
    rp.set_defaults(func=cmd_report)
    bp = sub.add_parser("bench", help="time each engine against its baseline in this process: seconds, ratio, "
                                      "peak traced bytes per case")
    bp.add_argument("engines", nargs="*", metavar="ENGINE",
                    help="iht, iht-memory, lyapunov, cutnorm, plateau, ntk, pai (default: all but iht-memory)")
    bp.add_argument("--json", action="store_true", help="print one JSON list of objects with the keys engine, "
                                                        "case, seconds, baseline, baseline_seconds, ratio, peak_bytes")
    bp.add_argument("--quick", action="store_true", help="small problems (seconds; the IHT cases leave the "
                                                         "paper size)")
    bp.set_defaults(func=cmd_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"sparse-claims: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
