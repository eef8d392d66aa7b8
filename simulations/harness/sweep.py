"""Sweeps over cells (claim x size x seed x ...) with a resumable on-disk cache and three executors.

A cell is a pure function call ``fn(cell) -> dict`` where ``cell`` carries the configuration, the derived
seed, the replicate index and the device.  The cache key is the hash of the canonical cell description
(claim id, function, configuration, replicate, root seed, device, tier and a fingerprint of the code that
computes the cell: every source file of ``simulations/`` and ``theory/`` that can compute a cell, plus the
cell function's own module); each finished cell is written atomically, so an interrupted sweep resumes and a
rerun reuses finished cells.  Every entry stores its key, its description and a SHA-256 checksum of its
result, and is validated on read: an entry that is unreadable, mismatched or fails its checksum is reported in
one line, recomputed and overwritten, so no cache file can change or break a verdict.

Executors: serial (default), local worker processes (``workers=N``) and a dask.distributed cluster
(``scheduler="tcp://host:port"``).  Every cell runs single-threaded (BLAS and torch), whichever executor
runs it, so the same seed gives bit-identical numbers in every mode.  Local workers die with their parent
(``PR_SET_PDEATHSIG`` on Linux, plus a parent-pid check) and ignore SIGINT, so Ctrl-C reaches the parent
alone, which then ends them (:meth:`Executor.abort`).
"""
from __future__ import annotations

import functools
import hashlib
import importlib
import json
import os
import re
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from simulations.harness.evidence import dumps, to_plain
from simulations.rng import canonical_json, config_hash, derive_seed

CACHE_FORMAT = 2
MAX_WORKERS = 1024          # larger --workers values are usage errors, not a request for 10^6 processes
_PKG_ROOT = Path(__file__).resolve().parents[2]
# modules that only present results (never compute a cell): editing them must not invalidate the cache
_PRESENTATION = {"simulations/harness/cli.py", "simulations/harness/report.py",
                 "simulations/harness/status_page.py", "simulations/harness/plots.py",
                 "simulations/harness/docs_figures.py", "simulations/harness/console.py"}
_FILE_HASHES: dict = {}     # path -> ((mtime_ns, size), sha256): re-hashed whenever a file changes


@dataclass(frozen=True)
class Cell:
    claim_id: str
    fn: str            # "module:qualname"
    config: dict
    replicate: int
    seed: int          # derived from root seed and the key
    root_seed: int
    device: str = "cpu"
    key: str = field(default="", compare=False)
    tier: str | None = None
    code: str = ""     # fingerprint of the code that computes the cell (see code_fingerprint)

    def description(self) -> dict:
        return cell_description(self.claim_id, self.fn, self.config, self.replicate, self.root_seed, self.device,
                                self.tier, self.code)

    def numpy_rng(self):
        import numpy as np

        return np.random.default_rng(self.seed)

    def torch_generator(self):
        from simulations.rng import torch_generator

        return torch_generator(self.seed, "cpu" if self.device == "cpu" else self.device)


def fn_path(fn: Callable) -> str:
    mod, qual = fn.__module__, fn.__qualname__
    if "<locals>" in qual or "<lambda>" in qual:
        raise ValueError(f"sweep functions must be module-level (picklable), got {mod}:{qual}")
    return f"{mod}:{qual}"


def resolve(path: str) -> Callable:
    mod, qual = path.split(":")
    obj = importlib.import_module(mod)
    for part in qual.split("."):
        obj = getattr(obj, part)
    return obj


def _file_hash(p: Path) -> str:
    st = p.stat()
    stamp = (st.st_mtime_ns, st.st_size)
    hit = _FILE_HASHES.get(p)
    if hit is None or hit[0] != stamp:
        hit = (stamp, hashlib.sha256(p.read_bytes()).hexdigest())
        _FILE_HASHES[p] = hit
    return hit[1]


def code_fingerprint(fn_module: str | None = None) -> str:
    """SHA-256 (20 hex digits) over the source of every module that can compute a cell: all ``.py`` files of
    ``simulations/`` and ``theory/`` except the presentation modules, plus the cell function's own module
    when it lives elsewhere (tests).  A file is re-hashed when its mtime or size changes, so an edit made
    while the process runs is seen by the next sweep."""
    h = hashlib.sha256()
    files = sorted(p for top in ("simulations", "theory") for p in (_PKG_ROOT / top).rglob("*.py"))
    for p in files:
        rel = p.relative_to(_PKG_ROOT).as_posix()
        if rel in _PRESENTATION:
            continue
        h.update(rel.encode() + b"\0" + _file_hash(p).encode() + b"\n")
    if fn_module:
        mod = sys.modules.get(fn_module) or importlib.import_module(fn_module)
        src = getattr(mod, "__file__", None)
        if src:
            src = Path(src).resolve()
            if _PKG_ROOT not in src.parents:
                h.update(b"fn-module\0" + _file_hash(src).encode())
    return h.hexdigest()[:20]


def cell_description(claim_id: str, path: str, cfg: dict, replicate: int, root_seed: int, device: str,
                     tier: str | None, code: str) -> dict:
    return {"claim": claim_id, "fn": path, "config": cfg, "replicate": replicate, "root_seed": root_seed,
            "device": device, "tier": tier, "code": code}


def make_cells(claim_id: str, fn: Callable, configs: Sequence[dict], replicates: int, root_seed: int,
               device: str, tier: str | None = None) -> list[Cell]:
    """The cells of ``fn`` over ``configs`` x ``replicates``; keys cover the tier and the code fingerprint."""
    if isinstance(replicates, bool) or not isinstance(replicates, int) or replicates < 1:
        raise ValueError(f"replicates must be an integer >= 1, got {replicates!r}")
    path = fn_path(fn)
    code = code_fingerprint(path.split(":")[0])
    cells = []
    for cfg in configs:
        cfg = to_plain(dict(cfg))
        for r in range(replicates):
            seed = derive_seed(root_seed, claim_id, path, cfg, r)
            desc = cell_description(claim_id, path, cfg, r, root_seed, device, tier, code)
            cells.append(Cell(claim_id, path, cfg, r, seed, root_seed, device, config_hash(desc), tier, code))
    return cells


def run_cell(cell: Cell) -> dict:
    """Run one cell single-threaded and return its JSON-able result (used by every executor)."""
    from threadpoolctl import threadpool_limits

    torch = sys.modules.get("torch")
    old = torch.get_num_threads() if torch is not None else None
    try:
        with threadpool_limits(limits=1):
            if torch is not None:
                torch.set_num_threads(1)
            out = resolve(cell.fn)(cell)
    finally:
        if torch is not None and old is not None:
            torch.set_num_threads(old)
    if not isinstance(out, dict):
        raise TypeError(f"sweep function {cell.fn} must return a dict, got {type(out).__name__}")
    return json.loads(dumps(out))


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and ``os.replace``: readers see
    the old file or the new one, never a half-written one.  The file gets ordinary permissions (0666 less
    the umask, like ``open``), found without touching the process umask: the temporary name is created with
    ``O_CREAT | O_EXCL`` and mode 0666, which the kernel masks."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(100):
        tmp = str(path.parent / f".{path.name}.{os.getpid()}.{os.urandom(6).hex()}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:  # pragma: no cover - 48 random bits
            continue
    else:  # pragma: no cover
        raise FileExistsError(f"could not create a temporary file next to {path}")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def checksum(result) -> str:
    return hashlib.sha256(canonical_json(result).encode()).hexdigest()


class Cache:
    """One JSON file per finished cell under ``root/<claim id>/<key>.json``; ``root=None`` disables it.

    An entry is ``{"format", "key", "cell", "result", "checksum"}``.  :meth:`get` trusts an entry only when
    it parses, its format, key and cell description equal the cell's, and the SHA-256 of its result equals
    its checksum; otherwise it reports why in one line (``report``, default stderr) and returns None, and
    the cell is recomputed and overwritten.  A write that fails (full disk, a folder in the way) is reported
    the same way and the sweep goes on with the computed result."""

    def __init__(self, root: str | os.PathLike | None, report: Callable[[str], None] | None = None):
        self.root = Path(root) if root is not None else None
        self.report = report or (lambda msg: print(msg, file=sys.stderr, flush=True))

    def _path(self, cell: Cell) -> Path:
        return self.root / cell.claim_id / f"{cell.key}.json"

    def _invalid(self, cell: Cell, reason: str) -> None:
        self.report(f"cache: ignoring {self._path(cell)}: {reason}; recomputing the cell")

    def get(self, cell: Cell):
        if self.root is None:
            return None
        p = self._path(cell)
        if not p.exists():
            return None
        try:
            entry = json.loads(p.read_bytes().decode("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            self._invalid(cell, f"unreadable ({type(exc).__name__}: {str(exc)[:120]})")
            return None
        if not isinstance(entry, dict):
            self._invalid(cell, f"not a cache entry (a JSON {type(entry).__name__})")
            return None
        missing = [k for k in ("format", "key", "cell", "result", "checksum") if k not in entry]
        if missing:
            self._invalid(cell, f"missing {', '.join(missing)} (an entry of an older format or a foreign file)")
            return None
        if entry["format"] != CACHE_FORMAT:
            self._invalid(cell, f"format {entry['format']!r}, expected {CACHE_FORMAT}")
            return None
        if entry["key"] != cell.key or entry["cell"] != cell.description():
            self._invalid(cell, "its key or cell description differs from the cell's")
            return None
        if not isinstance(entry["result"], dict):
            self._invalid(cell, "its result is not a JSON object")
            return None
        if entry["checksum"] != checksum(entry["result"]):
            self._invalid(cell, "its result fails its checksum (edited or damaged)")
            return None
        return entry["result"]

    def put(self, cell: Cell, result: dict) -> None:
        if self.root is None:
            return
        entry = {"format": CACHE_FORMAT, "key": cell.key, "cell": cell.description(), "seed": cell.seed,
                 "result": result, "checksum": checksum(result)}
        try:
            atomic_write_text(self._path(cell), dumps(entry))
        except OSError as exc:
            self.report(f"cache: could not write {self._path(cell)} ({exc.strerror or exc}); "
                        "the result is used but not cached")


def _die_with_parent(parent_pid: int) -> None:
    """Worker initializer: the kernel sends SIGKILL to this worker when its parent dies (Linux), and SIGINT
    (a terminal's Ctrl-C reaches the whole process group) is left to the parent, which ends the workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            PR_SET_PDEATHSIG = 1
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the ppid check below still holds
            pass
    if os.getppid() != parent_pid:   # the parent died before prctl took effect
        os._exit(1)


class Executor:
    """Runs cells; ``submit_all`` yields (index, result) as cells finish."""

    name = "serial"

    def submit_all(self, cells: Sequence[Cell]):
        for i, c in enumerate(cells):
            yield i, run_cell(c)

    def close(self) -> None:  # pragma: no cover - trivial
        pass

    def abort(self) -> None:
        """End at once (Ctrl-C, SIGTERM): running cells are abandoned, finished ones are already cached."""
        self.close()


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def check_workers(workers) -> int:
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= MAX_WORKERS:
        raise ValueError(f"workers must be an integer in [1, {MAX_WORKERS}], got {workers!r}")
    return workers


class ProcessExecutor(Executor):
    name = "processes"

    def __init__(self, workers: int):
        check_workers(workers)
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        # processes start on demand (spawn context), so a sweep of k cells never starts more than k workers
        self.workers = workers
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"),
                                        initializer=_die_with_parent, initargs=(os.getpid(),))

    def submit_all(self, cells):
        from concurrent.futures import as_completed

        futs = {self.pool.submit(run_cell, c): i for i, c in enumerate(cells)}
        try:
            for f in as_completed(futs):
                yield futs[f], f.result()
        finally:
            for f in futs:
                f.cancel()

    def pids(self) -> list[int]:
        return [p.pid for p in list(getattr(self.pool, "_processes", {}).values()) if p.pid]

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)

    def abort(self) -> None:
        # Forget the queued work first: once the workers are killed the pool's manager thread marks every
        # pending future broken, and one already cancelled would make it raise InvalidStateError (CPython).
        pending = getattr(self.pool, "_pending_work_items", None)
        if isinstance(pending, dict):
            for item in list(pending.values()):
                item.future.cancel()
            pending.clear()
        procs = list(getattr(self.pool, "_processes", {}).values())
        for p in procs:
            try:
                p.kill()
            except (OSError, ValueError, AttributeError):  # already gone
                pass
        try:
            self.pool.shutdown(wait=False, cancel_futures=True)
        except Exception:  # pragma: no cover - a broken pool is being abandoned anyway
            pass
        for p in procs:
            try:
                p.join(timeout=2)
            except (OSError, ValueError, AssertionError, AttributeError):  # pragma: no cover
                pass


_ADDRESS = re.compile(r"^(tcp|tls|inproc|ucx|ws|wss)://(\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.-]+)(:(\d+))?$")


def check_scheduler_address(scheduler) -> str:
    """A dask scheduler address ``PROTOCOL://HOST:PORT``; a malformed one is refused naming what is wrong."""
    if not isinstance(scheduler, str) or not scheduler.strip():
        raise ValueError(f"scheduler must be an address like tcp://HOST:PORT, got {scheduler!r}")
    if "://" not in scheduler:
        raise ValueError(f"scheduler address {scheduler!r} has no protocol: write tcp://{scheduler}")
    proto = scheduler.split("://", 1)[0]
    if proto not in ("tcp", "tls", "inproc", "ucx", "ws", "wss"):
        raise ValueError(f"scheduler address {scheduler!r}: unknown protocol {proto!r} (tcp, tls, ucx, ws, wss)")
    m = _ADDRESS.match(scheduler)
    if not m:
        raise ValueError(f"scheduler address {scheduler!r}: the host part is malformed "
                         "(expected PROTOCOL://HOST:PORT, HOST a name, IPv4 address or [IPv6])")
    if m.group(4) is not None and not 1 <= int(m.group(4)) <= 65535:
        raise ValueError(f"scheduler address {scheduler!r}: port {m.group(4)} is outside 1..65535")
    if proto in ("tcp", "tls") and m.group(4) is None:
        raise ValueError(f"scheduler address {scheduler!r} has no port (tcp://HOST:PORT; dask's default is 8786)")
    return scheduler


class SchedulerError(RuntimeError):
    """The dask scheduler could not be reached, or has no workers (an environment error, exit 3)."""


class DaskExecutor(Executor):
    name = "dask"

    def __init__(self, scheduler: str, connect_timeout: float = 30.0):
        check_scheduler_address(scheduler)
        if isinstance(connect_timeout, bool) or not isinstance(connect_timeout, (int, float)) \
                or not 0 < connect_timeout <= 86400:
            raise ValueError(f"connect_timeout must be a number of seconds in (0, 86400], got {connect_timeout!r}")
        try:
            from distributed import Client
        except ImportError as exc:  # optional extra
            raise RuntimeError("--scheduler needs the optional extra: pip install 'sparse-claims[distributed]'") \
                from exc
        t = float(connect_timeout)
        self.scheduler, self.timeout = scheduler, t
        try:
            self.client = Client(scheduler, timeout=f"{t}s")
        except (OSError, TimeoutError) as exc:
            raise SchedulerError(f"could not connect to the dask scheduler at {scheduler} within {t:g}s "
                                 f"({type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''})") \
                from None
        try:
            self.client.wait_for_workers(1, timeout=t)
        except (TimeoutError, OSError) as exc:
            self.client.close()
            raise SchedulerError(f"the dask scheduler at {scheduler} has no workers "
                                 f"(none joined within {t:g}s; start some with `dask worker {scheduler}`)") from None

    #: seconds between checks that the cluster still has a worker while cells are pending
    poll_s = 1.0

    def _workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    def submit_all(self, cells):
        """Yield (index, result) as cells finish; :class:`SchedulerError` when every worker has left the
        scheduler and none joins within the connect timeout (finished cells are already cached)."""
        from distributed import wait

        futs = [self.client.submit(run_cell, c, pure=False) for c in cells]
        pending = {f.key: (i, f) for i, f in enumerate(futs)}
        idle_since = None
        try:
            while pending:
                try:
                    done, _ = wait([f for _, f in pending.values()], timeout=self.poll_s,
                                   return_when="FIRST_COMPLETED")
                except TimeoutError:
                    done = ()
                for f in done:
                    i, _ = pending.pop(f.key)
                    yield i, f.result()
                if done or self._workers():
                    idle_since = None
                    continue
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since > self.timeout:
                    raise SchedulerError(f"every dask worker left the scheduler at {self.scheduler} and none "
                                         f"joined within {self.timeout:g}s; {len(pending)} cell(s) unfinished "
                                         f"(finished cells are cached: rerun to resume)")
        finally:
            for f in futs:
                if not f.done():
                    f.cancel()

    def close(self) -> None:
        self.client.close()


def make_executor(workers: int = 1, scheduler: str | None = None, connect_timeout: float = 30.0) -> Executor:
    if scheduler:
        return DaskExecutor(scheduler, connect_timeout)
    if workers is None or workers == 1:
        return Executor()
    return ProcessExecutor(workers)


class SweepEvent(str):
    """A progress message that also says where the sweep stands: ``event`` is ``start`` (sent only to a
    callback whose attribute ``structured`` is true), ``cached`` (cells reused) or ``cell`` (one cell
    finished); ``label``, ``done`` and ``total`` count this sweep's cells.  It is a ``str``, so a plain
    string callback reads the same message as before."""

    event: str
    label: str
    done: int
    total: int

    def __new__(cls, msg: str, event: str, label: str, done: int, total: int):
        obj = super().__new__(cls, msg)
        obj.event, obj.label, obj.done, obj.total = event, label, done, total
        return obj


def run_sweep(cells: Sequence[Cell], executor: Executor, cache: Cache,
              progress: Callable[[str], None] | None = None, label: str = "") -> list[dict]:
    """Run all cells (cached ones are reused) and return their results in cell order.  ``progress`` receives
    :class:`SweepEvent` messages (plain strings to a callback that wants strings)."""
    results: list = [None] * len(cells)
    todo = []
    for i, c in enumerate(cells):
        hit = cache.get(c)
        if hit is not None:
            results[i] = hit
        else:
            todo.append(i)
    n, done = len(cells), len(cells) - len(todo)
    if progress and getattr(progress, "structured", False):
        progress(SweepEvent(f"{label}: {n} cells", "start", label, 0, n))
    if progress and done:
        progress(SweepEvent(f"{label}: {done}/{n} cells reused from cache", "cached", label, done, n))
    t0 = time.perf_counter()
    for j, res in executor.submit_all([cells[i] for i in todo]):
        i = todo[j]
        cache.put(cells[i], res)
        results[i] = res
        done += 1
        if progress:
            progress(SweepEvent(f"{label}: cell {done}/{n} {json.dumps(cells[i].config, sort_keys=True)} "
                                f"rep {cells[i].replicate} ({time.perf_counter() - t0:.1f}s)", "cell", label, done, n))
    return results
