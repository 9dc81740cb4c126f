"""Reference problems, nets and training runs, written independently of the learner's code.

numpy only at import: notebook 01 never imports torch, and its checks must not.
"""

import numpy as np

from course_utils.curvature import top_eigenvalue
from course_utils.data import make_data


def small_problem(seed=7):
    """A tiny float64 instance with biases: N, D_in, H, D_out = 4, 5, 3, 2."""
    x, y, w1, w2 = make_data(seed=seed, N=4, D_in=5, H=3, D_out=2)
    rng = np.random.default_rng(seed + 1)
    return x, y, w1, rng.standard_normal(3), w2, rng.standard_normal(2)


def relu_net(x, y, w1, w2, b1=0.0, b2=0.0, act="relu"):
    """Reference forward and backward of the two-layer net: a dict of every array."""
    h = x @ w1 + b1
    if act == "relu":
        a, slope = np.maximum(h, 0), (h > 0).astype(float)
    else:
        a = np.tanh(h)
        slope = 1 - a**2
    y_pred = a @ w2 + b2
    g = 2 * (y_pred - y)  # dL/dy_pred
    g_a = g @ w2.T
    g_h = g_a * slope
    return dict(h=h, a=a, y_pred=y_pred, loss=((y_pred - y) ** 2).sum(), g=g, g_a=g_a, g_h=g_h)


def train_relu_net(x, y, w1, w2, lr, steps, scale=1.0):
    """Losses (steps,) of gradient descent on sum((relu(x @ w1) @ w2 - y)**2) / scale, float64.

    A step on w1 (D_in, H) moves h = x @ w1 by -lr * (x @ x.T) @ grad_h, so h is
    trained directly: (N, N) products instead of (N, D_in), 12 times faster for
    the course's sizes. Stops early at an inf or NaN loss.
    """
    gram, h, losses = x @ x.T, x @ w1, []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            h_relu = np.maximum(h, 0)
            diff = h_relu @ w2 - y
            losses.append(float((diff**2).sum()) / scale)
            if not np.isfinite(losses[-1]):
                break
            grad_y_pred = 2 * diff / scale
            grad_h = (grad_y_pred @ w2.T) * (h > 0)
            w2 = w2 - lr * h_relu.T @ grad_y_pred
            h = h - lr * gram @ grad_h
    return np.array(losses)


def relu_net_hvp(x, y, w1, w2, scale=1.0):
    """``hvp(v)``: the Hessian of sum((relu(x @ w1) @ w2 - y)**2) / scale times v, exact.

    ``v`` is flat float64 (w1.size + w2.size,), w1's entries first. The forward
    and backward passes are differentiated once more along (v1, v2) (the R-operator;
    the ReLU's kink has second derivative 0).
    """
    h = x @ w1
    mask = h > 0
    a = h * mask
    g = 2 * (a @ w2 - y) / scale

    def hvp(v):
        v1, v2 = v[: w1.size].reshape(w1.shape), v[w1.size :].reshape(w2.shape)
        da = (x @ v1) * mask
        dg = 2 * (da @ w2 + a @ v2) / scale
        d_w2 = da.T @ g + a.T @ dg
        d_w1 = x.T @ ((dg @ w2.T + g @ v2.T) * mask)
        return np.concatenate([d_w1.ravel(), d_w2.ravel()])

    return hvp


def relu_net_lr_cap(x, y, w1, w2, scale=1.0, steps=40):
    """2 / lambda_max of the full Hessian over w1 and w2 (Lanczos on :func:`relu_net_hvp`)."""
    lam_max = top_eigenvalue(relu_net_hvp(x, y, w1, w2, scale), w1.size + w2.size, steps=steps)
    return 2 / lam_max


def tiny_model(seed=0):
    """A float64 nn.Sequential 4 -> 3 (no bias) -> ReLU -> 2 (bias), with x (5, 4), y (5, 2)."""
    import torch
    from torch import nn

    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 3, bias=False), nn.ReLU(), nn.Linear(3, 2)).double()
    x = torch.randn(5, 4, dtype=torch.float64)
    return model, x, torch.randn(5, 2, dtype=torch.float64)


def all_close(params, others):
    """True if every tensor of ``params`` is allclose to its partner in ``others``."""
    import torch

    return all(torch.allclose(p, q) for p, q in zip(params, others))
