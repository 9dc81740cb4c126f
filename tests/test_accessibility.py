"""Accessibility of the website and the slide decks: WCAG 2.1 AA, in both editions.

The site is the one tests/test_site.py reads, decks included (tests/conftest.py builds
it once per run). axe-core, the version package.json pins, runs in headless Chromium
with the network off on every page, in the theme's light mode (on the English pages in
its dark mode too: the colours are the same), and on every slide of every deck; its
WCAG 2.0 and 2.1 rules of levels A and AA must find no violation. axe passes an image
whose alt is nbconvert's placeholder or a file name: the course's own rules check every
image, each plot's alt against the description its notebook stores. Then: the language
each page declares, the MathML each formula carries for a screen reader, the keyboard
(Tab through the navigation to the language switch, the focus visible; a deck's keys),
and the accessibility statement's facts.
"""

import json
import re
from html.parser import HTMLParser

import nbformat
import pytest

from tests.conftest import ROOT
from tests.test_browser import CHROMIUM  # noqa: F401 (skips without chromium)
from tools import contents, site, slides

pytestmark = pytest.mark.slow

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]  # WCAG 2.0 and 2.1, levels A and AA
COLOUR_RULES = ["color-contrast", "link-in-text-block"]  # all the dark mode changes
PLACEHOLDER = "No description has been provided for this image"  # nbconvert's
FILE_NAME = re.compile(r"\S*\.(png|jpe?g|gif|svg|webp)|\S*/\S*", re.IGNORECASE)
LANGUAGES = {"en": "en", "zh-CN": "zh-CN"}  # what each edition's <html lang> says
PAGES = [(ed, name) for ed in site.EDITIONS for name in [*site.page_order(ed), "search"]]
DECKS = [(ed, path.stem) for ed in site.EDITIONS for path in contents.notebooks(ed)]
FIRST = [(ed, contents.notebooks(ed)[0].stem) for ed in site.EDITIONS]
STATEMENTS = {"README.md": "## Accessibility", "README.zh-CN.md": "## 无障碍"}
REVIEWED = "2026-12-01"


@pytest.fixture(scope="module")
def html(built_site):
    return built_site["html"]


def page_path(html, edition, name):
    return html / site.EDITIONS[edition]["prefix"] / f"{name}.html"


def deck_path(html, edition, stem):
    return html / "slides" / site.EDITIONS[edition]["prefix"] / f"{stem}.slides.html"


def open_page(context, path):
    """A page of the site, opened from disk, its formulas typeset, without motion."""
    page = context.new_page()
    page.emulate_media(reduced_motion="reduce")  # colours and focus rings as they settle
    page.goto(path.as_uri())
    site.typeset(page)
    return page


def open_deck(context, path, every_slide=False):
    """A deck opened from disk, reveal.js ready, MathJax done.

    ``every_slide``: in reveal.js's print layout (?print-pdf), where every slide shows at
    once, one below the other, in the deck's own colours, its fragments all in view.
    """
    page = context.new_page()
    page.goto(path.as_uri() + ("?print-pdf&pdfSeparateFragments=false" if every_slide else ""))
    page.wait_for_selector(".reveal.ready", timeout=60_000)
    page.wait_for_function(
        """() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0
                 && MathJax.Hub.queue.running === 0""",
        timeout=60_000,
    )
    return page


def settled(page):
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")


def axe(page, rules=None):
    """axe-core's violations on ``page``: of its WCAG 2 A and AA rules, or of ``rules``."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": TAGS}
    return page.evaluate(
        """async (only) => (await axe.run(document, {runOnly: only, resultTypes: ['violations']}))
            .violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                  targets: v.nodes.map(n => n.target.join(' '))}))""",
        only,
    )


def report(where, violations):
    """One line per rule (id, impact, what it asks), then the selectors of what breaks it."""
    lines = [f"{where}: axe-core found {len(violations)} violated rules"]
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']}, on {len(v['targets'])}:")
        lines += [f"    {target}" for target in v["targets"][:8]]
        lines += [f"    ... and {len(v['targets']) - 8} more"] if len(v["targets"]) > 8 else []
    return "\n".join(lines)


def test_every_page_and_deck_of_the_build_is_checked(html):
    built = {p for p in html.rglob("*.html") if "_static" not in p.relative_to(html).parts}
    checked = {page_path(html, ed, name) for ed, name in PAGES}
    checked |= {deck_path(html, ed, stem) for ed, stem in DECKS}
    assert built == checked, f"pages no test opens: {sorted(map(str, built - checked))}"


@pytest.mark.parametrize(("edition", "name"), PAGES)
def test_axe_finds_no_violation_on_the_page_light_or_dark(edition, name, html, offline_browser):
    """Light, then dark: the theme's dark colours, the same in both editions, on the English."""
    page = open_page(offline_browser, page_path(html, edition, name))
    violations = axe(page)
    assert not violations, report(f"{edition}/{name} (light)", violations)
    if edition == "en":
        page.evaluate("document.documentElement.dataset.theme = 'dark'")  # the theme's switch
        settled(page)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background in ("rgb(18, 18, 18)", "rgb(17, 17, 17)"), f"not dark: {background}"
        violations = axe(page, COLOUR_RULES)
        assert not violations, report(f"{edition}/{name} (dark)", violations)
    page.close()


@pytest.mark.parametrize(("edition", "stem"), DECKS)
def test_axe_finds_no_violation_on_any_slide(edition, stem, html, offline_browser):
    page = open_deck(offline_browser, deck_path(html, edition, stem), every_slide=True)
    nb = nbformat.read(ROOT / contents.EDITIONS[edition]["folder"] / f"{stem}.ipynb", 4)
    shown = page.evaluate("document.querySelectorAll('.pdf-page').length")
    assert shown == slides.expected_slides(nb), "the print layout does not show every slide"
    hidden = page.evaluate("document.querySelectorAll('.fragment:not(.visible)').length")
    assert hidden == 0, f"{hidden} fragments out of view"
    violations = axe(page)
    assert not violations, report(f"{edition}/{stem} deck, every slide", violations)
    page.close()


@pytest.mark.parametrize(("edition", "stem"), FIRST)
def test_axe_finds_no_violation_on_a_deck_as_it_opens(edition, stem, html, offline_browser):
    """What the print layout hides: the controls, the progress bar, the slide number (the
    template's, the same on every deck)."""
    page = open_deck(offline_browser, deck_path(html, edition, stem))
    violations = axe(page)
    assert not violations, report(f"{edition}/{stem} deck, as it opens", violations)
    page.close()


class Images(HTMLParser):
    """The <img> of a page: each one's attributes, and whether it is a notebook's output."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    OUTPUT = {"cell_output", "jp-OutputArea"}  # MyST-NB's output area, nbconvert's

    def __init__(self, text):
        super().__init__()
        self.images, self._open = [], []  # (tag, whether it is an output area)
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        output = bool(self.OUTPUT & set((attrs.get("class") or "").split()))
        if tag == "img":
            self.images.append({**attrs, "plot": any(o for _, o in self._open)})
        elif tag not in self.VOID:
            self._open.append((tag, output))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self._open and self._open.pop()[0] != tag:
            pass


def alt_problem(image):
    """What is wrong with an <img>'s text alternative, or None."""
    alt = image.get("alt")
    if alt is None:
        return "no alt"
    alt = alt.strip()
    decoration = image.get("role") in ("presentation", "none") or image.get("aria-hidden") == "true"
    if not alt:
        if image["plot"]:
            return "a plot with an empty alt"
        return None if decoration else "an empty alt, not marked role=presentation or aria-hidden"
    if alt == PLACEHOLDER:
        return "nbconvert's placeholder"
    src = image.get("src") or ""
    if FILE_NAME.fullmatch(alt) or (not src.startswith("data:") and alt in src):
        return "a file name"
    if image["plot"] and not re.search(r"\d", alt):
        return "a plot's description that states no number"
    return None


def all_pages(html):
    return [page_path(html, ed, name) for ed, name in PAGES] + [
        deck_path(html, ed, stem) for ed, stem in DECKS
    ]


def test_every_image_has_a_real_text_alternative(html):
    problems, plots = [], 0
    for path in all_pages(html):
        for image in Images(path.read_text(encoding="utf-8")).images:
            plots += image["plot"]
            problem = alt_problem(image)
            if problem:
                where = path.relative_to(html)
                problems.append(f"{where}: {problem}: {str(image.get('src'))[:60]} {image}")
    assert plots, "no plot found: the test looks in the wrong place"
    assert not problems, "\n".join(problems)


def descriptions(edition, stem, deck=False):
    """The descriptions of the notebook's figures in ``edition``, in order (a deck skips cells)."""
    path = ROOT / contents.EDITIONS[edition]["folder"] / f"{stem}.ipynb"
    nb = contents.described(nbformat.read(path, as_version=4), edition, stem)
    cells = [c for c in nb.cells if c.cell_type == "code"]
    if deck:
        cells = [c for c in cells if c.metadata.get("slideshow", {}).get("slide_type") != "skip"]
    return [
        output.metadata[mime]["alt"]
        for cell in cells
        for output in cell.outputs
        for mime in output.get("data", {})
        if mime.startswith("image/")
    ]


@pytest.mark.parametrize(("edition", "stem"), DECKS)
def test_each_plot_shows_its_notebooks_description_in_the_pages_language(edition, stem, html):
    for path, deck in (
        (page_path(html, edition, stem), False),
        (deck_path(html, edition, stem), True),
    ):
        shown = [i["alt"] for i in Images(path.read_text(encoding="utf-8")).images if i["plot"]]
        assert shown == descriptions(edition, stem, deck), path.relative_to(html)


def declared_language(text):
    found = re.search(r"<html\b[^>]*\blang=\"([^\"]*)\"", text)
    return found[1] if found else None


def test_every_page_and_deck_declares_its_editions_language(html):
    paths = [(ed, page_path(html, ed, name)) for ed, name in PAGES]
    paths += [(ed, deck_path(html, ed, stem)) for ed, stem in DECKS]
    wrong = []
    for edition, path in paths:
        lang = declared_language(path.read_text(encoding="utf-8"))
        if lang != LANGUAGES[edition]:
            wrong.append(f"{path.relative_to(html)}: lang={lang!r}, not {LANGUAGES[edition]!r}")
    assert not wrong, "\n".join(wrong)


MATHML = """() => Array.from(document.querySelectorAll('.MathJax_CHTML')).map(formula => {
    const mml = formula.querySelector('.MJX_Assistive_MathML, mjx-assistive-mml');
    return mml && mml.querySelector('math') && mml.getAttribute('aria-hidden') !== 'true'
        ? 'ok' : formula.outerHTML.slice(0, 80);
})"""


@pytest.mark.parametrize(("edition", "stem"), FIRST)
def test_each_formula_carries_mathml_for_a_screen_reader(edition, stem, html, offline_browser):
    for page in (
        open_page(offline_browser, page_path(html, edition, stem)),
        open_deck(offline_browser, deck_path(html, edition, stem)),
    ):
        formulas = page.evaluate(MATHML)
        assert formulas, f"{page.url}: no formula typeset"
        missing = [f for f in formulas if f != "ok"]
        assert not missing, f"{page.url}: formulas without assistive MathML: {missing[:5]}"
        page.close()


FOCUSED = """() => {
    const e = document.activeElement, style = getComputedStyle(e);
    return {
        html: e.outerHTML.slice(0, 100),
        switch: e.matches('a.course-language'),
        nav: !!e.closest('.bd-docs-nav'),
        visible: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
                 || style.boxShadow !== 'none',
    };
}"""


@pytest.mark.parametrize(("edition", "stem"), FIRST)
def test_tab_reaches_the_navigation_and_the_language_switch_with_a_visible_focus(
    edition, stem, html, offline_browser
):
    page = open_page(offline_browser, page_path(html, edition, stem))
    visited = []
    for _ in range(60):
        page.keyboard.press("Tab")
        settled(page)
        visited.append(page.evaluate(FOCUSED))
        if visited[-1]["switch"]:
            break
    nav = page.locator(".bd-docs-nav a").count()
    assert sum(v["nav"] for v in visited) == nav > 0, "Tab does not reach every link of the nav"
    assert visited[-1]["switch"], "Tab does not reach the language switch"
    hidden = [v["html"] for v in visited if not v["visible"]]
    assert not hidden, "focused, with no outline or box-shadow to show it:\n" + "\n".join(hidden)
    page.close()


REVEAL = """() => require(document.querySelector('script[data-requiremodule$="dist/reveal.js"]')
                         .dataset.requiremodule).getIndices()"""


@pytest.mark.parametrize(("edition", "stem"), FIRST)
def test_a_deck_moves_on_with_the_arrow_key_and_space(edition, stem, html, offline_browser):
    page = open_deck(offline_browser, deck_path(html, edition, stem))
    for key in ("ArrowRight", "Space"):
        before = page.evaluate(REVEAL)
        page.keyboard.press(key)
        assert page.evaluate(REVEAL) != before, f"{key} did not move the deck on from {before}"
    page.close()


def statement(name):
    """The accessibility section of a README, from its heading to the next section."""
    text = (ROOT / name).read_text(encoding="utf-8")
    start = text.index(STATEMENTS[name])
    return text[start : text.index("<a id=", start)]


@pytest.mark.parametrize("name", STATEMENTS)
def test_the_readmes_statement_names_the_course_and_axe_versions_it_was_checked_for(name):
    text = statement(name)
    axe_version = json.loads((ROOT / "package.json").read_text())["dependencies"]["axe-core"]
    assert re.findall(r"axe-core (\d+\.\d+\.\d+)", text) == [axe_version]
    assert re.findall(r"\b(\d+\.\d+\.\d+)\b", text.replace(axe_version, "")) == [
        contents.version()
    ], "the statement's course version is not pyproject.toml's: check again, then set it"
    assert REVIEWED in text and "WCAG 2.1" in text and "AA" in text
    assert "nonconforming" in text and "JupyterLab-a11y-statement.md" in text


@pytest.mark.parametrize("edition", list(site.EDITIONS))
def test_the_sites_statement_names_the_versions_and_links_the_issue_tracker(edition, html):
    text = page_path(html, edition, "accessibility").read_text(encoding="utf-8")
    prose = re.sub(r"<[^>]+>", "", text)
    assert "{{" not in prose, "a substitution was not made"
    assert f"axe-core {site.axe_version()}" in prose
    assert f"{contents.version()}" in prose and REVIEWED in prose
    assert 'href="https://github.com/' in text and '/issues/new"' in text
    index = page_path(html, edition, "index").read_text(encoding="utf-8")
    assert 'href="accessibility.html"' in index, "the statement is not linked from every page"


def notebook(*images):
    """A notebook with one code cell per image output's metadata in ``images``."""
    nb = nbformat.v4.new_notebook()
    for i, meta in enumerate(images):
        output = nbformat.v4.new_output(
            "display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}
        )
        output.metadata = {"image/png": meta} if meta is not None else {}
        nb.cells.append(nbformat.v4.new_code_cell("plot()", id=f"cell-{i}", outputs=[output]))
    return nb


def test_each_edition_gets_its_description_or_the_english_one():
    images = ({"alt": "Loss from 3.1 to 0.2", "alt.zh-CN": "损失从 3.1 降到 0.2"},
              {"alt": "Loss from 9 to 1", "width": 400})  # fmt: skip
    nb = notebook(*images)
    zh, en = (contents.described(nb, edition, "x.ipynb") for edition in ("zh-CN", "en"))
    alts = [[cell.outputs[0].metadata["image/png"]["alt"] for cell in n.cells] for n in (zh, en)]
    assert alts == [
        ["损失从 3.1 降到 0.2", "Loss from 9 to 1"],
        ["Loss from 3.1 to 0.2", "Loss from 9 to 1"],
    ]
    assert zh.cells[1].outputs[0].metadata["image/png"]["width"] == 400
    assert nb == notebook(*images), "the notebook itself was changed"


@pytest.mark.parametrize("meta", [None, {}, {"alt": "  "}, {"alt.zh-CN": "损失"}])
def test_an_image_without_a_description_fails_the_build_naming_notebook_and_cell(meta):
    nb = notebook({"alt": "Loss from 3.1 to 0.2"}, meta)
    edition = "en" if meta == {"alt.zh-CN": "损失"} else "zh-CN"
    with pytest.raises(ValueError, match=r"notebooks/01_x\.ipynb: .* cells cell-1$"):
        contents.described(nb, edition, "notebooks/01_x.ipynb")
    with pytest.raises(ValueError, match="cell-1"):
        site.with_alt(nb, edition, "notebooks/01_x.ipynb")


def test_the_site_reads_the_description_from_the_cell_and_takes_one_per_cell():
    nb = site.with_alt(notebook({"alt": "Loss from 3.1 to 0.2"}), "en", "x.ipynb")
    assert nb.cells[0].metadata["mystnb"] == {"image": {"alt": "Loss from 3.1 to 0.2"}}
    two = notebook({"alt": "a 1"}, {"alt": "b 2"})
    two.cells[0].outputs += two.cells.pop(1).outputs
    with pytest.raises(ValueError, match="cell-0 has 2 figures"):
        site.with_alt(two, "en", "x.ipynb")


def test_a_decks_image_carries_its_description_escaped(tmp_path):
    nb = notebook({"alt": 'Loss "from" 3 <to> 1 & done', "alt.zh-CN": "损失"})
    for edition, alt in (("en", 'Loss "from" 3 <to> 1 & done'), ("zh-CN", "损失")):
        body, _ = slides.exporter(tmp_path, language=edition).from_notebook_node(
            contents.described(nb, edition, "x.ipynb")
        )
        [image] = Images(body).images
        assert image["alt"] == alt and image["plot"]
        assert declared_language(body) == LANGUAGES[edition]
