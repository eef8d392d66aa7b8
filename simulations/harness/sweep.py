"""Sweeps over cells (claim x size x seed x ...) with a resumable on-disk cache and three executors.

A cell is a pure function call ``fn(cell) -> dict`` where ``cell`` carries the configuration, the derived
seed, the replicate index and the device.  The cache key is the hash of the canonical cell description
(claim id, function, configuration, replicate, root seed, device); each finished cell is written
atomically, so an interrupted sweep resumes and a rerun reuses finished cells.

Executors: serial (default), local worker processes (``workers=N``) and a dask.distributed cluster
(``scheduler="tcp://host:port"``).  Every cell runs single-threaded (BLAS and torch), whichever executor
runs it, so the same seed gives bit-identical numbers in every mode.
"""
from __future__ import annotations

import importlib
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from simulations.harness.evidence import dumps, to_plain
from simulations.rng import config_hash, derive_seed


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


def make_cells(claim_id: str, fn: Callable, configs: Sequence[dict], replicates: int, root_seed: int,
               device: str) -> list[Cell]:
    if replicates < 1:
        raise ValueError(f"replicates must be >= 1, got {replicates}")
    path = fn_path(fn)
    cells = []
    for cfg in configs:
        cfg = to_plain(dict(cfg))
        for r in range(replicates):
            seed = derive_seed(root_seed, claim_id, path, cfg, r)
            desc = {"claim": claim_id, "fn": path, "config": cfg, "replicate": r, "root_seed": root_seed,
                    "device": device}
            cells.append(Cell(claim_id, path, cfg, r, seed, root_seed, device, config_hash(desc)))
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


_UMASK = os.umask(0)
os.umask(_UMASK)


def atomic_write_text(path: Path, text: str) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp creates 0600; results are ordinary readable files
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class Cache:
    """One JSON file per finished cell under ``root/<claim id>/<key>.json``; ``root=None`` disables it."""

    def __init__(self, root: str | os.PathLike | None):
        self.root = Path(root) if root is not None else None

    def _path(self, cell: Cell) -> Path:
        return self.root / cell.claim_id / f"{cell.key}.json"

    def get(self, cell: Cell):
        if self.root is None:
            return None
        p = self._path(cell)
        if not p.exists():
            return None
        try:
            return json.loads(p.read_text())["result"]
        except (json.JSONDecodeError, KeyError):
            return None  # a corrupt entry is recomputed, never trusted

    def put(self, cell: Cell, result: dict) -> None:
        if self.root is None:
            return
        desc = {"claim": cell.claim_id, "fn": cell.fn, "config": cell.config, "replicate": cell.replicate,
                "seed": cell.seed, "root_seed": cell.root_seed, "device": cell.device}
        atomic_write_text(self._path(cell), dumps({"cell": desc, "result": result}))


class Executor:
    """Runs cells; ``submit_all`` yields (index, result) as cells finish."""

    name = "serial"

    def submit_all(self, cells: Sequence[Cell]):
        for i, c in enumerate(cells):
            yield i, run_cell(c)

    def close(self) -> None:  # pragma: no cover - trivial
        pass


class ProcessExecutor(Executor):
    name = "processes"

    def __init__(self, workers: int):
        if not isinstance(workers, int) or workers < 1:
            raise ValueError(f"workers must be a positive integer, got {workers!r}")
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"))

    def submit_all(self, cells):
        from concurrent.futures import as_completed

        futs = {self.pool.submit(run_cell, c): i for i, c in enumerate(cells)}
        for f in as_completed(futs):
            yield futs[f], f.result()

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


class DaskExecutor(Executor):
    name = "dask"

    def __init__(self, scheduler: str):
        try:
            from distributed import Client
        except ImportError as exc:  # optional extra
            raise RuntimeError("--scheduler needs the optional extra: pip install 'sparse-claims[distributed]'") \
                from exc
        if not isinstance(scheduler, str) or "://" not in scheduler:
            raise ValueError(f"scheduler must be an address like tcp://HOST:PORT, got {scheduler!r}")
        self.client = Client(scheduler, timeout="30s")

    def submit_all(self, cells):
        from distributed import as_completed

        futs = [self.client.submit(run_cell, c, pure=False) for c in cells]
        index = {f.key: i for i, f in enumerate(futs)}
        for f in as_completed(futs):
            yield index[f.key], f.result()

    def close(self) -> None:
        self.client.close()


def make_executor(workers: int = 1, scheduler: str | None = None) -> Executor:
    if scheduler:
        return DaskExecutor(scheduler)
    if workers is None or workers == 1:
        return Executor()
    return ProcessExecutor(workers)


def run_sweep(cells: Sequence[Cell], executor: Executor, cache: Cache,
              progress: Callable[[str], None] | None = None, label: str = "") -> list[dict]:
    """Run all cells (cached ones are reused) and return their results in cell order."""
    results: list = [None] * len(cells)
    todo = []
    for i, c in enumerate(cells):
        hit = cache.get(c)
        if hit is not None:
            results[i] = hit
        else:
            todo.append(i)
    n, done = len(cells), len(cells) - len(todo)
    if progress and done:
        progress(f"{label}: {done}/{n} cells reused from cache")
    t0 = time.perf_counter()
    for j, res in executor.submit_all([cells[i] for i in todo]):
        i = todo[j]
        cache.put(cells[i], res)
        results[i] = res
        done += 1
        if progress:
            progress(f"{label}: cell {done}/{n} {json.dumps(cells[i].config, sort_keys=True)} "
                     f"rep {cells[i].replicate} ({time.perf_counter() - t0:.1f}s)")
    return results
