"""Checks of notebook 03's exercises: MyTanh (03.1), a training step (03.2), first loss (03.3)."""

import numpy as np

from course_utils.exercises._judge import judge
from course_utils.exercises._reference import all_close, tiny_model


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
    judge("forward", out, t, hint="forward must return torch.tanh(h).")
    g, hn = upstream.numpy(), h.detach().numpy()
    judge(
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
            (
                "tanh is applied twice: the saved tensor is already tanh(h), so "
                "1 - out**2, not 1 - tanh(out)**2.",
                g * (1 - np.tanh(t) ** 2),
            ),
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


# Errors torch raises for two known mistakes: (a piece of its message, what to say instead).
_RUNTIME_MISTAKES = (
    (
        "leaf Variable that requires grad is being used in an in-place operation",
        "the in-place update p -= lr * p.grad ran outside torch.no_grad(), and autograd "
        "refuses to change a weight it tracks. Put the update loop inside `with torch.no_grad():`.",
    ),
    (
        "does not require grad and does not have a grad_fn",
        "loss.backward() found no graph behind the loss: was the forward pass computed under "
        "torch.no_grad()? Only the update goes inside no_grad; the forward pass and "
        "backward() stay outside.",
    ),
)


def _call_step(train_step, call, model, x, y, lr):
    """``train_step(model, x, y, lr)``; the errors of known mistakes become named messages."""
    try:
        train_step(model, x, y, lr)
    except TypeError as err:
        if "NoneType" not in str(err):
            raise
        raise AssertionError(
            f"call {call}: p.grad is None when the update runs: call loss.backward() "
            "before the update, and zero the gradients only after it."
        ) from None
    except RuntimeError as err:
        for text, message in _RUNTIME_MISTAKES:
            if text in str(err):
                raise AssertionError(f"call {call}: {message}") from None
        raise


def _wrong_step(call, model, got, before, right, versions, mistakes):
    """The message for weights ``got`` that are not one right SGD step from ``before``."""
    import torch

    params = list(model.parameters())
    if all(torch.equal(p, q) for p, q in zip(got, before)):
        if [p._version for p in params] == versions:
            return (
                f"call {call} never wrote into the weights: `p = p - lr * p.grad` makes "
                "a new tensor that the model never sees. Update in place: p -= lr * p.grad."
            )
        return (
            f"call {call} left the weights unchanged: the gradients were zero when the "
            "update ran. loss.backward(), then the update, and only then zero the grads."
        )
    for message, weights in mistakes:
        if all_close(got, weights):
            return f"call {call}: {message}"
    names = [n for n, _ in model.named_parameters()]
    stuck = [n for n, p, q in zip(names, got, before) if torch.equal(p, q)]
    moved = [(p, r) for n, p, r in zip(names, got, right) if n not in stuck]
    if stuck and all(torch.allclose(p, r) for p, r in moved):
        return (
            f"call {call}: {', '.join(stuck)} never changed, the other parameters are right: "
            "update every one of model.parameters()."
        )
    return (
        f"call {call}: the weights differ from one SGD step on the summed squared "
        "error: loss.backward(), p -= lr * p.grad under torch.no_grad(), zero the grads."
    )


def check_train_step(train_step, lr=1e-2):
    """Exercise 03.2: ``train_step(model, x, y, lr)``, one SGD step on the summed squared error."""
    import torch

    model, x, y = tiny_model()
    ref, _, _ = tiny_model()
    leftover = [torch.zeros_like(p) for p in ref.parameters()]
    via_data = False  # an update through p.data leaves the version counters alone
    for call in range(1, 4):
        right, mistakes = _sgd_outcomes(ref, x, y, lr, leftover)
        before = [p.detach().clone() for p in model.parameters()]
        versions = [p._version for p in model.parameters()]  # counts in-place writes
        _call_step(train_step, call, model, x, y, lr)
        params = list(model.parameters())
        if not all(p.requires_grad and p.is_leaf for p in params):
            raise AssertionError("a parameter was replaced: update in place inside torch.no_grad()")
        got = [p.detach() for p in params]
        if not all_close(got, right):
            raise AssertionError(_wrong_step(call, model, got, before, right, versions, mistakes))
        via_data |= [p._version for p in params] == versions
        with torch.no_grad():
            for p, q in zip(ref.parameters(), right):
                p.copy_(q)
        leftover = [torch.zeros_like(p) if p.grad is None else p.grad.clone() for p in params]
    print("Correct: three calls make three clean SGD steps.")
    if via_data:
        print(
            "Note: you updated through p.data. It works here, but PyTorch discourages .data: "
            "autograd never hears of the change, so a graph that still needs the old values "
            "gives wrong gradients without an error. Prefer "
            "`with torch.no_grad(): p -= lr * p.grad`."
        )


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
            "the model has no biases here: leave out the first layer's bias, 1/(3 D_in).": right
            + 1 / (3 * D_in),
            "that is the expected loss of one squared error: the summed loss adds up "
            "all N * D_out of them.": right / (N * D_out),
            "you left out N: the summed loss adds up the errors of all N examples.": right / N,
        }
        for message, value in mistakes.items():
            if abs(got - value) < 0.02 / 18 * value:
                raise AssertionError(f"for N, D_in, H, D_out = {N, D_in, H, D_out}: {message}")
        raise AssertionError(
            f"for N, D_in, H, D_out = {N, D_in, H, D_out} you predict {got:.4g} per squared "
            "error. Follow the variance: Var(w) = 1/(3 fan_in), Var(h) = D_in Var(w), "
            "E[h_relu^2] = Var(h)/2, Var(y_pred) = H E[h_relu^2] Var(w2), plus y's 1."
        )
    print("Correct: N * D_out * (1 + 1/18); D_in and H drop out of the answer.")
