"""The slide decks: built from the cells' metadata, offline, formulas rendered.

Each deck of `make slides` (tools/slides.py) is opened from disk in headless
Chromium with the network off: every file it loads must come from the
project's node_modules/, the number of slides must match the metadata, and
MathJax must typeset the formulas without an error. Screenshots land in
test-artifacts/.
"""

import nbformat
import pytest

from tests.conftest import NOTEBOOKS, NOTEBOOKS_ZH, node_modules
from tests.test_browser import ARTIFACTS  # skips without chromium
from tools import slides

pytestmark = pytest.mark.slow

DECKS = [(path, "en") for path in NOTEBOOKS] + [(path, "zh-CN") for path in NOTEBOOKS_ZH]


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """Every deck, built as `make slides` builds it, after `npm ci` if node_modules is stale."""
    node_modules()
    out = tmp_path_factory.mktemp("slides")
    return {deck.relative_to(out).as_posix(): deck for deck in slides.build(out)}


@pytest.mark.parametrize(("path", "edition"), DECKS, ids=lambda v: getattr(v, "stem", v))
def test_the_deck_works_offline(path, edition, decks, offline_browser):
    name = ("zh-CN/" if edition == "zh-CN" else "") + f"{path.stem}.slides.html"
    page = offline_browser.new_page()
    requests, failed = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(decks[name].as_uri())
    page.wait_for_selector(".reveal.ready", timeout=60_000)  # reveal.js initialised
    page.wait_for_function(
        """() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0
                 && MathJax.Hub.queue.running === 0
                 && document.querySelectorAll('.MathJax_CHTML').length > 0""",
        timeout=60_000,
    )
    assert not failed, f"failed to load: {failed}"
    assert all(url.startswith(("file:", "data:")) for url in requests), "no network needed"
    nb = nbformat.read(path, as_version=4)
    shown = page.evaluate("document.querySelectorAll('.slides section:not(:has(section))').length")
    assert shown == slides.expected_slides(nb)
    assert page.evaluate("document.querySelectorAll('.mjx-merror, .MathJax_Error').length") == 0

    page.evaluate(  # go to the first slide with a displayed formula, else any formula
        """() => {
            const math = document.querySelector('.MJXc-display, .MathJax_CHTML');
            const slide = math.closest('section');
            const stack = slide.parentElement.closest('section') || slide;
            const top = Array.from(document.querySelectorAll('.slides > section'));
            const sub = stack === slide ? 0 : Array.from(stack.children).indexOf(slide);
            location.hash = `#/${top.indexOf(stack)}/${sub}`;
        }"""
    )
    page.wait_for_timeout(1000)  # the slide transition
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"slides-{edition}-{path.stem}.png"))
    page.close()
