"""results.json, report.md, report.html and plots/*.png, every file written atomically.

``results.json`` holds one record per claim (see :mod:`simulations.harness.runner`) with ``plots`` the list
of PNG paths relative to the output folder and ``plot_specs`` the data they are drawn from, plus a top-level
``environment``.  The report is rebuilt from ``results.json`` alone (``sparse-claims report``).
"""
from __future__ import annotations

import base64
import html
import json
import os
import re
from pathlib import Path

from simulations.harness.evidence import dumps
from simulations.harness.sweep import atomic_write_text

VERDICT_ORDER = ("supported", "refuted", "inconclusive", "error", "open")


class ResultsError(ValueError):
    """``results.json`` is unreadable or malformed; the message names the file and what is wrong."""


_ID_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_PLOT_NAME_RE = re.compile(r"^[a-z0-9_-]+$")
_TEXT_FIELDS = ("id", "status", "provenance", "paper", "statement")
_OPTIONAL_TEXT = ("verdict", "reason", "source", "paper_reference", "traceback", "notes", "tier", "device",
                  "decision_notes")


def _check_claim(c, where: str) -> None:
    if not isinstance(c, dict):
        raise ResultsError(f"{where} is a {type(c).__name__}, not an object")
    for k in _TEXT_FIELDS:
        if k not in c:
            raise ResultsError(f"{where} lacks {k!r}")
        if not isinstance(c[k], str):
            raise ResultsError(f"{where}.{k} is a {type(c[k]).__name__}, not a string")
    if not _ID_RE.match(c["id"]):
        raise ResultsError(f"{where}.id is {c['id'][:80]!r}, not a dotted claim id of [a-z0-9_]")
    for k in _OPTIONAL_TEXT:
        if c.get(k) is not None and not isinstance(c[k], str):
            raise ResultsError(f"{where}.{k} is a {type(c[k]).__name__}, not a string")
    if "verdict" in c and c["verdict"] not in VERDICT_ORDER:
        raise ResultsError(f"{where}.verdict is {c['verdict']!r}, not one of {VERDICT_ORDER}")
    sec = c.get("seconds", 0)
    if isinstance(sec, bool) or not isinstance(sec, (int, float)):
        raise ResultsError(f"{where}.seconds is a {type(sec).__name__}, not a number")
    for k in ("metrics", "prediction", "decision"):
        if c.get(k) is not None and not isinstance(c[k], dict):
            raise ResultsError(f"{where}.{k} is a {type(c[k]).__name__}, not an object")
    if c.get("counterexample") is not None and not isinstance(c["counterexample"], dict):
        raise ResultsError(f"{where}.counterexample is a {type(c['counterexample']).__name__}, not an object")
    for k in ("plot_errors", "plot_specs", "cells", "tags"):
        if k in c and not isinstance(c[k], list):
            raise ResultsError(f"{where}.{k} is a {type(c[k]).__name__}, not a list")
    for spec in c.get("plot_specs", []):
        name = spec.get("name") if isinstance(spec, dict) else None
        if not isinstance(name, str) or not _PLOT_NAME_RE.match(name):
            raise ResultsError(f"{where}.plot_specs holds a spec whose name is {name!r}, not [a-z0-9_-]+")
    for e in c.get("plot_errors", []):
        if not isinstance(e, str):
            raise ResultsError(f"{where}.plot_errors holds a {type(e).__name__}, not a string")
    plots = c.get("plots", [])
    if not isinstance(plots, list):
        raise ResultsError(f"{where}.plots is a {type(plots).__name__}, not a list")
    for f in plots:
        if isinstance(f, dict):  # a plot spec not yet drawn
            if not isinstance(f.get("name"), str) or not _PLOT_NAME_RE.match(f["name"]):
                raise ResultsError(f"{where}.plots holds a spec whose name is {f.get('name')!r}, not [a-z0-9_-]+")
            continue
        # a plot is a PNG under plots/: never an absolute path or one leaving the folder (the HTML report
        # embeds the file's bytes)
        if not isinstance(f, str) or not f.startswith("plots/") or ".." in Path(f).parts or "\\" in f \
                or not f.endswith(".png"):
            raise ResultsError(f"{where}.plots holds {f!r}, not a path plots/NAME.png")


def validate_results(data, p: Path) -> dict:
    """``data`` if it has the shape of a results file, else :class:`ResultsError` naming ``p`` and the fault."""
    if not isinstance(data, dict):
        raise ResultsError(f"{p}: not a sparse-claims results file (a JSON {type(data).__name__}, not an object)")
    if "claims" not in data:
        raise ResultsError(f"{p}: not a sparse-claims results file (no 'claims')")
    if not isinstance(data["claims"], list):
        raise ResultsError(f"{p}: 'claims' is a {type(data['claims']).__name__}, not a list")
    if not isinstance(data.get("environment", {}), dict):
        raise ResultsError(f"{p}: 'environment' is not an object")
    seen = set()
    for i, c in enumerate(data["claims"]):
        try:
            _check_claim(c, f"claims[{i}]")
        except ResultsError as exc:
            raise ResultsError(f"{p}: {exc}") from None
        if c["id"] in seen:
            raise ResultsError(f"{p}: claims[{i}] repeats id {c['id']!r}")
        seen.add(c["id"])
    return data


def load_results(out: Path) -> dict:
    """The validated contents of ``out/results.json`` (empty when absent); :class:`ResultsError` (a
    ValueError) naming the file and the fault when it cannot be read or is malformed."""
    p = Path(out) / "results.json"
    if not p.exists():
        return {"environment": {}, "claims": []}
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ResultsError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ResultsError(f"{p}: not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ResultsError(f"{p}: invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except RecursionError:
        raise ResultsError(f"{p}: JSON nested too deeply") from None
    return validate_results(data, p)


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
        flat = [x for x in v if isinstance(x, (int, float)) and not isinstance(x, bool)]
        span = f", min {min(flat):.4g}, max {max(flat):.4g}" if flat and len(flat) == len(v) else ""
        return f"[{len(v)} values{span}; full values in results.json and report.html]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_fmt(x)}" for k, x in list(v.items())[:8]) + (
            ", ... (all keys in results.json)" if len(v) > 8 else "") + "}"
    return str(v)


def _summary(claims: list[dict]) -> dict:
    out = {k: 0 for k in VERDICT_ORDER}
    for c in claims:
        out[c.get("verdict", "open")] = out.get(c.get("verdict", "open"), 0) + 1
    return out


def tallies(claims: list[dict]) -> dict:
    """Per paper: verdicts of its ``paper`` claims split by scope, and verdict counts of its findings and of
    its engine validation checks (which never enter the paper's tally)."""
    out: dict[str, dict] = {}
    for c in claims:
        t = out.setdefault(str(c.get("paper", "?")), {"paper": {}, "finding": {}, "validation": {}, "unclassified": {}})
        kind = c.get("kind") if c.get("kind") in ("paper", "finding", "validation") else "unclassified"
        v = str(c.get("verdict", "open"))
        if kind == "paper":
            sc = str(c.get("scope") or "unscoped")
            t["paper"].setdefault(v, {}).setdefault(sc, 0)
            t["paper"][v][sc] += 1
        else:
            t[kind][v] = t[kind].get(v, 0) + 1
    return out


def tally_lines(claims: list[dict]) -> list[str]:
    """One plain-text line per paper: its headline (paper claims by verdict and scope), then findings and
    engine validation."""
    lines = []
    for paper, t in sorted(tallies(claims).items()):
        head = "; ".join(f"{v} {sum(by.values())} (" + ", ".join(f"{sc} {n}" for sc, n in sorted(by.items())) + ")"
                         for v, by in sorted(t["paper"].items())) or "none run"
        extra = [f"{k} " + ", ".join(f"{v} {n}" for v, n in sorted(t[k].items()))
                 for k in ("finding", "validation", "unclassified") if t[k]]
        lines.append(f"{paper}: paper claims {head}" + (" · " + " · ".join(extra) if extra else ""))
    return lines


def _md(x) -> str:
    """A results.json field as Markdown text: HTML-special characters become entities (a renderer never sees a
    tag), link and table syntax is backslash-escaped, and a newline becomes a space (one table cell, one line)."""
    t = html.escape("" if x is None else str(x), quote=False)
    for ch in ("\\", "`", "[", "]", "|", "*", "_"):
        t = t.replace(ch, "\\" + ch)
    return " ".join(t.splitlines())


def _longest_backticks(text: str) -> int:
    return max((len(r) for r in re.findall(r"`+", text)), default=0)


def _code(x) -> str:
    """A results.json field as one inline code span: the fence is one backtick longer than the longest run of
    backticks inside (CommonMark), so the field cannot close it; pipes are escaped for GFM tables."""
    t = " ".join(("" if x is None else str(x)).splitlines()).replace("|", "\\|")
    longest = _longest_backticks(t)
    fence = "`" * (longest + 1)
    pad = " " if t.startswith("`") or t.endswith("`") or longest else ""
    return f"{fence}{pad}{t}{pad}{fence}"


def _fence(text: str) -> list[str]:
    """A fenced code block holding ``text`` verbatim: the fence is longer than any backtick run inside."""
    fence = "`" * max(3, _longest_backticks(text) + 1)
    return [fence, text, fence]


def _kind_scope(c: dict) -> str:
    kind = str(c.get("kind") or "unclassified")
    return f"{kind}, {c['scope']}" if kind == "paper" and c.get("scope") else kind


def _revision_lines(c: dict) -> list[str]:
    return [f"{r.get('date')}: {r.get('change')} (why: {r.get('why')}; verdict {r.get('before')} → {r.get('after')} "
            f"on {r.get('evidence')})" for r in c.get("revisions") or [] if isinstance(r, dict)]


def render_markdown(data: dict) -> str:
    """report.md; every field taken from results.json goes through :func:`_md` or :func:`_code`."""
    claims = data["claims"]
    s = _summary(claims)
    lines = ["# sparse-claims report", "",
             "Verdicts of this run against the recorded status of each claim. A `refuted` verdict is a result of "
             "the suite (the simulation contradicts the claim), not a failure of the suite.", "",
             "Only `paper` claims make a paper's tally, split by the scope of the evidence (`paper-setting`, "
             "`scaled`, `stand-in`: a stand-in verdict says whether the effect carries over to that setting, not "
             "whether the paper's own experiment is right); findings and engine validation are counted apart.", "",
             *[f"* {_md(line)}" for line in tally_lines(claims)], "",
             "All checks of this run: " + _md(", ".join(f"{k} {v}" for k, v in s.items() if v)), "",
             f"Environment: {_code(json.dumps(data.get('environment', {}), sort_keys=True))}", "",
             "| claim | kind | verdict | recorded | match | provenance | paper | seconds |",
             "|---|---|---|---|---|---|---|---|"]
    for kind in ("paper", "finding", "validation", None):
        for c in claims:
            if (c.get("kind") if c.get("kind") in ("paper", "finding", "validation") else None) != kind:
                continue
            lines.append(f"| {_code(c['id'])} | {_md(_kind_scope(c))} | "
                         f"{_md(c.get('verdict_text') or c.get('verdict', 'open'))} | {_md(c['status'])} | "
                         f"{'yes' if c.get('matches_status') else '**no**'} | {_md(c['provenance'])} | "
                         f"{_md(c['paper'])} | {float(c.get('seconds', 0) or 0):.1f} |")
    for c in claims:
        lines += ["", f"## {_code(c['id'])}", "", f"**Statement.** {_md(c['statement'])}", "",
                  f"**Provenance:** {_md(c['provenance'])} · **source:** {_md(c.get('source', ''))} · "
                  f"**paper:** {_md(c['paper'])} ({_md(c.get('paper_reference', ''))})", "",
                  f"**Kind:** {_md(_kind_scope(c))} · **fingerprint:** {_code(c.get('fingerprint', ''))}", "",
                  f"**Rule:** {_code(c.get('rule') or 'unknown')} at {_code(c.get('rule_source') or '?')} · "
                  f"**experiment:** {_code(c.get('experiment') or 'unknown')} at "
                  f"{_code(c.get('experiment_source') or '?')}", "",
                  "**Decision constants:** " + (_md(_fmt(c["decision"])) if c.get("decision") else "none"), "",
                  f"**Verdict:** {_md(c.get('verdict_text') or c.get('verdict'))} (recorded: {_md(c['status'])}) — "
                  f"{_md(c.get('reason', ''))}", ""]
        if c.get("revisions"):
            lines += ["**Revisions:**", *[f"* {_md(x)}" for x in _revision_lines(c)], ""]
        sens = c.get("sensitivity")
        if isinstance(sens, dict) and sens.get("readings"):
            lines += [f"**Reading sensitivity:** {_md(sens.get('status'))} — " + "; ".join(
                f"{_md(k)}: {_md(v.get('verdict'))}" for k, v in sens["readings"].items() if isinstance(v, dict)), ""]
        if c.get("prediction"):
            lines.append("**Prediction:** " + _md(_fmt(c["prediction"])))
            lines.append("")
        if c.get("metrics"):
            lines += ["| metric | value |", "|---|---|"]
            lines += [f"| {_md(k)} | {_md(_fmt(v))} |" for k, v in c["metrics"].items()]
            lines.append("")
        if c.get("counterexample"):
            lines += ["**Counterexample search:** " + ("found, shrunk to: " +
                      _code(json.dumps(c["counterexample"].get("example"))) if c["counterexample"].get("found")
                      else f"none found in {_md(c['counterexample'].get('max_examples'))} examples"), ""]
        for f in c.get("plots", []):
            if isinstance(f, str):   # validated: plots/NAME.png
                lines.append(f"![{_md(f)}]({f})")
        for err in c.get("plot_errors", []):
            lines.append(f"*plot not drawn: {_md(err)}*")
        if c.get("traceback"):
            lines += _fence(str(c["traceback"]))
    return "\n".join(lines) + "\n"


_CSS = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
        "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 7px;font-size:13px;"
        "vertical-align:top;text-align:left}"
        ".supported{background:#dfd}.refuted{background:#fdd}.inconclusive{background:#ffd}.error{background:#f99}"
        ".open{background:#eee}img{max-width:100%;margin:4px 0}code{background:#f4f4f4}"
        "section{border-top:2px solid #ddd;margin-top:1.5em}[hidden]{display:none!important}"
        "pre.v{white-space:pre-wrap;word-break:break-all;max-height:30em;overflow:auto;background:#f8f8f8;"
        "padding:4px;margin:2px 0}details summary{cursor:pointer;color:#036}"
        "#filters fieldset{display:inline-block;vertical-align:top;margin:0 .5em .5em 0;font-size:13px}"
        "#filters{position:sticky;top:0;background:#fff;padding:.3em 0;border-bottom:1px solid #ddd;z-index:1}"
        "dl.f{display:grid;grid-template-columns:max-content 1fr;gap:2px 1em;margin:.5em 0}dl.f dt{font-weight:bold}"
        "dl.f dd{margin:0}.dirty{color:#b00;font-weight:bold}@media print{#filters{display:none}}")

#: filters: hide claim sections and table-of-contents rows whose verdict, kind, scope or provenance is unticked
_FILTER_JS = """(function(){
var f=document.getElementById('filters');
function apply(){
 var g={};
 f.querySelectorAll('input[type=checkbox]').forEach(function(b){(g[b.name]=g[b.name]||{})[b.value]=b.checked;});
 var shown=0;
 document.querySelectorAll('[data-claim]').forEach(function(el){
  var ok=true;
  for(var k in g){if(!g[k][el.getAttribute('data-'+k)]){ok=false;}}
  el.hidden=!ok;
  if(ok&&el.tagName==='SECTION'){shown++;}
 });
 document.querySelectorAll('.toc-paper').forEach(function(p){
  p.hidden=!p.querySelector('tr[data-claim]:not([hidden])');
 });
 document.getElementById('shown').textContent=String(shown);
}
f.addEventListener('change',apply);
f.querySelectorAll('button[data-all]').forEach(function(b){b.addEventListener('click',function(ev){
 ev.preventDefault();
 f.querySelectorAll('input[name="'+b.getAttribute('data-all')+'"]').forEach(function(x){x.checked=b.value==='1';});
 apply();
});});
apply();
})();"""

_REPO_ROOT = Path(__file__).resolve().parents[2]
_DOC_RE = re.compile(r"docs/[A-Za-z0-9_./-]*?\.md(?:#[A-Za-z0-9_-]+)?")
_SRC_RE = re.compile(r"^([A-Za-z0-9_./-]+\.py):(\d+)$")
_FILTERS = (("verdict", "verdict"), ("kind", "kind"), ("scope", "scope"), ("provenance", "provenance"))
_INLINE_MAX = 160   # characters of JSON shown inline; longer values go into a <details> element, never elided


def _esc(x) -> str:
    """Every field from results.json is escaped, whatever its type."""
    return html.escape("" if x is None else str(x), quote=True)


def _facets(c: dict) -> dict:
    kind = str(c.get("kind") or "unclassified")
    return {"verdict": str(c.get("verdict", "open")), "kind": kind,
            "scope": str(c.get("scope") or "none") if kind == "paper" else "none",
            "provenance": str(c.get("provenance", ""))}


def _repo_href(out: Path, rel: str) -> str | None:
    """A relative link from the report's folder to ``rel`` in this checkout, only where that file exists."""
    pp = Path(rel)
    if pp.is_absolute() or ".." in pp.parts:
        return None
    target = _REPO_ROOT / pp
    if not target.is_file():
        return None
    return os.path.relpath(target, Path(out).resolve()).replace(os.sep, "/")


def _src_link(out: Path, src) -> str:
    """``path:line`` as text, linked (``#L<line>``) to the file in this checkout when it exists."""
    if not src:
        return "<i>unknown</i>"
    m = _SRC_RE.match(str(src))
    href = _repo_href(out, m.group(1)) if m else None
    if href is None:
        return f"<code>{_esc(src)}</code>"
    return f"<a href='{_esc(href)}#L{int(m.group(2))}'><code>{_esc(src)}</code></a>"


def _docs_links(out: Path, text) -> str:
    """The claim's ``source`` text, escaped, with each ``docs/...md#anchor`` reference a link."""
    text = "" if text is None else str(text)
    parts, pos = [], 0
    for m in _DOC_RE.finditer(text):
        parts.append(_esc(text[pos:m.start()]))
        path, _, anchor = m.group(0).partition("#")
        href = _repo_href(out, path) or path
        parts.append(f"<a href='{_esc(href + ('#' + anchor if anchor else ''))}'>{_esc(m.group(0))}</a>")
        pos = m.end()
    parts.append(_esc(text[pos:]))
    return "".join(parts)


def _value_html(v) -> str:
    """A value in full: short ones inline, long arrays and objects in a collapsible <details> (never elided)."""
    if isinstance(v, str):
        text = v
    else:
        try:
            text = json.dumps(v, default=str, allow_nan=True)
        except (TypeError, ValueError, RecursionError):
            text = str(v)
    if len(text) <= _INLINE_MAX:
        return f"<code>{_esc(text)}</code>"
    if isinstance(v, list):
        what = f"{len(v)} values"
        flat = [x for x in v if isinstance(x, (int, float)) and not isinstance(x, bool)]
        if flat and len(flat) == len(v):
            what += f" (min {min(flat):.4g}, max {max(flat):.4g})"
    elif isinstance(v, dict):
        what = f"object of {len(v)} keys"
    else:
        what = f"{len(text)} characters"
    return (f"<details><summary>{_esc(what)}: <code>{_esc(text[:60])}…</code></summary>"
            f"<pre class='v'>{_esc(text)}</pre></details>")


def _kv_table(d: dict) -> str:
    return "<table>" + "".join(f"<tr><td><code>{_esc(k)}</code></td><td>{_value_html(x)}</td></tr>"
                               for k, x in d.items()) + "</table>"


def _revisions_html(revs) -> str:
    rows = []
    for r in revs or []:
        if not isinstance(r, dict):
            rows.append(f"<tr><td colspan='6'>{_esc(r)}</td></tr>")
            continue
        known = ("date", "change", "why", "before", "after", "evidence")
        extra = {k: x for k, x in r.items() if k not in known}
        rows.append("<tr>" + "".join(f"<td>{_esc(r.get(k))}</td>" for k in known[:3]) +
                    f"<td>{_esc(r.get('before'))} → {_esc(r.get('after'))}</td><td>{_esc(r.get('evidence'))}"
                    + (f"<br>{_value_html(extra)}" if extra else "") + "</td></tr>")
    return ("<table><tr><th>date</th><th>change</th><th>why</th><th>verdict</th><th>evidence</th></tr>"
            + "".join(rows) + "</table>")


def _env_html(env: dict) -> str:
    env = env if isinstance(env, dict) else {}
    commit, dirty = env.get("git_commit"), env.get("git_dirty")
    head = (f"<p><b>git commit:</b> <code>{_esc(commit) if commit else 'unknown (no git)'}</code> · "
            + ("<span class='dirty'>dirty: uncommitted changes to tracked files</span>" if dirty
               else "clean" if dirty is False else "dirty flag unknown") + "</p>")
    return head + _kv_table({k: env[k] for k in sorted(env)})


def _claim_order(claims: list[dict]) -> list[dict]:
    order = {"paper": 0, "finding": 1, "validation": 2}
    return sorted(claims, key=lambda c: (str(c.get("paper", "")), order.get(c.get("kind"), 3), str(c["id"])))


def render_html(data: dict, out: Path) -> str:
    claims = _claim_order(data["claims"])
    e = _esc
    s = _summary(claims)

    def attrs(c: dict) -> str:
        return "data-claim " + " ".join(f"data-{k}='{e(v)}'" for k, v in _facets(c).items())

    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>sparse-claims report</title>"
             f"<style>{_CSS}</style></head><body><h1>sparse-claims report</h1>",
             "<p>Verdicts of this run against the recorded status of each claim. A <b>refuted</b> verdict is a "
             "result of the suite (the simulation contradicts the claim), not a failure of the suite.</p>",
             "<p>Only <b>paper</b> claims make a paper's tally, split by the scope of the evidence "
             "(paper-setting, scaled, stand-in: a stand-in verdict says whether the effect carries over to that "
             "setting, not whether the paper's own experiment is right); findings and engine validation are "
             "counted apart.</p><ul>" + "".join(f"<li>{e(x)}</li>" for x in tally_lines(claims)) + "</ul>",
             "<p>All checks of this run: " + e(", ".join(f"{k} {v}" for k, v in s.items() if v)) + "</p>",
             "<details><summary><b>Environment</b> (git commit " +
             e(str(data.get("environment", {}).get("git_commit") or "unknown")[:12]) +
             (", <span class='dirty'>dirty</span>" if data.get("environment", {}).get("git_dirty") else "") +
             ")</summary>" + _env_html(data.get("environment", {})) + "</details>"]
    # filters (offline: inline script, no network)
    parts.append("<form id='filters'><b>Show:</b> ")
    for name, label in _FILTERS:
        values = sorted({_facets(c)[name] for c in claims})
        parts.append(f"<fieldset><legend>{e(label)} <button data-all='{e(name)}' value='1'>all</button>"
                     f"<button data-all='{e(name)}' value='0'>none</button></legend>" +
                     " ".join(f"<label><input type='checkbox' name='{e(name)}' value='{e(v)}' checked> "
                              f"{e(v)} ({sum(_facets(c)[name] == v for c in claims)})</label>" for v in values)
                     + "</fieldset>")
    parts.append(f" <span><span id='shown'>{len(claims)}</span> of {len(claims)} claims shown</span></form>")
    # table of contents by paper
    parts.append("<h2 id='contents'>Contents</h2>")
    by_paper: dict[str, list] = {}
    for c in claims:
        by_paper.setdefault(str(c["paper"]), []).append(c)
    for paper, cs in by_paper.items():
        ref = cs[0].get("paper_reference") or ""
        parts.append(f"<div class='toc-paper'><h3>{e(paper)}" + (f" <small>({e(ref)})</small>" if ref else "") +
                     "</h3><table><tr><th>claim</th><th>kind</th><th>verdict</th><th>recorded</th><th>match</th>"
                     "<th>provenance</th><th>s</th></tr>")
        for c in cs:
            v = e(c.get("verdict", "open"))
            parts.append(f"<tr {attrs(c)}><td><a href='#{e(c['id'])}'><code>{e(c['id'])}</code></a></td>"
                         f"<td>{e(_kind_scope(c))}</td><td class='{v}'>{e(c.get('verdict_text') or c.get('verdict', 'open'))}"
                         f"</td><td>{e(c['status'])}</td><td>{'yes' if c.get('matches_status') else '<b>no</b>'}</td>"
                         f"<td>{e(c['provenance'])}</td><td>{float(c.get('seconds', 0) or 0):.1f}</td></tr>")
        parts.append("</table></div>")
    for c in claims:
        v = e(c.get("verdict", "open"))
        f = _facets(c)
        fields = [("statement", e(c["statement"])),
                  ("verdict", f"<span class='{v}'>{e(c.get('verdict_text') or c.get('verdict', 'open'))}</span> "
                              f"(recorded: {e(c['status'])}; {'matches' if c.get('matches_status') else '<b>differs</b>'})"
                              f" — {e(c.get('reason', ''))}"),
                  ("kind", e(f["kind"])), ("scope", e(c.get("scope") or "none")),
                  ("provenance", e(c["provenance"])),
                  ("paper", f"{e(c['paper'])} ({e(c.get('paper_reference', ''))})")]
        st = c.get("setting")
        if isinstance(st, dict) and any(st.values()):
            fields.append(("setting", f"paper: {e(st.get('paper'))}<br>suite: {e(st.get('suite'))}"))
        fields += [("rule", f"<code>{e(c.get('rule') or 'unknown')}</code> at {_src_link(out, c.get('rule_source'))}"),
                   ("experiment", f"<code>{e(c.get('experiment') or 'unknown')}</code> at "
                                  f"{_src_link(out, c.get('experiment_source'))}"),
                   ("docs", _docs_links(out, c.get("source")) or "<i>none</i>"),
                   ("fingerprint", f"<code>{e(c.get('fingerprint', ''))}</code>"),
                   ("run", e(f"tier {c.get('tier')}, device {c.get('device')}, seed {c.get('seed')}, "
                             f"{float(c.get('seconds', 0) or 0):.1f}s"))]
        parts.append(f"<section id='{e(c['id'])}' {attrs(c)}><h2><code>{e(c['id'])}</code> "
                     f"<span class='{v}'>{v}</span> <small><a href='#contents'>contents</a></small></h2>"
                     "<dl class='f'>" + "".join(f"<dt>{e(k)}</dt><dd>{x}</dd>" for k, x in fields) + "</dl>")
        dec = c.get("decision")
        parts.append("<h3>Decision constants</h3>" + (_kv_table(dec) if isinstance(dec, dict) and dec
                                                       else "<p><i>none declared</i></p>"))
        if c.get("decision_notes"):
            parts.append(f"<p>{e(c['decision_notes'])}</p>")
        if c.get("prediction"):
            parts.append("<h3>Prediction</h3>" + (_kv_table(c["prediction"]) if isinstance(c["prediction"], dict)
                                                   else _value_html(c["prediction"])))
        parts.append("<h3>Metrics</h3>" + (_kv_table(c["metrics"]) if isinstance(c.get("metrics"), dict)
                                           and c["metrics"] else "<p><i>none</i></p>"))
        sens = c.get("sensitivity")
        if isinstance(sens, dict) and isinstance(sens.get("readings"), dict):
            parts.append(f"<p><b>Reading sensitivity:</b> {e(sens.get('status'))}</p><table>" + "".join(
                f"<tr><td>{e(k)}</td><td>{e(x.get('verdict'))}</td><td>{e(x.get('reason'))}</td></tr>"
                for k, x in sens["readings"].items() if isinstance(x, dict)) + "</table>")
        ce = c.get("counterexample")
        if ce:
            parts.append("<p><b>Counterexample search:</b> " +
                         (f"found, shrunk to {_value_html(ce.get('example'))}" if ce.get("found")
                          else f"none found in {e(ce.get('max_examples'))} examples") + "</p>")
        if c.get("notes"):
            parts.append(f"<p><b>Notes:</b> {e(c['notes'])}</p>")
        for fpath in c.get("plots", []):
            p = Path(out) / fpath
            if isinstance(fpath, str) and p.is_file():
                b64 = base64.b64encode(p.read_bytes()).decode()
                parts.append(f"<img alt='{e(fpath)}' src='data:image/png;base64,{b64}'>")
        for err in c.get("plot_errors", []):
            parts.append(f"<p><i>plot not drawn: {e(err)}</i></p>")
        parts.append("<h3>Revision history</h3>" + (_revisions_html(c["revisions"]) if c.get("revisions")
                                                     else "<p><i>no revisions since the claim was declared</i></p>"))
        if c.get("traceback"):
            parts.append(f"<pre>{e(c['traceback'])}</pre>")
        parts.append("</section>")
    parts.append(f"<script>{_FILTER_JS}</script></body></html>")
    return "\n".join(parts)


def write_report(out: Path, data: dict, redraw: bool = False) -> None:
    out = Path(out)
    if redraw:
        for c in data["claims"]:
            draw_plots(out, c)
    atomic_write_text(out / "report.md", render_markdown(data))
    atomic_write_text(out / "report.html", render_html(data, out))
