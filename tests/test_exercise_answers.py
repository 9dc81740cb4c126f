"""An answer bank for the 12 exercise checks: right answers pass, wrong ones get the fitting hint.

For every exercise: the course's answer and one unusual but right answer must
pass; at least three plausible wrong answers must fail, each with the message
that names its mistake (a regular expression below).
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
import torch
from torch import nn

from course_utils import exercises as ex


@dataclass(frozen=True)
class Answer:
    exercise: str
    label: str
    check: Callable
    args: Callable  # () -> the arguments of the check, built fresh for each run
    hint: str | None = None  # None: must pass; else a regex the failure message must match


# 01.1: biases ----------------------------------------------------------------------------


def bias_net(variant="right"):
    def forward_backward_bias(x, y, w1, b1, w2, b2):
        if variant == "no biases":  # the forward pass ignores b1 and b2
            b1, b2 = np.zeros_like(b1), np.zeros_like(b2)
        h = x @ w1 + b1
        h_relu = np.maximum(h, 0)
        y_pred = h_relu @ w2 + b2
        loss = np.square(y_pred - y).sum()
        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.T @ grad_y_pred
        grad_b2 = grad_y_pred.sum(axis=0)
        grad_h_relu = grad_y_pred @ w2.T
        grad_h = grad_h_relu * (h > 0)
        grad_w1 = x.T @ grad_h
        grad_b1 = grad_h.sum(axis=0)
        if variant == "no biases":
            grad_b1, grad_b2 = np.zeros_like(b1), np.zeros_like(b2)
        elif variant == "b1 without mask":
            grad_b1 = grad_h_relu.sum(axis=0)
        elif variant == "b1 not summed":
            grad_b1 = grad_h
        elif variant == "b2 without factor 2":
            grad_b2 = (y_pred - y).sum(axis=0)
        elif variant == "b1 mean":
            grad_b1 = grad_h.mean(axis=0)
        elif variant == "b1 NaN":  # e.g. a 0/0 somewhere in the learner's code
            grad_b1 = grad_h.sum(axis=0) * np.nan
        return loss, grad_w1, grad_b1, grad_w2, grad_b2

    return forward_backward_bias


def bias_net_einsum(x, y, w1, b1, w2, b2):
    h = np.einsum("nd,dh->nh", x, w1) + b1
    h_relu = np.where(h > 0, h, 0.0)
    y_pred = h_relu @ w2 + b2
    loss = float(((y_pred - y) ** 2).sum())
    grad_y_pred = 2 * (y_pred - y)
    grad_h = np.where(h > 0, grad_y_pred @ w2.T, 0.0)
    ones = np.ones(len(x))
    return loss, x.T @ grad_h, ones @ grad_h, h_relu.T @ grad_y_pred, ones @ grad_y_pred


# 01.3: tanh ------------------------------------------------------------------------------


def tanh_net(variant="right"):
    def forward_backward_tanh(x, y, w1, w2):
        h = x @ w1
        h_act = np.maximum(h, 0) if variant == "still relu" else np.tanh(h)
        y_pred = h_act @ w2
        loss = np.square(y_pred - y).sum()
        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = (h if variant == "w2 from h" else h_act).T @ grad_y_pred
        grad_h_act = grad_y_pred @ w2.T
        slope = {
            "right": 1 - h_act**2,
            "w2 from h": 1 - h_act**2,
            "still relu": h > 0,
            "1 - h**2": 1 - h**2,
            "no derivative": 1.0,
            "relu mask": h > 0,
        }[variant]
        grad_w1 = x.T @ (grad_h_act * slope)
        return loss, grad_w1, grad_w2

    return forward_backward_tanh


def tanh_net_cosh(x, y, w1, w2):
    h = x @ w1
    y_pred = np.tanh(h) @ w2
    grad_y_pred = 2 * (y_pred - y)
    grad_h = (grad_y_pred @ w2.T) / np.cosh(h) ** 2  # tanh' = 1 / cosh^2
    return ((y_pred - y) ** 2).sum(), x.T @ grad_h, np.tanh(h).T @ grad_y_pred


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
        if variant != "no mask":
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
}


# 03.1: tanh as an autograd.Function ------------------------------------------------------


def tanh_function(variant="right"):
    class MyTanh(torch.autograd.Function):
        @staticmethod
        def forward(ctx, h):
            out = h.clamp(min=0) if variant == "forward relu" else torch.tanh(h)
            ctx.save_for_backward(h, out)
            return out

        @staticmethod
        def backward(ctx, grad_out):
            h, out = ctx.saved_tensors
            return {
                "right": grad_out * (1 - out**2),
                "forward relu": grad_out * (1 - torch.tanh(h) ** 2),
                "unchanged": grad_out,
                "1 - h**2": grad_out * (1 - h**2),
                "no grad_output": 1 - out**2,
                "cosh": grad_out / torch.cosh(h) ** 2,
            }[variant]

    return MyTanh


# 03.2: one training step -----------------------------------------------------------------


def train_step(variant="right"):
    def step(model, x, y, lr):
        if variant == "zero first":
            model.zero_grad()
        diff = (model(x) - y).pow(2)
        loss = diff.mean() if variant == "mean" else diff.sum()
        loss.backward()
        if variant == "zero before update":
            model.zero_grad()
        with torch.no_grad():
            for p in model.parameters():
                if variant == "rebind":
                    p = p - lr * p.grad  # the mistake: a new tensor
                elif variant == "sign":
                    p += lr * p.grad
                elif variant == "zero first":
                    p.sub_(lr * p.grad)
                else:
                    p -= lr * p.grad
        if variant in ("right", "mean", "rebind", "sign"):
            model.zero_grad()

    return step


# 04.1: ThreeLayerNet ---------------------------------------------------------------------


def three_layer_net(variant="right"):
    class ThreeLayerNet(nn.Module):
        def __init__(self, D_in, H, D_out):
            if variant != "no super":
                super().__init__()
            bias = variant == "biases"
            if variant == "plain list":
                self.layers = [nn.Linear(D_in, H), nn.Linear(H, H), nn.Linear(H, D_out)]
                return
            if variant == "other order":
                self.out = nn.Linear(H, D_out, bias=False)
                self.hidden = nn.Sequential(
                    nn.Linear(D_in, H, bias=False), nn.ReLU(), nn.Linear(H, H, bias=False)
                )
                return
            self.linear1 = nn.Linear(D_in, H, bias=bias)
            self.linear2 = nn.Linear(H, H, bias=bias)
            self.linear3 = nn.Linear(H, D_out, bias=bias)

        def forward(self, x):
            if variant == "other order":
                return self.out(torch.relu(self.hidden(x)))
            h1 = self.linear1(x).clamp(min=0)
            h2 = self.linear2(h1)
            if variant != "one relu":
                h2 = h2.clamp(min=0)
            y_pred = self.linear3(h2)
            if variant == "relu on output":
                y_pred = y_pred.clamp(min=0)
            if variant != "no return":
                return y_pred

    return ThreeLayerNet


# 04.2: the loop --------------------------------------------------------------------------


def fit(variant="right"):
    def run(model, x, y, optimizer, steps):
        losses = []
        for _ in range(steps):
            if variant == "unusual":
                loss = nn.functional.mse_loss(model(x), y, reduction="sum")
            else:
                diff = (model(x) - y).pow(2)
                loss = diff.mean() if variant == "mean" else diff.sum()
            losses.append(loss if variant == "tensors" else loss.item())
            if variant in ("right", "mean", "tensors"):
                optimizer.zero_grad()
            loss.backward()
            if variant == "zero before step":
                optimizer.zero_grad()
            optimizer.step()
            if variant == "unusual":
                optimizer.zero_grad()
        return losses

    return run


def one(value):
    """The arguments of a check that takes one answer."""
    return lambda: (value,)


ANSWERS = [
    # 01.1
    Answer("01.1", "the course's answer", ex.check_bias_gradients, one(bias_net())),
    Answer("01.1", "einsum, np.where, ones @", ex.check_bias_gradients, one(bias_net_einsum)),
    Answer(
        "01.1",
        "biases ignored, zero bias gradients",
        ex.check_bias_gradients,
        one(bias_net("no biases")),
        "ignores both biases",
    ),
    Answer(
        "01.1",
        "grad_b1 without the mask",
        ex.check_bias_gradients,
        one(bias_net("b1 without mask")),
        "grad_b1: apply the ReLU mask first",
    ),
    Answer(
        "01.1",
        "grad_b1 not summed",
        ex.check_bias_gradients,
        one(bias_net("b1 not summed")),
        r"grad_b1: expected shape \(3,\).*sums over the batch",
    ),
    Answer(
        "01.1",
        "grad_b2 without the factor 2",
        ex.check_bias_gradients,
        one(bias_net("b2 without factor 2")),
        "grad_b2: the factor 2 is missing",
    ),
    Answer(
        "01.1",
        "grad_b1 as a mean",
        ex.check_bias_gradients,
        one(bias_net("b1 mean")),
        "grad_b1: that is the mean over the batch",
    ),
    Answer(
        "01.1",
        "grad_b1 is NaN",
        ex.check_bias_gradients,
        one(bias_net("b1 NaN")),
        "grad_b1: contains inf or NaN",
    ),
    # 01.2
    Answer("01.2", "640 times 1e-6", ex.check_mean_loss_lr, one(1e-6 * 640)),
    Answer("01.2", "a rounder 5e-4", ex.check_mean_loss_lr, one(np.float64(5e-4))),
    Answer("01.2", "01's lr unchanged", ex.check_mean_loss_lr, one(1e-6), "too small.*must grow"),
    Answer(
        "01.2",
        "divided by 640",
        ex.check_mean_loss_lr,
        one(1e-6 / 640),
        "too small.*need a larger lr, not a smaller one",
    ),
    Answer(
        "01.2",
        "1e-3, past the edge",
        ex.check_mean_loss_lr,
        one(1e-3),
        "too large.*curvature bound",
    ),
    Answer(
        "01.2", "1e-2, diverges", ex.check_mean_loss_lr, one(1e-2), "too large.*curvature bound"
    ),
    # 01.3
    Answer("01.3", "the course's answer", ex.check_tanh_backward, one(tanh_net())),
    Answer("01.3", "1 / cosh^2", ex.check_tanh_backward, one(tanh_net_cosh)),
    Answer(
        "01.3",
        "the unchanged ReLU network",
        ex.check_tanh_backward,
        one(tanh_net("still relu")),
        "loss: this is the ReLU network's loss",
    ),
    Answer(
        "01.3",
        "1 - h**2",
        ex.check_tanh_backward,
        one(tanh_net("1 - h**2")),
        r"grad_w1: 1 - h\*\*2 is not the derivative",
    ),
    Answer(
        "01.3",
        "no derivative factor",
        ex.check_tanh_backward,
        one(tanh_net("no derivative")),
        r"grad_w1: multiply grad_h_act by tanh'",
    ),
    Answer(
        "01.3",
        "ReLU mask kept",
        ex.check_tanh_backward,
        one(tanh_net("relu mask")),
        r"grad_w1: the ReLU mask \(h > 0\) does not belong here",
    ),
    Answer(
        "01.3",
        "grad_w2 from h",
        ex.check_tanh_backward,
        one(tanh_net("w2 from h")),
        r"grad_w2: use the activation tanh\(h\), not h",
    ),
    # 02.1
    Answer("02.1", "the course's answer", ex.check_backward_torch, one(torch_backward())),
    Answer("02.1", "torch.where, @, .T", ex.check_backward_torch, one(torch_backward_where)),
    Answer(
        "02.1",
        "no factor 2",
        ex.check_backward_torch,
        one(torch_backward("no factor 2")),
        "grad_w2: the factor 2 is missing",
    ),
    Answer(
        "02.1",
        "the notes' pow(2)",
        ex.check_backward_torch,
        one(torch_backward("erratum pow(2)")),
        r"\.pow\(2\) is the loss term",
    ),
    Answer(
        "02.1",
        "no ReLU mask",
        ex.check_backward_torch,
        one(torch_backward("no mask")),
        "grad_w1: apply the ReLU mask",
    ),
    Answer(
        "02.1",
        "grad_w1 transposed",
        ex.check_backward_torch,
        one(torch_backward("transposed")),
        r"expected shape \(5, 3\), got \(3, 5\)",
    ),
    Answer(
        "02.1",
        "numpy arrays returned",
        ex.check_backward_torch,
        one(torch_backward("numpy out")),
        "expected a torch.Tensor, got ndarray",
    ),
    # 02.2
    Answer(
        "02.2",
        "the course's answer",
        ex.check_shared_memory,
        memory(torch.from_numpy, torch.tensor),
    ),
    Answer(
        "02.2",
        "as_tensor and clone",
        ex.check_shared_memory,
        memory(torch.as_tensor, lambda a: torch.from_numpy(a).clone()),
    ),
    Answer(
        "02.2",
        "two copies",
        ex.check_shared_memory,
        memory(torch.tensor, torch.tensor),
        "shared: it holds a copy",
    ),
    Answer(
        "02.2",
        "two shared",
        ex.check_shared_memory,
        memory(torch.from_numpy, torch.from_numpy),
        "copied: it shares a's memory",
    ),
    Answer(
        "02.2", "swapped", ex.check_shared_memory, memory(torch.tensor, torch.from_numpy), "swapped"
    ),
    Answer(
        "02.2",
        "from_numpy of a copy",
        ex.check_shared_memory,
        memory(lambda a: torch.from_numpy(a.copy()), torch.tensor),
        "a.copy\\(\\)",
    ),
    # 02.3
    Answer("02.3", "the course's answer", ex.check_loss_torch, one(LOSSES["right"])),
    Answer("02.3", "mse_loss with reduction='sum'", ex.check_loss_torch, one(LOSSES["unusual"])),
    Answer(
        "02.3",
        "np.square, the notes' erratum",
        ex.check_loss_torch,
        one(LOSSES["np.square"]),
        "numpy functions such as np.square",
    ),
    Answer(
        "02.3",
        ".item() at the end",
        ex.check_loss_torch,
        one(LOSSES[".item()"]),
        r"got float: no \.item\(\)",
    ),
    Answer("02.3", "the mean", ex.check_loss_torch, one(LOSSES["mean"]), "that is the mean"),
    Answer(
        "02.3",
        "square of the sum",
        ex.check_loss_torch,
        one(LOSSES["square of the sum"]),
        "not the square of the sum",
    ),
    Answer(
        "02.3",
        "no square",
        ex.check_loss_torch,
        one(LOSSES["no square"]),
        "square each difference first",
    ),
    # 03.1
    Answer("03.1", "the course's answer", ex.check_tanh_function, one(tanh_function())),
    Answer(
        "03.1", "1 / cosh^2 of the saved input", ex.check_tanh_function, one(tanh_function("cosh"))
    ),
    Answer(
        "03.1",
        "grad_output unchanged",
        ex.check_tanh_function,
        one(tanh_function("unchanged")),
        "backward: it returns grad_output unchanged",
    ),
    Answer(
        "03.1",
        "1 - h**2 of the input",
        ex.check_tanh_function,
        one(tanh_function("1 - h**2")),
        r"backward: 1 - h\*\*2 uses the input",
    ),
    Answer(
        "03.1",
        "forgets grad_output",
        ex.check_tanh_function,
        one(tanh_function("no grad_output")),
        "multiply by grad_output",
    ),
    Answer(
        "03.1",
        "forward is a ReLU",
        ex.check_tanh_function,
        one(tanh_function("forward relu")),
        r"forward must return torch.tanh\(h\)",
    ),
    # 03.2
    Answer("03.2", "the course's answer", ex.check_train_step, one(train_step())),
    Answer("03.2", "zero_grad first, p.sub_", ex.check_train_step, one(train_step("zero first"))),
    Answer(
        "03.2",
        "no zero_grad",
        ex.check_train_step,
        one(train_step("no zero_grad")),
        "call 2: gradients accumulate",
    ),
    Answer(
        "03.2",
        "mean loss",
        ex.check_train_step,
        one(train_step("mean")),
        "10 times too small: the mean loss",
    ),
    Answer(
        "03.2",
        "p = p - lr * p.grad",
        ex.check_train_step,
        one(train_step("rebind")),
        r"`p = p - lr \* p.grad` makes a new tensor",
    ),
    Answer(
        "03.2",
        "wrong sign",
        ex.check_train_step,
        one(train_step("sign")),
        "stepped along the gradient",
    ),
    Answer(
        "03.2",
        "zero_grad before the update",
        ex.check_train_step,
        one(train_step("zero before update")),
        "p.grad is None when the update runs",
    ),
    # 03.3
    Answer(
        "03.3",
        "the course's answer",
        ex.check_default_init_first_loss,
        one(lambda N, D_in, H, D_out: N * D_out * (1 + 1 / 18)),
    ),
    Answer(
        "03.3",
        "layer by layer, with the sizes",
        ex.check_default_init_first_loss,
        one(
            lambda N, D_in, H, D_out: N * D_out + N * D_out * H * (D_in / (3 * D_in) / 2) / (3 * H)
        ),
    ),
    Answer(
        "03.3",
        "1/36",
        ex.check_default_init_first_loss,
        one(lambda N, D_in, H, D_out: N * D_out * (1 + 1 / 36)),
        "halve E\\[h\\^2\\] once",
    ),
    Answer(
        "03.3",
        "1/12",
        ex.check_default_init_first_loss,
        one(lambda N, D_in, H, D_out: N * D_out * (1 + 1 / 12)),
        "Follow the variance",
    ),
    Answer(
        "03.3",
        "no ReLU halving",
        ex.check_default_init_first_loss,
        one(lambda N, D_in, H, D_out: N * D_out * (1 + 1 / 9)),
        "ReLU halves E\\[h\\^2\\]",
    ),
    Answer(
        "03.3",
        "bound taken as the std",
        ex.check_default_init_first_loss,
        one(lambda N, D_in, H, D_out: N * D_out * 1.5),
        "the uniform's bound",
    ),
    Answer(
        "03.3",
        "y only",
        ex.check_default_init_first_loss,
        one(lambda N, D_in, H, D_out: N * D_out),
        "y's part alone",
    ),
    Answer(
        "03.3",
        "a bias term added",
        ex.check_default_init_first_loss,
        one(lambda N, D_in, H, D_out: N * D_out * (1 + 1 / 18 + 1 / (3 * H))),
        "no biases",
    ),
    # 04.1
    Answer("04.1", "the course's answer", ex.check_three_layer_net, one(three_layer_net())),
    Answer(
        "04.1",
        "layers in another order",
        ex.check_three_layer_net,
        one(three_layer_net("other order")),
    ),
    Answer(
        "04.1",
        "no super().__init__()",
        ex.check_three_layer_net,
        one(three_layer_net("no super")),
        r"call super\(\).__init__\(\) first",
    ),
    Answer(
        "04.1",
        "biases left on",
        ex.check_three_layer_net,
        one(three_layer_net("biases")),
        "must have no biases",
    ),
    Answer(
        "04.1",
        "one ReLU missing",
        ex.check_three_layer_net,
        one(three_layer_net("one relu")),
        "ReLU after the second layer",
    ),
    Answer(
        "04.1",
        "a ReLU on the output",
        ex.check_three_layer_net,
        one(three_layer_net("relu on output")),
        "no ReLU after the last layer",
    ),
    Answer(
        "04.1",
        "layers in a plain list",
        ex.check_three_layer_net,
        one(three_layer_net("plain list")),
        "a plain list hides them",
    ),
    Answer(
        "04.1",
        "forward without return",
        ex.check_three_layer_net,
        one(three_layer_net("no return")),
        "is `return` inside forward",
    ),
    # 04.2
    Answer("04.2", "the course's answer", ex.check_fit, one(fit())),
    Answer("04.2", "mse_loss, zero_grad at the end", ex.check_fit, one(fit("unusual"))),
    Answer("04.2", "tensors, not floats", ex.check_fit, one(fit("tensors")), r"loss.item\(\)"),
    Answer(
        "04.2",
        "no zero_grad",
        ex.check_fit,
        one(fit("no zero_grad")),
        "without optimizer.zero_grad",
    ),
    Answer(
        "04.2",
        "zero_grad between backward and step",
        ex.check_fit,
        one(fit("zero before step")),
        "not between backward and step",
    ),
    Answer("04.2", "mean loss", ex.check_fit, one(fit("mean")), "that is the mean"),
    # 04.3
    Answer("04.3", "1e-4, the notes' Adam lr", ex.check_sgd_lr, one(1e-4)),
    Answer("04.3", "1e-3, well inside the bound", ex.check_sgd_lr, one(1e-3)),
    Answer("04.3", "the notes' 1e-6", ex.check_sgd_lr, one(1e-6), "too small.*larger lr"),
    Answer("04.3", "1e-5", ex.check_sgd_lr, one(1e-5), "too small.*larger lr"),
    Answer("04.3", "1e-2", ex.check_sgd_lr, one(1e-2), "too large.*curvature bound"),
    Answer(
        "04.3", "2.5e-3, at the edge", ex.check_sgd_lr, one(2.5e-3), "too large.*curvature bound"
    ),
]


TRAINS = ("01.2", "04.3")  # these checks train the course network for 500 steps: the slow tier


@pytest.mark.parametrize(
    "answer",
    [pytest.param(a, marks=pytest.mark.slow) if a.exercise in TRAINS else a for a in ANSWERS],
    ids=lambda a: f"{a.exercise} {a.label}",
)
def test_answer(answer, capsys):
    if answer.hint is None:
        answer.check(*answer.args())
        assert capsys.readouterr().out.startswith("Correct")
    else:
        with pytest.raises(AssertionError, match=answer.hint):
            answer.check(*answer.args())


def test_every_exercise_has_two_right_and_three_wrong_answers():
    exercises = sorted({a.exercise for a in ANSWERS})
    assert len(exercises) == 12
    for e in exercises:
        answers = [a for a in ANSWERS if a.exercise == e]
        assert sum(a.hint is None for a in answers) >= 2, e
        assert sum(a.hint is not None for a in answers) >= 3, e


def test_the_first_loss_reference_is_the_average_of_many_draws():
    """03.3's exact reference, 1 + 1/18 per squared error, against 400 random models."""
    gen = torch.Generator().manual_seed(0)
    N, D_in, H, D_out = 64, 300, 50, 4
    losses = []
    for _ in range(400):
        bound1, bound2 = 1 / D_in**0.5, 1 / H**0.5
        w1 = (torch.rand(D_in, H, generator=gen, dtype=torch.float64) * 2 - 1) * bound1
        w2 = (torch.rand(H, D_out, generator=gen, dtype=torch.float64) * 2 - 1) * bound2
        x = torch.randn(N, D_in, generator=gen, dtype=torch.float64)
        y = torch.randn(N, D_out, generator=gen, dtype=torch.float64)
        losses.append(((x @ w1).clamp(min=0) @ w2 - y).pow(2).mean().item())
    mean, sem = np.mean(losses), np.std(losses) / len(losses) ** 0.5
    assert abs(mean - (1 + 1 / 18)) < 4 * sem
