"""Generate docs/status.md: every registered check grouped by paper and kind, with the paper claims' tallies
split by the scope of their evidence, engine validation in its own section, and every recorded revision.

``python -m simulations.harness.status_page > docs/status.md``; a test keeps the page in step with the registry.
"""
from __future__ import annotations

from theory import registry

SCOPE_WORDS = {"paper-setting": "paper setting", "scaled": "scaled", "stand-in": "stand-in"}


def tally(claims, status_of=lambda c: c.status, scope_of=lambda c: c.scope_for("quick")) -> dict:
    """verdict -> scope -> count over the given (paper) claims."""
    out: dict[str, dict[str, int]] = {}
    for c in claims:
        v, sc = status_of(c), scope_of(c) or "unscoped"
        out.setdefault(v, {}).setdefault(sc, 0)
        out[v][sc] += 1
    return out


def _other_tiers(c) -> str:
    """' (full tier: X)' and ' (paper tier: Y)' where the recorded verdicts of those tiers differ from the one
    below them."""
    out = ""
    if c.full_status and c.full_status != c.status:
        out += f" (full tier: {c.full_status})"
    if c.paper_status and c.paper_status != c.status_for("full"):
        out += f" (paper tier: {c.paper_status})"
    return out


def tally_text(t: dict) -> str:
    if not t:
        return "none"
    parts = []
    for v in registry.STATUSES:
        if v in t:
            n = sum(t[v].values())
            by = ", ".join(f"{SCOPE_WORDS.get(s, s)} {k}" for s, k in sorted(t[v].items()))
            parts.append(f"{v} {n} ({by})")
    return "; ".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _revised(c) -> str:
    return f" · revised ×{len(c.revisions)}" if c.revisions else ""


def render() -> str:
    lines = ["# Status of every check", "",
             "Generated from the registry by `python -m simulations.harness.status_page > docs/status.md`; "
             "`tests/meta/test_architecture.py` fails when it is out of date.", "",
             "Every registered check has a kind: **paper** (a claim the paper makes), **finding** (the suite's own "
             "result or conjecture about the paper), **validation** (a check that the suite's engines are right). "
             "Only paper claims make a paper's tally. Each paper claim's verdict carries the scope of its "
             "evidence: **paper setting** (the paper's model and data), **scaled** (same model family and data "
             "kind, smaller sizes or fewer seeds) or **stand-in** (different data or architecture). A stand-in "
             "verdict says whether the effect carries over to that setting, not whether the paper's own "
             "experiment is right. `refuted` is a result of the suite, not a failure. Verdicts are decided on "
             "intervals (see [Reading a verdict](verdicts.md)); revised checks are marked and their history is "
             "at the end of the page.", "",
             "| paper | paper claims (quick tier, by scope) | findings | engine validation |", "|---|---|---|---|"]
    for key, paper in registry.PAPERS.items():
        cs = registry.claims(key)
        pc = [c for c in cs if c.kind == "paper"]
        fc = [c for c in cs if c.kind == "finding"]
        vc = [c for c in cs if c.kind == "validation"]
        counts = lambda xs: ", ".join(f"{s} {n}" for s in registry.STATUSES
                                      if (n := sum(c.status == s for c in xs))) or "none"
        short = paper.title.rsplit("(", 1)[-1].rstrip(")")
        lines.append(f"| {short} | {tally_text(tally(pc))} | {counts(fc)} | {counts(vc)} |")
    lines.append("")
    for key, paper in registry.PAPERS.items():
        cs = registry.claims(key)
        lines += [f"## {paper.title}", "", f"{paper.reference}", ""]
        pc = [c for c in cs if c.kind == "paper"]
        lines += [f"**Paper claims:** {tally_text(tally(pc))}.", "",
                  "| claim | verdict | scope | setting (suite; paper) | provenance | statement |",
                  "|---|---|---|---|---|---|"]
        for c in pc:
            st = c.setting
            setting = f"{st.suite}; paper: {st.paper}" if st else ""
            lines.append(f"| `{c.id}` | {c.status}{_other_tiers(c)}{_revised(c)} | {c.scope_for('quick') or ''} | "
                         f"{_cell(setting)} | {c.provenance} | {_cell(c.statement)} |")
        for kind, title in (("finding", "Findings of the suite"), ("validation", "Engine validation")):
            ks = [c for c in cs if c.kind == kind]
            if not ks:
                continue
            lines += ["", f"### {title}", "", "| check | verdict | provenance | statement |", "|---|---|---|---|"]
            for c in ks:
                lines.append(f"| `{c.id}` | {c.status}{_other_tiers(c)}{_revised(c)} | {c.provenance} | "
                             f"{_cell(c.statement)} |")
        other = [c for c in cs if c.kind not in registry.KINDS]
        if other:
            lines += ["", "### Checks without a kind (not yet classified)", ""]
            lines += [f"- `{c.id}`: {c.status}" for c in other]
        lines.append("")
    revised = [c for c in registry.claims() if c.revisions]
    lines += ["## Revision history", "",
              "Every change of a rule or decision constant after a run, with the verdict before and after on the "
              "same evidence (the ledger `theory/ledger.lock.json` fails a test when one is missing).", ""]
    if not revised:
        lines.append("No revisions recorded.")
    else:
        lines += ["| check | date | change | why | before → after | evidence |", "|---|---|---|---|---|---|"]
        for c in revised:
            for r in c.revisions:
                lines.append(f"| `{c.id}` | {r.date} | {_cell(r.change)} | {_cell(r.why)} | {r.before} → "
                             f"{r.after} | {_cell(r.evidence)} |")
    lines.append("")
    return "\n".join(lines)


def readme_summary() -> str:
    """The README's "Verdicts at a glance" table (a test keeps the README's copy equal to this)."""
    lines = ["| paper | paper claims (quick tier, by scope) | full tier, where it differs | findings | engine validation |",
             "|---|---|---|---|---|"]
    for key, paper in registry.PAPERS.items():
        cs = registry.claims(key)
        pc = [c for c in cs if c.kind == "paper"]
        short = paper.title.rsplit("(", 1)[-1].rstrip(")")
        diff = ", ".join([f"`{c.id}` {c.full_status}" for c in pc if c.full_status and c.full_status != c.status]
                         + [f"`{c.id}` {c.paper_status} (paper tier)" for c in pc
                            if c.paper_status and c.paper_status != c.status_for("full")]) or "—"
        counts = lambda xs: ", ".join(f"{s} {n}" for s in registry.STATUSES
                                      if (n := sum(c.status == s for c in xs))) or "none"
        lines.append(f"| {short} | {tally_text(tally(pc))} | {diff} | "
                     f"{counts([c for c in cs if c.kind == 'finding'])} | "
                     f"{counts([c for c in cs if c.kind == 'validation'])} |")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(render(), end="")
