"""``sparse-claims new ID``: scaffold a claim end to end.

Writes, in the repository at ``root``:

* a declaration in ``theory/claims/<prefix>_conjectures.py`` (statement, kind, provenance, a prediction stub,
  decision constants, a rule on ``theory.decide``, a falsifier and a noise-only case, the source);
* an experiment stub bound to the id in ``simulations/experiments/<prefix>_conjectures.py`` (a seeded sweep
  that runs as it is, to be replaced by the real simulation);
* a docs paragraph on the prefix's paper page;
* for a new prefix: the paper and prefix in ``theory/papers.json`` (which also registers the pytest marker),
  the paper page and its entry in the ``mkdocs.yml`` nav;
* the ledger entry (``theory/ledger.lock.json``) and, with ``record=True``, runs the claim once and records its
  verdict as the status; finally regenerates ``docs/status.md``.

Everything runs in subprocesses rooted at ``root``, so a scaffold in a temporary copy never touches the
installed checkout.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")

CLAIM_HEADER = '''"""Claims scaffolded by `sparse-claims new` for the prefix `{prefix}` (edit each stub into the real claim)."""
from __future__ import annotations

from theory import decide as D
from theory.registry import Falsifier, Setting, declare  # noqa: F401  (Setting: for kind="paper")
'''

CLAIM_TEMPLATE = '''

def _pred_{slug}():
    """The prediction, a function of theory/ only (stub: the mean of U(0, 1))."""
    return {{"value": 0.5}}


def _rule_{slug}(m, pred, dec):
    """Supported when the interval of the estimate lies inside the predicted region (theory.decide)."""
    lo, hi = pred["value"] - dec["tolerance"], pred["value"] + dec["tolerance"]
    return D.interval(m["ci"], (lo, hi), "estimate ({level_pct}% CI)")


declare(
    id="{claim_id}",
    statement={statement!r},
    kind="{kind}",
    provenance="{provenance}",
    status="open",  # sparse-claims new --record (or you) sets the first verdict here
    rule=_rule_{slug},
    prediction=_pred_{slug},
    decision={{"tolerance": 0.05, "replicates": 10, "level": 0.95}},
    decision_notes="stub constants: fix them from the prediction before the first run",{setting}
    falsifiers=(
        Falsifier("estimate far from the prediction", {{"ci": [0.8, 0.9]}}),
        Falsifier("noise only: an interval too wide to decide", {{"ci": [0.0, 1.0]}}, expect="not_supported"),
    ),
    tags=("scaffold",),
    source="docs/{page} § {claim_id}",
)
'''

EXPERIMENT_HEADER = '''"""Experiments scaffolded by `sparse-claims new` for the prefix `{prefix}`."""
from __future__ import annotations

import numpy as np

from simulations.harness import Context, Evidence, experiment, plots
from theory import decide as D
'''

EXPERIMENT_TEMPLATE = '''

def {slug}_cell(cell):
    """One replicate (module level, so it runs in worker processes too); seeded from the cell."""
    x = cell.numpy_rng().random(int(cell.config["n"]))
    return {{"estimate": float(x.mean())}}


@experiment("{claim_id}")
def {slug}(ctx: Context) -> Evidence:
    rows = ctx.sweep({slug}_cell, [{{"n": ctx.pick(200, 2000)}}], replicates=ctx.decision["replicates"])
    est = [r["estimate"] for r in rows]
    lo, hi = D.mean_interval(est, ctx.decision["level"])
    plot = plots.line("{slug}-estimates", "{claim_id}: estimate per replicate", "replicate", "estimate",
                      [plots.series("estimate", list(range(len(est))), est)],
                      hlines=[{{"y": ctx.prediction["value"], "label": "predicted"}}])
    return Evidence(metrics={{"ci": [lo, hi], "mean": float(np.mean(est)), "replicates": len(est)}},
                    cells=rows, plots=[plot])
'''

DOC_TEMPLATE = '''
## `{claim_id}`

{statement}

Kind `{kind}`, provenance `{provenance}`. Prediction and rule: `theory/claims/{prefix}_conjectures.py`
(`_pred_{slug}`, `_rule_{slug}`); experiment: `simulations/experiments/{prefix}_conjectures.py` (`{slug}`).
*Scaffolded by `sparse-claims new`: describe the evidence and the verdict here once the stub is replaced.*
'''


class ScaffoldError(ValueError):
    pass


def _slug(claim_id: str) -> str:
    return claim_id.split(".", 1)[1].replace(".", "_")


def _run(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, *args], cwd=root, env=env, capture_output=True, text=True)


def _add_paper(root: Path, prefix: str, paper_key: str, title: str, reference: str) -> list[Path]:
    pj = root / "theory" / "papers.json"
    data = json.loads(pj.read_text(encoding="utf-8"))
    page = f"papers/{prefix}.md"
    changed = [pj]
    if paper_key not in data["papers"]:
        if not title or not reference:
            raise ScaffoldError(f"prefix {prefix!r} is new and paper {paper_key!r} unknown: give --paper-title and "
                                f"--paper-reference (arXiv id or DOI)")
        data["papers"][paper_key] = {"reference": reference, "title": title, "page": page}
    data["prefixes"][prefix] = {"paper": paper_key, "page": page,
                                "description": data["papers"][paper_key]["title"]}
    pj.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    doc = root / "docs" / page
    if not doc.exists():
        doc.parent.mkdir(parents=True, exist_ok=True)
        doc.write_text(f"# {data['papers'][paper_key]['title']}\n\n{data['papers'][paper_key]['reference']} · "
                       f"claims `{prefix}.*`\n", encoding="utf-8")
        changed.append(doc)
    mk = root / "mkdocs.yml"
    if mk.exists() and page not in mk.read_text(encoding="utf-8"):
        lines = mk.read_text(encoding="utf-8").splitlines()
        last = max((i for i, ln in enumerate(lines) if "papers/" in ln), default=None)
        entry = f"      - \"{data['papers'][paper_key]['title'][:60]}\": {page}"
        if last is None:
            raise ScaffoldError(f"{mk}: no Papers section in the nav to add {page} to")
        lines.insert(last + 1, entry)
        mk.write_text("\n".join(lines) + "\n", encoding="utf-8")
        changed.append(mk)
    return changed


def scaffold(root, claim_id: str, statement: str, *, kind: str = "finding", provenance: str = "reconstructed",
             paper: str | None = None, paper_title: str = "", paper_reference: str = "",
             record: bool = False) -> dict:
    """Scaffold ``claim_id`` in the repository at ``root``; returns ``{"files": [...], "status": ...}``."""
    root = Path(root).resolve()
    if not (root / "theory" / "papers.json").is_file():
        raise ScaffoldError(f"{root} is not a sparse-claims checkout (no theory/papers.json)")
    if not isinstance(claim_id, str) or not _ID_RE.match(claim_id):
        raise ScaffoldError(f"ID must be dotted lower-case like 'graphon.conjecture.my_idea', got {claim_id!r}")
    if kind not in ("paper", "finding", "validation"):
        raise ScaffoldError(f"kind must be paper, finding or validation, got {kind!r}")
    if provenance not in ("paper", "secondary", "reconstructed"):
        raise ScaffoldError(f"provenance must be paper, secondary or reconstructed, got {provenance!r}")
    if not statement or not statement.strip():
        raise ScaffoldError("statement must be a non-empty sentence")
    prefix, slug = claim_id.split(".", 1)[0], _slug(claim_id)
    for f in (root / "theory" / "claims").glob("*.py"):
        if f'id="{claim_id}"' in f.read_text(encoding="utf-8"):
            raise ScaffoldError(f"claim {claim_id!r} is already declared in {f.relative_to(root)}")
    data = json.loads((root / "theory" / "papers.json").read_text(encoding="utf-8"))
    files: list[Path] = []
    if prefix not in data["prefixes"]:
        files += _add_paper(root, prefix, paper or prefix, paper_title, paper_reference)
        data = json.loads((root / "theory" / "papers.json").read_text(encoding="utf-8"))
    elif paper and data["prefixes"][prefix]["paper"] != paper:
        raise ScaffoldError(f"prefix {prefix!r} belongs to paper {data['prefixes'][prefix]['paper']!r}, not {paper!r}")
    page = data["prefixes"][prefix].get("page") or f"papers/{prefix}.md"
    setting = ('\n    setting=Setting(paper="<the paper\'s model, data and sizes>", suite="<what this experiment runs>", '
               'scope="stand-in"),') if kind == "paper" else ""
    fields = dict(prefix=prefix, slug=slug, claim_id=claim_id, statement=" ".join(statement.split()), kind=kind,
                  provenance=provenance, page=page, setting=setting, level_pct=95)
    claims_file = root / "theory" / "claims" / f"{prefix}_conjectures.py"
    exp_file = root / "simulations" / "experiments" / f"{prefix}_conjectures.py"
    if (root / "simulations" / "experiments" / prefix).is_dir():
        exp_file = root / "simulations" / "experiments" / prefix / "conjectures.py"
    for path, header, body in ((claims_file, CLAIM_HEADER, CLAIM_TEMPLATE),
                               (exp_file, EXPERIMENT_HEADER, EXPERIMENT_TEMPLATE)):
        text = path.read_text(encoding="utf-8") if path.exists() else header.format(**fields)
        path.write_text(text + body.format(**fields), encoding="utf-8")
        files.append(path)
    doc = root / "docs" / page
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text((doc.read_text(encoding="utf-8") if doc.exists() else f"# {prefix}\n") +
                   DOC_TEMPLATE.format(**fields), encoding="utf-8")
    files.append(doc)
    status = "open"
    if record:
        out = root / ".scaffold-run"
        r = _run(root, "-m", "simulations.harness.cli", "run", claim_id, "--out", str(out), "--no-cache")
        try:
            rec = next(c for c in json.loads((out / "results.json").read_text())["claims"] if c["id"] == claim_id)
        except (OSError, ValueError, StopIteration):
            raise ScaffoldError(f"the scaffolded claim did not run:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}") from None
        status = rec["verdict"]
        if status == "error":
            raise ScaffoldError(f"the scaffolded claim raised: {rec.get('reason')}")
        text = claims_file.read_text(encoding="utf-8")
        i = text.index(f'id="{claim_id}"')
        j = text.index('status="open"', i)
        claims_file.write_text(text[:j] + f'status="{status}"' + text[j + len('status="open"'):], encoding="utf-8")
    r = _run(root, "-m", "theory.ledger", "update", f"{claim_id}")
    if r.returncode != 0:
        raise ScaffoldError(f"ledger update failed: {r.stderr.strip() or r.stdout.strip()}")
    files.append(root / "theory" / "ledger.lock.json")
    r = _run(root, "-m", "simulations.harness.status_page")
    if r.returncode != 0:
        raise ScaffoldError(f"status page not regenerated: {r.stderr.strip()[-2000:]}")
    (root / "docs" / "status.md").write_text(r.stdout, encoding="utf-8")
    files.append(root / "docs" / "status.md")
    return {"files": [str(f.relative_to(root)) for f in dict.fromkeys(files)], "status": status}
