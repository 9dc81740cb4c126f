"""The checks of notebook 01's exercises: biases (01.1), the mean loss's lr (01.2), tanh (01.3).

numpy only: notebook 01 never imports torch.
"""

from functools import partial

import numpy as np

from course_utils.data import make_data
from course_utils.exercises._judge import as_lr, judge, judge_run, unpack
from course_utils.exercises._reference import (
    relu_net,
    relu_net_lr_cap,
    small_problem,
    train_relu_net,
)


def check_bias_gradients(forward_backward_bias):
    """Exercise 01.1: ``f(x, y, w1, b1, w2, b2) -> (loss, grad_w1, grad_b1, grad_w2, grad_b2)``."""
    x, y, w1, b1, w2, b2 = small_problem()
    names = ("loss", "grad_w1", "grad_b1", "grad_w2", "grad_b2")
    loss, g_w1, g_b1, g_w2, g_b2 = unpack(forward_backward_bias(x, y, w1, b1, w2, b2), names)
    r = relu_net(x, y, w1, w2, b1, b2)
    b1_after_relu = (((np.maximum(x @ w1, 0) + b1) @ w2 + b2 - y) ** 2).sum()
    loss_mistakes = [
        (
            "it ignores both biases: h = x @ w1 + b1, y_pred = h_relu @ w2 + b2.",
            relu_net(x, y, w1, w2)["loss"],
        ),
        ("it ignores b1: add it to h, before the ReLU.", relu_net(x, y, w1, w2, b2=b2)["loss"]),
        ("it ignores b2: add it to y_pred.", relu_net(x, y, w1, w2, b1=b1)["loss"]),
        ("b1 belongs inside the ReLU: h = x @ w1 + b1, then h_relu = max(h, 0).", b1_after_relu),
        ("it is the mean; the course's loss is the sum of squared errors.", r["loss"] / y.size),
    ]
    judge(
        "loss",
        loss,
        r["loss"],
        loss_mistakes,
        hint="h = x @ w1 + b1, h_relu = max(h, 0), y_pred = h_relu @ w2 + b2, summed loss.",
    )
    bias_rows = "is added to every row, so its gradient sums over the batch (axis 0)."
    judge(
        "grad_w2",
        g_w2,
        r["a"].T @ r["g"],
        [
            ("the factor 2 of d(y_pred - y)^2 is missing.", r["a"].T @ (r["g"] / 2)),
        ],
        hint="grad_w2 = h_relu.T @ grad_y_pred, with h_relu computed from h = x @ w1 + b1.",
    )
    judge(
        "grad_b2",
        g_b2,
        r["g"].sum(axis=0),
        [
            ("the factor 2 is missing: grad_y_pred = 2 * (y_pred - y).", r["g"].sum(axis=0) / 2),
            ("that is the mean over the batch; b2 " + bias_rows, r["g"].mean(axis=0)),
            ("b2 does not change: its gradient is not zero, b2 " + bias_rows, np.zeros(2)),
        ],
        hint="b2 " + bias_rows,
        shape_hint="b2 " + bias_rows,
    )
    # grad_w1 before grad_b1: a wrong mask spoils both, and grad_w1's messages name the mask.
    no_b1_mask = "the ReLU mask comes from h = x @ w1 + b1, with b1: you took it from x @ w1."
    g_h_no_b1 = r["g_a"] * (x @ w1 > 0)
    judge(
        "grad_w1",
        g_w1,
        x.T @ r["g_h"],
        [
            ("apply the ReLU mask (h > 0), with h = x @ w1 + b1.", x.T @ r["g_a"]),
            (no_b1_mask, x.T @ g_h_no_b1),
        ],
        hint="Only h changed: grad_w1 = x.T @ grad_h, the mask taken from h = x @ w1 + b1.",
        shape_hint="grad_w1 has the shape of w1, (D_in, H): x.T @ grad_h.",
    )
    judge(
        "grad_b1",
        g_b1,
        r["g_h"].sum(axis=0),
        [
            ("apply the ReLU mask first: sum grad_h, not grad_h_relu.", r["g_a"].sum(axis=0)),
            (no_b1_mask, g_h_no_b1.sum(axis=0)),
            ("that is the mean over the batch; b1 " + bias_rows, r["g_h"].mean(axis=0)),
            ("b1 changes the loss: its gradient is not zero. b1 " + bias_rows, np.zeros(3)),
        ],
        hint="b1 " + bias_rows,
        shape_hint="b1 " + bias_rows,
    )
    print("Correct: the loss and all four gradients match the reference.")


def check_mean_loss_lr(lr, steps=500):
    """Exercise 01.2: train with the mean loss at ``lr``; pass if it ends as low as 01's run.

    01's run: the summed loss, lr 1e-6, 500 steps, from make_data(seed=0). Its last
    loss divided by N * D_out is the mean loss to match; the learner's run passes
    if its last mean loss is at most twice that. All in float64.
    """
    lr = as_lr(lr)
    x, y, w1, w2 = make_data(seed=0)
    scale = y.size  # N * D_out terms in the mean
    ours = train_relu_net(x, y, w1, w2, 1e-6, steps)[-1] / scale
    losses = train_relu_net(x, y, w1, w2, lr, steps, scale=scale)
    factor = f"by N*D_out = {scale}: its cap 2/lambda_max, and the lr, grow by that factor"
    small = f"The mean divides every gradient, and the Hessian, {factor}."
    if lr < 1e-6:
        small += " You made it smaller: smaller gradients need a larger lr, not a smaller one."
    large = f"The mean divides the Hessian {factor}, no more."
    goal = f"(01's run at 1e-6 ends at a mean loss of {ours:.2g}.)"
    cap = partial(relu_net_lr_cap, x, y, w1, w2, scale=scale)  # computed only on failure
    judge_run(lr, losses, 2 * ours, cap, f"{small} {goal}", f"{large} {goal}", "the mean loss")
    print(
        f"Correct: lr={lr:g} takes the mean loss to {losses[-1]:.2g} in {steps} steps, as low as "
        f"01's run at 1e-6 ({ours:.2g}); that is {lr / 1e-6:.0f} times 01's lr "
        f"(N*D_out = {scale})."
    )


def check_tanh_backward(forward_backward_tanh):
    """Exercise 01.3: ``f(x, y, w1, w2) -> (loss, grad_w1, grad_w2)`` with tanh for ReLU."""
    x, y, w1, _, w2, _ = small_problem()
    loss, g_w1, g_w2 = unpack(forward_backward_tanh(x, y, w1, w2), ("loss", "grad_w1", "grad_w2"))
    r = relu_net(x, y, w1, w2, act="tanh")
    judge(
        "loss",
        loss,
        r["loss"],
        [
            (
                "this is the ReLU network's loss: use h_act = np.tanh(h).",
                relu_net(x, y, w1, w2)["loss"],
            ),
        ],
        hint="The forward pass is h = x @ w1, h_act = np.tanh(h), y_pred = h_act @ w2.",
    )
    judge(
        "grad_w2",
        g_w2,
        r["a"].T @ r["g"],
        [
            (
                "use the activation tanh(h), not h: grad_w2 = h_act.T @ grad_y_pred.",
                r["h"].T @ r["g"],
            ),
        ],
        hint="grad_w2 = h_act.T @ grad_y_pred.",
    )
    tanh_rule = "tanh'(h) = 1 - tanh(h)**2"
    wrong = {
        f"1 - h**2 is not the derivative: {tanh_rule}.": 1 - r["h"] ** 2,
        f"square tanh(h): {tanh_rule}.": 1 - r["a"],
        f"the ReLU mask (h > 0) does not belong here: multiply by {tanh_rule}.": r["h"] > 0,
        f"multiply grad_h_act by {tanh_rule} (the chain rule through tanh).": 1.0,
    }
    judge(
        "grad_w1",
        g_w1,
        x.T @ r["g_h"],
        [(message, x.T @ (r["g_a"] * slope)) for message, slope in wrong.items()],
        hint="grad_h = grad_h_act * (1 - tanh(h)**2), then grad_w1 = x.T @ grad_h.",
    )
    print("Correct: the tanh network's loss and gradients match the reference.")
