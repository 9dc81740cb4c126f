"""The training guard and the one loss format every notebook prints with."""

import math
import numbers


class DivergenceError(FloatingPointError):
    """Raised by :func:`check_loss` when the loss is inf or NaN."""


def _as_float(name, value):
    if hasattr(value, "item") and getattr(value, "ndim", 0) == 0:
        value = value.item()  # 0-d numpy array or torch tensor
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"expected {name} to be a real number or a 0-d array, got {value!r}")
    return float(value)


def check_loss(loss, step, lr):
    """Return ``loss`` as a float; raise DivergenceError naming the step and lr if not finite."""
    if isinstance(step, bool) or not isinstance(step, numbers.Integral) or step < 0:
        raise ValueError(f"expected step to be an int >= 0, got {step!r}")
    lr = _as_float("lr", lr)
    value = _as_float("loss", loss)
    if not math.isfinite(value):
        raise DivergenceError(
            f"training diverged: loss is {value} at step {step} with learning rate {lr:g}; "
            "try a smaller learning rate"
        )
    return value


def _below_float64(value):
    """True for a numpy or torch float of fewer than 64 bits (float32, float16, bfloat16)."""
    dtype = getattr(value, "dtype", None)
    if dtype is None:
        return False
    if type(dtype).__module__.startswith("torch"):
        return dtype.is_floating_point and dtype.itemsize < 8
    return dtype.kind == "f" and dtype.itemsize < 8


def format_loss(loss):
    """Format a loss with 4 significant digits in scientific notation: '3.152e+07'.

    A float32 (or smaller) array or tensor is refused: its last digits change
    with the CPU, so a stored output would not match on another machine.
    Show such a loss through a threshold instead (``loss < 1e-3``).
    """
    if _below_float64(loss):
        raise TypeError(
            f"expected a float64 loss, got {loss.dtype}: its last digits depend on the CPU; "
            "print a comparison such as `loss < 1e-3` instead"
        )
    value = _as_float("loss", loss)
    return f"{value:.3e}"
