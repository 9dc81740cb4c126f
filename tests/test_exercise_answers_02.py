"""The answer bank for notebook 02's exercises: backward in torch (02.1), memory (02.2), loss."""

import numpy as np
import torch
from torch import nn

from course_utils.exercises import check_backward_torch, check_loss_torch, check_shared_memory
from tests.exercise_bank import Answer, bank_tests, one

# 02.1: tensor backward pass --------------------------------------------------------------


def torch_backward(variant="right"):
    def backward_torch(x, y, w1, w2):
        h = x.mm(w1)
        h_relu = h.clamp(min=0)
        y_pred = h_relu.mm(w2)
        grad_y_pred = {
            "no factor 2": y_pred - y,
            "erratum pow(2)": (y_pred - y).pow(2),
        }.get(variant, 2.0 * (y_pred - y))
        grad_w2 = h_relu.t().mm(grad_y_pred)
        grad_h = grad_y_pred.mm(w2.t())
        if variant == "clamped":
            grad_h = grad_h.clamp(min=0)
        elif variant != "no mask":
            grad_h = grad_h * (h > 0)
        grad_w1 = grad_h.t().mm(x) if variant == "transposed" else x.t().mm(grad_h)
        if variant == "numpy out":
            return grad_w1.numpy(), grad_w2.numpy()
        return grad_w1, grad_w2

    return backward_torch


def torch_backward_where(x, y, w1, w2):
    h = x @ w1
    y_pred = torch.relu(h) @ w2
    grad_y_pred = 2 * (y_pred - y)
    grad_h = torch.where(h > 0, grad_y_pred @ w2.T, torch.zeros_like(h))
    return x.T @ grad_h, torch.relu(h).T @ grad_y_pred


def torch_backward_notes(x, y, w1, w2):
    """The notes' own style: zero grad_h in place where h < 0."""
    h = x.mm(w1)
    h_relu = h.clamp(min=0)
    grad_y_pred = 2.0 * (h_relu.mm(w2) - y)
    grad_h = grad_y_pred.mm(w2.t()).clone()
    grad_h[h < 0] = 0
    return x.t().mm(grad_h), h_relu.t().mm(grad_y_pred)


def torch_backward_autograd(x, y, w1, w2):
    """Right values, but autograd's, not a backward pass by hand."""
    w1, w2 = w1.clone().requires_grad_(), w2.clone().requires_grad_()
    (x.mm(w1).clamp(min=0).mm(w2) - y).pow(2).sum().backward()
    return w1.grad, w2.grad


# 02.2: shared or copied ------------------------------------------------------------------


def memory(make_shared, make_copied):
    def args():
        a = np.arange(4.0)
        return a, make_shared(a), make_copied(a)

    return args


# 02.3: a loss that stays in PyTorch ------------------------------------------------------


LOSSES = {
    "right": lambda y_pred, y: (y_pred - y).pow(2).sum(),
    "unusual": lambda y_pred, y: nn.functional.mse_loss(y_pred, y, reduction="sum"),
    "np.square": lambda y_pred, y: np.square(y_pred - y).sum(),
    ".item()": lambda y_pred, y: (y_pred - y).pow(2).sum().item(),
    "mean": lambda y_pred, y: (y_pred - y).pow(2).mean(),
    "square of the sum": lambda y_pred, y: (y_pred - y).sum() ** 2,
    "no square": lambda y_pred, y: (y_pred - y).sum(),
    "norm": lambda y_pred, y: torch.norm(y_pred - y),
    "per column": lambda y_pred, y: (y_pred - y).pow(2).sum(dim=0),
}


def backward(label, variant, hint=None):
    return Answer("02.1", label, check_backward_torch, one(torch_backward(variant)), hint)


def shared(label, make_shared, make_copied, hint=None):
    return Answer("02.2", label, check_shared_memory, memory(make_shared, make_copied), hint)


def loss(label, variant, hint=None):
    return Answer("02.3", label, check_loss_torch, one(LOSSES[variant]), hint)


ANSWERS = [
    backward("the course's answer", "right"),
    Answer("02.1", "torch.where, @, .T", check_backward_torch, one(torch_backward_where)),
    Answer("02.1", "the notes' grad_h[h < 0] = 0", check_backward_torch, one(torch_backward_notes)),
    backward("no factor 2", "no factor 2", "grad_w2: the factor 2 is missing"),
    backward("the notes' pow(2)", "erratum pow(2)", r"\.pow\(2\) is the loss term"),
    backward("no ReLU mask", "no mask", "grad_w1: apply the ReLU mask"),
    backward("grad_w1 transposed", "transposed", r"expected shape \(5, 3\), got \(3, 5\)"),
    backward("numpy arrays returned", "numpy out", "expected a torch.Tensor, got ndarray"),
    backward(
        "grad_h clamped instead of masked",
        "clamped",
        r"grad_w1: clamp\(min=0\) on grad_h_relu keeps its positive entries",
    ),
    Answer(
        "02.1",
        "autograd, not by hand",
        check_backward_torch,
        one(torch_backward_autograd),
        r"your function calls autograd.*by hand",
    ),
    shared("the course's answer", torch.from_numpy, torch.tensor),
    shared("as_tensor and clone", torch.as_tensor, lambda a: torch.from_numpy(a).clone()),
    shared("two copies", torch.tensor, torch.tensor, "shared: it holds a copy"),
    shared("two shared", torch.from_numpy, torch.from_numpy, "copied: it shares a's memory"),
    shared("swapped", torch.tensor, torch.from_numpy, "swapped"),
    shared(
        "from_numpy of a copy",
        lambda a: torch.from_numpy(a.copy()),
        torch.tensor,
        r"a\.copy\(\)",
    ),
    shared(
        "as_tensor with float32: a change of dtype",
        lambda a: torch.as_tensor(a, dtype=torch.float32),
        torch.tensor,
        "shared: it holds a copy.*a change of dtype",
    ),
    loss("the course's answer", "right"),
    loss("mse_loss with reduction='sum'", "unusual"),
    loss("np.square, the notes' erratum", "np.square", "numpy functions such as np.square"),
    loss(".item() at the end", ".item()", r"got float: no \.item\(\)"),
    loss("the mean", "mean", "that is the mean"),
    loss("square of the sum", "square of the sum", "not the square of the sum"),
    loss("no square", "no square", "square each difference first"),
    loss("torch.norm", "norm", "that is the norm, the square root"),
    loss("summed over one axis only", "per column", r"got shape \(2,\): add \.sum\(\)"),
]


test_answer, test_every_exercise_has_two_right_and_three_wrong_answers = bank_tests(
    ANSWERS, ("02.1", "02.2", "02.3")
)
