"""The exercise checks as a package: names, imports, and the shared references against torch."""

import subprocess
import sys

import numpy as np
import torch

import course_utils.exercises as ex
from course_utils import make_data, torch_hvp
from course_utils.curvature import hessian_lr_bound
from course_utils.exercises._reference import relu_net_hvp, relu_net_lr_cap, train_relu_net
from tests import (
    test_exercise_answers_01,
    test_exercise_answers_02,
    test_exercise_answers_03,
    test_exercise_answers_04,
)

CHECKS = {  # the names the notebooks import, by the module that holds them
    "nb01_numpy_by_hand": ["check_bias_gradients", "check_mean_loss_lr", "check_tanh_backward"],
    "nb02_tensors_by_hand": ["check_backward_torch", "check_shared_memory", "check_loss_torch"],
    "nb03_autograd_and_sequential": [
        "check_tanh_function",
        "check_train_step",
        "check_default_init_first_loss",
    ],
    "nb04_module_and_optim": ["check_three_layer_net", "check_fit", "check_sgd_lr"],
}


def test_every_check_is_exported_from_its_notebooks_module():
    assert sorted(ex.__all__) == sorted(n for names in CHECKS.values() for n in names)
    for module, names in CHECKS.items():
        assert module in ex.__doc__
        for name in names:
            assert getattr(ex, name).__module__ == f"course_utils.exercises.{module}"
            assert name in ex.__doc__, f"the package docstring does not say where {name} lives"


def test_importing_the_checks_does_not_import_torch():
    code = "import sys, course_utils.exercises; assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_banks_cover_all_twelve_exercises():
    banks = (test_exercise_answers_01, test_exercise_answers_02)
    banks += (test_exercise_answers_03, test_exercise_answers_04)
    answers = [a for bank in banks for a in bank.ANSWERS]
    assert len({a.exercise for a in answers}) == 12
    assert {a.check.__name__ for a in answers} == set(ex.__all__)


def net_loss(x, y, w1, w2, scale=1.0):
    """The course's loss, for numpy arrays and torch tensors alike."""
    h = x @ w1
    return (((h * (h > 0)) @ w2 - y) ** 2).sum() / scale


def test_the_numpy_hvp_matches_torch_double_backward():
    x, y, w1, w2 = make_data(seed=3, N=6, D_in=5, H=4, D_out=3)
    params = [torch.tensor(w, requires_grad=True) for w in (w1, w2)]
    xt, yt = torch.tensor(x), torch.tensor(y)
    reference, dim = torch_hvp(lambda: net_loss(xt, yt, *params, scale=18.0), params)
    v = np.random.default_rng(0).standard_normal(dim)
    assert np.allclose(relu_net_hvp(x, y, w1, w2, scale=18.0)(v), reference(v), rtol=1e-10)


def test_the_numpy_cap_matches_torch_on_notebook_01s_weights():
    x, y, w1, w2 = make_data(seed=0)
    params = [torch.tensor(w, requires_grad=True) for w in (w1, w2)]
    xt, yt = torch.tensor(x), torch.tensor(y)
    reference = hessian_lr_bound(lambda: net_loss(xt, yt, *params), params)
    assert abs(relu_net_lr_cap(x, y, w1, w2) / reference - 1) < 1e-8
    assert abs(reference - 8.475e-7) < 1e-10  # the review's full-Hessian cap of 01


def test_training_h_directly_matches_training_w1():
    x, y, w1_0, w2_0 = make_data(seed=3, N=8, D_in=20, H=6, D_out=3)
    w1, w2, lr, losses = w1_0, w2_0, 1e-3, []
    for _ in range(30):  # 01's loop, on the mean over 4 terms
        h = x @ w1
        h_relu = np.maximum(h, 0)
        losses.append(((h_relu @ w2 - y) ** 2).sum() / 4)
        grad_y_pred = 2 * (h_relu @ w2 - y) / 4
        grad_h = (grad_y_pred @ w2.T) * (h > 0)
        w1, w2 = w1 - lr * x.T @ grad_h, w2 - lr * h_relu.T @ grad_y_pred
    got = train_relu_net(x, y, w1_0, w2_0, lr, 30, scale=4)
    assert np.allclose(got, losses, rtol=1e-10, atol=0)
