"""`sparse-claims new` scaffolds a claim (and a new paper prefix) that runs and that pytest collects, in a
temporary copy of the repository."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def copy(tmp_path):
    dst = tmp_path / "repo"
    shutil.copytree(ROOT, dst, ignore=shutil.ignore_patterns(".git", "results", "__pycache__", ".pytest_cache",
                                                              "*.egg-info", "site", ".scaffold-run"))
    return dst


def _py(root, *args):
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, *args], cwd=root, env=env, capture_output=True, text=True, timeout=600)


def test_new_claim_with_new_prefix_runs_and_is_collected(copy):
    r = _py(copy, "-m", "simulations.harness.cli", "new", "toy.mean.half", "--statement",
            "The mean of a uniform sample on [0, 1] is one half.", "--paper-title", "A toy paper (Doe 2026)",
            "--paper-reference", "arXiv:0000.00000", "--record")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "status supported" in r.stdout
    papers = json.loads((copy / "theory" / "papers.json").read_text())
    assert papers["prefixes"]["toy"]["paper"] == "toy"
    assert 'status="supported"' in (copy / "theory" / "claims" / "toy_conjectures.py").read_text()
    assert "toy.mean.half" in (copy / "docs" / "papers" / "toy.md").read_text()
    assert "papers/toy.md" in (copy / "mkdocs.yml").read_text()
    assert "toy.mean.half" in (copy / "docs" / "status.md").read_text()
    assert "toy.mean.half" in json.loads((copy / "theory" / "ledger.lock.json").read_text())["claims"]
    r = _py(copy, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests/claims/test_claims.py",
            "-m", "toy")
    assert "test_claim_quick[toy.mean.half]" in r.stdout, r.stdout + r.stderr
    r = _py(copy, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", "tests/meta/test_falsifiers.py",
            "-k", "toy")
    assert r.returncode == 0 and "passed" in r.stdout, r.stdout + r.stderr


def test_new_refuses_bad_input(copy):
    r = _py(copy, "-m", "simulations.harness.cli", "new", "Bad Id", "--statement", "x")
    assert r.returncode == 2 and "ID must be dotted" in r.stderr
    r = _py(copy, "-m", "simulations.harness.cli", "new", "other.x.y", "--statement", "x")
    assert r.returncode == 2 and "--paper-title" in r.stderr
