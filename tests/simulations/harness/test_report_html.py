"""report.html: table of contents by paper, offline filters (inline script), the per-claim fields (statement,
kind, scope, decision constants, rule and experiment with their source lines, docs links, full metric values,
plots, revision history), the environment block with the git commit, and every field escaped."""
import json
import os
import re
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(__file__))
import cells  # noqa: E402
from selftest import bind_claim  # noqa: E402

from simulations.harness import Evidence, plots  # noqa: E402
from simulations.harness.cli import main  # noqa: E402
from simulations.harness.report import render_html, render_markdown  # noqa: E402
from theory import registry  # noqa: E402
from theory.registry import Revision, Verdict  # noqa: E402

TEST_ID = "graphon.report_selftest.fields"
HOSTILE = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _rule(m, pred, dec):
    return Verdict("supported" if m["n_cells"] == pred["n_cells"] else "refuted", f"{m['n_cells']} cells")


def _experiment(ctx):
    rows = ctx.sweep(cells.noisy_power, [{"n": n} for n in (4, 8)])
    series = [float(x) for x in np.linspace(0.0, 1.0, 300)]
    return Evidence(metrics={"n_cells": len(rows), "trace": series, "spec": [r["spec"] for r in rows]}, cells=rows,
                    plots=[plots.heatmaps("img", "matrix", [{"title": "a", "matrix": np.eye(20)}])])


@pytest.fixture
def report_claim(monkeypatch):
    claim = registry.Claim(
        id=TEST_ID, statement="Two cells run.", provenance="reconstructed", status="supported", rule=_rule,
        prediction=lambda: {"n_cells": 2}, decision={"tol": 0.25, "grid": [4, 8]}, tags=("selftest",),
        decision_notes="tol from the selftest", source="docs/cli.md#run; docs/papers/graphon-limits.md",
        revisions=(Revision(date="2026-12-01", change="tol 0.2 -> 0.25", why="selftest", before="refuted",
                            after="supported", evidence="quick tier, root seed 0"),))
    return bind_claim(monkeypatch, claim, _experiment)


def test_report_has_contents_filters_and_every_per_claim_field(report_claim, tmp_path):
    out = tmp_path / "o"
    assert main(["run", TEST_ID, "--out", str(out), "-q"]) == 0
    rec = json.loads((out / "results.json").read_text())["claims"][0]
    env = json.loads((out / "results.json").read_text())["environment"]
    assert rec["rule"] == f"{__name__}:_rule" and rec["rule_source"].endswith(f"test_report_html.py:{_rule.__code__.co_firstlineno}")
    assert rec["experiment"] == f"{__name__}:_experiment" and ":" in rec["experiment_source"]
    assert "git_commit" in env and "git_dirty" in env
    html = (out / "report.html").read_text()
    # table of contents by paper, every claim a row linking to its section
    assert "id='contents'" in html and "class='toc-paper'" in html and f"href='#{TEST_ID}'" in html
    # offline filters: a checkbox per verdict, kind, scope, provenance, the inline script, nothing fetched
    for name, value in (("verdict", "supported"), ("kind", "unclassified"), ("scope", "none"),
                        ("provenance", "reconstructed")):
        assert f"name='{name}' value='{value}' checked" in html
    assert "id='filters'" in html and "<script>(function(){" in html
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=['\"]?https?:", html)
    assert f"data-claim data-verdict='supported' data-kind='unclassified' data-scope='none'" in html
    # per-claim fields
    for text in ("Two cells run.", "Decision constants", "<code>tol</code>", "<code>0.25</code>", "tol from the selftest",
                 f"{__name__}:_rule", rec["rule_source"], f"{__name__}:_experiment", "Revision history",
                 "tol 0.2 -&gt; 0.25", "2026-12-01", "refuted → supported", "Metrics", "data:image/png;base64,"):
        assert text in html, text
    # the rule's source is linked to its line in this checkout; the docs reference is a link
    assert re.search(r"<a href='[^']*tests/simulations/harness/test_report_html\.py#L\d+'>", html)
    assert re.search(r"<a href='[^']*docs/cli\.md#run'>docs/cli\.md#run</a>", html)
    # the long array is collapsible and complete (never "[300 values]")
    assert "<details><summary>300 values" in html and "[300 values]" not in html
    assert all(json.dumps(x) in html for x in rec["metrics"]["trace"])
    # environment block with the commit
    assert "git commit" in html and (env["git_commit"] or "unknown") in html
    # report.md summarises the long array and says where the full values are
    md = (out / "report.md").read_text()
    assert "300 values" in md and "full values in results.json" in md


def _hostile_record() -> dict:
    return {"id": "graphon.hostile.x", "paper": HOSTILE, "status": "supported", "provenance": HOSTILE,
            "statement": HOSTILE, "verdict": HOSTILE, "verdict_text": HOSTILE, "reason": HOSTILE, "kind": HOSTILE,
            "scope": HOSTILE, "source": f"docs/cli.md#run {HOSTILE}", "rule": HOSTILE, "rule_source": HOSTILE,
            "experiment": HOSTILE, "experiment_source": f"{HOSTILE}.py:1", "fingerprint": HOSTILE,
            "metrics": {HOSTILE: HOSTILE, "arr": [HOSTILE] * 50, "nested": {HOSTILE: [1, 2, HOSTILE]}},
            "prediction": {HOSTILE: HOSTILE}, "decision": {HOSTILE: HOSTILE}, "decision_notes": HOSTILE,
            "revisions": [{"date": HOSTILE, "change": HOSTILE, "why": HOSTILE, "before": HOSTILE,
                           "after": HOSTILE, "evidence": HOSTILE, HOSTILE: HOSTILE}],
            "sensitivity": {"status": HOSTILE, "readings": {HOSTILE: {"verdict": HOSTILE, "reason": HOSTILE}}},
            "counterexample": {"found": True, "example": HOSTILE}, "notes": HOSTILE, "plot_errors": [HOSTILE],
            "traceback": HOSTILE, "setting": {"paper": HOSTILE, "suite": HOSTILE}, "tier": HOSTILE,
            "device": HOSTILE, "seed": HOSTILE, "seconds": 1.0, "matches_status": True, "plots": []}


def _only_the_filter_script(html: str) -> None:
    assert HOSTILE not in html and "alert(1)</" not in html
    assert html.count("<script") == 1 and ESCAPED in html
    assert "<img" not in html or "onerror" not in html


def test_hostile_fields_are_escaped_everywhere(tmp_path):
    """A <script> in a verdict, reason, metric key and value, revision, decision constant, ... appears as text."""
    data = {"environment": {HOSTILE: HOSTILE, "git_commit": HOSTILE, "git_dirty": True},
            "claims": [_hostile_record()]}
    _only_the_filter_script(render_html(data, tmp_path))
    assert HOSTILE in render_markdown(data)   # markdown is text: nothing to escape there, it must not crash


def test_report_command_escapes_a_hostile_results_json(tmp_path, capsys):
    rec = _hostile_record()
    for k in ("verdict", "kind", "paper", "provenance", "seed"):   # the fields the loader validates
        rec[k] = {"verdict": "supported", "kind": "paper", "paper": "pham2026", "provenance": "reconstructed",
                  "seed": 0}[k]
    (tmp_path / "results.json").write_text(json.dumps({"environment": {"git_commit": HOSTILE}, "claims": [rec]}))
    assert main(["report", "--out", str(tmp_path)]) == 0
    html = (tmp_path / "report.html").read_text()
    _only_the_filter_script(html)
    assert html.count(ESCAPED) > 20


_FAKE_DOM = r"""
const data = JSON.parse(require('fs').readFileSync(0, 'utf8'));
function el(e) {
  const o = {tagName: e.tag.toUpperCase(), attrs: e.attrs, hidden: false, checked: 'checked' in e.attrs,
             value: e.attrs.value, name: e.attrs.name, paper: e.paper, listeners: {}, textContent: ''};
  o.getAttribute = (k) => (k in o.attrs ? o.attrs[k] : null);
  o.addEventListener = (t, f) => { o.listeners[t] = f; };
  return o;
}
const all = data.elements.map(el);
function match(o, sel) {
  if (sel === 'input[type=checkbox]') return o.tagName === 'INPUT' && o.attrs.type === 'checkbox';
  if (sel === '[data-claim]') return 'data-claim' in o.attrs;
  if (sel === '.toc-paper') return o.attrs.class === 'toc-paper';
  if (sel === 'button[data-all]') return o.tagName === 'BUTTON' && 'data-all' in o.attrs;
  let m = sel.match(/^input\[name="(.*)"\]$/);
  if (m) return o.tagName === 'INPUT' && o.attrs.name === m[1];
  throw new Error('selector ' + sel);
}
function qsa(sel, within) {
  return all.filter(o => match(o, sel) && (within === undefined || o.paper === within));
}
const filters = all.find(o => o.attrs.id === 'filters');
filters.querySelectorAll = (sel) => qsa(sel);
all.filter(o => o.attrs.class === 'toc-paper').forEach(p => {
  p.querySelector = (sel) => qsa('[data-claim]', p.attrs['data-index']).filter(o => o.tagName === 'TR' && !o.hidden)[0] || null;
});
global.document = {querySelectorAll: (sel) => qsa(sel),
                   getElementById: (id) => all.find(o => o.attrs.id === id)};
eval(data.script);
for (const [name, value] of data.untick) {
  all.find(o => o.tagName === 'INPUT' && o.name === name && o.value === value).checked = false;
}
filters.listeners.change();
console.log(JSON.stringify({sections: all.filter(o => o.tagName === 'SECTION' && !o.hidden).map(o => o.attrs.id),
                            rows: all.filter(o => o.tagName === 'TR' && 'data-claim' in o.attrs && !o.hidden).length,
                            papers: all.filter(o => o.attrs.class === 'toc-paper' && !o.hidden).length,
                            shown: document.getElementById('shown').textContent}));
"""


def _run_filters(html: str, untick: list) -> dict:
    """The report's inline filter script run by node against a small stand-in DOM of the report's elements."""
    import shutil
    import subprocess
    from html.parser import HTMLParser

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (the filter script is checked by running it)")
    elements, script = [], []

    class P(HTMLParser):
        paper, depth, in_script = None, 0, False

        def handle_starttag(self, tag, attrs):
            a = {k: (v if v is not None else "") for k, v in attrs}
            if tag == "div" and a.get("class") == "toc-paper":
                self.paper = str(len(elements))
                a["data-index"] = self.paper
            if tag in ("div", "section", "tr", "input", "button", "form", "span"):
                elements.append({"tag": tag, "attrs": a, "paper": self.paper})
            self.in_script = tag == "script"

        def handle_endtag(self, tag):
            if tag == "div":
                self.paper = None
            self.in_script = False

        def handle_data(self, d):
            if self.in_script:
                script.append(d)

    P().feed(html)
    r = subprocess.run([node, "-e", _FAKE_DOM], input=json.dumps({"elements": elements, "script": "".join(script),
                                                                   "untick": untick}),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_filters_hide_sections_and_contents_rows(tmp_path):
    def rec(i, verdict, kind, scope, paper):
        return {"id": f"graphon.filter.c{i}", "paper": paper, "status": verdict, "provenance": "reconstructed",
                "statement": "s", "verdict": verdict, "kind": kind, "scope": scope, "seconds": 0.0, "plots": []}

    data = {"environment": {}, "claims": [rec(1, "supported", "paper", "stand-in", "pham2026"),
                                          rec(2, "refuted", "paper", "scaled", "pham2026"),
                                          rec(3, "supported", "finding", None, "other2026")]}
    html = render_html(data, tmp_path)
    assert _run_filters(html, []) == {"sections": [f"graphon.filter.c{i}" for i in (3, 1, 2)], "rows": 3,
                                      "papers": 2, "shown": "3"}
    assert _run_filters(html, [["verdict", "supported"]]) == {"sections": ["graphon.filter.c2"], "rows": 1,
                                                              "papers": 1, "shown": "1"}
    assert _run_filters(html, [["kind", "paper"]])["sections"] == ["graphon.filter.c3"]
    assert _run_filters(html, [["scope", "scaled"], ["provenance", "reconstructed"]])["shown"] == "0"
