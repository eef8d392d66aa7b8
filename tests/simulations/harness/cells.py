"""Module-level sweep cells used by the harness tests (they must be importable by worker processes)."""
import os

import numpy as np


def noisy_power(cell):
    """A seeded cell doing real linear algebra: the spectral norm of a random n x n matrix."""
    rng = cell.numpy_rng()
    n = cell.config["n"]
    a = rng.standard_normal((n, n))
    return {"spec": float(np.linalg.norm(a @ a.T, 2)), "first": float(a[0, 0])}


def fail_after(cell):
    """Raises for configs flagged 'fail' unless the marker file exists (simulates an interrupted run)."""
    if cell.config.get("fail") and not os.path.exists(cell.config["marker"]):
        raise RuntimeError("interrupted")
    return {"n": cell.config["n"]}


def sleepy(cell):
    """Sleeps ``config['sleep']`` seconds (signal tests need cells that are still running when killed)."""
    import time

    time.sleep(cell.config["sleep"])
    return {"n": cell.config["n"], "pid": os.getpid()}
