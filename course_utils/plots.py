"""Loss curves on a log scale, readable by every eye and described in words.

Each plot comes with a text alternative built from the same data: what is
plotted, the axes, each curve with its line style, where it starts and where it
ends, and which curve ends lowest. The description travels in the image
output's metadata (``alt`` in English, ``alt.zh-CN`` in Chinese; the website and
the slides use it as the image's alt text) and is printed under the figure, so
that a screen reader reaches it in JupyterLab too, which shows images without alt.

The colours are four of Okabe and Ito's colour-blind-safe set, each with its
own line style, and each stands out from a light page and from a dark one; the
letters and the axes have a thin white edge, so that a figure with a transparent
background reads in a light theme and in a dark one.
"""

import math

import numpy as np

# Okabe & Ito (2008): blue, vermillion, bluish green, reddish purple. Each has at least
# 3:1 contrast (WCAG's rule for graphics) with a white page and with a dark one.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
STYLES = ("-", "--", "-.", ":")  # told apart without colour too
# The description's phrases, one set per language; the code that fills them in is shared.
PHRASES = {
    "en": {
        "styles": ("solid", "dashed", "dash-dotted", "dotted"),
        "near": "near {}",
        "at": "at {}",
        "float32": ", float32",
        "curve": "“{label}” ({style}{float32}) starts {start}",
        "late": " at {xlabel} {first}",
        "end": " and ends {end} at {xlabel} {last}",
        "stopped": ", where it stops: the next value overflowed",
        "one": "one curve",
        "many": "{n} curves",
        "head": "Line chart “{title}”: {ylabel} against {xlabel}, 0 to {last}, {count}. ",
        "cut": "The y axis is cut at {ymax}. ",
        "join": "; ",
        "full_stop": ".",
        "lowest": " Lowest at the end: “{label}”.",
    },
    "zh-CN": {
        "styles": ("实线", "虚线", "点划线", "点线"),
        "near": "在 {} 量级",
        "at": "为 {}",
        "float32": "，float32",
        "curve": "“{label}”（{style}{float32}）起点{start}",
        "late": "（{xlabel} {first}）",
        "end": "，终点{end}（{xlabel} {last}）",
        "stopped": "，曲线在此中断：下一个值溢出",
        "one": "只有一条曲线",
        "many": "共 {n} 条曲线",
        "head": "折线图“{title}”：纵轴为 {ylabel}，横轴为 {xlabel}，从 0 到 {last}，{count}。",
        "cut": "纵轴在 {ymax} 处截断。",
        "join": "；",
        "full_stop": "。",
        "lowest": "终点最低的是“{label}”。",
    },
}
INK = "#1a1a1a"  # text and axes: 17:1 on white, and on the white edge drawn around them
EDGE = "white"
PREFIX = "The figure, as text: "


def _number(value):
    """A loss in two significant digits: 3.14e7 -> '3.1e7', 0.0512 -> '0.051', 1000 -> '1000'."""
    if 1e-2 <= abs(value) < 1e4:
        return np.format_float_positional(value, precision=2, fractional=False, trim="-")
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa.removesuffix('.0')}e{int(exponent)}"


def _decade(value):
    """The power of ten nearest to ``value``, e.g. 0.04 -> '1e-1'."""
    return f"1e{round(math.log10(value))}"


def _curve(label, values, style, rough, xlabel, say):
    """One curve's sentence: where it is drawn, where it starts and where it ends."""
    finite = np.flatnonzero(np.isfinite(values))
    first, last = finite[0], finite[-1]
    # float32: the last digits differ between CPUs, the power of ten does not
    start, end = (
        say["near"].format(_decade(v)) if rough else say["at"].format(_number(v))
        for v in (values[first], values[last])
    )
    text = say["curve"].format(
        label=label, style=style, float32=say["float32"] if rough else "", start=start
    )
    text += say["late"].format(xlabel=xlabel, first=first) if first > 0 else ""
    text += say["end"].format(end=end, xlabel=xlabel, last=last)
    return text + (say["stopped"] if last < values.size - 1 else "")


def describe_losses(runs, title, xlabel, ylabel, ymax=None, float32=(), lang="en"):
    """The text alternative of ``plot_losses(runs, ...)`` in ``lang`` ("en" or "zh-CN")."""
    if lang not in PHRASES:
        raise ValueError(f"expected lang to be one of {sorted(PHRASES)}, got {lang!r}")
    say = PHRASES[lang]
    curves = {label: np.asarray(losses, dtype=np.float64) for label, losses in runs.items()}
    length = max(values.size for values in curves.values())
    parts = [
        _curve(label, values, say["styles"][i], label in float32, xlabel, say)
        for i, (label, values) in enumerate(curves.items())
    ]
    count = say["one"] if len(curves) == 1 else say["many"].format(n=len(curves))
    text = say["head"].format(
        title=title, ylabel=ylabel, xlabel=xlabel, last=length - 1, count=count
    )
    text += say["cut"].format(ymax=_number(ymax)) if ymax is not None else ""
    text += say["join"].join(parts) + say["full_stop"]
    exact = {
        label: values[np.isfinite(values)][-1]
        for label, values in curves.items()
        if label not in float32
    }
    if len(exact) > 1:
        text += say["lowest"].format(label=min(exact, key=exact.get))
    return text


def _show(fig, alt):
    """Display ``fig`` with its alt texts in the output's metadata; plt.show() outside IPython."""
    import matplotlib
    import matplotlib.pyplot as plt

    shell = None
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        pass
    if shell is not None and "inline" in matplotlib.get_backend():
        from IPython.display import display

        display(fig, metadata={"image/png": alt})
        plt.close(fig)
    else:
        plt.show()


def plot_losses(
    runs,
    title="Training loss",
    xlabel="iteration",
    ylabel="loss (log scale)",
    ymax=None,
    float32=(),
):
    """Plot one or several loss histories on a log y axis, show the figure, print its description.

    ``runs`` maps a label to a 1-D sequence of losses (floats). Non-finite
    values (a run stopped by divergence, a run that starts later) are not drawn;
    ``ymax`` cuts the y axis so that such a run does not squash the others.
    ``float32`` names the runs computed in float32: their description gives the
    power of ten only, since their last digits differ from one CPU to another.
    Returns None, so a notebook cell that ends with this call shows only the
    figure and its description.
    """
    import matplotlib.pyplot as plt
    from matplotlib import patheffects

    if not isinstance(runs, dict) or not runs:
        raise ValueError("expected runs to be a non-empty dict {label: sequence of losses}")
    if len(runs) > len(COLOURS):
        raise ValueError(f"expected at most {len(COLOURS)} runs in one plot, got {len(runs)}")
    if ymax is not None and not (isinstance(ymax, (int, float)) and 0 < ymax < float("inf")):
        raise ValueError(f"expected ymax to be a finite number > 0 or None, got {ymax!r}")
    if isinstance(float32, str) or not set(float32) <= set(runs):
        raise ValueError(f"expected float32 to list labels of runs, got {float32!r}")
    for label, losses in runs.items():
        if not isinstance(label, str):
            raise TypeError(f"expected each label to be a str, got {label!r}")
        values = np.asarray(losses, dtype=np.float64)
        if values.ndim != 1 or values.size == 0 or not np.isfinite(values).any():
            raise ValueError(f"expected run {label!r} to be a 1-D sequence with a finite loss")
        if np.any(values[np.isfinite(values)] <= 0):
            raise ValueError(f"expected run {label!r} to hold positive losses (log scale)")
    edge = [patheffects.withStroke(linewidth=2, foreground=EDGE)]
    look = {
        "path.effects": edge,
        "text.color": INK,
        "axes.edgecolor": INK,
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.facecolor": "none",
        "legend.facecolor": "white",
        "legend.edgecolor": INK,
        "legend.framealpha": 1.0,
    }
    with plt.rc_context(look):
        fig, ax = plt.subplots()
        for patch in (fig.patch, ax.patch):  # transparent backgrounds: no white frame round them
            patch.set_path_effects([])
        for i, (label, losses) in enumerate(runs.items()):
            values = np.asarray(losses, dtype=np.float64)
            finite = np.where(np.isfinite(values), values, np.nan)
            ax.plot(
                np.arange(values.size),
                finite,
                linestyle=STYLES[i],
                color=COLOURS[i],
                label=label,
                path_effects=[],  # the colours stand out by themselves
            )
        ax.set_yscale("log")
        ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
        if ymax is not None:
            ax.set_ylim(top=ymax)
        ax.legend()
        for axis in (ax.xaxis, ax.yaxis):  # the grid stays faint on a dark page: no white edge
            for tick in (*axis.get_major_ticks(), *axis.get_minor_ticks()):
                tick.gridline.set_path_effects([])
        fig.tight_layout()
        alt = {
            "alt": describe_losses(runs, title, xlabel, ylabel, ymax, float32, "en"),
            "alt.zh-CN": describe_losses(runs, title, xlabel, ylabel, ymax, float32, "zh-CN"),
        }
        _show(fig, alt)
    print(PREFIX + alt["alt"])
