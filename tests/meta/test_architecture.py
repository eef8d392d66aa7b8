"""Guards of the architecture: theory stays free of torch and simulations, results never use pickle,
every claim is documented on its paper's page, and CI runs the README's test command."""
import ast
import re
import sys
from pathlib import Path

import pytest

from theory import registry

ROOT = Path(__file__).resolve().parents[2]
ALLOWED_THEORY = {"numpy", "scipy", "sympy", "theory"} | set(sys.stdlib_module_names)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "theory").rglob("*.py")), ids=lambda p: p.name)
def test_theory_imports_numpy_scipy_sympy_only(path):
    bad = _imports(path) - ALLOWED_THEORY
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}; theory/ may use numpy, scipy, sympy only"


def test_no_pickle_in_stored_results():
    offenders = []
    for path in list((ROOT / "simulations").rglob("*.py")) + list((ROOT / "theory").rglob("*.py")):
        text = path.read_text()
        if re.search(r"\bimport pickle\b|allow_pickle\s*=\s*True|torch\.save\(", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"results must be JSON/CSV/npz, never pickle: {offenders}"


def test_every_claim_is_documented_on_its_paper_page():
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs" / "papers").glob("*.md")))
    text += (ROOT / "docs" / "adding-a-conjecture.md").read_text(encoding="utf-8")
    missing = [c.id for c in registry.claims() if c.id not in text]
    assert not missing, f"claims not named in any docs/papers/ page: {missing}"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)\n```", readme, re.S)
    test_cmd = [b for b in blocks if "pytest" in b]
    assert len(test_cmd) == 1
    assert test_cmd[0].strip() in (ROOT / ".ci" / "run").read_text()


def test_every_claim_declares_a_source_and_decision():
    for c in registry.claims():
        assert c.source, f"{c.id} has no source"
        assert c.decision, f"{c.id} has no decision constants"


def test_status_page_is_up_to_date():
    from simulations.harness.status_page import render

    page = ROOT / "docs" / "status.md"
    assert page.read_text() == render(), "regenerate: python -m simulations.harness.status_page > docs/status.md"


def test_listed_doc_figures_exist_and_are_embedded():
    from simulations.harness.docs_figures import listed

    pages = "".join(p.read_text() for p in (ROOT / "docs" / "papers").glob("*.md"))
    for f in listed():
        assert (ROOT / "docs" / "img" / f).exists(), f"docs/img/{f} missing: run simulations.harness.docs_figures"
        assert f"../img/{f}" in pages or f"img/{f}" in (ROOT / "docs" / "adding-a-conjecture.md").read_text(), f"{f} is listed in docs/figures.txt but no paper page embeds it"


def test_readme_summary_matches_the_registry():
    from simulations.harness.status_page import readme_summary

    assert readme_summary() in (ROOT / "README.md").read_text(), (
        "README's 'Verdicts at a glance' table is stale: paste python -c \"from simulations.harness.status_page "
        "import readme_summary; print(readme_summary())\"")
