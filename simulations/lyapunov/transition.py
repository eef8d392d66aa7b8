"""Smooth location of a transition along x = ln(1/(1 - s)) (project addition for the A-C9 / A-C12 redesign):
a least-squares logistic step fitted to curves on the grid, so that the location uses every grid point and does
not favour narrow grid intervals the way the steepest interval slope does (spec §8.2)."""
from __future__ import annotations

import numpy as np

from theory.checks import as_float_array

STEP_C_GRID = np.round(np.arange(1.5, 5.5 + 1e-9, 0.02), 4)   # candidate centres in x = ln(1/(1 - s))
STEP_TAUS = (0.1, 0.2, 0.4, 0.8)                               # candidate widths in x


def logistic_step_fit(x, Y, c_grid=STEP_C_GRID, taus=STEP_TAUS) -> dict:
    """Least-squares logistic step a + b * sigmoid((x - c)/tau) fitted to each row of ``Y`` (curves on the grid
    ``x``): (c, tau) by grid search, (a, b) in closed form.  Returns arrays ``c`` (location), ``b`` (signed
    amplitude) and ``tau`` per row; rows of ``Y`` with a NaN or infinite entry give NaN, and ``flag`` is True when
    there is such a row.  A location estimate that uses every grid point, so it does not favour narrow intervals the
    way the steepest interval slope does."""
    x = as_float_array(x, "x", ndim=1)
    Yr = np.asarray(Y)
    if Yr.dtype.kind not in "fiub" or Yr.ndim not in (1, 2) or Yr.size == 0:
        raise ValueError(f"Y must be a non-empty numeric (rows, grid) array (NaN marks a missing curve), got dtype "
                         f"{Yr.dtype}, shape {Yr.shape}")
    Y = np.atleast_2d(Yr.astype(float))
    if Y.shape[1] != x.size:
        raise ValueError(f"Y must have one column per grid point of x ({x.size}), got {Y.shape}")
    cs, ts = as_float_array(c_grid, "c_grid", ndim=1), as_float_array(taus, "taus", ndim=1)
    if np.any(ts <= 0):
        raise ValueError(f"taus must be positive widths, got {ts.tolist()}")
    S = 1.0 / (1.0 + np.exp(-(x[None, None, :] - cs[:, None, None]) / ts[None, :, None]))
    S = S.reshape(-1, x.size)
    Sm = S - S.mean(1, keepdims=True)
    den = (Sm ** 2).sum(1)
    ok = np.all(np.isfinite(Y), 1)
    Ym = np.where(ok[:, None], Y - np.nanmean(np.where(ok[:, None], Y, 0.0), 1, keepdims=True), 0.0)
    num = Ym @ Sm.T
    rss = (Ym ** 2).sum(1, keepdims=True) - num ** 2 / den
    g = np.argmin(rss, 1)
    rows = np.arange(Y.shape[0])
    c = np.repeat(cs, ts.size)[g]
    tau = np.tile(ts, cs.size)[g]
    b = (num / den)[rows, g]
    nan = np.full(Y.shape[0], np.nan)
    return {"c": np.where(ok, c, nan), "b": np.where(ok, b, nan), "tau": np.where(ok, tau, nan),
            "flag": bool(not ok.all())}
