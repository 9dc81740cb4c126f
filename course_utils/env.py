"""One call at the top of every notebook: seeds, threads, printing, figures."""

import random

import numpy as np

from course_utils._validate import positive_int

_threadpool_limiter = None


def setup(seed=0, threads=1):
    """Make a notebook reproducible: seed numpy, random and torch; pin thread counts.

    One thread for torch and for the BLAS behind numpy keeps float sums in the
    same order on every run, so printed numbers do not drift. Also sets short
    print formats and the figure defaults. Returns the seed, for printing.
    """
    global _threadpool_limiter
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"expected seed to be an int >= 0, got {seed!r}")
    threads = positive_int("threads", threads)
    from threadpoolctl import threadpool_limits

    _threadpool_limiter = threadpool_limits(limits=threads)  # kept alive: the limit stays
    random.seed(seed)
    np.random.seed(seed)
    np.set_printoptions(precision=4, suppress=False, linewidth=88)
    _setup_torch(seed, threads)
    _setup_figures()
    return seed


def _setup_torch(seed, threads):
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.set_printoptions(precision=4, linewidth=88)


def _setup_figures():
    import matplotlib

    matplotlib.rcParams.update(
        {
            "figure.figsize": (6.4, 3.6),
            "figure.dpi": 80,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "font.size": 10,
            "svg.hashsalt": "course",
        }
    )
