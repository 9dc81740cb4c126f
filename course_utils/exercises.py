"""Self-checks for the notebooks' exercises: each says what is wrong, not just 'failed'.

Every check computes its own reference answer, on its own data, with code
written independently of the learner's: the loss and gradients of the model
the exercise asks for. A right answer prints a line starting with 'Correct';
a wrong one raises an AssertionError. When the wrong answer matches a known
mistake (a missing factor 2, a forgotten mask, a mean for a sum, ...), the
message names that mistake.
"""

import numpy as np

from course_utils._validate import as_array, positive_float
from course_utils.checks import rel_error, sgd_lr_bound
from course_utils.data import make_data


def _small_problem(seed=7):
    """A tiny float64 instance with biases: N, D_in, H, D_out = 4, 5, 3, 2."""
    x, y, w1, w2 = make_data(seed=seed, N=4, D_in=5, H=3, D_out=2)
    rng = np.random.default_rng(seed + 1)
    return x, y, w1, rng.standard_normal(3), w2, rng.standard_normal(2)


def _array(name, value, shape, shape_hint=""):
    """The learner's value as a float64 numpy array of ``shape``, or a message saying why not."""
    if type(value).__module__.startswith("torch"):
        value = as_array(name, value)
    if not isinstance(value, (np.ndarray, np.generic, float, int)) or isinstance(value, bool):
        raise AssertionError(f"{name}: expected an array, got {type(value).__name__}")
    value = np.asarray(value, dtype=np.float64)
    if value.shape != shape:
        raise AssertionError(f"{name}: expected shape {shape}, got {value.shape}. {shape_hint}")
    if not np.all(np.isfinite(value)):
        raise AssertionError(f"{name}: contains inf or NaN; did a value overflow or divide by 0?")
    return value


def _close(a, b):
    return np.allclose(a, b, rtol=1e-6, atol=1e-9 * max(1.0, float(np.max(np.abs(b), initial=0))))


def _judge(name, got, expected, mistakes=(), hint="", shape_hint=""):
    """Pass if ``got`` equals ``expected``; else name the first mistake it matches, or hint.

    ``mistakes``: pairs (what the mistake is, the value that mistake produces).
    """
    got = _array(name, got, expected.shape, shape_hint)
    if _close(got, expected):
        return
    for message, wrong in mistakes:
        if np.shape(wrong) == got.shape and _close(got, wrong):
            raise AssertionError(f"{name}: {message}")
    raise AssertionError(
        f"{name}: relative error {rel_error(got, expected):.1e} against the right value. {hint}"
    )


def _unpack(out, names):
    if not isinstance(out, (tuple, list)) or len(out) != len(names):
        raise AssertionError(f"expected a tuple ({', '.join(names)}), got {type(out).__name__}")
    return out


def _relu_net(x, y, w1, w2, b1=0.0, b2=0.0, act="relu"):
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


def check_bias_gradients(forward_backward_bias):
    """Exercise 01.1: ``f(x, y, w1, b1, w2, b2) -> (loss, grad_w1, grad_b1, grad_w2, grad_b2)``."""
    x, y, w1, b1, w2, b2 = _small_problem()
    names = ("loss", "grad_w1", "grad_b1", "grad_w2", "grad_b2")
    loss, g_w1, g_b1, g_w2, g_b2 = _unpack(forward_backward_bias(x, y, w1, b1, w2, b2), names)
    r = _relu_net(x, y, w1, w2, b1, b2)
    b1_after_relu = (((np.maximum(x @ w1, 0) + b1) @ w2 + b2 - y) ** 2).sum()
    loss_mistakes = [
        (
            "it ignores both biases: h = x @ w1 + b1, y_pred = h_relu @ w2 + b2.",
            _relu_net(x, y, w1, w2)["loss"],
        ),
        ("it ignores b1: add it to h, before the ReLU.", _relu_net(x, y, w1, w2, b2=b2)["loss"]),
        ("it ignores b2: add it to y_pred.", _relu_net(x, y, w1, w2, b1=b1)["loss"]),
        ("b1 belongs inside the ReLU: h = x @ w1 + b1, then h_relu = max(h, 0).", b1_after_relu),
        ("it is the mean; the course's loss is the sum of squared errors.", r["loss"] / y.size),
    ]
    _judge(
        "loss",
        loss,
        r["loss"],
        loss_mistakes,
        hint="h = x @ w1 + b1, h_relu = max(h, 0), y_pred = h_relu @ w2 + b2, summed loss.",
    )
    bias_rows = "is added to every row, so its gradient sums over the batch (axis 0)."
    _judge(
        "grad_w2",
        g_w2,
        r["a"].T @ r["g"],
        [
            ("the factor 2 of d(y_pred - y)^2 is missing.", r["a"].T @ (r["g"] / 2)),
        ],
        hint="grad_w2 = h_relu.T @ grad_y_pred, with h_relu computed from h = x @ w1 + b1.",
    )
    _judge(
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
    _judge(
        "grad_b1",
        g_b1,
        r["g_h"].sum(axis=0),
        [
            ("apply the ReLU mask first: sum grad_h, not grad_h_relu.", r["g_a"].sum(axis=0)),
            ("that is the mean over the batch; b1 " + bias_rows, r["g_h"].mean(axis=0)),
            ("b1 changes the loss: its gradient is not zero. b1 " + bias_rows, np.zeros(3)),
        ],
        hint="b1 " + bias_rows,
        shape_hint="b1 " + bias_rows,
    )
    _judge(
        "grad_w1",
        g_w1,
        x.T @ r["g_h"],
        [
            ("apply the ReLU mask (h > 0), with h = x @ w1 + b1.", x.T @ r["g_a"]),
        ],
        hint="Only h changed: grad_w1 = x.T @ grad_h, the mask taken from h = x @ w1 + b1.",
    )
    print("Correct: the loss and all four gradients match the reference.")


def check_tanh_backward(forward_backward_tanh):
    """Exercise 01.3: ``f(x, y, w1, w2) -> (loss, grad_w1, grad_w2)`` with tanh for ReLU."""
    x, y, w1, _, w2, _ = _small_problem()
    loss, g_w1, g_w2 = _unpack(forward_backward_tanh(x, y, w1, w2), ("loss", "grad_w1", "grad_w2"))
    r = _relu_net(x, y, w1, w2, act="tanh")
    _judge(
        "loss",
        loss,
        r["loss"],
        [
            (
                "this is the ReLU network's loss: use h_act = np.tanh(h).",
                _relu_net(x, y, w1, w2)["loss"],
            ),
        ],
        hint="The forward pass is h = x @ w1, h_act = np.tanh(h), y_pred = h_act @ w2.",
    )
    _judge(
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
    _judge(
        "grad_w1",
        g_w1,
        x.T @ r["g_h"],
        [(message, x.T @ (r["g_a"] * slope)) for message, slope in wrong.items()],
        hint="grad_h = grad_h_act * (1 - tanh(h)**2), then grad_w1 = x.T @ grad_h.",
    )
    print("Correct: the tanh network's loss and gradients match the reference.")


def _check_lr(lr):
    try:
        return positive_float("lr", lr)
    except ValueError:
        raise AssertionError(f"expected lr to be a positive number, got {lr!r}") from None


def _run_and_judge(lr, step, steps, target, bound, small_hint, large_hint):
    """Call ``step()`` (one training step, returns the loss) ``steps`` times; judge the run.

    Fails if the loss diverges or jumps above 10 times its start (the lr is too
    large), or ends above ``target``: too large if lr is at least half the
    curvature ``bound`` (there the loss oscillates), else too small.
    """
    losses = []
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps):
            losses.append(float(step()))
            if not np.isfinite(losses[-1]):
                raise AssertionError(
                    f"lr={lr:g} is too large: the loss became {losses[-1]} at step {t}. "
                    + large_hint
                )
    if max(losses) > 10 * losses[0]:
        raise AssertionError(
            f"lr={lr:g} is too large: the loss jumped from {losses[0]:.3g} to {max(losses):.3g} "
            f"and ended at {losses[-1]:.3g}. {large_hint}"
        )
    if losses[-1] > target:
        too = "large" if lr >= bound / 2 else "small"
        raise AssertionError(
            f"lr={lr:g} is too {too}: the loss went from {losses[0]:.3g} to {losses[-1]:.3g} "
            f"in {steps} steps, above {target:g}. {large_hint if too == 'large' else small_hint}"
        )
    return losses


def check_mean_loss_lr(lr, steps=500):
    """Exercise 01.2: train with the mean loss at ``lr``; pass if it converges like 01's run."""
    lr = _check_lr(lr)
    x, y, w1, w2 = make_data(seed=0)
    scale = y.size  # N * D_out terms in the mean
    weights = {"w1": w1, "w2": w2}
    # The mean's Hessian is the sum's divided by N * D_out: the bound grows by that factor.
    bound = scale * sgd_lr_bound(np.maximum(x @ w1, 0))

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

    small = (
        f"The mean divides every gradient by N*D_out = {scale}, so the lr must grow by "
        "about that factor over 01's 1e-6."
    )
    if lr < 1e-6:
        small += " You made it smaller: smaller gradients need a larger lr, not a smaller one."
    large = (
        f"The mean's curvature bound is N*D_out times 01's: 2/lambda_max = {bound:.1e}; "
        "01's lr sat right at its bound."
    )
    _run_and_judge(lr, step, steps, 1e-6, bound, small, large)
    print(
        f"Correct: lr={lr:g} brings the mean loss below 1e-6 in {steps} steps; "
        f"that is {lr / 1e-6:.0f} times 01's lr (N*D_out = {scale})."
    )


def check_backward_torch(backward_torch):
    """Exercise 02.1: ``f(x, y, w1, w2) -> (grad_w1, grad_w2)`` on float64 tensors."""
    import torch

    x, y, w1, _, w2, _ = _small_problem()
    out = _unpack(
        backward_torch(*(torch.tensor(a) for a in (x, y, w1, w2))), ("grad_w1", "grad_w2")
    )
    for name, got in zip(("grad_w1", "grad_w2"), out):
        if not isinstance(got, torch.Tensor):
            raise AssertionError(f"{name}: expected a torch.Tensor, got {type(got).__name__}")
    r = _relu_net(x, y, w1, w2)
    sq = (r["y_pred"] - y) ** 2  # the notes' erratum uses this for grad_y_pred
    mask = r["h"] > 0
    _judge(
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
    _judge(
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
    _judge(
        "loss",
        loss,
        np.float64((diff**2).sum()),
        [
            ("that is the mean; the course's loss is the sum.", (diff**2).mean()),
            ("square each difference, then sum: not the square of the sum.", diff.sum() ** 2),
            ("square the differences: abs() is another loss.", np.abs(diff).sum()),
            ("(y_pred - y).sum() is not a loss: square each difference first.", diff.sum()),
        ],
        hint="The summed squared error: (y_pred - y).pow(2).sum().",
    )
    loss.backward()
    _judge("its gradient", y_pred.grad, 2 * diff, hint="Use tensor operations only.")
    print("Correct: a summed squared error that stays inside PyTorch.")


def check_tanh_function(MyTanh):
    """Exercise 03.1: a torch.autograd.Function for tanh, checked against its derivative."""
    import torch

    h = torch.linspace(-2.5, 2.5, 12, dtype=torch.float64).reshape(3, 4).requires_grad_()
    upstream = torch.linspace(-1.0, 2.0, 12, dtype=torch.float64).reshape(3, 4)
    try:
        out = MyTanh.apply(h)
        out.backward(upstream)
    except NotImplementedError:
        raise  # the exercise is not done yet: say so plainly
    except Exception as err:  # the learner's code may fail in any way
        raise AssertionError(f"calling MyTanh failed: {type(err).__name__}: {err}") from None
    t = np.tanh(h.detach().numpy())
    _judge("forward", out, t, hint="forward must return torch.tanh(h).")
    g, hn = upstream.numpy(), h.detach().numpy()
    _judge(
        "backward",
        h.grad,
        g * (1 - t**2),
        [
            ("it returns grad_output unchanged: multiply by tanh'(h) = 1 - tanh(h)**2.", g),
            (
                "1 - h**2 uses the input: tanh'(h) = 1 - tanh(h)**2, with the output tanh(h).",
                g * (1 - hn**2),
            ),
            ("multiply by grad_output (the chain rule): it is not always 1.", 1 - t**2),
            ("square tanh(h): tanh'(h) = 1 - tanh(h)**2.", g * (1 - t)),
        ],
        hint="Save tanh(h) in forward (ctx.save_for_backward) and return "
        "grad_output * (1 - tanh(h)**2).",
    )
    probe = h.detach().clone().requires_grad_()
    try:
        torch.autograd.gradcheck(MyTanh.apply, (probe,), eps=1e-6, atol=1e-7)
    except Exception as err:  # GradcheckError, or the learner's own error
        raise AssertionError(f"gradcheck failed: {str(err).splitlines()[0]}") from None
    print("Correct: MyTanh's forward and backward match tanh, and gradcheck passes.")


def _tiny_model(seed=0):
    import torch
    from torch import nn

    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 3, bias=False), nn.ReLU(), nn.Linear(3, 2)).double()
    x = torch.randn(5, 4, dtype=torch.float64)
    return model, x, torch.randn(5, 2, dtype=torch.float64)


def _all_close(params, others):
    import torch

    return all(torch.allclose(p, q) for p, q in zip(params, others))


def _sgd_outcomes(model, x, y, lr, leftover):
    """The weights after one right SGD step from ``model``'s, and after the usual wrong steps.

    ``leftover``: the gradients the learner's model still holds from the call before.
    """
    import torch

    params = [p.detach().clone() for p in model.parameters()]
    grads = torch.autograd.grad((model(x) - y).pow(2).sum(), list(model.parameters()))

    def step(scale, gs=grads):
        return [p - scale * lr * g for p, g in zip(params, gs)]

    n = y.numel()
    mistakes = [
        ("it stepped along the gradient: subtract it, p -= lr * p.grad.", step(-1)),
        (f"the step is {n} times too small: the mean loss; use the sum (.sum()).", step(1 / n)),
        (
            "gradients accumulate across calls: zero them in each call (model.zero_grad()).",
            step(1, [g + old for g, old in zip(grads, leftover)]),
        ),
    ]
    return step(1), mistakes


def check_train_step(train_step, lr=1e-2):
    """Exercise 03.2: ``train_step(model, x, y, lr)``, one SGD step on the summed squared error."""
    import torch

    model, x, y = _tiny_model()
    ref, _, _ = _tiny_model()
    leftover = [torch.zeros_like(p) for p in ref.parameters()]
    for call in range(1, 4):
        right, mistakes = _sgd_outcomes(ref, x, y, lr, leftover)
        before = [p.detach().clone() for p in model.parameters()]
        versions = [p._version for p in model.parameters()]  # counts in-place writes
        try:
            train_step(model, x, y, lr)
        except TypeError as err:
            if "NoneType" not in str(err):
                raise
            raise AssertionError(
                f"call {call}: p.grad is None when the update runs: call loss.backward() "
                "before the update, and zero the gradients only after it."
            ) from None
        params = list(model.parameters())
        if not all(p.requires_grad and p.is_leaf for p in params):
            raise AssertionError("a parameter was replaced: update in place inside torch.no_grad()")
        got = [p.detach() for p in params]
        if not _all_close(got, right):
            if all(torch.equal(p, q) for p, q in zip(got, before)):
                if [p._version for p in params] == versions:
                    raise AssertionError(
                        f"call {call} never wrote into the weights: `p = p - lr * p.grad` makes "
                        "a new tensor that the model never sees. Update in place: p -= lr * p.grad."
                    )
                raise AssertionError(
                    f"call {call} left the weights unchanged: the gradients were zero when the "
                    "update ran. loss.backward(), then the update, and only then zero the grads."
                )
            for message, weights in mistakes:
                if _all_close(got, weights):
                    raise AssertionError(f"call {call}: {message}")
            raise AssertionError(
                f"call {call}: the weights differ from one SGD step on the summed squared "
                "error: loss.backward(), p -= lr * p.grad under torch.no_grad(), zero the grads."
            )
        with torch.no_grad():
            for p, q in zip(ref.parameters(), right):
                p.copy_(q)
        leftover = [torch.zeros_like(p) if p.grad is None else p.grad.clone() for p in params]
    print("Correct: three calls make three clean SGD steps.")


def check_default_init_first_loss(predict):
    """Exercise 03.3: ``predict(N, D_in, H, D_out)``, expected first loss, default init, no biases.

    The reference is exact: E[L] = N * D_out * (1 + 1/18) for x, y ~ N(0, 1) and
    nn.Linear's default weights, U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
    """
    for N, D_in, H, D_out in [(64, 1000, 100, 10), (64, 50, 2000, 10), (256, 300, 30, 4)]:
        got = float(predict(N, D_in, H, D_out)) / (N * D_out)  # per squared error
        right = 1 + 1 / 18
        if abs(got - right) < 0.02 / 18:
            continue
        mistakes = {
            "that is y's part alone: y_pred is small, but its variance 1/18 adds to it.": 1,
            "you left out y's variance 1: each error is y_pred - y.": 1 / 18,
            "ReLU halves E[h^2] once: E[h_relu^2] = Var(h)/2 = 1/6.": 1 + 1 / 9,
            "halve E[h^2] once only, at the ReLU: E[h_relu^2] = 1/6.": 1 + 1 / 36,
            "1/sqrt(fan_in) is the uniform's bound, not its standard deviation: "
            "Var(U(-a, a)) = a^2/3.": 1.5,
            "the model has no biases here: leave out the bias's 1/(3H).": right + 1 / (3 * H),
        }
        for message, value in mistakes.items():
            if abs(got - value) < 0.02 / 18:
                raise AssertionError(f"for N, D_in, H, D_out = {N, D_in, H, D_out}: {message}")
        raise AssertionError(
            f"for N, D_in, H, D_out = {N, D_in, H, D_out} you predict {got:.4g} per squared "
            "error. Follow the variance: Var(w) = 1/(3 fan_in), Var(h) = D_in Var(w), "
            "E[h_relu^2] = Var(h)/2, Var(y_pred) = H E[h_relu^2] Var(w2), plus y's 1."
        )
    print("Correct: N * D_out * (1 + 1/18); D_in and H drop out of the answer.")


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

    mistakes = [
        ("no ReLU after the last layer: outputs must be able to go negative.", net(1, 1, 1)),
        ("apply a ReLU after the second layer too.", net(1, 0, 0)),
        ("apply a ReLU after the first layer.", net(0, 1, 0)),
        ("apply a ReLU after each hidden layer.", net(0, 0, 0)),
    ]
    _judge(
        "y_pred",
        y_pred,
        net(1, 1, 0),
        mistakes,
        hint="forward: linear1, ReLU, linear2, ReLU, linear3, in that order.",
    )
    print("Correct: three layers, no biases, and forward applies them in order.")


def check_fit(fit):
    """Exercise 04.2: ``fit(model, x, y, optimizer, steps) -> list of float losses``."""
    import torch

    def run(variant):
        model, x, y = _tiny_model(seed=1)
        optimizer = torch.optim.SGD(model.parameters(), lr=1e-2)
        if variant == "learner":
            return fit(model, x, y, optimizer, 5), model
        losses = []
        for _ in range(5):
            loss = (model(x) - y).pow(2).sum()
            losses.append(loss.item())
            if variant == "right":
                optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return losses, model

    got, model = run("learner")
    (ref, ref_model), (_, acc_model) = run("right"), run("accumulating")
    if not isinstance(got, list) or not all(isinstance(v, float) for v in got):
        raise AssertionError("expected a list of Python floats: append loss.item(), not loss")
    if len(got) != 5:
        raise AssertionError(f"expected one loss per step, 5, got {len(got)}")
    _judge(
        "the first loss",
        got[0],
        np.float64(ref[0]),
        [
            ("that is the mean; use the summed squared error.", ref[0] / 10),
            ("record the loss of each step before the update, not after.", ref[1]),
        ],
        hint="Compute the summed squared error of model(x) before any step.",
    )
    got_w = [p.detach() for p in model.parameters()]
    if _all_close(got_w, ref_model.parameters()):
        print("Correct: zero_grad, backward, step, five times.")
        return
    if _all_close(got_w, acc_model.parameters()):
        raise AssertionError("without optimizer.zero_grad() the gradients add up across steps")
    fresh, _, _ = _tiny_model(seed=1)
    if all(torch.equal(p, q) for p, q in zip(got_w, fresh.parameters())):
        raise AssertionError(
            "the weights never changed: call optimizer.step() after loss.backward(), and "
            "zero_grad() before backward, not between backward and step"
        )
    raise AssertionError(
        "the weights differ from 5 clean steps: the order is zero_grad(), backward(), step()"
    )


def check_sgd_lr(lr, steps=500):
    """Exercise 04.3: an SGD learning rate that trains the default-initialised course model."""
    import torch
    from torch import nn

    lr = _check_lr(lr)
    x, y, _, _ = make_data(seed=0)
    x, y = torch.tensor(x), torch.tensor(y)  # float64: the verdict does not depend on the CPU
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(1000, 100, bias=False), nn.ReLU(), nn.Linear(100, 10, bias=False)
    ).double()
    with torch.no_grad():
        bound = sgd_lr_bound(model[1](model[0](x)))
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)

    def step():
        loss = (model(x) - y).pow(2).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    small = f"The curvature bound 2/lambda_max = {bound:.1e} leaves room: take a larger lr."
    large = f"Stay well below the curvature bound 2/lambda_max = {bound:.1e}."
    _run_and_judge(lr, step, steps, 1e-3, bound, small, large)
    print(f"Correct: lr={lr:g} brings the loss below 1e-3 in {steps} steps.")
