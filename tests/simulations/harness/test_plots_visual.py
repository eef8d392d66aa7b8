"""Visual check of the plotting vocabulary: every plot type renders with axis labels, tick labels, a colour bar
naming its quantity (heatmaps), a legend outside the axes, fitted slopes with intervals and a predicted line."""
from __future__ import annotations

import numpy as np
import pytest

from simulations.harness import plots

pytest.importorskip("matplotlib", reason="the plots extra (matplotlib) is needed to render figures")


def _specs():
    ns = [64, 128, 256, 512]
    y = [0.5 * n ** -0.5 for n in ns]
    return {
        "line": plots.line("l", "t", "sparsity S", "accuracy", [plots.series(f"s{i}", ns, y, yerr=[0.01] * 4)
                                                                for i in range(9)], hlines=[{"y": 0.1, "label": "h"}]),
        "loglog": plots.loglog_fit("c", "t", "width n", "cut distance", [plots.series("measured", ns, y)],
                                   [{"label": "fit", "slope": -0.5, "intercept": np.log(0.5), "x": [64, 512],
                                     "ci_low": -0.55, "ci_high": -0.45}],
                                   predicted=[{"slope": -0.5, "through": [64, y[0]], "label": "predicted n^-1/2"}]),
        "heatmaps": plots.heatmaps("h", "t", [{"title": "M", "matrix": np.random.default_rng(0).random((300, 40))}],
                                   xlabel="input unit j", ylabel="output unit i", quantity="mask density"),
        "bars": plots.bars("b", "t", "gap (pp)", ["a", "b"], [1.0, 2.0], [0.1, 0.2]),
    }


@pytest.mark.parametrize("kind", ["line", "loglog", "heatmaps", "bars"])
def test_every_plot_type_has_labels_ticks_and_uncovered_data(kind, tmp_path):
    import matplotlib.pyplot as plt

    spec = _specs()[kind]
    fig = plots.figure(spec)
    fig.canvas.draw()
    data_axes = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    for ax in data_axes:
        assert ax.get_xlabel() and ax.get_ylabel(), f"{kind}: axis labels missing"
        assert [t.get_text() for t in ax.get_xticklabels() if t.get_text()], f"{kind}: no x tick labels"
        assert [t.get_text() for t in ax.get_yticklabels() if t.get_text()], f"{kind}: no y tick labels"
        leg = ax.get_legend()
        if leg is not None:   # legends never cover data: the legend box lies outside the axes box
            lb, ab = leg.get_window_extent(), ax.get_window_extent()
            assert lb.x0 >= ab.x1 - 1, f"{kind}: legend overlaps the axes"
    if kind == "heatmaps":
        cbars = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
        assert cbars and cbars[0].get_ylabel() == "mask density"
        assert data_axes[0].get_xlim()[1] > 200 or data_axes[0].get_ylim()[0] > 200   # original index range
    if kind == "loglog":
        labels = data_axes[0].get_legend_handles_labels()[1]
        assert any("[-0.550, -0.450]" in lab for lab in labels) and "predicted n^-1/2" in labels
    plt.close(fig)
    out = plots.render(spec, tmp_path / f"{kind}.png")
    from matplotlib.image import imread

    h, w = imread(out).shape[:2]
    assert w >= 800 and plots.DPI >= 200, f"{kind}: {w} px wide at {plots.DPI} dpi, below print resolution"
