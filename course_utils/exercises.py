"""Self-checks for the notebooks' exercises: each says what is wrong, not just 'failed'.

Every check prints a confirmation when the answer is right and raises an
AssertionError whose message points at the mistake otherwise.
"""

import numpy as np

from course_utils.checks import numerical_gradient, rel_error
from course_utils.data import make_data


def _small_problem(seed=7):
    """A tiny float64 instance of the course network: N, D_in, H, D_out = 4, 5, 3, 2."""
    x, y, w1, w2 = make_data(seed=seed, N=4, D_in=5, H=3, D_out=2)
    rng = np.random.default_rng(seed + 1)
    return x, y, w1, rng.standard_normal(3), w2, rng.standard_normal(2)


def _check_one(name, got, loss_of, param, hint):
    """Compare a learner's gradient with centred differences of ``loss_of`` at ``param``."""
    expected = numerical_gradient(loss_of, param.copy())
    got = np.asarray(got, dtype=np.float64)
    if got.shape != expected.shape:
        raise AssertionError(f"{name}: expected shape {expected.shape}, got {got.shape}. {hint}")
    err = rel_error(got, expected)
    if err > 1e-5:
        raise AssertionError(
            f"{name}: relative error {err:.1e} against centred differences. {hint}"
        )


def check_bias_gradients(forward_backward_bias):
    """Exercise 01.1: ``f(x, y, w1, b1, w2, b2) -> (loss, grad_w1, grad_b1, grad_w2, grad_b2)``."""
    x, y, w1, b1, w2, b2 = _small_problem()
    params = {"w1": w1, "b1": b1, "w2": w2, "b2": b2}
    out = forward_backward_bias(x, y, w1, b1, w2, b2)
    if not isinstance(out, tuple) or len(out) != 5:
        raise AssertionError("expected a tuple (loss, grad_w1, grad_b1, grad_w2, grad_b2)")
    hints = {
        "w1": "Only h changed: the mask and x.T @ grad_h are as before.",
        "b1": "b1 is added to every row of h, so sum grad_h over the batch (axis 0).",
        "w2": "Use h_relu computed with b1 inside.",
        "b2": "b2 is added to every row of y_pred, so sum grad_y_pred over axis 0.",
    }
    for i, (name, p) in enumerate(params.items(), start=1):

        def loss_of(v, name=name):
            args = dict(params, **{name: v})
            return forward_backward_bias(x, y, args["w1"], args["b1"], args["w2"], args["b2"])[0]

        _check_one(f"grad_{name}", out[i], loss_of, p, hints[name])
    print("Correct: all four gradients match centred differences.")


def check_tanh_backward(forward_backward_tanh):
    """Exercise 01.3: ``f(x, y, w1, w2) -> (loss, grad_w1, grad_w2)`` with tanh for ReLU."""
    x, y, w1, _, w2, _ = _small_problem()
    loss, grad_w1, grad_w2 = forward_backward_tanh(x, y, w1, w2)
    hint = "d tanh(h)/dh = 1 - tanh(h)**2, applied elementwise to grad_h_act."
    _check_one("grad_w2", grad_w2, lambda v: forward_backward_tanh(x, y, w1, v)[0], w2, hint)
    _check_one("grad_w1", grad_w1, lambda v: forward_backward_tanh(x, y, v, w2)[0], w1, hint)
    print("Correct: the tanh network's gradients match centred differences.")


def _check_lr(lr):
    if not isinstance(lr, float) or not lr > 0:
        raise AssertionError(f"expected lr to be a positive float, got {lr!r}")


def _run_and_judge(lr, step, steps, target, slow_hint):
    """Call ``step()`` (one training step, returns the loss) ``steps`` times; judge the run.

    Raises an AssertionError if the loss diverges, jumps above 10 times its
    start, or ends above ``target``; returns the list of losses otherwise.
    """
    losses = []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            losses.append(float(step()))
            if not np.isfinite(losses[-1]):
                raise AssertionError(
                    f"lr={lr:g} diverges: the loss became {losses[-1]}. Try smaller."
                )
    if max(losses) > 10 * losses[0]:
        raise AssertionError(
            f"with lr={lr:g} the loss jumped to over 10 times its start ({max(losses):.3g} > "
            f"{losses[0]:.3g}) before settling at {losses[-1]:.3g}: this lr is too large."
        )
    if losses[-1] > target:
        raise AssertionError(
            f"with lr={lr:g} the loss went from {losses[0]:.3g} to only {losses[-1]:.3g} in "
            f"{steps} steps. {slow_hint}"
        )
    return losses


def check_mean_loss_lr(lr, steps=500):
    """Exercise 01.2: train with the mean loss at ``lr``; pass if it converges like 01's run."""
    _check_lr(lr)
    x, y, w1, w2 = make_data(seed=0)
    scale = y.size  # N * D_out terms in the mean
    weights = {"w1": w1, "w2": w2}

    def step():
        w1, w2 = weights["w1"], weights["w2"]
        h = x @ w1
        h_relu = np.maximum(h, 0)
        diff = h_relu @ w2 - y
        grad_y_pred = 2 * diff / scale
        grad_h = (grad_y_pred @ w2.T) * (h > 0)
        weights["w2"] = w2 - lr * h_relu.T @ grad_y_pred
        weights["w1"] = w1 - lr * x.T @ grad_h
        return (diff**2).mean()

    hint = (
        f"The mean divides every gradient by N*D_out = {scale}; the lr must grow by about that "
        "factor."
    )
    _run_and_judge(lr, step, steps, target=1e-6, slow_hint=hint)
    print(
        f"Correct: lr={lr:g} brings the mean loss below 1e-6 in {steps} steps; "
        f"that is {lr / 1e-6:.0f} times 01's lr (N*D_out = {scale})."
    )


def check_backward_torch(backward_torch):
    """Exercise 02.1: ``f(x, y, w1, w2) -> (grad_w1, grad_w2)`` on float64 tensors."""
    import torch

    x, y, w1, _, w2, _ = _small_problem()
    out = backward_torch(*(torch.tensor(a) for a in (x, y, w1, w2)))
    if not isinstance(out, tuple) or len(out) != 2:
        raise AssertionError("expected a tuple (grad_w1, grad_w2)")

    def loss_of(w1, w2):
        return ((np.maximum(x @ w1, 0) @ w2 - y) ** 2).sum()

    hint = "Compare line by line with 01: mm for @, .t() for .T, clone() for copy()."
    for name, got, f, p in (
        ("grad_w1", out[0], lambda v: loss_of(v, w2), w1),
        ("grad_w2", out[1], lambda v: loss_of(w1, v), w2),
    ):
        if not isinstance(got, torch.Tensor):
            raise AssertionError(f"{name}: expected a torch.Tensor, got {type(got).__name__}")
        _check_one(name, got.detach().numpy(), f, p, hint)
    print("Correct: your tensor backward pass matches notebook 01's.")


def check_shared_memory(a, shared, copied):
    """Exercise 02.2: ``shared`` must share memory with numpy array ``a``; ``copied`` must not."""
    import torch

    for name, t in (("shared", shared), ("copied", copied)):
        if not isinstance(t, torch.Tensor):
            raise AssertionError(f"{name}: expected a torch.Tensor, got {type(t).__name__}")
        if t.shape != a.shape or not np.array_equal(t.numpy(), a):
            raise AssertionError(f"{name}: expected the same values as a, shape {a.shape}")
    if not np.shares_memory(shared.numpy(), a):
        raise AssertionError("shared: it holds a copy; torch.from_numpy(a) shares a's memory.")
    if np.shares_memory(copied.numpy(), a):
        raise AssertionError("copied: it shares a's memory; use torch.tensor(a) or .clone().")
    print("Correct: changing a now changes `shared` and leaves `copied` alone.")


def check_loss_torch(loss_torch):
    """Exercise 02.3: ``f(y_pred, y) -> summed squared error`` as a 0-d tensor, autograd-safe."""
    import torch

    y_pred = torch.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([[0.0, 1.0], [0.5, -1.0]], dtype=torch.float64)
    try:
        loss = loss_torch(y_pred, y)
    except RuntimeError as err:
        raise AssertionError(
            f"it failed on a tensor that requires grad ({err}). Use tensor methods, not numpy."
        ) from None
    if not isinstance(loss, torch.Tensor) or loss.ndim != 0:
        raise AssertionError(f"expected a 0-d tensor (use .sum()), got {loss!r}")
    if not loss.requires_grad:
        raise AssertionError("the result lost track of gradients: stay in torch, no .item()")
    if not torch.isclose(loss, torch.tensor(26.0, dtype=torch.float64)):
        raise AssertionError(
            f"expected 26.0 for the test tensors (sum of squares), got {loss.item()}"
        )
    print("Correct: a summed squared error that stays inside PyTorch.")


def check_tanh_function(MyTanh):
    """Exercise 03.1: a torch.autograd.Function for tanh, checked with gradcheck in float64."""
    import torch

    h = torch.linspace(-3, 3, 12, dtype=torch.float64).reshape(3, 4).requires_grad_()
    out = MyTanh.apply(h)
    if not torch.allclose(out, torch.tanh(h)):
        raise AssertionError("forward: expected tanh(h); compare with torch.tanh(h)")
    try:
        torch.autograd.gradcheck(MyTanh.apply, (h,), eps=1e-6, atol=1e-7)
    except Exception as err:  # gradcheck raises GradcheckError (a RuntimeError) on a mismatch
        raise AssertionError(
            "backward does not match finite differences. Save what you need in forward "
            "(ctx.save_for_backward) and return grad_output * (1 - tanh(h)**2). "
            f"gradcheck said: {str(err).splitlines()[0]}"
        ) from None
    print("Correct: MyTanh passes torch.autograd.gradcheck in float64.")


def _tiny_model(seed=0):
    import torch
    from torch import nn

    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 3, bias=False), nn.ReLU(), nn.Linear(3, 2)).double()
    x = torch.randn(5, 4, dtype=torch.float64)
    return model, x, torch.randn(5, 2, dtype=torch.float64)


def check_train_step(train_step, lr=1e-2):
    """Exercise 03.2: ``train_step(model, x, y, lr)``, one SGD step on the summed squared error."""
    import torch

    model, x, y = _tiny_model()
    ref, _, _ = _tiny_model()
    for step in range(3):
        train_step(model, x, y, lr)
        ref.zero_grad()
        (ref(x) - y).pow(2).sum().backward()
        with torch.no_grad():
            for p in ref.parameters():
                p -= lr * p.grad
        for p, q in zip(model.parameters(), ref.parameters()):
            if not p.requires_grad or not p.is_leaf:
                raise AssertionError(
                    "a parameter was replaced by a new tensor: update in place, `p -= lr * p.grad`,"
                    " inside `with torch.no_grad():`"
                )
            if not torch.allclose(p, q):
                hint = "check the sign: step against the gradient."
                if step > 0:
                    hint = "gradients accumulate across calls: zero them (model.zero_grad())."
                raise AssertionError(
                    f"parameters differ from one SGD step after call {step + 1}; {hint}"
                )
    print("Correct: three calls make three clean SGD steps.")


def check_default_init_first_loss(predict):
    """Exercise 03.3: ``predict(N, D_in, H, D_out)``, first loss, default init, no biases."""
    import torch
    from torch import nn

    torch.manual_seed(0)
    for N, D_in, H, D_out in [(64, 1000, 100, 10), (64, 50, 2000, 10), (256, 300, 30, 4)]:
        got = float(predict(N, D_in, H, D_out))
        losses = []
        for _ in range(20):
            model = nn.Sequential(
                nn.Linear(D_in, H, bias=False), nn.ReLU(), nn.Linear(H, D_out, bias=False)
            )
            x, y = torch.randn(N, D_in), torch.randn(N, D_out)
            losses.append((model(x) - y).pow(2).sum().item())
        measured = sum(losses) / len(losses)
        if abs(got / measured - 1) > 0.05:
            raise AssertionError(
                f"for N, D_in, H, D_out = {N, D_in, H, D_out} you predict {got:.4g}, "
                f"the average of 20 draws is {measured:.4g}. Hint: Var(w) = 1/(3 fan_in); "
                "follow the variance through each layer as in notebook 01."
            )
    print("Correct: and note that D_in and H drop out of the answer.")


def check_three_layer_net(ThreeLayerNet):
    """Exercise 04.1: ``ThreeLayerNet(D_in, H, D_out)``, three bias-free layers with ReLUs."""
    import torch
    from torch import nn

    model = ThreeLayerNet(5, 4, 3)
    if not isinstance(model, nn.Module):
        raise AssertionError("expected a subclass of nn.Module (did you call super().__init__()?)")
    shapes = [tuple(p.shape) for p in model.parameters()]
    if shapes != [(4, 5), (4, 4), (3, 4)]:
        raise AssertionError(
            f"expected weights of shapes [(4, 5), (4, 4), (3, 4)] and no biases, got {shapes}"
        )
    w1, w2, w3 = (p.detach() for p in model.parameters())
    x = torch.randn(6, 5)
    y_pred = model(x)
    if not isinstance(y_pred, torch.Tensor):
        raise AssertionError(f"forward returned {y_pred!r}: is `return` inside forward?")
    expected = (x @ w1.t()).clamp(min=0) @ w2.t()
    expected = expected.clamp(min=0) @ w3.t()
    if y_pred.shape != (6, 3) or not torch.allclose(y_pred, expected, atol=1e-6):
        raise AssertionError("forward should apply linear1, ReLU, linear2, ReLU, linear3 in order")
    print("Correct: three layers, no biases, and forward applies them in order.")


def check_fit(fit):
    """Exercise 04.2: ``fit(model, x, y, optimizer, steps) -> list of float losses``."""
    import torch

    results = []
    for use_learner in (True, False):
        model, x, y = _tiny_model(seed=1)
        optimizer = torch.optim.SGD(model.parameters(), lr=1e-2)
        if use_learner:
            losses = fit(model, x, y, optimizer, 5)
        else:
            losses = []
            for _ in range(5):
                loss = (model(x) - y).pow(2).sum()
                losses.append(loss.item())
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
        results.append((losses, [p.detach().clone() for p in model.parameters()]))
    (got, got_params), (ref, ref_params) = results
    if not isinstance(got, list) or len(got) != 5 or not all(isinstance(v, float) for v in got):
        raise AssertionError("expected a list of 5 Python floats (use loss.item())")
    if got[0] != ref[0]:
        raise AssertionError(
            "the first loss differs: use the summed squared error, before any step"
        )
    if not all(torch.allclose(p, q) for p, q in zip(got_params, ref_params)):
        raise AssertionError(
            "the weights differ from 5 clean steps: the order is zero_grad(), backward(), step()"
        )
    print("Correct: zero_grad, backward, step, five times.")


def check_sgd_lr(lr, steps=500):
    """Exercise 04.3: an SGD learning rate that trains the default-init course model."""
    import torch
    from torch import nn

    _check_lr(lr)
    x, y, _, _ = make_data(seed=0)
    x, y = torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(1000, 100, bias=False), nn.ReLU(), nn.Linear(100, 10, bias=False)
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)

    def step():
        loss = (model(x) - y).pow(2).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    hint = "With the default init the gradients are about 1e4 times smaller than in 01."
    _run_and_judge(lr, step, steps, target=1e-3, slow_hint=hint)
    print(f"Correct: lr={lr:g} brings the loss below 1e-3 in {steps} steps.")
