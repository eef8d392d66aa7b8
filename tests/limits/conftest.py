"""Tiers of the limit properties: ``default`` (bounded examples and sizes, the whole set within 3 minutes on 2
cores), ``slow`` (larger widths, more examples; ``-m slow``) and ``gpu`` (widths up to the paper sizes on cuda;
skipped with its reason when CUDA is absent, by tests/conftest.py)."""
import pytest

TIERS = [pytest.param("default", id="default"),
         pytest.param("slow", id="slow", marks=pytest.mark.slow),
         pytest.param("gpu", id="gpu", marks=[pytest.mark.gpu, pytest.mark.slow])]


#: tiers of properties whose engine has no device path (they run on the CPU only)
CPU_TIERS = TIERS[:2]


def device_of(tier: str) -> str:
    return "cuda" if tier == "gpu" else "cpu"


def backend_of(tier: str) -> str:
    """numpy on the CPU tiers, torch in the gpu tier (the torch path also runs on cpu, for checking it here)."""
    return "torch" if tier == "gpu" else "numpy"
