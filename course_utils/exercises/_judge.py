"""Judging a learner's answer: compare with a reference, name the mistake, or say what to fix.

Every failure is an AssertionError whose message names what was expected. A
value that matches a known mistake (a missing factor 2, a mean for a sum, ...)
gets that mistake's message; any other wrong value gets a hint.
"""

import numpy as np

from course_utils._validate import as_array, positive_float
from course_utils.checks import rel_error


def as_float_array(name, value, shape, shape_hint=""):
    """The learner's value as a float64 numpy array of ``shape``, or a message saying why not."""
    if type(value).__module__.startswith("torch"):
        value = as_array(name, value)
    if not isinstance(value, (np.ndarray, np.generic, float, int)) or isinstance(value, bool):
        raise AssertionError(f"{name}: expected an array, got {type(value).__name__}")
    value = np.asarray(value, dtype=np.float64)
    if value.shape != shape:
        if np.squeeze(value).shape == tuple(n for n in shape if n != 1):
            shape_hint = "The right size with an extra axis of length 1: drop keepdims=True."
        raise AssertionError(f"{name}: expected shape {shape}, got {value.shape}. {shape_hint}")
    if not np.all(np.isfinite(value)):
        raise AssertionError(f"{name}: contains inf or NaN; did a value overflow or divide by 0?")
    return value


def close(a, b):
    """True if ``a`` equals ``b`` to rtol 1e-6, with an atol of 1e-9 of ``b``'s largest entry."""
    scale = max(1.0, float(np.max(np.abs(b), initial=0)))
    return bool(np.allclose(a, b, rtol=1e-6, atol=1e-9 * scale))


def judge(name, got, expected, mistakes=(), hint="", shape_hint=""):
    """Pass if ``got`` equals ``expected``; else name the first mistake it matches, or hint.

    ``mistakes``: pairs (what the mistake is, the value that mistake produces).
    """
    got = as_float_array(name, got, np.shape(expected), shape_hint)
    if close(got, expected):
        return
    for message, wrong in mistakes:
        if np.shape(wrong) == got.shape and close(got, wrong):
            raise AssertionError(f"{name}: {message}")
    raise AssertionError(
        f"{name}: relative error {rel_error(got, expected):.1e} against the right value. {hint}"
    )


def unpack(out, names):
    """``out`` if it is a tuple or list of ``len(names)`` values, else a message naming them."""
    if not isinstance(out, (tuple, list)) or len(out) != len(names):
        raise AssertionError(f"expected a tuple ({', '.join(names)}), got {type(out).__name__}")
    return out


def as_lr(lr):
    """The learner's learning rate as a float > 0: a number, or a 0-d numpy array or tensor."""
    if isinstance(lr, str):
        raise AssertionError(f"expected lr to be a number, got the string {lr!r}: drop the quotes")
    if getattr(lr, "ndim", None) == 0 and hasattr(lr, "item"):
        lr = lr.item()  # a 0-d tensor or numpy array holds one number
    if isinstance(lr, (int, float)) and not isinstance(lr, bool) and lr <= 0:
        raise AssertionError(
            f"expected lr > 0, got {lr!r}: the update subtracts lr * grad itself, so a "
            "positive lr already steps downhill"
        )
    try:
        return positive_float("lr", lr)
    except ValueError:
        raise AssertionError(f"expected lr to be one positive number, got {lr!r}") from None


def judge_run(lr, losses, target, cap, small_hint, large_hint, loss_name="the loss"):
    """Pass if the last of ``losses`` is at most ``target``; else say whether lr is too large.

    Too large when the loss rose above its start (or overflowed), too small when
    it only fell. Either message gives lr against ``cap()``, the curvature bound
    2/lambda_max of the full Hessian at the start, computed only on failure.
    """
    start, end, steps = losses[0], losses[-1], len(losses)
    if np.isfinite(end) and end <= target:
        return
    peak = int(np.argmax(losses))
    bound = cap()
    where = f"lr is {lr / bound:.3g} times the cap 2/lambda_max = {bound:.2e} of the full Hessian."
    if not np.isfinite(end):
        raise AssertionError(
            f"lr={lr:g} is too large: {loss_name} overflowed to {end} at step {steps - 1}. "
            f"{where} {large_hint}"
        )
    if losses[peak] > start:
        raise AssertionError(
            f"lr={lr:g} is too large: {loss_name} rose from {start:.3g} to {losses[peak]:.3g} at "
            f"step {peak} and ended at {end:.3g}, above {target:.2g}. {where} {large_hint}"
        )
    raise AssertionError(
        f"lr={lr:g} is too small: {loss_name} fell from {start:.3g} to {end:.3g} in {steps} "
        f"steps without ever rising, not below {target:.2g}. {where} {small_hint}"
    )
