"""The answer bank for notebook 03's exercises: MyTanh (03.1), one step (03.2), the first loss."""

import contextlib

import numpy as np
import torch

from course_utils.exercises import (
    check_default_init_first_loss,
    check_tanh_function,
    check_train_step,
)
from tests.exercise_bank import Answer, bank_tests, one

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
                "tanh twice": grad_out * (1 - torch.tanh(out) ** 2),
            }[variant]

    return MyTanh


# 03.2: one training step -----------------------------------------------------------------


def train_step(variant="right"):
    def step(model, x, y, lr):
        if variant == "zero first":
            model.zero_grad()
        quiet = torch.no_grad() if variant == "all under no_grad" else contextlib.nullcontext()
        with quiet:
            diff = (model(x) - y).pow(2)
            loss = diff.mean() if variant == "mean" else diff.sum()
            loss.backward()
        if variant == "zero before update":
            model.zero_grad()
        update = contextlib.nullcontext() if variant == "outside no_grad" else torch.no_grad()
        with update:
            for name, p in model.named_parameters():
                if variant == "rebind":
                    p = p - lr * p.grad  # the mistake: a new tensor
                elif variant == "sign":
                    p += lr * p.grad
                elif variant == "zero first":
                    p.sub_(lr * p.grad)
                elif variant == ".data":
                    p.data -= lr * p.grad
                elif variant != "weights only" or name.endswith("weight"):
                    p -= lr * p.grad
        if variant != "no zero_grad" and variant != "zero first":
            model.zero_grad()

    return step


# 03.3: the first loss --------------------------------------------------------------------


def first_loss(per_error):
    """predict(N, D_in, H, D_out): ``per_error(D_in, H)`` per squared error, times N * D_out."""
    return one(lambda N, D_in, H, D_out: N * D_out * per_error(D_in, H))


def tanh(label, variant, hint=None):
    return Answer("03.1", label, check_tanh_function, one(tanh_function(variant)), hint)


def step(label, variant, hint=None, note=None):
    return Answer("03.2", label, check_train_step, one(train_step(variant)), hint, note)


def loss(label, per_error, hint=None):
    return Answer("03.3", label, check_default_init_first_loss, first_loss(per_error), hint)


ANSWERS = [
    tanh("the course's answer", "right"),
    tanh("1 / cosh^2 of the saved input", "cosh"),
    tanh("grad_output unchanged", "unchanged", "backward: it returns grad_output unchanged"),
    tanh("1 - h**2 of the input", "1 - h**2", r"backward: 1 - h\*\*2 uses the input"),
    tanh("forgets grad_output", "no grad_output", "multiply by grad_output"),
    tanh("forward is a ReLU", "forward relu", r"forward must return torch.tanh\(h\)"),
    tanh("tanh of the saved output", "tanh twice", r"backward: tanh is applied twice"),
    step("the course's answer", "right"),
    step("zero_grad first, p.sub_", "zero first"),
    step(
        "p.data -= lr * p.grad: right, with a note",
        ".data",
        note=r"Correct: three calls.*\nNote: you updated through p.data.*discourages \.data",
    ),
    step("no zero_grad", "no zero_grad", "call 2: gradients accumulate"),
    step("mean loss", "mean", "10 times too small: the mean loss"),
    step("p = p - lr * p.grad", "rebind", r"`p = p - lr \* p.grad` makes a new tensor"),
    step("wrong sign", "sign", "stepped along the gradient"),
    step("zero_grad before the update", "zero before update", "p.grad is None when the update"),
    step(
        "in-place update outside no_grad (03's pitfall 2)",
        "outside no_grad",
        r"call 1: the in-place update .* ran outside torch.no_grad\(\)",
    ),
    step(
        "everything under no_grad",
        "all under no_grad",
        r"call 1: loss.backward\(\) found no graph.*under torch.no_grad\(\)",
    ),
    step(
        "the weights only, not the bias",
        "weights only",
        r"call 1: 2.bias never changed, the other parameters are right",
    ),
    loss("the course's answer", lambda D_in, H: 1 + 1 / 18),
    loss(
        "layer by layer, with the sizes", lambda D_in, H: 1 + H * (D_in / (3 * D_in) / 2) / (3 * H)
    ),
    loss("1/36", lambda D_in, H: 1 + 1 / 36, r"halve E\[h\^2\] once"),
    loss("1/12", lambda D_in, H: 1 + 1 / 12, "Follow the variance"),
    loss("no ReLU halving", lambda D_in, H: 1 + 1 / 9, r"ReLU halves E\[h\^2\]"),
    loss("bound taken as the std", lambda D_in, H: 1.5, "the uniform's bound"),
    loss("y only", lambda D_in, H: 1, "y's part alone"),
    loss("a bias term added", lambda D_in, H: 1 + 1 / 18 + 1 / (3 * H), "no biases"),
    loss(
        "a first-layer bias added",
        lambda D_in, H: 1 + 1 / 18 + 1 / (3 * D_in),
        r"\(64, 50, 2000, 10\).*leave out the first layer's bias",
    ),
    Answer(
        "03.3",
        "the mean, per squared error",
        check_default_init_first_loss,
        one(lambda N, D_in, H, D_out: 1 + 1 / 18),
        "the expected loss of one squared error",
    ),
    Answer(
        "03.3",
        "N left out",
        check_default_init_first_loss,
        one(lambda N, D_in, H, D_out: D_out * (1 + 1 / 18)),
        "you left out N",
    ),
]


test_answer, test_every_exercise_has_two_right_and_three_wrong_answers = bank_tests(
    ANSWERS, ("03.1", "03.2", "03.3")
)


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
