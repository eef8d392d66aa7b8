"""Small models and data shared by the PaI engine tests."""
from __future__ import annotations

import pytest
import torch

from simulations.pai.models import MLP, OneHiddenLayer


def data_for(d: int, N: int, seed: int, out: int = 1):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(N, d, generator=g, dtype=torch.float64)
    y = torch.randn(N, out, generator=g, dtype=torch.float64).squeeze(-1) if out == 1 else \
        torch.randn(N, out, generator=g, dtype=torch.float64)
    return X, y


@pytest.fixture
def small_mlp():
    return MLP([64, 32, 32, 1], seed=11)


@pytest.fixture
def theory_model():
    return OneHiddenLayer(24, 40, seed=5)
