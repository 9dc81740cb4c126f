"""Checks of notebook 04's exercises: ThreeLayerNet (04.1), the loop (04.2), an SGD lr (04.3)."""

import numpy as np

from course_utils.checks import sgd_lr_bound
from course_utils.curvature import hessian_lr_bound
from course_utils.data import make_data
from course_utils.exercises._judge import as_lr, close, judge, judge_run
from course_utils.exercises._reference import all_close, tiny_model, train_relu_net


def check_three_layer_net(ThreeLayerNet):
    """Exercise 04.1: ``ThreeLayerNet(D_in, H, D_out)``, three bias-free layers with ReLUs."""
    import torch
    from torch import nn

    try:
        model = ThreeLayerNet(5, 4, 3)
    except AttributeError as err:
        if "before Module.__init__() call" in str(err):
            raise AssertionError(
                "call super().__init__() first in __init__, before assigning any layer"
            ) from None
        raise
    if not isinstance(model, nn.Module):
        raise AssertionError("expected a subclass of nn.Module")
    params = dict(model.named_parameters())
    if any(p.dim() == 1 for p in params.values()):
        raise AssertionError("the layers must have no biases: nn.Linear(..., bias=False)")
    weights = {tuple(p.shape): p.detach() for p in params.values()}
    if sorted(weights) != [(3, 4), (4, 4), (4, 5)] or len(params) != 3:
        raise AssertionError(
            "expected three registered weights of shapes (H, D_in), (H, H), (D_out, H) = "
            f"(4, 5), (4, 4), (3, 4), got {[tuple(p.shape) for p in params.values()]}. "
            "Assign each nn.Linear to self (a plain list hides them: use nn.ModuleList)."
        )
    gen = torch.Generator().manual_seed(0)  # fixed weights: the verdict does not hang on the init
    with torch.no_grad():
        for p in params.values():
            p.copy_(torch.randn(p.shape, generator=gen))
    x = torch.randn(16, 5, generator=gen)
    with torch.no_grad():
        y_pred = model(x)
    if not isinstance(y_pred, torch.Tensor):
        raise AssertionError(f"forward returned {y_pred!r}: is `return` inside forward?")
    w1, w2, w3 = weights[(4, 5)], weights[(4, 4)], weights[(3, 4)]

    def net(relu1, relu2, relu3):
        out = x
        for w, relu in ((w1, relu1), (w2, relu2), (w3, relu3)):
            out = out @ w.t()
            out = out.clamp(min=0) if relu else out
        return out.numpy()

    twice = (((x @ w1.t()).clamp(min=0) @ w2.t()).clamp(min=0) @ w2.t()).clamp(min=0) @ w3.t()
    mistakes = [
        ("linear2 is applied twice: forward uses each layer once.", twice.numpy()),
        ("no ReLU after the last layer: outputs must be able to go negative.", net(1, 1, 1)),
        ("apply a ReLU after the second layer too.", net(1, 0, 0)),
        ("apply a ReLU after the first layer.", net(0, 1, 0)),
        ("apply a ReLU after each hidden layer.", net(0, 0, 0)),
    ]
    judge(
        "y_pred",
        y_pred,
        net(1, 1, 0),
        mistakes,
        hint="forward: linear1, ReLU, linear2, ReLU, linear3, in that order.",
    )
    print("Correct: three layers, no biases, and forward applies them in order.")


_STEPS = 5  # check_fit calls fit(..., steps=5)

# How a loop can train, and what check_fit says when the learner's weights show it.
_TRAINED = {
    "accumulate": "without optimizer.zero_grad() the gradients add up across steps",
    "zero between": "the weights never changed: call optimizer.step() after loss.backward(), "
    "and zero_grad() before backward, not between backward and step",
    "step twice": "optimizer.step() runs twice per step: call it once, after loss.backward()",
    "mean": "it trains on the mean: use the summed squared error, (model(x) - y).pow(2).sum()",
}


def _fit_problem():
    """The model, data and optimizer that check_fit hands to every loop: SGD, lr 1e-2."""
    import torch

    model, x, y = tiny_model(seed=1)
    return model, x, y, torch.optim.SGD(model.parameters(), lr=1e-2)


def _reference_fit(variant):
    """(summed losses before each step and after the last, (_STEPS + 1,); the final weights)."""
    model, x, y, optimizer = _fit_problem()
    sums = []
    for _ in range(_STEPS):
        diff = (model(x) - y).pow(2)
        sums.append(diff.sum().item())
        loss = diff.mean() if variant == "mean" else diff.sum()
        if variant != "accumulate":
            optimizer.zero_grad()
        loss.backward()
        if variant == "zero between":
            optimizer.zero_grad()
        for _ in range(2 if variant == "step twice" else 1):
            optimizer.step()
    sums.append((model(x) - y).pow(2).sum().item())
    return np.array(sums), [p.detach() for p in model.parameters()]


def _as_losses(out):
    """The learner's losses as a float64 array, or a message naming what fit returned instead."""
    import torch

    if out is None:
        raise AssertionError("fit returned None: end it with `return losses`")
    if not isinstance(out, (list, tuple)):
        raise AssertionError(f"expected a list of Python floats, got {type(out).__name__}")
    for i, value in enumerate(out):
        if isinstance(value, torch.Tensor):
            raise AssertionError(
                f"loss {i} is a tensor: append loss.item(), a Python float, not loss "
                "(a tensor keeps the graph of its step alive)"
            )
        if not isinstance(value, float):
            raise AssertionError(
                f"loss {i} is a {type(value).__name__}: expected a Python float, loss.item()"
            )
    if len(out) > _STEPS:
        raise AssertionError(
            f"expected one loss per step, {_STEPS} (fit was called with steps={_STEPS}), got "
            f"{len(out)}: loop over range(steps)"
        )
    return np.array(out, dtype=np.float64)


def _judge_recorded(got, sums, n):
    """Name what is wrong with losses ``got`` of a loop that trained right; None if nothing."""
    ref = sums[:_STEPS]
    if len(got) == _STEPS and close(got, ref):
        return None
    if len(got) == _STEPS - 1 and close(got, sums[1:_STEPS]):
        return "the first loss is missing: record one loss per step, from the untrained model on"
    if len(got) != _STEPS:
        return f"expected one loss per step, {_STEPS}, got {len(got)}"
    mistakes = {
        "each loss is recorded after optimizer.step(): append loss.item() before the update, "
        "the loss that step computed its gradients from": sums[1:],
        "these are running totals: append each step's own loss.item()": np.cumsum(ref),
        "every entry is the first loss: compute the loss inside the loop, "
        "from model(x) at that step": np.full(_STEPS, ref[0]),
        f"the losses are the mean, {n} times smaller, but the step trained on the sum: "
        "record the loss you call backward() on": ref / n,
    }
    for message, wrong in mistakes.items():
        if close(got, wrong):
            return message
    i = int(np.argmax(~np.isclose(got, ref, rtol=1e-6)))
    return (
        f"loss {i} is {got[i]:.6g}, expected {ref[i]:.6g}; the weights are right, so record "
        "loss.item() of each step's summed loss, once per step, before optimizer.step()"
    )


def check_fit(fit):
    """Exercise 04.2: ``fit(model, x, y, optimizer, steps) -> list of float losses``.

    The weights after ``fit`` tell how it trained; the losses must then be the
    summed losses before each step, as a list (or tuple) of Python floats.
    """
    model, x, y, optimizer = _fit_problem()
    got = _as_losses(fit(model, x, y, optimizer, _STEPS))
    weights = [p.detach() for p in model.parameters()]
    runs = {v: _reference_fit(v) for v in ("right", *_TRAINED)}
    trained = next((v for v, (_, w) in runs.items() if all_close(weights, w)), None)
    if trained == "right":
        message = _judge_recorded(got, runs["right"][0], y.numel())
        if message is not None:
            raise AssertionError(message)
        print("Correct: zero_grad, backward, step, five times.")
        return
    if trained == "mean" and close(got, runs["mean"][0][:_STEPS]):
        raise AssertionError(
            "you record the summed loss but train on the mean: call backward() on the loss "
            "you record, the summed squared error"
        )
    if trained is not None:
        raise AssertionError(_TRAINED[trained])
    raise AssertionError(
        f"the weights differ from {_STEPS} steps of SGD on the summed squared error: each step "
        "runs zero_grad(), backward() and step() once, on (model(x) - y).pow(2).sum()"
    )


def _above_cap(lr, cap, losses, about):
    """The message for an lr above the cap: too large, whatever this one run did."""
    peak, end = int(np.argmax(losses)), losses[-1]
    if not np.isfinite(end):
        run = f"the loss overflowed to {end} at step {len(losses) - 1}"
    elif peak:
        run = f"the loss rose from {losses[0]:.3g} to {losses[peak]:.3g} at step {peak}"
        run += f" and ended at {end:.3g}" + (", below 1e-3 by luck" if end <= 1e-3 else "")
    elif end <= 1e-3:
        run = f"this run still ended at {end:.3g}, because the curvature fell as it trained"
    else:
        run = f"this run ended at {end:.3g}, above 1e-3"
    return (
        f"lr={lr:g} is too large: it is {lr / cap:.3g} times the cap 2/lambda_max = {cap:.2e} "
        "of the full Hessian, above which a step grows the error along the steepest direction "
        f"instead of shrinking it; {run}. Pick an lr below the cap. {about}"
    )


def check_sgd_lr(lr, steps=100):
    """Exercise 04.3: an lr below the cap that trains 04's TwoLayerNet below 1e-3 in ``steps``.

    The model is 04's default-initialised TwoLayerNet (seed 0). The cap is
    2/lambda_max of the full Hessian over W1 and W2 (Lanczos on Hessian-vector
    products, float64); the run is plain gradient descent in float64.
    """
    import torch
    from torch import nn

    lr = as_lr(lr)
    x, y, _, _ = make_data(seed=0)
    torch.manual_seed(0)  # 04's fresh_model(): TwoLayerNet's default init, seed 0
    model = nn.Sequential(
        nn.Linear(1000, 100, bias=False), nn.ReLU(), nn.Linear(100, 10, bias=False)
    ).double()
    xt, yt = torch.tensor(x), torch.tensor(y)
    cap = hessian_lr_bound(lambda: (model(xt) - yt).pow(2).sum(), list(model.parameters()))
    w1, w2 = (layer.weight.detach().numpy().T for layer in (model[0], model[2]))
    losses = train_relu_net(x, y, w1, w2, lr, steps)
    block = sgd_lr_bound(np.maximum(x @ w1, 0))
    about = (
        f"The cap is over W1 and W2 together; the W2 block alone gives {block:.2e}, "
        f"{block / cap:.1f} times too high."
    )
    if lr > cap * (1 + 1e-6):
        raise AssertionError(_above_cap(lr, cap, losses, about))
    small = "There is room for a larger lr, up to the cap. " + about
    judge_run(lr, losses, 1e-3, lambda: cap, small, about)
    print(
        f"Correct: lr={lr:g} brings the loss below 1e-3 in {steps} steps, at {lr / cap:.2g} "
        f"times the cap 2/lambda_max = {cap:.2e} of the full Hessian."
    )
