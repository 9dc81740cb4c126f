"""Wall-clock time of one call, for the 'how fast' sections (outputs vary by machine)."""

import time

from course_utils._validate import positive_int


def time_per_call(fn, number=20, repeats=5, warmup=3):
    """Milliseconds per call of ``fn()``: the best of ``repeats`` averages over ``number`` calls.

    The best of several repeats is the least disturbed by other work on the machine.
    """
    if not callable(fn):
        raise TypeError(f"expected fn to be a function of no arguments, got {type(fn).__name__}")
    number = positive_int("number", number)
    repeats = positive_int("repeats", repeats)
    if isinstance(warmup, bool) or not isinstance(warmup, int) or warmup < 0:
        raise ValueError(f"expected warmup to be an int >= 0, got {warmup!r}")
    for _ in range(warmup):
        fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best * 1e3
