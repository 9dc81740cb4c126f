"""The learning-rate slider of notebook 01 (course_utils.live), outside the browser.

Its drag in JupyterLab is tested in tests/test_browser.py; here: its checks of its
inputs, what it leaves where widgets do not run, and that a new value trains again.
"""

import pytest

from course_utils.live import OFFLINE_TEXT, learning_rate_slider
from tests.conftest import run_in_kernel


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"train": 1e-6, "cap": 1e-6}, "expected train to be a function"),
        ({"train": print, "cap": 0.0}, "expected cap to be a learning rate > 0"),
        ({"train": print, "cap": float("inf")}, "expected cap to be a learning rate > 0"),
        ({"train": print, "cap": 1e-6, "low": 2.0}, "expected 0 < low < start < high"),
        ({"train": print, "cap": 1e-6, "steps": 0}, "expected steps to be a positive int"),
    ],
)
def test_bad_input_is_named(kwargs, message):
    with pytest.raises((TypeError, ValueError), match=message):
        learning_rate_slider(**kwargs)


def test_in_a_kernel_it_trains_at_each_new_value_and_leaves_a_sentence_for_static_pages():
    nb = run_in_kernel(
        "from ipywidgets import FloatLogSlider\n"
        "from course_utils.live import learning_rate_slider\n"
        "calls = []\n"
        "def train(lr, steps):\n"
        "    calls.append((lr, steps))\n"
        "    return [1.0 / (1 + lr * 1e6 * t) for t in range(steps)], None\n"
        "learning_rate_slider(train, cap=1e-6, steps=20)",
        "from ipywidgets.widgets.widget import _instances\n"
        "sliders = [w for w in _instances.values() if isinstance(w, FloatLogSlider)]\n"
        "slider = sliders[0]\n"
        "slider.value = 3e-6\n"
        "print(calls[0][1], round(calls[0][0] / 1e-6, 6), round(calls[-1][0] / 1e-6, 6))",
    )
    (shown,) = nb.cells[0].outputs
    assert shown.data["text/plain"] == OFFLINE_TEXT
    assert "model_id" in shown.data["application/vnd.jupyter.widget-view+json"]
    assert nb.cells[1].outputs[0].text == "20 0.5 3.0\n", "a new value did not train again"
