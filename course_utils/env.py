"""One call at the top of every notebook: seeds, threads, printing, figures."""

import ctypes
import os
import platform
import random
import sys

import numpy as np

from course_utils._validate import positive_int

_threadpool_limiter = None


def setup(seed=0, threads=None):
    """Make a notebook reproducible: seed random, numpy and torch; pin thread counts.

    One thread for torch and for the BLAS behind numpy keeps float sums in the
    same order on every run, so printed numbers do not drift. ``threads=None``
    takes the environment variable COURSE_THREADS, else 1 (the tests also run
    the notebooks with 2, to show that no stored output depends on it).
    Also sets short print formats and the figure defaults. torch is seeded and
    pinned only if it is already imported: import it before calling ``setup``
    (a notebook that never uses torch does not pay for importing it). On Linux
    it also keeps freed memory for reuse (see ``_reuse_freed_memory``).
    Returns the seed.
    """
    global _threadpool_limiter
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"expected seed to be an int >= 0, got {seed!r}")
    if threads is None:
        threads = os.environ.get("COURSE_THREADS", "1")
        threads = int(threads) if threads.isdigit() else threads
    threads = positive_int("threads", threads)
    from threadpoolctl import threadpool_limits

    random.seed(seed)
    np.random.seed(seed)
    np.set_printoptions(precision=4, suppress=False, linewidth=88)
    if "torch" in sys.modules:
        _setup_torch(seed, threads)
    _threadpool_limiter = threadpool_limits(limits=threads)  # kept alive: the limit stays
    _setup_figures()
    _reuse_freed_memory()
    return seed


def _reuse_freed_memory():
    """Ask glibc's malloc to keep freed blocks of up to 32 MiB instead of returning them.

    A training step allocates and frees arrays of about 1 MB. By default glibc
    hands such blocks back to the system and maps fresh pages for the next
    step; the page faults cost about as much as the matrix products here. On
    other C libraries (macOS, Windows, musl) this does nothing.
    """
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return
    libc = ctypes.CDLL(None)
    m_trim_threshold, m_mmap_threshold = -1, -3  # constants from glibc's malloc.h
    libc.mallopt(m_mmap_threshold, 32 * 2**20)
    libc.mallopt(m_trim_threshold, 128 * 2**20)


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
