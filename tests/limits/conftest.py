"""Tiers of the limit properties: ``default`` (bounded examples and sizes, the whole set within 3 minutes on 2
cores), ``slow`` (larger widths, more examples; ``-m slow``) and ``gpu`` (widths up to the paper sizes on cuda;
skipped with its reason when CUDA is absent, by tests/conftest.py)."""
import pytest

TIERS = [pytest.param("default", id="default"),
         pytest.param("slow", id="slow", marks=pytest.mark.slow),
         pytest.param("gpu", id="gpu", marks=[pytest.mark.gpu, pytest.mark.slow])]


def device_of(tier: str) -> str:
    return "cuda" if tier == "gpu" else "cpu"
