"""The answer bank for notebook 01's exercises: biases (01.1), the mean loss's lr (01.2), tanh."""

import numpy as np

from course_utils.exercises import check_bias_gradients, check_mean_loss_lr, check_tanh_backward
from tests.exercise_bank import Answer, bank_tests, one

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
        grad_h = grad_h_relu * ((x @ w1 if variant == "mask without b1" else h) > 0)
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
        elif variant == "keepdims":
            grad_b2 = grad_y_pred.sum(axis=0, keepdims=True)
        elif variant == "w1 transposed":
            grad_w1 = grad_h.T @ x
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


def bias(label, variant, hint=None):
    return Answer("01.1", label, check_bias_gradients, one(bias_net(variant)), hint)


def mean_lr(label, lr, hint=None):
    return Answer("01.2", label, check_mean_loss_lr, one(lr), hint)


def tanh(label, variant, hint=None):
    return Answer("01.3", label, check_tanh_backward, one(tanh_net(variant)), hint)


ANSWERS = [
    bias("the course's answer", "right"),
    Answer("01.1", "einsum, np.where, ones @", check_bias_gradients, one(bias_net_einsum)),
    bias("biases ignored, zero bias gradients", "no biases", "ignores both biases"),
    bias("grad_b1 without the mask", "b1 without mask", "grad_b1: apply the ReLU mask first"),
    bias("grad_b1 not summed", "b1 not summed", r"grad_b1: expected shape \(3,\).*sums over"),
    bias("grad_b2 without the factor 2", "b2 without factor 2", "grad_b2: the factor 2 is missing"),
    bias("grad_b1 as a mean", "b1 mean", "grad_b1: that is the mean over the batch"),
    bias("grad_b1 is NaN", "b1 NaN", "grad_b1: contains inf or NaN"),
    bias(
        "mask from x @ w1, without b1",
        "mask without b1",
        r"grad_w1: the ReLU mask comes from h = x @ w1 \+ b1, with b1: you took it from x @ w1",
    ),
    bias(
        "grad_b2 with keepdims=True",
        "keepdims",
        r"grad_b2: expected shape \(2,\), got \(1, 2\).*drop keepdims=True",
    ),
    bias(
        "grad_w1 transposed",
        "w1 transposed",
        r"grad_w1: expected shape \(5, 3\), got \(3, 5\).*the shape of w1",
    ),
    # 01.2: the passing window is 5.65e-4 to 7.15e-4 (final mean loss <= 2x 01's 7.6e-10)
    mean_lr("640 times 1e-6", 1e-6 * 640),
    mean_lr("a rounder 6e-4, as a numpy float", np.float64(6e-4)),
    mean_lr("7e-4, as a 0-d numpy array", np.array(7e-4)),
    mean_lr("01's lr unchanged", 1e-6, "too small.*grow by that factor"),
    mean_lr("divided by 640", 1e-6 / 640, "too small.*need a larger lr, not a smaller one"),
    mean_lr("1e-3, past the edge", 1e-3, r"too large: the mean loss rose .*cap 2/lambda_max"),
    mean_lr("1e-2, diverges", 1e-2, "too large: the mean loss overflowed"),
    mean_lr(
        "5e-4: converges, but 19 times worse than 01's run",
        5e-4,
        r"too small: the mean loss fell from 4.92e\+04 to 1.43e-08 .*without ever rising",
    ),
    mean_lr(
        "5.5e-4, just above the cap, too small all the same",
        5.5e-4,
        r"too small: .*without ever rising.*lr is 1.01 times the cap 2/lambda_max = 5.42e-04",
    ),
    mean_lr("7.5e-4, rises 3.3 times first", 7.5e-4, r"too large: the mean loss rose .* at step 3"),
    mean_lr("the mean loss's cap itself", 5.42e-4, "too small: .*0.999 times the cap"),
    mean_lr("a string", "6.4e-4", "got the string '6.4e-4': drop the quotes"),
    mean_lr("a negative lr", -6.4e-4, "expected lr > 0.*already steps downhill"),
    tanh("the course's answer", "right"),
    Answer("01.3", "1 / cosh^2", check_tanh_backward, one(tanh_net_cosh)),
    tanh("the unchanged ReLU network", "still relu", "loss: this is the ReLU network's loss"),
    tanh("1 - h**2", "1 - h**2", r"grad_w1: 1 - h\*\*2 is not the derivative"),
    tanh("no derivative factor", "no derivative", r"grad_w1: multiply grad_h_act by tanh'"),
    tanh("ReLU mask kept", "relu mask", r"grad_w1: the ReLU mask \(h > 0\) does not belong here"),
    tanh("grad_w2 from h", "w2 from h", r"grad_w2: use the activation tanh\(h\), not h"),
]


test_answer, test_every_exercise_has_two_right_and_three_wrong_answers = bank_tests(
    ANSWERS, ("01.1", "01.2", "01.3")
)
