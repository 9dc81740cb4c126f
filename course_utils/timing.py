"""Time one call with torch's benchmark timer, for the 'how fast' sections."""

from course_utils._validate import positive_float


def time_per_call(fn, min_run_time=0.05):
    """Median milliseconds per call of ``fn()``, measured by ``torch.utils.benchmark.Timer``.

    The timer warms up, then runs ``fn`` in blocks for at least ``min_run_time``
    seconds. Before reading the clock it waits for a GPU to finish its queued
    work, so GPU code is timed fully, not only its launch. numpy code works too.
    The thread count is torch's current one. Results vary by machine and run.
    """
    import torch
    from torch.utils import benchmark

    if not callable(fn):
        raise TypeError(f"expected fn to be a function of no arguments, got {type(fn).__name__}")
    min_run_time = positive_float("min_run_time", min_run_time)
    timer = benchmark.Timer(stmt="fn()", globals={"fn": fn}, num_threads=torch.get_num_threads())
    return timer.blocked_autorange(min_run_time=min_run_time).median * 1e3
