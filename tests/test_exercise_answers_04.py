"""The answer bank for notebook 04's exercises: ThreeLayerNet (04.1), the loop (04.2), an lr."""

import numpy as np
import torch
from torch import nn

from course_utils.exercises import check_fit, check_sgd_lr, check_three_layer_net
from tests.exercise_bank import Answer, bank_tests, one

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
            if variant == "linear2 twice":
                h1 = self.linear2(h1).clamp(min=0)
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
        losses, running = [], 0.0
        first = (model(x) - y).pow(2).sum().item()
        for _ in range(500 if variant == "500 steps" else steps):
            diff = (model(x) - y).pow(2)
            loss = diff.mean() if variant in ("mean", "sum recorded") else diff.sum()
            if variant == "unusual":
                loss = nn.functional.mse_loss(model(x), y, reduction="sum")
            recorded = {
                "tensors": loss,
                "sum recorded": diff.sum().item(),
                "running": running + loss.item(),
                "first": first,
            }.get(variant, loss.item())
            running = recorded if variant == "running" else running
            if variant != "after step":
                losses.append(recorded)
            if variant not in ("no zero_grad", "unusual"):
                optimizer.zero_grad()
            loss.backward()
            if variant == "zero before step":
                optimizer.zero_grad()
            optimizer.step()
            if variant == "step twice":
                optimizer.step()
            if variant == "unusual":
                optimizer.zero_grad()
            if variant == "after step":
                losses.append((model(x) - y).pow(2).sum().item())
        if variant == "no return":
            return None
        return (
            tuple(losses) if variant == "tuple" else losses[1:] if variant == "no first" else losses
        )

    return run


def net(label, variant, hint=None):
    return Answer("04.1", label, check_three_layer_net, one(three_layer_net(variant)), hint)


def loop(label, variant, hint=None):
    return Answer("04.2", label, check_fit, one(fit(variant)), hint)


def sgd_lr(label, lr, hint=None, note=None):
    return Answer("04.3", label, check_sgd_lr, one(lr), hint, note)


ANSWERS = [
    net("the course's answer", "right"),
    net("layers in another order", "other order"),
    net("no super().__init__()", "no super", r"call super\(\).__init__\(\) first"),
    net("biases left on", "biases", "must have no biases"),
    net("one ReLU missing", "one relu", "ReLU after the second layer"),
    net("a ReLU on the output", "relu on output", "no ReLU after the last layer"),
    net("layers in a plain list", "plain list", "a plain list hides them"),
    net("forward without return", "no return", "is `return` inside forward"),
    net("linear2 applied twice", "linear2 twice", "linear2 is applied twice"),
    loop("the course's answer", "right"),
    loop("mse_loss, zero_grad at the end", "unusual"),
    loop("a tuple of floats", "tuple"),
    loop("tensors, not floats", "tensors", r"loss 0 is a tensor: append loss.item\(\)"),
    loop("no zero_grad", "no zero_grad", "without optimizer.zero_grad"),
    loop("zero_grad between backward and step", "zero before step", "not between backward"),
    loop("mean loss", "mean", "it trains on the mean: use the summed squared error"),
    loop("running totals", "running", "these are running totals"),
    loop("the first loss every step", "first", "every entry is the first loss"),
    loop("the loss after the step", "after step", r"recorded after optimizer.step\(\)"),
    loop("the first loss missing", "no first", "the first loss is missing"),
    loop("records the sum, trains on the mean", "sum recorded", "record the summed loss but train"),
    loop("optimizer.step() twice", "step twice", r"optimizer.step\(\) runs twice per step"),
    loop("steps ignored, 500 steps", "500 steps", r"got 500: loop over range\(steps\)"),
    loop("no return", "no return", "fit returned None: end it with `return losses`"),
    # 04.3: the passing window is 3.3e-4 to the cap 1.370e-3 (below 1e-3 in 100 steps)
    sgd_lr(
        "1e-4, 03's run: too slow", 1e-4, r"too small: the loss fell from 658 to 2.5 in 100 steps"
    ),
    sgd_lr("3.2e-4, just too slow", 3.2e-4, r"too small: .* to 0.0013\d in 100 steps"),
    sgd_lr("3.3e-4, just fast enough", 3.3e-4, note="0.24 times the cap"),
    sgd_lr("1e-3, below the cap", 1e-3, note=r"0.73 times the cap 2/lambda_max = 1.37e-03"),
    sgd_lr("1.3e-3, close to the cap", 1.3e-3),
    sgd_lr("a 0-d tensor", torch.tensor(1e-3)),
    sgd_lr("the notes' 1e-6", 1e-6, "too small.*without ever rising.*larger lr"),
    sgd_lr("1e-5", 1e-5, "too small.*larger lr"),
    sgd_lr("6e-5", 6e-5, r"too small: the loss fell from 658 to"),
    sgd_lr("1e-2", 1e-2, r"too large: it is 7.3 times the cap.*overflowed"),
    sgd_lr("2.5e-3", 2.5e-3, r"too large: it is 1.82 times the cap.*rose from 658"),
    sgd_lr(
        "1.5e-3, above the cap: converges, but no rule says it will",
        1.5e-3,
        r"too large: it is 1.09 times the cap.*still ended at.*the W2 block alone gives 2.76e-03",
    ),
    sgd_lr(
        "2.4e-3, a catapult",
        2.4e-3,
        r"too large: .*rose from 658 to 1.39e\+03 at step 3 and ended at 0.0367",
    ),
    sgd_lr("2.8e-3, the W2 block's cap", 2.8e-3, "too large: .*overflowed"),
    sgd_lr("a string", "1e-3", "got the string '1e-3'"),
    sgd_lr("a one-element list", [1e-3], r"expected lr to be one positive number, got \[0.001\]"),
]


test_answer, test_every_exercise_has_two_right_and_three_wrong_answers = bank_tests(
    ANSWERS, ("04.1", "04.2", "04.3")
)


def test_the_fit_reference_losses_are_those_of_the_learners_loop():
    """check_fit's reference run, against a loop written here with torch.optim.SGD."""
    from course_utils.exercises.nb04_module_and_optim import _reference_fit

    sums, weights = _reference_fit("right")
    model = fit("right")
    torch.manual_seed(1)
    m = nn.Sequential(nn.Linear(4, 3, bias=False), nn.ReLU(), nn.Linear(3, 2)).double()
    x, y = torch.randn(5, 4, dtype=torch.float64), torch.randn(5, 2, dtype=torch.float64)
    losses = model(m, x, y, torch.optim.SGD(m.parameters(), lr=1e-2), 5)
    assert np.allclose(losses, sums[:5], rtol=1e-12)
    assert all(torch.allclose(p, q) for p, q in zip(m.parameters(), weights))
