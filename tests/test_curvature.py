"""course_utils.curvature against dense Hessians from torch autograd, in float64."""

import numpy as np
import pytest
import torch
from torch import nn

from course_utils import hessian_lr_bound, make_data, sgd_lr_bound, top_eigenvalue, torch_hvp


def dense_hessian(loss_fn, params):
    """The full Hessian over ``params`` as one (n, n) matrix, by torch.autograd.functional."""
    shapes = [p.shape for p in params]
    sizes = [p.numel() for p in params]

    def loss_of_flat(flat):
        pieces = torch.split(flat, sizes)
        return loss_fn(*[piece.reshape(shape) for piece, shape in zip(pieces, shapes)])

    flat = torch.cat([p.detach().reshape(-1) for p in params])
    return torch.autograd.functional.hessian(loss_of_flat, flat)


def two_layer_loss(x, y, bias):
    def loss(w1, w2, *b2):
        y_pred = torch.relu(x @ w1) @ w2  # (N, D_out)
        return ((y_pred + (b2[0] if bias else 0) - y) ** 2).sum()

    return loss


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("bias", [False, True])
def test_lr_bound_is_2_over_the_top_eigenvalue_of_the_dense_hessian(seed, bias):
    x, y, w1, w2 = (torch.tensor(a) for a in make_data(seed=seed, N=7, D_in=5, H=6, D_out=3))
    params = [w1, w2] + ([torch.linspace(-1, 1, 3, dtype=torch.float64)] if bias else [])
    params = [p.clone().requires_grad_() for p in params]
    loss = two_layer_loss(x, y, bias)
    lam_max = torch.linalg.eigvalsh(dense_hessian(loss, params))[-1].item()
    assert hessian_lr_bound(lambda: loss(*params), params) == pytest.approx(2 / lam_max, rel=1e-9)


def test_hvp_is_the_dense_hessian_times_v_and_works_on_modules():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 5, bias=False), nn.ReLU(), nn.Linear(5, 2)).double()
    x, y = torch.randn(6, 4, dtype=torch.float64), torch.randn(6, 2, dtype=torch.float64)
    params = list(model.parameters())
    hvp, dim = torch_hvp(lambda: (model(x) - y).pow(2).sum(), params)

    def functional_loss(w1, w2, b2):
        return ((torch.relu(x @ w1.T) @ w2.T + b2 - y) ** 2).sum()

    dense = dense_hessian(functional_loss, params).numpy()
    v = np.random.default_rng(0).standard_normal(dim)
    assert dim == 4 * 5 + 5 * 2 + 2
    np.testing.assert_allclose(hvp(v), dense @ v, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_the_last_layers_block_is_a_lower_bound_on_the_curvature(seed):
    """sgd_lr_bound sees only W2's block: its cap is never below the full Hessian's."""
    x, y, w1, w2 = (torch.tensor(a) for a in make_data(seed=seed, N=8, D_in=6, H=5, D_out=2))
    params = [w1.requires_grad_(), w2.requires_grad_()]
    full = hessian_lr_bound(lambda: two_layer_loss(x, y, False)(*params), params)
    assert full <= sgd_lr_bound(torch.relu(x @ w1).detach()) * (1 + 1e-9)


@pytest.mark.parametrize(("factor", "stable"), [(0.98, True), (1.02, False)])
def test_gradient_descent_on_a_quadratic_is_stable_below_the_bound_only(factor, stable):
    """For a least-squares loss the Hessian is constant: the cap is exact."""
    x, y, w, _ = (torch.tensor(a) for a in make_data(seed=6, N=9, D_in=4, H=2, D_out=2))
    w = w.clone().requires_grad_()
    lr = factor * hessian_lr_bound(lambda: ((x @ w - y) ** 2).sum(), [w])
    best = torch.linalg.lstsq(x, y).solution
    start = (w - best).abs().max().item()
    with torch.no_grad():
        for _ in range(2000):
            w -= lr * 2 * x.T @ (x @ w - y)
    distance = (w - best).abs().max().item()
    assert (distance < start) if stable else (distance > 10 * start)


def test_top_eigenvalue_of_symmetric_matrices_with_negative_eigenvalues():
    rng = np.random.default_rng(0)
    for dim in (1, 3, 30):
        a = rng.standard_normal((dim, dim))
        sym = a + a.T - 2 * np.eye(dim)
        assert top_eigenvalue(lambda v, s=sym: s @ v, dim, steps=dim) == pytest.approx(
            np.linalg.eigvalsh(sym)[-1], rel=1e-10, abs=1e-12
        )


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: top_eigenvalue(3, 2), TypeError, "hvp to be a function"),
        (lambda: top_eigenvalue(lambda v: v, 0), ValueError, "dim to be a positive int"),
        (lambda: top_eigenvalue(lambda v: v[:1], 3), ValueError, r"return 3 finite numbers"),
        (lambda: top_eigenvalue(lambda v: v * np.nan, 3), ValueError, "finite numbers"),
        (lambda: torch_hvp(lambda: 0, []), ValueError, "non-empty list of tensors"),
        (lambda: torch_hvp(lambda: 0, [torch.ones(2)]), ValueError, "requires_grad=True"),
        (
            lambda: torch_hvp(
                lambda: torch.ones(2, requires_grad=True), [torch.ones(2, requires_grad=True)]
            ),
            ValueError,
            "0-d tensor",
        ),
    ],
)
def test_bad_input_messages(call, error, message):
    with pytest.raises(error, match=message):
        call()
