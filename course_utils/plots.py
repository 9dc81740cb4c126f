"""Loss curves on a log scale, displayed so that the cell's output is stable."""

import numpy as np


def plot_losses(
    runs, title="Training loss", xlabel="iteration", ylabel="loss (log scale)", ymax=None
):
    """Plot one or several loss histories on a log y axis and show the figure.

    ``runs`` maps a label to a 1-D sequence of losses (floats). Non-finite
    values (a run stopped by divergence) are simply not drawn; ``ymax`` cuts
    the y axis so that such a run does not squash the others. Returns None,
    so a notebook cell that ends with this call displays only the figure.
    """
    import matplotlib.pyplot as plt

    if not isinstance(runs, dict) or not runs:
        raise ValueError("expected runs to be a non-empty dict {label: sequence of losses}")
    if ymax is not None and not (isinstance(ymax, (int, float)) and 0 < ymax < float("inf")):
        raise ValueError(f"expected ymax to be a finite number > 0 or None, got {ymax!r}")
    fig, ax = plt.subplots()
    styles = ["-", "--", "-.", ":"]  # curves that coincide stay visible, also in black and white
    for i, (label, losses) in enumerate(runs.items()):
        if not isinstance(label, str):
            raise TypeError(f"expected each label to be a str, got {label!r}")
        values = np.asarray(losses, dtype=np.float64)
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"expected run {label!r} to be a non-empty 1-D sequence of losses")
        if np.any(values[np.isfinite(values)] <= 0):
            raise ValueError(f"expected run {label!r} to hold positive losses (log scale)")
        finite = np.where(np.isfinite(values), values, np.nan)
        ax.plot(np.arange(values.size), finite, styles[i % len(styles)], label=label)
    ax.set_yscale("log")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    if ymax is not None:
        ax.set_ylim(top=ymax)
    ax.legend()
    fig.tight_layout()
    plt.show()
