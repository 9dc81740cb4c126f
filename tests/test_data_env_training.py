"""course_utils.data, .env, .training and .plots: values, side effects, error messages."""

import math
import random
import subprocess
import sys

import matplotlib
import numpy as np
import pytest
import torch

from course_utils import (
    COURSE_SHAPES,
    DivergenceError,
    check_loss,
    format_loss,
    make_data,
    plot_losses,
    setup,
    time_per_call,
    to_torch,
)


def test_make_data_shapes_dtype_and_determinism():
    x, y, w1, w2 = make_data(seed=0)
    N, D_in, H, D_out = COURSE_SHAPES
    assert [a.shape for a in (x, y, w1, w2)] == [(N, D_in), (N, D_out), (D_in, H), (H, D_out)]
    assert all(a.dtype == np.float64 for a in (x, y, w1, w2))
    again = make_data(seed=0)
    assert all(np.array_equal(a, b) for a, b in zip((x, y, w1, w2), again))
    assert not np.array_equal(x, make_data(seed=1)[0])
    assert abs(x.std() - 1) < 0.01 and abs(x.mean()) < 0.01


def test_make_data_first_loss_matches_the_variance_arithmetic():
    x, y, w1, w2 = make_data(seed=0)
    loss = ((np.maximum(x @ w1, 0) @ w2 - y) ** 2).sum()
    assert loss == pytest.approx(64 * 10 * (100 * 1000 / 2 + 1), rel=0.05)


def test_to_torch_copies_with_dtype():
    x, y, _, _ = make_data(seed=0, N=2, D_in=3, H=4, D_out=5)
    tx, ty = to_torch(x, y)
    assert tx.dtype == torch.float64 and tx.shape == (2, 3)
    assert np.array_equal(tx.numpy(), x)
    tx[0, 0] = 123.0
    assert x[0, 0] != 123.0  # no shared memory
    t32 = to_torch(y, dtype=torch.float32)
    assert isinstance(t32, torch.Tensor) and t32.dtype == torch.float32


def test_setup_seeds_and_pins_threads(monkeypatch):
    monkeypatch.delenv("COURSE_THREADS", raising=False)
    setup(seed=5)
    a = (random.random(), np.random.rand(), torch.rand(1).item())
    setup(seed=5)
    assert a == (random.random(), np.random.rand(), torch.rand(1).item())
    assert torch.get_num_threads() == 1
    assert matplotlib.rcParams["svg.hashsalt"] == "course"
    monkeypatch.setenv("COURSE_THREADS", "2")
    setup(seed=5)
    assert torch.get_num_threads() == 2
    setup(seed=5, threads=1)
    assert torch.get_num_threads() == 1


def test_setup_does_not_import_torch_for_a_numpy_notebook():
    code = "import course_utils, sys; course_utils.setup(0); assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_has_no_side_effects():
    code = (
        "import numpy as np, torch, matplotlib; n = torch.get_num_threads();"
        "f = dict(matplotlib.rcParams); import course_utils;"
        "assert torch.get_num_threads() == n; assert dict(matplotlib.rcParams) == f"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_check_loss_passes_finite_and_names_step_and_lr():
    assert check_loss(np.float64(2.5), step=0, lr=1e-6) == 2.5
    assert check_loss(torch.tensor(1.5), step=3, lr=1e-6) == 1.5
    with pytest.raises(DivergenceError, match="loss is inf at step 7 with learning rate 5e-06"):
        check_loss(np.float64(np.inf), step=7, lr=5e-6)
    with pytest.raises(DivergenceError, match="loss is nan at step 2 with learning rate 0.001"):
        check_loss(torch.tensor(float("nan")), step=2, lr=1e-3)


def test_format_loss():
    assert format_loss(31519525.119874883) == "3.152e+07"
    assert format_loss(torch.tensor(4.85e-7, dtype=torch.float64)) == "4.850e-07"
    assert format_loss(np.float64(2.5)) == "2.500e+00"
    assert format_loss(math.inf) == "inf"


@pytest.mark.parametrize(
    "loss", [torch.tensor(1.0), np.float32(1.0), torch.tensor(1.0, dtype=torch.bfloat16)]
)
def test_format_loss_refuses_floats_below_64_bits(loss):
    with pytest.raises(TypeError, match="expected a float64 loss, got .*depend on the CPU"):
        format_loss(loss)


def test_plot_losses_returns_none_and_draws_each_run():
    import matplotlib.pyplot as plt

    matplotlib.use("Agg")
    assert plot_losses({"a": [3.0, 2.0, 1.0], "b": [5.0, np.inf]}) is None
    ax = plt.gcf().axes[0]
    assert [line.get_label() for line in ax.lines] == ["a", "b"]
    assert ax.get_yscale() == "log"
    plot_losses({"a": [1e9, 1e12, 1.0]}, ymax=1e10)
    assert plt.gcf().axes[0].get_ylim()[1] == 1e10
    plt.close("all")


def test_time_per_call_measures_milliseconds_with_the_benchmark_timer():
    import time

    calls = []

    def sleep_1ms():
        calls.append(1)
        time.sleep(1e-3)

    ms = time_per_call(sleep_1ms, min_run_time=0.05)
    assert 1 <= ms < 5
    assert 20 < len(calls) < 200  # warm-up and blocks of calls, about min_run_time in all


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: make_data(seed=-1), ValueError, "seed to be an int >= 0"),
        (lambda: make_data(N=0), ValueError, "expected N to be a positive int, got 0"),
        (lambda: make_data(D_in=2.5), ValueError, "expected D_in to be a positive int"),
        (lambda: to_torch(), ValueError, "at least one numpy array"),
        (lambda: to_torch([1.0]), TypeError, r"arrays\[0\] to be a numpy array, got list"),
        (lambda: to_torch(np.arange(3)), TypeError, r"arrays\[0\] to hold floats"),
        (lambda: to_torch(np.ones(2), dtype=torch.int64), TypeError, "floating torch.dtype"),
        (lambda: setup(seed="0"), ValueError, "seed to be an int >= 0"),
        (lambda: setup(threads=0), ValueError, "threads to be a positive int"),
        (lambda: check_loss(1.0, step=-1, lr=1e-6), ValueError, "step to be an int >= 0"),
        (lambda: check_loss("1", step=0, lr=1e-6), TypeError, "loss to be a real number"),
        (lambda: check_loss(np.ones(2), step=0, lr=1e-6), TypeError, "loss to be a real"),
        (lambda: format_loss(None), TypeError, "loss to be a real number"),
        (lambda: plot_losses([1.0]), ValueError, "runs to be a non-empty dict"),
        (lambda: plot_losses({"a": []}), ValueError, "run 'a' to be a 1-D sequence"),
        (lambda: plot_losses({"a": [1.0, -1.0]}), ValueError, "positive losses"),
        (lambda: plot_losses({1: [1.0]}), TypeError, "label to be a str"),
        (lambda: time_per_call(3), TypeError, "fn to be a function"),
        (lambda: time_per_call(print, min_run_time=0), ValueError, "min_run_time to be a finite"),
        (lambda: setup(threads=2.5), ValueError, "threads to be a positive int"),
        (lambda: plot_losses({"a": [1.0]}, ymax=-1), ValueError, "ymax to be a finite number"),
    ],
)
def test_bad_input_messages(call, error, message):
    with pytest.raises(error, match=message):
        call()
