"""Checks of notebook 02's exercises: torch backward (02.1), shared memory (02.2), loss (02.3)."""

import numpy as np

from course_utils.exercises._judge import judge, unpack
from course_utils.exercises._reference import relu_net, small_problem


def _call_by_hand(backward_torch, tensors):
    """``backward_torch(*tensors)`` with autograd off: a backward pass by hand needs none."""
    import torch

    with torch.no_grad():
        try:
            return backward_torch(*tensors)
        except RuntimeError as err:
            if "does not require grad" not in str(err):
                raise
    raise AssertionError(
        "your function calls autograd (backward() or torch.autograd.grad): this exercise asks "
        "for the backward pass by hand, the formulas of 01 written with tensor methods "
        "(grad_y_pred, grad_w2, grad_h, grad_w1). Autograd comes in notebook 03."
    )


def check_backward_torch(backward_torch):
    """Exercise 02.1: ``f(x, y, w1, w2) -> (grad_w1, grad_w2)`` on float64 tensors, by hand."""
    import torch

    x, y, w1, _, w2, _ = small_problem()
    tensors = [torch.tensor(a) for a in (x, y, w1, w2)]
    out = unpack(_call_by_hand(backward_torch, tensors), ("grad_w1", "grad_w2"))
    for name, got in zip(("grad_w1", "grad_w2"), out):
        if not isinstance(got, torch.Tensor):
            raise AssertionError(f"{name}: expected a torch.Tensor, got {type(got).__name__}")
    r = relu_net(x, y, w1, w2)
    sq = (r["y_pred"] - y) ** 2  # the notes' erratum uses this for grad_y_pred
    mask = r["h"] > 0
    judge(
        "grad_w2",
        out[1],
        r["a"].T @ r["g"],
        [
            ("the factor 2 is missing: grad_y_pred = 2 * (y_pred - y).", r["a"].T @ r["g"] / 2),
            (
                "(y_pred - y).pow(2) is the loss term, not its derivative 2 * (y_pred - y).",
                r["a"].T @ sq,
            ),
        ],
        hint="grad_w2 = h_relu.t().mm(grad_y_pred), as in 01.",
    )
    judge(
        "grad_w1",
        out[0],
        x.T @ r["g_h"],
        [
            ("the factor 2 is missing: grad_y_pred = 2 * (y_pred - y).", x.T @ r["g_h"] / 2),
            (
                "(y_pred - y).pow(2) is the loss term, not its derivative 2 * (y_pred - y).",
                x.T @ ((sq @ w2.T) * mask),
            ),
            ("apply the ReLU mask: grad_h = grad_h_relu * (h > 0).", x.T @ r["g_a"]),
            (
                "the mask is (h > 0): the gradient passes where the unit was active.",
                x.T @ (r["g_a"] * ~mask),
            ),
            (
                "clamp(min=0) on grad_h_relu keeps its positive entries; the mask keeps the "
                "entries where h > 0: grad_h = grad_h_relu * (h > 0).",
                x.T @ np.maximum(r["g_a"], 0),
            ),
        ],
        hint="grad_w1 = x.t().mm(grad_h), grad_h = grad_y_pred.mm(w2.t()) * (h > 0).",
        shape_hint="grad_w1 has the shape of w1, (D_in, H): x.t().mm(grad_h).",
    )
    print("Correct: your tensor backward pass matches notebook 01's formulas.")


def check_shared_memory(a, shared, copied):
    """Exercise 02.2: ``shared`` must see every change of numpy array ``a``; ``copied`` none."""
    import torch

    if not isinstance(a, np.ndarray) or a.dtype.kind != "f":
        raise AssertionError(f"expected a to be a numpy float array, got {type(a).__name__}")
    for name, t in (("shared", shared), ("copied", copied)):
        if not isinstance(t, torch.Tensor):
            raise AssertionError(f"{name}: expected a torch.Tensor, got {type(t).__name__}")
        if tuple(t.shape) != a.shape or not np.array_equal(t.detach().cpu().numpy(), a):
            raise AssertionError(f"{name}: expected the same values as a, shape {a.shape}")
    old = a.copy()
    a += 1  # a change to a, undone below: who sees it?
    sees = {
        n: np.array_equal(t.detach().numpy(), a)
        for n, t in (("shared", shared), ("copied", copied))
    }
    a[...] = old
    if not sees["shared"] and sees["copied"]:
        raise AssertionError("shared and copied are swapped: from_numpy shares, tensor copies.")
    if not sees["shared"]:
        raise AssertionError(
            "shared: it holds a copy. torch.from_numpy(a) shares a's memory; torch.tensor(a), "
            "a.copy() and a change of dtype all copy."
        )
    if sees["copied"]:
        raise AssertionError(
            "copied: it shares a's memory (from_numpy and as_tensor share); "
            "use torch.tensor(a) or .clone()."
        )
    print("Correct: changing a changes `shared` and leaves `copied` alone.")


def check_loss_torch(loss_torch):
    """Exercise 02.3: ``f(y_pred, y) -> summed squared error`` as a 0-d tensor, autograd-safe."""
    import torch

    y_pred = torch.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([[0.0, 1.0], [0.5, -1.0]], dtype=torch.float64)
    try:
        loss = loss_torch(y_pred, y)
    except RuntimeError as err:
        raise AssertionError(
            f"it failed on a tensor that requires grad ({str(err).splitlines()[0]}). "
            "numpy functions such as np.square cannot follow the graph: use tensor methods."
        ) from None
    if not isinstance(loss, torch.Tensor):
        raise AssertionError(
            f"expected a 0-d tensor, got {type(loss).__name__}: no .item(), so that "
            "autograd can go back through the loss."
        )
    if loss.ndim != 0:
        raise AssertionError(f"expected a 0-d tensor, got shape {tuple(loss.shape)}: add .sum()")
    if not loss.requires_grad:
        raise AssertionError("the result lost track of gradients: no .detach() or numpy inside")
    diff = (y_pred - y).detach().numpy()
    judge(
        "loss",
        loss,
        np.float64((diff**2).sum()),
        [
            ("that is the mean; the course's loss is the sum.", (diff**2).mean()),
            ("square each difference, then sum: not the square of the sum.", diff.sum() ** 2),
            ("square the differences: abs() is another loss.", np.abs(diff).sum()),
            ("(y_pred - y).sum() is not a loss: square each difference first.", diff.sum()),
            (
                "that is the norm, the square root of the summed squared error: square it, "
                "or write (y_pred - y).pow(2).sum().",
                np.sqrt((diff**2).sum()),
            ),
        ],
        hint="The summed squared error: (y_pred - y).pow(2).sum().",
    )
    loss.backward()
    judge("its gradient", y_pred.grad, 2 * diff, hint="Use tensor operations only.")
    print("Correct: a summed squared error that stays inside PyTorch.")
