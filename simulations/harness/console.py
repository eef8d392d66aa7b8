"""What ``sparse-claims run`` shows while it runs, and the per-cell log it keeps in ``--out``.

On a terminal (standard error a TTY, ``TERM`` not ``dumb``): one live line per claim, a bar over its cells
with the cells done, the elapsed time and an ETA, which freezes into the claim's verdict in colour when the
claim ends; the final table (standard output) colours the verdicts and gives the per-paper tallies.  Not on a
terminal (CI logs, pipes): plain lines, no escape codes: a line when a claim starts, one when it ends, and at
most one progress line per claim every ``PLAIN_EVERY`` seconds.  ``quiet`` shows only the final summary;
``verbose`` adds a line per cell (the lines ``run`` printed before this display existed).  Every message,
per-cell lines included, goes with a UTC time stamp to ``OUT/run.log`` (appended; each run starts with a
header line), whatever the verbosity.

A claim's bar counts the cells of the sweeps it has started so far, so its total can grow when a later sweep
of the same claim begins; the ETA is the remaining cells at the rate of the cells computed so far (cells
reused from the cache count as done and cost nothing).
"""
from __future__ import annotations

import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

PLAIN_EVERY = 30.0          # seconds between two plain progress lines of one claim
LOG_NAME = "run.log"
VERDICT_STYLE = {"supported": "bold green", "refuted": "bold red", "inconclusive": "bold yellow",
                 "error": "bold white on red", "open": "dim"}


def _hms(seconds: float | None) -> str:
    if seconds is None or seconds != seconds or seconds == float("inf"):
        return "-:--"
    s = int(round(seconds))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty()) and os.environ.get("TERM", "") != "dumb"
    except (AttributeError, ValueError, OSError):
        return False


class _ClaimState:
    def __init__(self, claim, k: int):
        self.claim, self.k = claim, k
        self.sweeps: list[list[int]] = []       # [done, total, cached] per sweep started
        self.computed = 0
        self.t0 = time.perf_counter()
        self.last_plain = self.t0
        self.rec: dict | None = None

    @property
    def done(self) -> int:
        return sum(s[0] for s in self.sweeps)

    @property
    def total(self) -> int:
        return sum(s[1] for s in self.sweeps)

    def elapsed(self) -> float:
        return (self.rec["seconds"] if self.rec and isinstance(self.rec.get("seconds"), (int, float))
                else time.perf_counter() - self.t0)

    def eta(self) -> float | None:
        left = self.total - self.done
        if left <= 0:
            return 0.0 if self.total else None
        if not self.computed:
            return None
        return self.elapsed() / self.computed * left

    def update(self, msg) -> None:
        event = getattr(msg, "event", None)
        if event == "start" or (event and not self.sweeps):
            self.sweeps.append([0, int(msg.total), 0])
        if event == "cached":
            self.sweeps[-1][0] = self.sweeps[-1][2] = int(msg.done)
        elif event == "cell":
            self.sweeps[-1][0], self.sweeps[-1][1] = int(msg.done), int(msg.total)
            self.computed += 1


class RunDisplay:
    """Context manager around the claims loop of ``run``: ``claim_started``, ``progress`` (the runner's
    progress callback), ``note`` (one-line messages such as cache warnings), ``claim_finished``, then
    ``summary`` after the loop.  ``terminal`` (default: standard error is a TTY) chooses the live display."""

    def __init__(self, n_claims: int, out: Path | None, *, quiet: bool = False, verbose: bool = False,
                 stream=None, stdout=None, terminal: bool | None = None, argv: list[str] | None = None):
        self.n, self.quiet, self.verbose = n_claims, quiet, verbose
        self.stream = stream if stream is not None else sys.stderr
        self.stdout = stdout if stdout is not None else sys.stdout
        self.terminal = is_terminal(self.stream) if terminal is None else terminal
        self.out, self.argv = out, argv
        self.log_path = Path(out) / LOG_NAME if out is not None else None
        self._log = None
        self._live = None
        self._console = None
        self.current: _ClaimState | None = None
        self.finished: list[_ClaimState] = []
        self.t0 = time.perf_counter()
        self.id_width = 20

    # --- life cycle -------------------------------------------------------------------------------------
    def __enter__(self) -> "RunDisplay":
        if self.log_path is not None:
            try:
                self._log = open(self.log_path, "a", encoding="utf-8")
            except OSError as exc:
                self._log = None
                print(f"sparse-claims: cannot write the log {self.log_path} ({exc.strerror or exc}); "
                      "going on without it", file=self.stream, flush=True)
            self.log(f"=== sparse-claims run{(' ' + ' '.join(self.argv)) if self.argv else ''} "
                     f"({self.n} claim{'s' if self.n != 1 else ''}) pid {os.getpid()}")
        if self.terminal and not self.quiet:
            from rich.console import Console
            from rich.live import Live

            self._console = Console(file=self.stream, force_terminal=True, highlight=False)
            self._live = Live(get_renderable=self._renderable, console=self._console, refresh_per_second=4,
                              transient=True, redirect_stdout=False, redirect_stderr=True)
            self._live.start()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._live is not None:
            try:
                self._live.stop()
            finally:
                self._live = None
            if exc_type is not None and self.current is not None and self.current.rec is None:
                self._console.print(self._line(self.current, stopped=True))
        if exc_type is not None:
            what = {KeyboardInterrupt: "interrupted (Ctrl-C)"}.get(exc_type, f"stopped: {exc_type.__name__}")
            self.log(f"=== {what}" + (f" during {self.current.claim.id}" if self.current and
                                        self.current.rec is None else ""))
        if self._log is not None:
            self._log.close()
            self._log = None

    # --- events -----------------------------------------------------------------------------------------
    def log(self, msg: str) -> None:
        if self._log is not None:
            try:
                stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                self._log.write(f"{stamp} {msg}\n")
                self._log.flush()
            except (OSError, ValueError):
                pass

    def _emit(self, text: str, style: str | None = None) -> None:
        """A line above the live display (terminal) or a plain line (otherwise)."""
        if self._console is not None:
            from rich.text import Text

            self._console.print(Text(text, style=style or ""))
        else:
            print(text, file=self.stream, flush=True)

    def note(self, msg: str) -> None:
        """A one-line message that is not a cell (cache warnings, experiments' own log lines)."""
        self.log(msg)
        if not self.quiet or msg.startswith("cache:"):
            self._emit(msg, "dim" if not msg.startswith("cache:") else "yellow")

    def claim_started(self, k: int, claim) -> None:
        self.current = _ClaimState(claim, k)
        self.id_width = max(self.id_width, len(claim.id))
        self.log(f"[{k}/{self.n}] {claim.id} ...")
        if not self.terminal and not self.quiet:
            print(f"[{k}/{self.n}] {claim.id} ...", file=self.stream, flush=True)

    def progress(self, msg) -> None:
        """The runner's progress callback (strings; :class:`~simulations.harness.sweep.SweepEvent` carry
        the cell counts)."""
        st = self.current
        event = getattr(msg, "event", None)
        if st is not None and event:
            st.update(msg)
        if event == "start":
            self.log(f"  {msg}")
            return
        if event != "cell":
            self.log(f"  {msg}")
            if not self.quiet:
                self._emit(f"  {msg}", "dim")
            return
        self.log(f"  {msg}")
        if self.quiet:
            return
        if self.verbose:
            self._emit(f"  {msg}", "dim")
        elif not self.terminal and st is not None:
            now = time.perf_counter()
            if now - st.last_plain >= PLAIN_EVERY:
                st.last_plain = now
                print(f"  {st.claim.id}: {st.done}/{st.total} cells, {_hms(st.elapsed())} elapsed, "
                      f"ETA {_hms(st.eta())}", file=self.stream, flush=True)

    progress.structured = True  # type: ignore[attr-defined]  # ask run_sweep for its start events

    def claim_finished(self, k: int, claim, rec: dict) -> None:
        st = self.current if self.current is not None and self.current.claim is claim else _ClaimState(claim, k)
        st.rec = rec
        self.finished.append(st)
        line = (f"[{k}/{self.n}] {claim.id}: {rec['verdict']} (recorded {rec['status']}) in "
                f"{float(rec.get('seconds') or 0):.1f}s — {rec.get('reason', '')}")
        self.log(line)
        if self.quiet:
            return
        if self._console is not None:
            self._console.print(self._line(st))
            self._live.refresh()          # drop the running line now, not at the next tick
        else:
            print(line, file=self.stream, flush=True)

    # --- rendering (terminal) ---------------------------------------------------------------------------
    def _line(self, st: _ClaimState, stopped: bool = False):
        from rich.progress_bar import ProgressBar
        from rich.table import Table
        from rich.text import Text

        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=len(str(self.n)) * 2 + 3, no_wrap=True)
        grid.add_column(width=self.id_width, no_wrap=True, overflow="ellipsis")
        grid.add_column(width=26, no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(no_wrap=True, overflow="ellipsis")
        total, done = st.total, st.done
        rec = st.rec
        if rec is not None and total == 0:
            total = done = 1
        bar = ProgressBar(total=max(total, 1), completed=done if total else 0, width=26,
                          pulse=(rec is None and not stopped and total == 0),
                          complete_style="green" if rec is not None else "cyan",
                          finished_style="green" if rec is not None else "cyan")
        cells = f"{st.done}/{st.total} cells" if st.total else "no sweep yet" if rec is None else "no sweep"
        if rec is not None:
            v = str(rec.get("verdict", "open"))
            tail = Text(v, style=VERDICT_STYLE.get(v, ""))
            if not rec.get("matches_status", True):
                tail.append(f"  ≠ recorded {rec.get('status')}", style="bold magenta")
            times = Text(_hms(st.elapsed()))
        elif stopped:
            tail, times = Text("stopped", style="bold magenta"), Text(_hms(st.elapsed()))
        else:
            tail, times = Text("running", style="cyan"), Text(f"{_hms(st.elapsed())} ETA {_hms(st.eta())}")
        grid.add_row(Text(f"[{st.k}/{self.n}]", style="dim"), Text(st.claim.id, style="bold"), bar,
                     Text(cells, style="dim"), times, tail)
        return grid

    def _renderable(self):
        from rich.console import Group
        from rich.text import Text

        parts = []
        if self.current is not None and self.current.rec is None:
            parts.append(self._line(self.current))
        n_done = len(self.finished)
        parts.append(Text(f"{n_done}/{self.n} claims · {_hms(time.perf_counter() - self.t0)} elapsed"
                          + (f" · log {self.log_path}" if self.log_path is not None else ""), style="dim"))
        return Group(*parts)

    # --- final summary (standard output) ----------------------------------------------------------------
    def summary(self, records: list[dict], out: Path, elapsed: float) -> None:
        from simulations.harness.report import tally_lines

        tallies = tally_lines(records)
        tail = (f"{len(records)} claims in {elapsed:.0f}s; results in {out}/results.json, report in "
                f"{out}/report.html, log in {out}/{LOG_NAME}")
        for line in tallies:
            self.log(f"tally: {line}")
        self.log(tail)
        if not is_terminal(self.stdout):
            _plain_summary(records, tallies, tail, self.stdout)
            return
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        con = Console(file=self.stdout, force_terminal=True, highlight=False)
        t = Table(title="claims", title_justify="left", show_edge=False, pad_edge=False)
        for col, kw in (("id", {}), ("kind", {}), ("verdict", {}), ("recorded", {}), ("match", {}),
                        ("seconds", {"justify": "right"})):
            t.add_column(col, **kw)
        for r in records:
            v = str(r.get("verdict", "open"))
            t.add_row(r["id"], r.get("kind") or "-", Text(r.get("verdict_text") or v, style=VERDICT_STYLE.get(v, "")),
                      str(r.get("status")), Text("yes", style="green") if r.get("matches_status")
                      else Text("NO", style="bold magenta"), f"{float(r.get('seconds') or 0):.1f}")
        con.print(t)
        p = Table(show_edge=False, pad_edge=False)
        p.add_column("paper", style="bold")
        p.add_column("tally")
        for line in tallies:
            paper, _, rest = line.partition(": ")
            p.add_row(paper, _colour_tally(rest))
        con.print()
        con.print(Text("Per paper (only paper claims make the tally; split by scope):", style="italic"))
        con.print(p)
        con.print()
        con.print(Text(tail, style="dim"))


def _colour_tally(text: str):
    from rich.text import Text

    t = Text(text)
    for v, style in VERDICT_STYLE.items():
        t.highlight_words([v], style=style)
    return t


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*header), fmt.format(*["-" * w for w in widths])] +
                     [fmt.format(*map(str, r)) for r in rows])


def _plain_summary(records: list[dict], tallies: list[str], tail: str, stream) -> None:
    rows = [[r["id"], r.get("kind") or "-", r.get("verdict_text") or r["verdict"], r["status"],
             "yes" if r["matches_status"] else "NO", f"{float(r.get('seconds') or 0):.1f}"] for r in records]
    print(_table(rows, ["id", "kind", "verdict", "recorded", "match", "seconds"]), file=stream)
    print("\nPer paper (only paper claims make the tally; split by scope):", file=stream)
    for line in tallies:
        print(f"  {line}", file=stream)
    print(f"\n{tail}", file=stream)
