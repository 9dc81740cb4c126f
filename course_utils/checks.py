"""Gradient checks: relative error, centred differences, and one-line comparisons."""

import math

import numpy as np

from course_utils._validate import finite_array, float_array, positive_float


def rel_error(a, b):
    """Largest elementwise |a - b| / max(1e-8, |a| + |b|) of two same-shape float arrays.

    Works on numpy arrays and torch tensors. About 1e-7 or less: the two agree;
    about 1e-2 or more: one of them is wrong.
    """
    a, b = finite_array("a", a), finite_array("b", b)
    if a.shape != b.shape:
        raise ValueError(f"expected a and b of the same shape, got {a.shape} and {b.shape}")
    a, b = a.astype(np.float64), b.astype(np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)), initial=0.0))


def numerical_gradient(f, x, delta=1e-5):
    """Centred-difference gradient of a scalar function ``f`` at a float64 array ``x``.

    Each entry i: (f(x + delta e_i) - f(x - delta e_i)) / (2 delta), where e_i is
    the array with 1 at entry i and 0 elsewhere. ``x`` is changed in place while
    probing and restored afterwards. Returns a float64 array shaped like x.
    """
    if not callable(f):
        raise TypeError(f"expected f to be a function of one array, got {type(f).__name__}")
    x = finite_array("x", x)
    if x.dtype != np.float64:
        raise TypeError(f"expected x of dtype float64 (float32 is too coarse), got {x.dtype}")
    delta = positive_float("delta", delta)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + delta
        f_plus = _scalar(f(x))
        x[i] = old - delta
        f_minus = _scalar(f(x))
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * delta)
    return grad


def _scalar(value):
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"expected f(x) to be a finite number, got {value}")
    return value


def _bound(diff):
    """'<= 0' or '<= ' the next power of ten above ``diff``: a stable way to print a tiny number.

    A non-finite difference (a NaN or inf in the gradient) is printed as it is.
    """
    if not math.isfinite(diff):
        return str(diff)
    return "<= 0" if diff == 0 else f"<= {10.0 ** math.ceil(math.log10(diff)):.0e}"


def compare_grads(name, manual, reference, rtol=1e-7, atol=1e-10, check=True, exact=False):
    """Print one line comparing a hand-made gradient with a reference.

    The line gives: exact (bit for bit), allclose (within rtol/atol) and the
    largest difference as a power-of-ten bound. With ``check`` an AssertionError
    names the gradient when they are not close; with ``exact`` also when they
    are not equal bit for bit. Returns None, so that a cell ending with this
    call shows only the line.
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"expected name to be a non-empty str, got {name!r}")
    manual, reference = float_array("manual", manual), float_array("reference", reference)
    if manual.shape != reference.shape:
        raise ValueError(
            f"expected {name}: manual and reference of the same shape, "
            f"got {manual.shape} and {reference.shape}"
        )
    same = bool(np.array_equal(manual, reference))
    close = bool(np.allclose(manual, reference, rtol=rtol, atol=atol))
    diff = float(np.max(np.abs(manual.astype(np.float64) - reference), initial=0.0))
    print(f"{name:<12} exact: {same!s:<5}  allclose: {close!s:<5}  max diff {_bound(diff)}")
    if check and not close:
        raise AssertionError(
            f"{name}: the hand-made gradient differs from the reference (max diff {diff:.3g})"
        )
    if exact and not same:
        raise AssertionError(f"{name}: close, but not equal bit for bit (max diff {diff:.3g})")


def sgd_lr_bound(h_relu):
    """2 / lambda_max for the last layer: plain gradient descent is unstable above this lr.

    As a function of W2 (H, D_out), the summed squared error of h_relu @ W2 is
    quadratic, with Hessian 2 h_relu.T @ h_relu (H, H) for each output column.
    Gradient descent on a quadratic diverges along the top eigenvector when
    lr > 2 / lambda_max. ``h_relu``: (N, H), numpy or torch; computed in float64.
    For a layer with a bias, append a column of ones to h_relu.
    """
    h_relu = finite_array("h_relu", h_relu).astype(np.float64)
    if h_relu.ndim != 2 or 0 in h_relu.shape:
        raise ValueError(f"expected h_relu of shape (N, H), got {h_relu.shape}")
    lam_max = np.linalg.eigvalsh(2 * h_relu.T @ h_relu)[-1]
    if lam_max <= 0:
        raise ValueError("expected h_relu with a nonzero entry: every unit is inactive")
    return float(2 / lam_max)
