"""results.json, report.md, report.html and plots/*.png, every file written atomically.

``results.json`` holds one record per claim (see :mod:`simulations.harness.runner`) with ``plots`` the list
of PNG paths relative to the output folder and ``plot_specs`` the data they are drawn from, plus a top-level
``environment``.  The report is rebuilt from ``results.json`` alone (``sparse-claims report``).
"""
from __future__ import annotations

import base64
import html
import json
from pathlib import Path

from simulations.harness.evidence import dumps
from simulations.harness.sweep import atomic_write_text

VERDICT_ORDER = ("supported", "refuted", "inconclusive", "error", "open")


def load_results(out: Path) -> dict:
    p = Path(out) / "results.json"
    if not p.exists():
        return {"environment": {}, "claims": []}
    data = json.loads(p.read_text())
    if not isinstance(data, dict) or "claims" not in data:
        raise ValueError(f"{p} is not a sparse-claims results file")
    return data


def merge(existing: dict, records: list[dict], environment: dict) -> dict:
    by_id = {r["id"]: r for r in existing.get("claims", [])}
    for r in records:
        by_id[r["id"]] = r
    return {"environment": environment, "claims": [by_id[k] for k in sorted(by_id)]}


def plot_file(claim_id: str, name: str) -> str:
    return f"plots/{claim_id.replace('.', '_')}__{name}.png"


def draw_plots(out: Path, record: dict) -> None:
    """Render the record's plot specs; ``record['plots']`` becomes the list of files drawn."""
    from simulations.harness.plots import render

    specs = record.pop("plot_specs", None)
    if specs is None:
        specs = [s for s in record.get("plots", []) if isinstance(s, dict)]
    record["plot_specs"] = specs
    files = []
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        if specs:
            record.setdefault("plot_errors", []).append("matplotlib is not installed: pip install '.[plots]'")
        specs = []
    for spec in specs:
        rel = plot_file(record["id"], spec["name"])
        try:
            render(spec, Path(out) / rel)
            files.append(rel)
        except Exception as exc:  # a broken figure is reported in the record, never hidden
            record.setdefault("plot_errors", []).append(f"{spec.get('name')}: {type(exc).__name__}: {exc}")
    record["plots"] = files


def write_results(out: Path, data: dict) -> Path:
    out = Path(out)
    p = out / "results.json"
    atomic_write_text(p, dumps(data))
    return p


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, list):
        if len(v) <= 6 and all(not isinstance(x, (list, dict)) for x in v):
            return "[" + ", ".join(_fmt(x) for x in v) + "]"
        return f"[{len(v)} values]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_fmt(x)}" for k, x in list(v.items())[:8]) + (", ..." if len(v) > 8 else "") + "}"
    return str(v)


def _summary(claims: list[dict]) -> dict:
    out = {k: 0 for k in VERDICT_ORDER}
    for c in claims:
        out[c.get("verdict", "open")] = out.get(c.get("verdict", "open"), 0) + 1
    return out


def render_markdown(data: dict) -> str:
    claims = data["claims"]
    s = _summary(claims)
    lines = ["# sparse-claims report", "",
             "Verdicts of this run against the recorded status of each claim. A `refuted` verdict is a result of "
             "the suite (the simulation contradicts the claim), not a failure of the suite.", "",
             "Summary: " + ", ".join(f"{k} {v}" for k, v in s.items() if v), "",
             f"Environment: `{json.dumps(data.get('environment', {}), sort_keys=True)}`", "",
             "| claim | verdict | recorded | match | provenance | paper | seconds |", "|---|---|---|---|---|---|---|"]
    for c in claims:
        lines.append(f"| `{c['id']}` | {c.get('verdict', 'open')} | {c['status']} | "
                     f"{'yes' if c.get('matches_status') else '**no**'} | {c['provenance']} | {c['paper']} | "
                     f"{c.get('seconds', 0):.1f} |")
    for c in claims:
        lines += ["", f"## `{c['id']}`", "", f"**Statement.** {c['statement']}", "",
                  f"**Provenance:** {c['provenance']} · **source:** {c.get('source', '')} · "
                  f"**paper:** {c['paper']} ({c.get('paper_reference', '')})", "",
                  f"**Verdict:** {c.get('verdict')} (recorded: {c['status']}) — {c.get('reason', '')}", ""]
        if c.get("prediction"):
            lines.append("**Prediction:** " + _fmt(c["prediction"]))
            lines.append("")
        if c.get("metrics"):
            lines += ["| metric | value |", "|---|---|"]
            lines += [f"| {k} | {_fmt(v)} |" for k, v in c["metrics"].items()]
            lines.append("")
        if c.get("counterexample"):
            lines += ["**Counterexample search:** " + ("found, shrunk to: `" +
                      json.dumps(c["counterexample"].get("example")) + "`" if c["counterexample"].get("found")
                      else f"none found in {c['counterexample'].get('max_examples')} examples"), ""]
        for f in c.get("plots", []):
            lines.append(f"![{f}]({f})")
        for err in c.get("plot_errors", []):
            lines.append(f"*plot not drawn: {err}*")
        if c.get("traceback"):
            lines += ["```", c["traceback"], "```"]
    return "\n".join(lines) + "\n"


_CSS = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
        "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 7px;font-size:13px}"
        ".supported{background:#dfd}.refuted{background:#fdd}.inconclusive{background:#ffd}.error{background:#f99}"
        "img{max-width:100%;margin:4px 0}code{background:#f4f4f4}section{border-top:2px solid #ddd;margin-top:1.5em}")


def render_html(data: dict, out: Path) -> str:
    claims = data["claims"]
    e = html.escape
    s = _summary(claims)
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>sparse-claims report</title>"
             f"<style>{_CSS}</style></head><body><h1>sparse-claims report</h1>",
             "<p>Verdicts of this run against the recorded status of each claim. A <b>refuted</b> verdict is a "
             "result of the suite (the simulation contradicts the claim), not a failure of the suite.</p>",
             "<p>Summary: " + e(", ".join(f"{k} {v}" for k, v in s.items() if v)) + "</p>",
             f"<p><small>{e(json.dumps(data.get('environment', {}), sort_keys=True))}</small></p>",
             "<table><tr><th>claim</th><th>verdict</th><th>recorded</th><th>match</th><th>provenance</th>"
             "<th>paper</th><th>s</th></tr>"]
    for c in claims:
        v = c.get("verdict", "open")
        parts.append(f"<tr><td><a href='#{e(c['id'])}'><code>{e(c['id'])}</code></a></td><td class='{v}'>{v}</td>"
                     f"<td>{e(c['status'])}</td><td>{'yes' if c.get('matches_status') else '<b>no</b>'}</td>"
                     f"<td>{e(c['provenance'])}</td><td>{e(c['paper'])}</td><td>{c.get('seconds', 0):.1f}</td></tr>")
    parts.append("</table>")
    for c in claims:
        v = c.get("verdict", "open")
        parts.append(f"<section id='{e(c['id'])}'><h2><code>{e(c['id'])}</code> <span class='{v}'>{v}</span></h2>"
                     f"<p><b>Statement.</b> {e(c['statement'])}</p><p><b>Provenance:</b> {e(c['provenance'])} · "
                     f"<b>source:</b> {e(c.get('source', ''))} · <b>paper:</b> {e(c['paper'])} "
                     f"({e(c.get('paper_reference', ''))})</p><p><b>Verdict:</b> {v} (recorded: {e(c['status'])}) — "
                     f"{e(c.get('reason', ''))}</p>")
        if c.get("prediction"):
            parts.append(f"<p><b>Prediction:</b> {e(_fmt(c['prediction']))}</p>")
        if c.get("metrics"):
            parts.append("<table>" + "".join(f"<tr><td>{e(k)}</td><td>{e(_fmt(x))}</td></tr>"
                                             for k, x in c["metrics"].items()) + "</table>")
        ce = c.get("counterexample")
        if ce:
            parts.append("<p><b>Counterexample search:</b> " +
                         (f"found, shrunk to <code>{e(json.dumps(ce.get('example')))}</code>" if ce.get("found")
                          else f"none found in {ce.get('max_examples')} examples") + "</p>")
        for f in c.get("plots", []):
            p = Path(out) / f
            if p.exists():
                b64 = base64.b64encode(p.read_bytes()).decode()
                parts.append(f"<img alt='{e(f)}' src='data:image/png;base64,{b64}'>")
        for err in c.get("plot_errors", []):
            parts.append(f"<p><i>plot not drawn: {e(err)}</i></p>")
        if c.get("traceback"):
            parts.append(f"<pre>{e(c['traceback'])}</pre>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(out: Path, data: dict, redraw: bool = False) -> None:
    out = Path(out)
    if redraw:
        for c in data["claims"]:
            draw_plots(out, c)
    atomic_write_text(out / "report.md", render_markdown(data))
    atomic_write_text(out / "report.html", render_html(data, out))
