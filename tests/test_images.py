"""The stored plots are compared as images: small rounding noise passes, a real change fails."""

import io

import matplotlib
import numpy as np
import pytest

from course_utils import plot_losses, setup
from tests.images import TOLERANCE, png_difference


def render(runs):
    """PNG bytes of plot_losses(runs), drawn as the notebooks' inline backend draws it."""
    import matplotlib.pyplot as plt

    matplotlib.use("Agg")
    setup(seed=0)  # the course's figure defaults
    plot_losses(runs, title="a course plot")
    buffer = io.BytesIO()
    plt.gcf().savefig(buffer, format="png", bbox_inches="tight")
    plt.close("all")
    return buffer.getvalue()


STEPS = np.arange(500)
RUNS = {  # shaped like 01's learning-rate sweep
    "lr 1e-7": 3e7 * np.exp(-STEPS / 60) + 9e3,
    "lr 1e-6": 3e7 * np.exp(-STEPS / 9),
    "lr 2e-6": 7e8 * np.exp(-STEPS / 3) + 550,
}


def test_the_same_plot_matches_itself():
    assert png_difference(render(RUNS), render(RUNS)) is None


def test_rounding_noise_in_the_losses_passes():
    """float32 on another CPU: each loss off in its 4th digit, as measured across kernels."""
    rng = np.random.default_rng(0)
    noisy = {k: v * (1 + 1e-4 * rng.standard_normal(v.shape)) for k, v in RUNS.items()}
    assert png_difference(render(RUNS), render(noisy)) is None


@pytest.mark.parametrize(
    "change",
    ["a curve removed", "another curve drawn", "a curve changed"],
)
def test_a_real_change_fails(change):
    changed = dict(RUNS)
    if change == "a curve removed":
        del changed["lr 2e-6"]
    elif change == "another curve drawn":
        changed["lr 5e-6"] = 3e7 * np.exp(STEPS[:8] * 2.0)
    else:
        changed["lr 1e-6"] = 3e7 * np.exp(-STEPS / 12)  # converges a third slower
    message = png_difference(render(RUNS), render(changed))
    assert message is not None, f"{change}: passed the image comparison (tolerance {TOLERANCE})"
