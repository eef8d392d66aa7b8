"""Plot specifications as plain data, and their rendering with matplotlib.

Experiments return specs (``line``, ``heatmaps``, ``bars``); the report draws them, so ``sparse-claims
report`` can redraw every figure from ``results.json`` alone.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from simulations.harness.evidence import to_plain

_NAME_OK = set("abcdefghijklmnopqrstuvwxyz0123456789_-")


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


def loglog_fit(name: str, title: str, xlabel: str, ylabel: str, curves: list[dict], fits: list[dict]) -> dict:
    """Log-log curves with fitted lines; each fit ``{"label", "slope", "intercept", "x": [xmin, xmax]}``
    (from :func:`theory.stats.loglog_fit`) is drawn as a dashed line."""
    extra = []
    for f in fits:
        xs = np.geomspace(min(f["x"]), max(f["x"]), 20)
        extra.append(series(f["label"], xs, np.exp(f["intercept"]) * xs ** f["slope"], style="--"))
    return line(name, title, xlabel, ylabel, list(curves) + extra, logx=True, logy=True)


def heatmaps(name: str, title: str, panels: list[dict], vmin: float = 0.0, vmax: float = 1.0,
             max_side: int = 128) -> dict:
    """Side-by-side images; ``panels``: ``{"title": str, "matrix": 2-D array}``.  Matrices larger than
    ``max_side`` are block-averaged so stored results stay small."""
    out = []
    for p in panels:
        m = np.asarray(p["matrix"], float)
        if m.ndim != 2:
            raise ValueError(f"heatmap panel {p.get('title')!r} must be 2-D, got shape {m.shape}")
        out.append({"title": p["title"], "matrix": _shrink(m, max_side)})
    return to_plain({"kind": "heatmaps", "name": _check_name(name), "title": title, "panels": out,
                     "vmin": vmin, "vmax": vmax})


def bars(name: str, title: str, ylabel: str, labels: list[str], values, errors=None) -> dict:
    return to_plain({"kind": "bars", "name": _check_name(name), "title": title, "ylabel": ylabel,
                     "labels": list(labels), "values": np.asarray(values, float), "errors": errors})


def _shrink(m: np.ndarray, side: int) -> np.ndarray:
    r, c = m.shape
    fr, fc = max(1, -(-r // side)), max(1, -(-c // side))
    if fr == 1 and fc == 1:
        return m
    rr, cc = (r // fr) * fr, (c // fc) * fc
    return m[:rr, :cc].reshape(rr // fr, fr, cc // fc, fc).mean(axis=(1, 3))


def render(spec: dict, path: Path) -> Path:
    """Draw one spec to a PNG file (matplotlib, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kind = spec.get("kind")
    if kind == "heatmaps":
        k = len(spec["panels"])
        fig, axes = plt.subplots(1, k, figsize=(3.2 * k, 3.4), squeeze=False)
        for ax, p in zip(axes[0], spec["panels"]):
            im = ax.imshow(np.asarray(p["matrix"], float), vmin=spec["vmin"], vmax=spec["vmax"], cmap="viridis",
                           aspect="auto", interpolation="nearest")
            ax.set_title(p["title"], fontsize=8)
            ax.set_xticks([])
            ax.set_yticks([])
        fig.colorbar(im, ax=axes[0].tolist(), shrink=0.8)
    elif kind == "bars":
        fig, ax = plt.subplots(figsize=(6, 3.6))
        ax.bar(spec["labels"], _num(spec["values"]), yerr=None if spec["errors"] is None else _num(spec["errors"]))
        ax.set_ylabel(spec["ylabel"])
        ax.tick_params(axis="x", rotation=45)
    elif kind == "line":
        fig, ax = plt.subplots(figsize=(6, 4))
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
            xs = sorted({float(x) for c in spec["series"] if not c["style"].startswith("--") for x in _num(c["x"])})
            if 0 < len(xs) <= 10:  # label the measured sizes, not log-scale minor ticks
                from matplotlib.ticker import NullFormatter

                ax.set_xticks(xs, [f"{x:g}" for x in xs])
                ax.xaxis.set_minor_formatter(NullFormatter())
        if spec["logy"]:
            ax.set_yscale("log")
        ax.set_xlabel(spec["xlabel"])
        ax.set_ylabel(spec["ylabel"])
        ax.legend(fontsize=7)
    else:
        raise ValueError(f"unknown plot kind {kind!r}; allowed: line, heatmaps, bars")
    fig.suptitle(spec["title"], fontsize=9)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp.png")
    fig.savefig(tmp, dpi=90, bbox_inches="tight")
    plt.close(fig)
    tmp.replace(path)
    return path


def _num(v):
    """Stored JSON turns NaN into the string 'nan'; convert back for drawing."""
    return np.asarray([[float(y) for y in x] if isinstance(x, list) else float(x) for x in v], dtype=float) \
        if isinstance(v, list) else float(v)
