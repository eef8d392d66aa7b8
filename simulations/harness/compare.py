"""Compare two runs (``sparse-claims diff``) and export the verdict table (``sparse-claims export``).

A run is a folder holding ``results.json`` (or the file itself).  The diff lists, per paper, verdicts that
changed, metrics whose value moved by more than a relative threshold, and claims present in one run only.
The export writes the verdict table per paper with kind and scope as CSV or as a LaTeX ``tabular``.
"""
from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from simulations.harness.report import load_results


def load_run(path) -> dict:
    """results.json of a run folder (or the file itself), validated; ValueError naming the path otherwise."""
    p = Path(path)
    folder = p.parent if p.name == "results.json" else p
    if not (folder / "results.json").is_file():
        raise ValueError(f"{p}: no results.json there (give a run folder or its results.json)")
    return load_results(folder)


def _flat(prefix: str, v, out: dict) -> None:
    if isinstance(v, dict):
        for k, x in v.items():
            _flat(f"{prefix}.{k}" if prefix else str(k), x, out)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            _flat(f"{prefix}[{i}]", x, out)
    else:
        out[prefix] = v


def _num(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if v in ("nan", "inf", "-inf"):
        return float(v)
    return None


def metric_changes(ma: dict, mb: dict, rel: float) -> list[dict]:
    """Scalar leaves of two metric dicts that differ by more than ``rel`` relative to the larger magnitude
    (non-numeric leaves: any change; leaves present on one side only are listed too)."""
    fa, fb = {}, {}
    _flat("", ma or {}, fa)
    _flat("", mb or {}, fb)
    out = []
    for k in sorted(set(fa) | set(fb)):
        a, b = fa.get(k, "<absent>"), fb.get(k, "<absent>")
        na, nb = _num(a), _num(b)
        if na is not None and nb is not None:
            if math.isnan(na) and math.isnan(nb):
                continue
            scale = max(abs(na), abs(nb))
            if na == nb or (math.isfinite(scale) and scale > 0 and abs(na - nb) / scale <= rel):
                continue
            change = (nb - na) / abs(na) if na not in (0.0,) and math.isfinite(na) and math.isfinite(nb) else None
            out.append({"metric": k, "a": a, "b": b, "rel_change": change})
        elif a != b:
            out.append({"metric": k, "a": a, "b": b, "rel_change": None})
    return out


def diff(a: dict, b: dict, rel: float = 0.05) -> dict:
    """Per paper: ``flipped`` (id, verdict a -> b), ``metrics`` (id -> changes beyond ``rel``), ``added`` (in b
    only), ``removed`` (in a only)."""
    if not (isinstance(rel, (int, float)) and rel >= 0 and math.isfinite(rel)):
        raise ValueError(f"rel must be a finite number >= 0, got {rel!r}")
    ca = {c["id"]: c for c in a["claims"]}
    cb = {c["id"]: c for c in b["claims"]}
    papers: dict[str, dict] = {}

    def bucket(c):
        return papers.setdefault(str(c.get("paper", "?")), {"flipped": [], "metrics": {}, "added": [], "removed": []})

    for cid in sorted(set(ca) | set(cb)):
        x, y = ca.get(cid), cb.get(cid)
        if x is None:
            bucket(y)["added"].append(cid)
            continue
        if y is None:
            bucket(x)["removed"].append(cid)
            continue
        if x.get("verdict") != y.get("verdict"):
            bucket(y)["flipped"].append({"id": cid, "kind": y.get("kind"), "a": x.get("verdict"),
                                         "b": y.get("verdict"), "reason_b": y.get("reason", "")})
        ch = metric_changes(x.get("metrics"), y.get("metrics"), rel)
        if ch:
            bucket(y)["metrics"][cid] = ch
    return {"rel": rel, "papers": papers,
            "n_flipped": sum(len(p["flipped"]) for p in papers.values())}


def render_diff(d: dict, env_a: dict | None = None, env_b: dict | None = None, max_metrics: int = 12) -> str:
    lines = []
    if env_a is not None and env_b is not None:
        keys = sorted(k for k in set(env_a) | set(env_b) if env_a.get(k) != env_b.get(k))
        if keys:
            lines.append("environment: " + "; ".join(f"{k}: {env_a.get(k)} -> {env_b.get(k)}" for k in keys))
    for paper, p in sorted(d["papers"].items()):
        if not any(p.values()):
            continue
        lines.append(f"== {paper}")
        for f in p["flipped"]:
            lines.append(f"  VERDICT {f['id']} ({f['kind']}): {f['a']} -> {f['b']}  [{f['reason_b']}]")
        for cid in p["added"]:
            lines.append(f"  added   {cid}")
        for cid in p["removed"]:
            lines.append(f"  removed {cid}")
        for cid, ch in sorted(p["metrics"].items()):
            lines.append(f"  metrics {cid}: {len(ch)} changed beyond {d['rel']:.0%}")
            for c in ch[:max_metrics]:
                rc = f" ({c['rel_change']:+.1%})" if c["rel_change"] is not None else ""
                lines.append(f"    {c['metric']}: {c['a']} -> {c['b']}{rc}")
            if len(ch) > max_metrics:
                lines.append(f"    ... {len(ch) - max_metrics} more (--json shows all)")
    lines.append(f"{d['n_flipped']} verdict(s) flipped")
    return "\n".join(lines)


EXPORT_COLUMNS = ("paper", "id", "kind", "scope", "verdict", "recorded", "provenance", "statement")


def export_rows(data: dict) -> list[dict]:
    """One row per check, ordered by paper, then kind (paper, finding, validation), then id."""
    order = {"paper": 0, "finding": 1, "validation": 2}
    rows = [{"paper": c.get("paper", ""), "id": c["id"], "kind": c.get("kind") or "",
             "scope": (c.get("scope") or "") if c.get("kind") == "paper" else "",
             "verdict": c.get("verdict", "open"), "recorded": c.get("status", ""),
             "provenance": c.get("provenance", ""), "statement": c.get("statement", "")} for c in data["claims"]]
    return sorted(rows, key=lambda r: (r["paper"], order.get(r["kind"], 3), r["id"]))


def registry_data() -> dict:
    """The recorded statuses as a results-like dict (used by ``export`` when no run exists)."""
    from theory import registry

    return {"claims": [{"id": c.id, "paper": c.paper.key, "kind": c.kind, "scope": c.scope_for("quick"),
                        "verdict": c.status, "status": c.status, "provenance": c.provenance,
                        "statement": c.statement} for c in registry.claims()]}


def to_csv(data: dict) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(export_rows(data))
    return buf.getvalue()


_TEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
        "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def tex(s: str) -> str:
    return "".join(_TEX.get(ch, ch) for ch in str(s))


def to_latex(data: dict) -> str:
    """One ``tabular`` per paper (needs the booktabs package): check, kind, scope, verdict."""
    rows = export_rows(data)
    out = ["% sparse-claims verdict table (sparse-claims export --format latex); needs \\usepackage{booktabs}"]
    for paper in sorted({r["paper"] for r in rows}):
        out += [f"% {tex(paper)}", r"\begin{tabular}{llll}", r"\toprule",
                r"check & kind & scope & verdict \\", r"\midrule"]
        for r in (r for r in rows if r["paper"] == paper):
            out.append(f"\\texttt{{{tex(r['id'])}}} & {tex(r['kind'])} & {tex(r['scope'])} & {tex(r['verdict'])} \\\\")
        out += [r"\bottomrule", r"\end{tabular}", ""]
    return "\n".join(out)
