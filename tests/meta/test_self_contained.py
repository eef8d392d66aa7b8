"""The repository is self-contained: nothing refers to the reference specifications that used to live outside it,
every claim's `source` names a section of a page under docs/ (page and anchor both exist), and every relative link
in docs/ resolves. Anchors are computed the way mkdocs' `toc` extension does: an explicit `{#id}` (attr_list) wins,
otherwise the heading text is slugified (ASCII-folded, lowercased, punctuation other than `-`/`_` dropped, runs of
spaces and hyphens turned into one `-`)."""
from __future__ import annotations

import re
import subprocess
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest

from theory import registry

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
TEXT_SUFFIXES = (".py", ".md", ".yml", ".yaml", ".toml", ".txt", ".json", ".cfg", ".sh")

# built by concatenation so that this file does not contain the strings it forbids
OUTSIDE = [".." + "/shared", "/work" + "/shared"] + [
    name + ".md" for name in ("graphon_pai_and_ntk", "iht_" + "recovery", "lyapunov_" + "pruning",
                              "selection_" + "plateau")]


def _tracked_text_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
        names = [n for n in out.decode().split("\0") if n]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout (e.g. an sdist): scan the tree
        names = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file() and ".git" not in p.parts]
    return [ROOT / n for n in names if n.endswith(TEXT_SUFFIXES) and (ROOT / n).is_file()]


def test_no_reference_to_outside_specifications():
    offenders = []
    for path in _tracked_text_files():
        if path == Path(__file__).resolve():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for lineno, line in enumerate(text.splitlines(), 1):
            hits = [s for s in OUTSIDE if s in line]
            if hits:
                offenders.append(f"{path.relative_to(ROOT)}:{lineno}: {', '.join(hits)}")
    assert not offenders, ("references to paths outside the repository (point to docs/definitions/ instead):\n"
                           + "\n".join(offenders))


# --- anchors -----------------------------------------------------------------------------------------------------

_FENCE = re.compile(r"^(```|~~~)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ATTR_ID = re.compile(r"\{:?\s*[^}]*?#([A-Za-z0-9_:.-]+)[^}]*\}\s*$")
_HTML_ID = re.compile(r"""<[^>]*\bid\s*=\s*["']([^"']+)["']""")


def slugify(text: str) -> str:
    """Python-Markdown toc's default slugify, applied to the heading's plain text."""
    text = re.sub(r"`([^`]*)`", r"\1", text)                   # code spans keep their text
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)      # links keep their text
    text = re.sub(r"<[^>]+>", "", text)                         # inline HTML
    text = re.sub(r"\*{1,3}([^*]+)\*{1,3}", r"\1", text)            # emphasis with *
    text = re.sub(r"(?<!\w)_{1,3}([^_]+?)_{1,3}(?!\w)", r"\1", text)  # emphasis with _ (not inside words)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def _strip_code(text: str) -> list[str]:
    lines, fenced = [], False
    for line in text.splitlines():
        if _FENCE.match(line.strip()):
            fenced = not fenced
            continue
        lines.append("" if fenced else line)
    return lines


@lru_cache(maxsize=None)
def anchors(page: Path) -> frozenset[str]:
    out = set()
    for line in _strip_code(page.read_text(encoding="utf-8")):
        out.update(_HTML_ID.findall(line))
        m = _HEADING.match(line)
        if not m:
            continue
        title = m.group(2)
        explicit = _ATTR_ID.search(title)
        if explicit:
            out.add(explicit.group(1))
        else:
            slug = slugify(title)
            if slug:
                out.add(slug)
    return frozenset(out)


# --- claim sources -----------------------------------------------------------------------------------------------

_DOC_REF = re.compile(r"(docs/[\w./-]+?\.md)(?:#([\w:.-]+))?")


def _check_refs(text: str, where: str) -> tuple[list[str], int]:
    """Problems with the docs references in ``text`` and the number of references with a resolving anchor."""
    problems, good = [], 0
    for path, anchor in _DOC_REF.findall(text):
        page = ROOT / path
        if not page.is_file():
            problems.append(f"{where}: {path} does not exist")
        elif anchor and anchor not in anchors(page):
            problems.append(f"{where}: {path} has no section #{anchor}")
        elif anchor:
            good += 1
    return problems, good


CLAIMS = sorted(registry.claims(), key=lambda c: c.id)


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_claim_source_names_a_docs_section(claim):
    problems, good = _check_refs(claim.source or "", claim.id)
    assert not problems, "\n".join(problems)
    assert good, (f"{claim.id}: source {claim.source!r} names no section of a docs page; "
                  "write e.g. 'docs/definitions/iht.md#iht-10; paper Theorem 1'")


# --- links inside docs/ ------------------------------------------------------------------------------------------

_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
DOC_PAGES = sorted(DOCS.rglob("*.md"))


@pytest.mark.parametrize("page", DOC_PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_relative_links_in_docs_resolve(page):
    problems = []
    for lineno, line in enumerate(_strip_code(page.read_text(encoding="utf-8")), 1):
        line = re.sub(r"`[^`]*`", "", line)
        for target in _LINK.findall(line):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("//"):
                continue                                    # http:, https:, mailto:, ...
            path, _, anchor = target.partition("#")
            dest = (page.parent / path).resolve() if path else page
            where = f"{page.relative_to(ROOT)}:{lineno}"
            if not dest.exists():
                problems.append(f"{where}: link target {target} does not exist")
            elif anchor and dest.suffix == ".md" and DOCS / "definitions" in dest.parents \
                    and anchor not in anchors(dest):
                problems.append(f"{where}: {dest.relative_to(ROOT)} has no section #{anchor}")
    assert not problems, "\n".join(problems)


def test_definition_pages_cover_every_prefix():
    """Each claim prefix has its definitions page, listed in the mkdocs nav."""
    pages = {"graphon": "graphon-ntk.md", "ntk": "graphon-ntk.md", "iht": "iht.md", "lyapunov": "lyapunov.md",
             "plateau": "plateau.md"}
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for prefix in registry.PREFIXES:
        name = pages.get(prefix)
        assert name, f"prefix {prefix!r} has no definitions page"
        assert (DOCS / "definitions" / name).is_file()
        assert f"definitions/{name}" in nav, f"definitions/{name} is not in the mkdocs.yml nav"
