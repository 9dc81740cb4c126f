"""Helpers shared by the notebooks of "From numpy to nn.Module".

Importing this package changes nothing: seeds, thread counts and plot
defaults are set only by an explicit call to :func:`setup`.
"""

import importlib.metadata

from course_utils.checks import compare_grads, numerical_gradient, rel_error, sgd_lr_bound
from course_utils.curvature import hessian_lr_bound, top_eigenvalue, torch_hvp
from course_utils.data import COURSE_SHAPES, make_data, to_torch
from course_utils.env import setup
from course_utils.plots import plot_losses
from course_utils.timing import time_per_call
from course_utils.training import DivergenceError, check_loss, format_loss

try:  # the version is set in pyproject.toml alone: read it from the installed package
    __version__ = importlib.metadata.version("course_utils")
except importlib.metadata.PackageNotFoundError:  # a source tree that was never installed
    __version__ = "unknown"

__all__ = [
    "COURSE_SHAPES",
    "DivergenceError",
    "check_loss",
    "compare_grads",
    "format_loss",
    "hessian_lr_bound",
    "make_data",
    "numerical_gradient",
    "plot_losses",
    "rel_error",
    "setup",
    "sgd_lr_bound",
    "time_per_call",
    "to_torch",
    "top_eigenvalue",
    "torch_hvp",
]
