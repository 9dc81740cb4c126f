"""The course's data: one random regression problem, the same in every notebook."""

import numpy as np

from course_utils._validate import float_array, positive_int

#: (N, D_in, H, D_out): batch size, input size, hidden size, output size.
COURSE_SHAPES = (64, 1000, 100, 10)


def make_data(seed=0, N=64, D_in=1000, H=100, D_out=10):
    """Return x (N, D_in), y (N, D_out), w1 (D_in, H), w2 (H, D_out): float64, N(0, 1).

    The four arrays come from ``np.random.default_rng(seed)`` in that order,
    so every notebook starts from the same numbers.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"expected seed to be an int >= 0, got {seed!r}")
    sizes = {
        name: positive_int(name, v)
        for name, v in zip("N D_in H D_out".split(), (N, D_in, H, D_out))
    }
    N, D_in, H, D_out = sizes.values()
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, D_in))
    y = rng.standard_normal((N, D_out))
    w1 = rng.standard_normal((D_in, H))
    w2 = rng.standard_normal((H, D_out))
    return x, y, w1, w2


def to_torch(*arrays, dtype=None, device="cpu"):
    """Copy numpy float arrays into torch tensors of ``dtype`` (default float64) on ``device``.

    Returns one tensor for one array, else a tuple. The copy shares no memory
    with the numpy array (``torch.from_numpy`` would).
    """
    import torch

    if not arrays:
        raise ValueError("expected at least one numpy array, got none")
    dtype = torch.float64 if dtype is None else dtype
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
        raise TypeError(f"expected dtype to be a floating torch.dtype, got {dtype!r}")
    out = []
    for i, arr in enumerate(arrays):
        if not isinstance(arr, np.ndarray):
            raise TypeError(f"expected arrays[{i}] to be a numpy array, got {type(arr).__name__}")
        float_array(f"arrays[{i}]", arr)
        out.append(torch.tensor(arr, dtype=dtype, device=device))
    return out[0] if len(out) == 1 else tuple(out)
