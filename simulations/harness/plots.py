"""Plot specifications as plain data, and their rendering with matplotlib: the suite's one plotting vocabulary.

Experiments return specs (``line``, ``loglog_fit``, ``heatmaps``, ``bars``); the report draws them, so
``sparse-claims report`` can redraw every figure from ``results.json`` alone.  Conventions every figure follows:

* every axis has a label and tick labels; every heatmap has labelled axes, ticks and a colour bar naming its
  quantity;
* legends sit outside the axes (right of the plot), so they never cover data;
* a convergence plot shows the measured points (with intervals where given), the fitted line with its slope and
  confidence interval in the legend, and the predicted rate as a dotted line;
* figures are written at print resolution (``DPI``).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from simulations.harness.evidence import to_plain

_NAME_OK = set("abcdefghijklmnopqrstuvwxyz0123456789_-")
DPI = 200


def _check_name(name: str) -> str:
    if not name or not set(name) <= _NAME_OK:
        raise ValueError(f"plot name must use [a-z0-9_-] only, got {name!r}")
    return name


def series(label: str, x, y, yerr=None, style: str = "o-") -> dict:
    """One curve; ``yerr`` is symmetric (list) or asymmetric ([low, high] lists)."""
    x, y = np.asarray(x, float).ravel(), np.asarray(y, float).ravel()
    if x.shape != y.shape:
        raise ValueError(f"series {label!r}: x and y must have the same length, got {x.size} and {y.size}")
    return to_plain({"label": label, "x": x, "y": y, "yerr": yerr, "style": style})


def line(name: str, title: str, xlabel: str, ylabel: str, curves: list[dict], *, logx: bool = False,
         logy: bool = False, hlines: list[dict] | None = None, vlines: list[dict] | None = None,
         bands: list[dict] | None = None) -> dict:
    """Curves on common axes.  ``hlines``/``vlines``: ``{"y"|"x": value, "label": str}``;
    ``bands``: ``{"x": [...], "low": [...], "high": [...], "label": str}`` (e.g. a null band)."""
    return to_plain({"kind": "line", "name": _check_name(name), "title": title, "xlabel": xlabel,
                     "ylabel": ylabel, "series": curves, "logx": logx, "logy": logy, "hlines": hlines or [],
                     "vlines": vlines or [], "bands": bands or []})


def loglog_fit(name: str, title: str, xlabel: str, ylabel: str, curves: list[dict], fits: list[dict],
               predicted: list[dict] | None = None) -> dict:
    """Log-log curves with fitted lines; each fit ``{"label", "slope", "intercept", "x": [xmin, xmax]}`` (from
    :func:`theory.stats.loglog_fit`, optionally with ``ci_low``/``ci_high``, which go into the legend) is drawn
    dashed.  ``predicted``: ``{"slope", "through": [x0, y0], "label"}`` lines of the predicted rate (dotted)."""
    extra = []
    for f in fits:
        xs = np.geomspace(min(f["x"]), max(f["x"]), 20)
        label = f["label"]
        if "ci_low" in f and "ci_high" in f and "[" not in label:
            label = f"{label}: slope {f['slope']:.3f} [{f['ci_low']:.3f}, {f['ci_high']:.3f}]"
        extra.append(series(label, xs, np.exp(f["intercept"]) * xs ** f["slope"], style="--"))
    allx = [float(x) for c in curves for x in np.asarray(c["x"], float)] or [1.0]
    for pr in predicted or []:
        x0, y0 = (float(v) for v in pr["through"])
        xs = np.geomspace(min(allx), max(allx), 20)
        extra.append(series(pr.get("label", f"predicted slope {pr['slope']:g}"), xs,
                            y0 * (xs / x0) ** float(pr["slope"]), style=":"))
    return line(name, title, xlabel, ylabel, list(curves) + extra, logx=True, logy=True)


def heatmaps(name: str, title: str, panels: list[dict], vmin: float = 0.0, vmax: float = 1.0,
             max_side: int = 128, *, xlabel: str = "column index (input unit j)",
             ylabel: str = "row index (output unit i)", quantity: str = "value") -> dict:
    """Side-by-side images; ``panels``: ``{"title": str, "matrix": 2-D array}`` (optionally per-panel
    ``xlabel``/``ylabel``).  Matrices larger than ``max_side`` are block-averaged so stored results stay
    small; the ticks then still show the original index range.  ``quantity`` labels the colour bar."""
    out = []
    for p in panels:
        m = np.asarray(p["matrix"], float)
        if m.ndim != 2:
            raise ValueError(f"heatmap panel {p.get('title')!r} must be 2-D, got shape {m.shape}")
        out.append({"title": p["title"], "matrix": _shrink(m, max_side), "shape": list(m.shape),
                    "xlabel": p.get("xlabel", xlabel), "ylabel": p.get("ylabel", ylabel)})
    return to_plain({"kind": "heatmaps", "name": _check_name(name), "title": title, "panels": out,
                     "vmin": vmin, "vmax": vmax, "quantity": quantity})


def bars(name: str, title: str, ylabel: str, labels: list[str], values, errors=None, xlabel: str = "case") -> dict:
    return to_plain({"kind": "bars", "name": _check_name(name), "title": title, "ylabel": ylabel,
                     "xlabel": xlabel, "labels": list(labels), "values": np.asarray(values, float),
                     "errors": errors})


def _shrink(m: np.ndarray, side: int) -> np.ndarray:
    r, c = m.shape
    fr, fc = max(1, -(-r // side)), max(1, -(-c // side))
    if fr == 1 and fc == 1:
        return m
    rr, cc = (r // fr) * fr, (c // fc) * fc
    return m[:rr, :cc].reshape(rr // fr, fr, cc // fc, fc).mean(axis=(1, 3))


def figure(spec: dict):
    """The matplotlib figure of one spec (Agg backend); :func:`render` saves it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kind = spec.get("kind")
    if kind == "heatmaps":
        k = len(spec["panels"])
        fig, axes = plt.subplots(1, k, figsize=(3.6 * k + 0.8, 3.6), squeeze=False, layout="constrained")
        for ax, p in zip(axes[0], spec["panels"]):
            m = np.asarray(_num(p["matrix"]), float)
            rows, cols = p.get("shape", list(m.shape))
            im = ax.imshow(m, vmin=spec["vmin"], vmax=spec["vmax"], cmap="viridis", aspect="auto",
                           interpolation="nearest", extent=(-0.5, cols - 0.5, rows - 0.5, -0.5))
            ax.set_title(p["title"], fontsize=8)
            ax.set_xlabel(p.get("xlabel", "column index"), fontsize=8)
            ax.set_ylabel(p.get("ylabel", "row index"), fontsize=8)
            ax.tick_params(labelsize=7)
            ax.locator_params(nbins=5)
        cb = fig.colorbar(im, ax=axes[0].tolist(), shrink=0.85)
        cb.set_label(spec.get("quantity", "value"), fontsize=8)
    elif kind == "bars":
        fig, ax = plt.subplots(figsize=(6.5, 3.8), layout="constrained")
        ax.bar(spec["labels"], _num(spec["values"]), yerr=None if spec["errors"] is None else _num(spec["errors"]),
               capsize=2)
        ax.set_ylabel(spec["ylabel"])
        ax.set_xlabel(spec.get("xlabel", "case"))
        ax.tick_params(axis="x", rotation=45)
    elif kind == "line":
        fig, ax = plt.subplots(figsize=(7.5, 4.2), layout="constrained")
        for b in spec["bands"]:
            ax.fill_between(_num(b["x"]), _num(b["low"]), _num(b["high"]), alpha=0.2, label=b.get("label"))
        for s in spec["series"]:
            x, y = _num(s["x"]), _num(s["y"])
            if s.get("yerr") is not None:
                ax.errorbar(x, y, yerr=_num(s["yerr"]), fmt=s.get("style", "o-"), label=s["label"], capsize=2)
            else:
                ax.plot(x, y, s.get("style", "o-"), label=s["label"])
        for h in spec["hlines"]:
            ax.axhline(float(h["y"]), ls=":", color="grey", label=h.get("label"))
        for v in spec["vlines"]:
            ax.axvline(float(v["x"]), ls=":", color="red", label=v.get("label"))
        if spec["logx"]:
            ax.set_xscale("log")
            xs = sorted({float(x) for c in spec["series"] if not c["style"].startswith(("--", ":"))
                         for x in np.atleast_1d(_num(c["x"]))})
            if 0 < len(xs) <= 10:  # label the measured sizes, not log-scale minor ticks
                from matplotlib.ticker import NullFormatter

                ax.set_xticks(xs, [f"{x:g}" for x in xs])
                ax.xaxis.set_minor_formatter(NullFormatter())
        if spec["logy"]:
            ax.set_yscale("log")
        ax.set_xlabel(spec["xlabel"])
        ax.set_ylabel(spec["ylabel"])
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    else:
        raise ValueError(f"unknown plot kind {kind!r}; allowed: line, heatmaps, bars")
    fig.suptitle(spec["title"], fontsize=9)
    return fig


def render(spec: dict, path: Path) -> Path:
    """Draw one spec to a PNG file at print resolution (written atomically)."""
    import matplotlib.pyplot as plt

    fig = figure(spec)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp.png")
    fig.savefig(tmp, dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    tmp.replace(path)
    return path


def _num(v):
    """Stored JSON turns NaN into the string 'nan'; convert back for drawing."""
    return np.asarray([[float(y) for y in x] if isinstance(x, list) else float(x) for x in v], dtype=float) \
        if isinstance(v, list) else float(v)
