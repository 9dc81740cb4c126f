"""The loss plots for every reader: described in words, told apart by every eye, legible
on a light page and on a dark one.

The descriptions are checked for what they must say (every curve, its line style,
where it starts and ends, in both languages) and where they must be (in each stored
plot's output metadata and printed under it). The palette is checked with a model
of colour vision (colorspacious: the simulations of Machado, Oliveira and
Fernandes 2009 for full deuteranopia, protanopia and tritanopia, distances in
CAM02-UCS) and with WCAG 2.1's contrast ratio.
"""

import base64
import io
import itertools
import re

import matplotlib
import matplotlib.image
import nbformat
import numpy as np
import pytest
from colorspacious import cspace_convert
from matplotlib.colors import to_rgb

from course_utils import plots
from course_utils.plots import COLOURS, INK, PREFIX, STYLES, describe_losses, plot_losses
from tests.conftest import ROOT, run_in_kernel

matplotlib.use("Agg")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0*.ipynb"))
# Backgrounds a figure with a transparent background lands on: a white page, and
# JupyterLab's dark theme (its --jp-layout-color0, #111111).
BACKGROUNDS = {"white": "#ffffff", "JupyterLab dark": "#111111"}
DEFICIENCIES = ("deuteranomaly", "protanomaly", "tritanomaly")  # at severity 100: -anopia
MIN_DISTANCE = 10  # CAM02-UCS units between two curve colours, under every simulation


def luminance(colour):
    """WCAG 2.1's relative luminance of a colour."""
    rgb = np.array(to_rgb(colour))
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast(a, b):
    """WCAG 2.1's contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def seen_with(deficiency, colour):
    """``colour`` as seen with ``deficiency`` (None: typical vision), in CAM02-UCS."""
    rgb = np.array(to_rgb(colour))
    if deficiency is not None:
        cvd = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
        rgb = np.clip(cspace_convert(rgb, cvd, "sRGB1"), 0, 1)
    return cspace_convert(rgb, "sRGB1", "CAM02-UCS")


def test_contrast_matches_wcags_examples():
    assert contrast("black", "white") == pytest.approx(21)
    assert contrast("#767676", "white") == pytest.approx(4.54, abs=0.01)  # the usual AA grey


@pytest.mark.parametrize("deficiency", [None, *DEFICIENCIES])
def test_every_pair_of_curve_colours_stays_apart(deficiency):
    seen = {colour: seen_with(deficiency, colour) for colour in COLOURS}
    for a, b in itertools.combinations(COLOURS, 2):
        distance = float(np.linalg.norm(seen[a] - seen[b]))
        assert distance >= MIN_DISTANCE, f"{a} and {b} look alike ({distance:.1f}) to {deficiency}"


def test_the_simulation_tells_a_confusable_pair():
    """Red and green, far apart to typical vision, fall together under deuteranopia."""
    typical = np.linalg.norm(seen_with(None, "#d62728") - seen_with(None, "#2ca02c"))
    deutan = np.linalg.norm(
        seen_with("deuteranomaly", "#d62728") - seen_with("deuteranomaly", "#2ca02c")
    )
    assert typical > 3 * MIN_DISTANCE and deutan < MIN_DISTANCE


@pytest.mark.parametrize("background", BACKGROUNDS)
def test_every_curve_colour_stands_out_from_the_page(background):
    """WCAG 2.1 SC 1.4.11: graphics needed to understand the content, 3:1."""
    for colour in COLOURS:
        ratio = contrast(colour, BACKGROUNDS[background])
        assert ratio >= 3, f"{colour} on {background}: {ratio:.2f}:1, below 3:1"


def test_the_curves_differ_in_line_style_too():
    assert len(set(map(str, STYLES))) == len(STYLES) == len(COLOURS)


def render(runs, **kwargs):
    """plot_losses outside IPython: the figure it leaves open, and what it printed."""
    import matplotlib.pyplot as plt

    plt.close("all")
    plot_losses(runs, **kwargs)
    return plt.gcf()


def test_text_and_axes_have_at_least_4_5_to_1_against_their_edge_and_a_white_page(capsys):
    """WCAG 2.1 SC 1.4.3. On a dark page the letters sit on their own white edge."""
    fig = render({"a": [3.0, 2.0, 1.0]}, title="t")
    capsys.readouterr()
    ax = fig.axes[0]
    texts = [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.get_legend().get_texts()]
    texts += ax.get_xticklabels() + ax.get_yticklabels()
    for text in texts:
        colour = text.get_color()
        assert contrast(colour, "white") >= 4.5, f"{text.get_text()!r} in {colour}"
        edges = [e for e in text.get_path_effects() if hasattr(e, "_gc")]
        assert edges and contrast(colour, edges[0]._gc["foreground"]) >= 4.5, text.get_text()
    assert contrast(INK, "white") >= 4.5
    grid = ax.get_xgridlines() + ax.get_ygridlines()
    assert grid and not any(line.get_path_effects() for line in grid), "a grid line has an edge"
    assert fig.get_facecolor()[3] == 0 and ax.get_facecolor()[3] == 0, "not transparent"


def test_the_description_names_every_curve_with_its_style_start_and_end(capsys):
    runs = {
        "fast": [3.14e7, 1e2, 4.9e-7],
        "slow": [3.14e7, 2e7, 9100.0],
        "late": [float("nan"), 0.0512, 0.02],
        "overflows": [1000.0, 2.9e124, float("inf")],
    }
    render(runs, title="Sweep", ymax=1e10)
    printed = capsys.readouterr().out
    text = describe_losses(runs, "Sweep", "iteration", "loss (log scale)", ymax=1e10)
    assert printed == PREFIX + text + "\n"
    assert text.startswith(
        "Line chart “Sweep”: loss (log scale) against iteration, 0 to 2, 4 curves."
    )
    assert "The y axis is cut at 1e10." in text
    assert "“fast” (solid) starts at 3.1e7 and ends at 4.9e-7 at iteration 2" in text
    assert "“slow” (dashed) starts at 3.1e7 and ends at 9100 at iteration 2" in text
    assert "“late” (dash-dotted) starts at 0.051 at iteration 1 and ends at 0.02" in text
    assert (
        "“overflows” (dotted) starts at 1000 and ends at 2.9e124 at iteration 1, where it stops"
        in text
    )
    assert text.endswith("Lowest at the end: “fast”.")


def test_float32_runs_are_described_by_their_power_of_ten():
    runs = {"f64": [658.3, 0.0021], "f32": [658.3, 0.0021]}
    text = describe_losses(runs, "t", "step", "loss", float32=("f32",))
    assert "“f64” (solid) starts at 660 and ends at 2.1e-3" in text
    assert "“f32” (dashed, float32) starts near 1e3 and ends near 1e-3" in text
    assert "658" not in text and "Lowest" not in text  # one exact curve: nothing to compare


def test_the_chinese_description_says_the_same():
    runs = {"a": [3.14e7, 4.9e-7], "b": [float("nan"), 5e-2, 1e3, float("inf")]}
    zh = describe_losses(runs, "t", "iteration", "loss", lang="zh-CN", float32=("b",))
    assert zh.startswith("折线图“t”：纵轴为 loss，横轴为 iteration，从 0 到 3，共 2 条曲线。")
    assert "“a”（实线）起点为 3.1e7，终点为 4.9e-7（iteration 1）" in zh
    assert "“b”（虚线，float32）起点在 1e-1 量级（iteration 1），终点在 1e3 量级" in zh
    assert "曲线在此中断：下一个值溢出" in zh


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"runs": {"a": [1.0]}, "float32": "a"}, "expected float32 to list labels of runs"),
        ({"runs": {"a": [1.0]}, "float32": ("b",)}, "expected float32 to list labels of runs"),
        ({"runs": {str(i): [1.0] for i in range(5)}}, "expected at most 4 runs"),
        ({"runs": {"a": [float("nan")]}}, "with a finite loss"),
        ({"runs": {"a": [1.0, -1.0]}}, "positive losses"),
    ],
)
def test_bad_input_is_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_losses(**kwargs)


def test_a_language_without_a_description_is_refused():
    with pytest.raises(ValueError, match="expected lang to be one of"):
        describe_losses({"a": [1.0]}, "t", "x", "y", lang="fr")


def stored_plots(path):
    """(cell id, image output, the outputs after it) of every plot stored in a notebook."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        outputs = cell.get("outputs", [])
        for i, out in enumerate(outputs):
            if "image/png" in out.get("data", {}):
                yield cell.id, out, outputs[i + 1 :]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_stored_plot_carries_its_description_and_prints_it(path):
    plots_here = list(stored_plots(path))
    assert plots_here, f"{path.name} has no plot"
    for cell_id, out, after in plots_here:
        alt = out.metadata.get("image/png", {})
        assert alt.get("alt") and alt.get("alt.zh-CN"), f"{path.name} {cell_id}: no description"
        assert re.search(r"\d", alt["alt"]) and re.search(r"\d", alt["alt.zh-CN"])
        printed = [o.text for o in after if o.output_type == "stream"]
        assert printed and printed[0] == PREFIX + alt["alt"] + "\n", (
            f"{path.name} {cell_id}: the description is not printed under the plot"
        )


def test_in_a_kernel_the_description_travels_with_the_image():
    """What JupyterLab, the site and the slides receive: the PNG, its alt texts, the line."""
    nb = run_in_kernel(
        "from course_utils import plot_losses\n"
        "plot_losses({'a': [3.0, 2.0, 1.0], 'b': [3.0, 1.0, 0.5]}, title='t')"
    )
    image, line = nb.cells[0].outputs
    png = matplotlib.image.imread(io.BytesIO(base64.b64decode(image.data["image/png"])))
    assert png.shape[2] == 4 and png[0, 0, 3] == 0, "the figure's background is not transparent"
    alt = image.metadata["image/png"]
    expected = describe_losses(
        {"a": [3.0, 2.0, 1.0], "b": [3.0, 1.0, 0.5]}, "t", "iteration", "loss (log scale)"
    )
    assert alt == {"alt": expected, "alt.zh-CN": alt["alt.zh-CN"]} and "折线图" in alt["alt.zh-CN"]
    assert line.text == PREFIX + expected + "\n"
    assert "needs_background" not in alt, "JupyterLab would paint a light box behind it"


def test_the_module_documents_its_palette():
    assert "Okabe" in plots.__doc__ and "alt.zh-CN" in plots.__doc__
