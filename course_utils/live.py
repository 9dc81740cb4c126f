"""A learning-rate slider for the projector: drag it, and the loss curve is trained and redrawn.

It needs ipywidgets and a front end that runs widgets (JupyterLab, Jupyter
Notebook 7, VS Code, Colab). Where widgets do not run (a web page, a slide deck,
a test run), its cell shows one sentence instead, which says so.
"""

import math

from course_utils.plots import plot_losses

OFFLINE_TEXT = (
    "A learning-rate slider: it moves only in a running notebook (JupyterLab, Notebook 7, "
    "VS Code, Colab). The sweep above shows the same three regimes as a static plot."
)


def learning_rate_slider(train, cap, steps=100, low=0.25, high=4.0, start=0.5):
    """Show a slider over the learning rate and, under it, the loss curve of ``train(lr, steps)``.

    ``train(lr, steps)`` returns the losses (a list of floats, or a tuple whose
    first item is that list). ``cap`` is the learning rate the Hessian predicts as
    the largest stable one; the slider runs from ``low`` to ``high`` times it, on a
    log scale, and starts at ``start`` times it. Each release of the slider (or
    arrow key) trains afresh and redraws the curve, with its text description.
    Returns None; the widget is displayed.
    """
    import sys

    import ipywidgets as widgets
    from IPython.display import display

    colab_output = getattr(sys.modules.get("google.colab"), "output", None)
    if hasattr(colab_output, "enable_custom_widget_manager"):  # Colab, for ipywidgets 8
        colab_output.enable_custom_widget_manager()

    if not callable(train):
        raise TypeError(f"expected train to be a function train(lr, steps), got {train!r}")
    if not (isinstance(cap, float | int) and 0 < cap < math.inf):
        raise ValueError(f"expected cap to be a learning rate > 0, got {cap!r}")
    if not 0 < low < start < high:
        raise ValueError(f"expected 0 < low < start < high, got {low}, {start}, {high}")
    if not (isinstance(steps, int) and steps > 0):
        raise ValueError(f"expected steps to be a positive int, got {steps!r}")
    slider = widgets.FloatLogSlider(
        value=start * cap,
        base=10,
        min=math.log10(low * cap),
        max=math.log10(high * cap),
        step=0.01,
        description="learning rate",
        readout_format=".2e",
        continuous_update=False,  # train once per release, not at every pixel of the drag
        style={"description_width": "initial"},
        layout={"width": "32em"},
    )
    ratio = widgets.Label()
    curve = widgets.Output()

    def redraw(_=None):
        lr = slider.value
        ratio.value = f"= {lr / cap:.2f} × the cap {cap:.3g}"
        with curve:
            curve.clear_output(wait=True)
            result = train(lr, steps)
            losses = result[0] if isinstance(result, tuple) else result
            plot_losses({f"lr {lr:.2e}": losses}, title=f"lr {lr / cap:.2f} × the cap", ymax=1e12)

    slider.observe(redraw, names="value")
    redraw()
    box = widgets.VBox([widgets.HBox([slider, ratio]), curve])
    bundle = box._repr_mimebundle_()
    bundle["text/plain"] = OFFLINE_TEXT  # what the site, the slides and nbval show
    display(bundle, raw=True)
