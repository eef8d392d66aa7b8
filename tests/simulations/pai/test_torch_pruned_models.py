"""A model already pruned with torch.nn.utils.prune is refused with a clear error (never silent zero scores),
and scores its effective weights once the pruning is made permanent."""
import pytest
import torch
from torch import nn
from torch.nn.utils import prune as tp

from simulations.pai.scorers import score, torch_pruned_tensors


def _model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 2)).double()


@pytest.mark.parametrize("method", ["snip", "grasp", "synflow", "magnitude"])
def test_torch_pruned_model_is_refused(method):
    m = _model()
    tp.l1_unstructured(m[0], "weight", amount=0.5)
    assert torch_pruned_tensors(m) == ["0.weight"]
    data = (torch.randn(16, 6, dtype=torch.float64), torch.randn(16, 2, dtype=torch.float64))
    with pytest.raises(ValueError, match=r"torch.nn.utils.prune.*prune.remove"):
        score(m, method, data)


def test_permanent_pruning_scores_effective_weights():
    m = _model()
    tp.l1_unstructured(m[0], "weight", amount=0.5)
    tp.remove(m[0], "weight")
    assert torch_pruned_tensors(m) == []
    data = (torch.randn(16, 6, dtype=torch.float64), torch.randn(16, 2, dtype=torch.float64))
    s = score(m, "snip", data, normalize=False).scores["0.weight"]
    zero = m[0].weight == 0
    assert zero.sum() == 24 and torch.all(s[zero] == 0) and torch.all(s[~zero] > 0)
