"""Copy the figures listed in docs/figures.txt from a run's plots/ into docs/img/ (for the paper pages).

``python -m simulations.harness.docs_figures --out results`` after ``sparse-claims run --out results``.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def listed(figures: Path = ROOT / "docs" / "figures.txt") -> list[str]:
    return [ln.strip() for ln in figures.read_text().splitlines() if ln.strip() and not ln.startswith("#")]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="results", help="the run's output folder (holding plots/)")
    args = ap.parse_args(argv)
    src, dst = Path(args.out) / "plots", ROOT / "docs" / "img"
    missing = [f for f in listed() if not (src / f).exists()]
    if missing:
        print(f"docs_figures: not in {src}: {missing}", file=sys.stderr)
        return 2
    dst.mkdir(exist_ok=True)
    for f in listed():
        shutil.copyfile(src / f, dst / f)
    print(f"copied {len(listed())} figures to {dst}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
