"""Generate docs/status.md, the status table of every registered claim grouped by paper.

``python -m simulations.harness.status_page > docs/status.md``; a test keeps the page in step with the registry.
"""
from __future__ import annotations

from theory import registry


def render() -> str:
    lines = ["# Status of every claim", "",
             "Generated from the registry by `python -m simulations.harness.status_page > docs/status.md`; "
             "`tests/meta/test_architecture.py` fails when it is out of date. `refuted` means the suite's "
             "simulations contradict the claim — a result, not a failure of the suite. Provenance "
             "`reconstructed` marks the project's reconstruction, not the paper's formula.", ""]
    for key, paper in registry.PAPERS.items():
        claims = registry.claims(key)
        counts = {s: sum(c.status == s for c in claims) for s in registry.STATUSES}
        lines += [f"## {paper.title}", "", f"{paper.reference} · spec `{paper.spec}` · " +
                  ", ".join(f"{s} {n}" for s, n in counts.items() if n), "",
                  "| claim | status | provenance | source | statement |", "|---|---|---|---|---|"]
        for c in claims:
            stmt = c.statement.replace("|", "\\|")
            src = c.source.replace("|", "\\|")
            lines.append(f"| `{c.id}` | {c.status} | {c.provenance} | {src} | {stmt} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(render(), end="")
