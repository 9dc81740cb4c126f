"""Input checks shared by the helpers; each error says what was expected."""

import numbers

import numpy as np


def positive_int(name, value):
    """Return ``value`` if it is an int > 0, else raise a ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"expected {name} to be a positive int, got {value!r}")
    return int(value)


def positive_float(name, value):
    """Return ``value`` as a float if it is a finite number > 0, else raise a ValueError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"expected {name} to be a positive number, got {value!r}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"expected {name} to be a finite number > 0, got {value!r}")
    return value


def as_array(name, value):
    """Return a numpy view of a numpy array or torch tensor (detached, on the CPU)."""
    if isinstance(value, np.ndarray):
        return value
    if type(value).__module__.startswith("torch"):
        return value.detach().cpu().numpy()
    raise TypeError(
        f"expected {name} to be a numpy array or a torch tensor, got {type(value).__name__}"
    )


def float_array(name, value, *, dtype=None):
    """Like :func:`as_array`, and also require a floating dtype (``dtype`` if given)."""
    arr = as_array(name, value)
    if not np.issubdtype(arr.dtype, np.floating):
        raise TypeError(f"expected {name} to hold floats, got dtype {arr.dtype}")
    if dtype is not None and arr.dtype != dtype:
        raise TypeError(f"expected {name} of dtype {np.dtype(dtype)}, got {arr.dtype}")
    return arr


def finite_array(name, value, *, dtype=None):
    """Like :func:`float_array`, and also reject inf and NaN entries."""
    arr = float_array(name, value, dtype=dtype)
    if not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"expected {name} to be finite, found {bad} inf/NaN entries")
    return arr
