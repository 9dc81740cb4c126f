"""course_utils.checks against torch autograd in float64, and its error messages."""

import numpy as np
import pytest
import torch

from course_utils import compare_grads, make_data, numerical_gradient, rel_error, sgd_lr_bound


def net_loss(x, y, w1, w2):
    """The course's loss, written once for numpy arrays and torch tensors alike."""
    h = x @ w1
    h_relu = h * (h > 0)
    return ((h_relu @ w2 - y) ** 2).sum()


def test_numerical_gradient_matches_autograd_on_the_course_network():
    x, y, w1, w2 = make_data(seed=3, N=4, D_in=5, H=6, D_out=3)
    tensors = [torch.tensor(a, requires_grad=True) for a in (x, y, w1, w2)]
    net_loss(*tensors).backward()
    num_w1 = numerical_gradient(lambda w: net_loss(x, y, w, w2), w1)
    num_w2 = numerical_gradient(lambda w: net_loss(x, y, w1, w), w2)
    assert rel_error(num_w1, tensors[2].grad) < 1e-6
    assert rel_error(num_w2, tensors[3].grad) < 1e-6


def test_numerical_gradient_of_a_smooth_function_and_x_restored():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((3, 4))
    x0 = a.copy()
    t = torch.tensor(a, requires_grad=True)
    (torch.sin(t) * t.pow(3)).sum().backward()
    num = numerical_gradient(lambda v: (np.sin(v) * v**3).sum(), a)
    assert rel_error(num, t.grad) < 1e-7
    assert np.array_equal(a, x0)


def test_rel_error_values():
    a = np.array([1.0, 2.0])
    assert rel_error(a, a) == 0.0
    assert rel_error(a, np.array([1.0, 2.2])) == pytest.approx(0.2 / 4.2)
    assert rel_error(np.zeros(2), np.zeros(2)) == 0.0
    assert rel_error(torch.ones(2), np.ones(2)) == 0.0


def test_compare_grads_prints_one_line_and_asserts(capsys):
    g = np.linspace(-1, 1, 6).reshape(2, 3)
    assert compare_grads("grad_w1", g, g.copy()) is None
    line = capsys.readouterr().out
    assert line == "grad_w1      exact: True   allclose: True   max diff <= 0\n"
    compare_grads("grad_w2", g, g + 3e-12)
    assert "exact: False" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="grad_w2: the hand-made gradient differs"):
        compare_grads("grad_w2", g, 2 * g)
    compare_grads("grad_w2", g, 2 * g, check=False)  # prints, does not raise
    assert "max diff <= 1e+00" in capsys.readouterr().out.splitlines()[-1]


def test_compare_grads_exact_asks_for_every_bit(capsys):
    g = np.linspace(-1, 1, 6).reshape(2, 3)
    compare_grads("grad_w1", g, g.copy(), exact=True)
    with pytest.raises(AssertionError, match="close, but not equal bit for bit"):
        compare_grads("grad_w1", g, g + 1e-15, exact=True)


def test_sgd_lr_bound_is_2_over_the_top_eigenvalue_of_the_autograd_hessian():
    """The W2 block of the Hessian, from torch autograd in float64, against the helper."""
    x, y, w1, w2 = make_data(seed=4, N=6, D_in=5, H=4, D_out=3)
    h_relu = np.maximum(x @ w1, 0)
    tx, ty, th = (torch.tensor(a) for a in (x, y, h_relu))

    def loss_of_w2(flat):
        return ((th @ flat.reshape(4, 3) - ty) ** 2).sum()

    hessian = torch.autograd.functional.hessian(loss_of_w2, torch.tensor(w2).reshape(-1))
    lam_max = torch.linalg.eigvalsh(hessian)[-1].item()
    assert sgd_lr_bound(h_relu) == pytest.approx(2 / lam_max, rel=1e-10)
    assert sgd_lr_bound(th) == pytest.approx(2 / lam_max, rel=1e-10)  # tensors too


@pytest.mark.parametrize(("factor", "stable"), [(0.9, True), (1.1, False)])
def test_gradient_descent_on_w2_is_stable_below_the_bound_only(factor, stable):
    x, y, w1, w2 = make_data(seed=5, N=8, D_in=6, H=5, D_out=2)
    h_relu = np.maximum(x @ w1, 0)
    best = np.linalg.lstsq(h_relu, y, rcond=None)[0]  # the minimum of this quadratic
    start = np.abs(w2 - best).max()
    lr = factor * sgd_lr_bound(h_relu)
    for _ in range(300):
        w2 = w2 - lr * h_relu.T @ (2 * (h_relu @ w2 - y))
    distance = np.abs(w2 - best).max()
    assert (distance < start) if stable else (distance > 1e6 * start)


def test_compare_grads_against_autograd_tensor():
    x, y, w1, w2 = make_data(seed=1, N=3, D_in=4, H=5, D_out=2)
    t = torch.tensor(w2, requires_grad=True)
    net_loss(torch.tensor(x), torch.tensor(y), torch.tensor(w1), t).backward()
    h_relu = np.maximum(x @ w1, 0)
    manual = h_relu.T @ (2 * (h_relu @ w2 - y))
    compare_grads("grad_w2", manual, t.grad)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: rel_error([1.0], np.ones(1)), TypeError, "expected a to be a numpy array"),
        (lambda: rel_error(np.ones(2), np.ones(3)), ValueError, "same shape, got"),
        (lambda: rel_error(np.arange(3), np.arange(3)), TypeError, "expected a to hold floats"),
        (lambda: rel_error(np.ones(2), np.array([1, np.nan])), ValueError, "b to be finite"),
        (lambda: numerical_gradient(3, np.ones(2)), TypeError, "expected f to be a function"),
        (lambda: numerical_gradient(np.sum, np.ones(2, np.float32)), TypeError, "float64"),
        (lambda: numerical_gradient(np.sum, np.array([np.inf])), ValueError, "x to be finite"),
        (lambda: numerical_gradient(np.sum, np.ones(2), delta=0), ValueError, "delta to be a"),
        (lambda: numerical_gradient(lambda v: np.nan, np.ones(2)), ValueError, "f\\(x\\)"),
        (lambda: compare_grads("", np.ones(2), np.ones(2)), ValueError, "name"),
        (lambda: compare_grads("g", np.ones(2), np.ones(3)), ValueError, "g: manual and reference"),
        (lambda: compare_grads("g", np.ones(2, int), np.ones(2)), TypeError, "manual to hold"),
        (lambda: compare_grads("g", "x", np.ones(2)), TypeError, "manual to be a numpy"),
        (lambda: compare_grads("g", np.array([np.nan]), np.ones(1)), AssertionError, "g: the hand"),
        (lambda: sgd_lr_bound(np.ones(3)), ValueError, r"h_relu of shape \(N, H\)"),
        (lambda: sgd_lr_bound(np.zeros((2, 3))), ValueError, "every unit is inactive"),
        (lambda: sgd_lr_bound([[1.0]]), TypeError, "h_relu to be a numpy array"),
    ],
)
def test_bad_input_messages(call, error, message):
    with pytest.raises(error, match=message):
        call()
