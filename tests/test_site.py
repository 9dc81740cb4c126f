"""The course website of `make site` (tools/site.py): built, linked, offline, searchable, printed.

The site is built once, as `make site` builds it, into a temporary folder: both
editions with warnings as errors, the downloads, the decks, the zip and the PDFs.
The HTML is then read for its links (every internal link and anchor resolves; the
only other hosts are the launch buttons and the references of the sources), and
every page is opened from disk in headless Chromium with the network off: formulas
typeset, images loaded, nothing fetched from elsewhere, the language switch landing
on the same page of the other edition, the search finding a term in each language.
Screenshots land in test-artifacts/.
"""

import json
import re
import runpy
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

from tests.conftest import ROOT
from tests.test_browser import ARTIFACTS  # skips without chromium
from tools import contents, site

pytestmark = pytest.mark.slow

PAGES = [(ed, name) for ed in site.EDITIONS for name in site.page_order(ed)]
NOTEBOOK_PAGES = [(ed, path.stem) for ed in site.EDITIONS for path in contents.notebooks(ed)]
SEARCHES = {"en": "backpropagation", "zh-CN": "反向传播"}  # each finds notebook 01
LOADS = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src")}
CONF = runpy.run_path(str(site.SITE / "conf.py"))  # REPOSITORY, TAG, HUB: the build's own


class Page(HTMLParser):
    """The ids, the links (tag, attribute, URL) and the text (not code, not math) of a page."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self, text):
        super().__init__()
        self.ids, self.links, self.prose = set(), [], []
        self._open = []  # (tag, whether its text is code or math)
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.ids.update(v for k, v in attrs.items() if k == "id" or (tag == "a" and k == "name"))
        self.links += [(tag, k, v) for k, v in attrs.items() if k in ("href", "src") and v]
        if tag not in self.VOID:
            code = (
                tag in ("pre", "code", "script", "style")
                or "math" in (attrs.get("class") or "").split()
            )
            self._open.append((tag, code))

    def handle_endtag(self, tag):
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if not any(code for _, code in self._open):
            self.prose.append(data)


@pytest.fixture(scope="module")
def built(built_site):
    """The whole site, built as `make site` builds it (Sphinx fails on any warning), once for
    this module and tests/test_accessibility.py (tests/conftest.py)."""
    return built_site


@pytest.fixture(scope="module")
def html(built):
    return built["html"]


@pytest.fixture(scope="module")
def pages(html):
    """{path below html/: Page} of every page and deck (not the theme's own templates)."""
    paths = [p for p in html.rglob("*.html") if "_static" not in p.relative_to(html).parts]
    return {p.relative_to(html).as_posix(): Page(p.read_text(encoding="utf-8")) for p in paths}


def page_path(edition, name):
    return f"{site.EDITIONS[edition]['prefix']}{name}.html"


def notebook_title(edition, stem):
    path = ROOT / contents.EDITIONS[edition]["folder"] / f"{stem}.ipynb"
    title, _ = contents.title_and_goal(nbformat.read(path, as_version=4), edition)
    return title


def test_both_editions_have_every_page(pages):
    missing = [page_path(ed, name) for ed, name in PAGES if page_path(ed, name) not in pages]
    missing += [p for p in ("search.html", "zh-CN/search.html") if p not in pages]
    assert not missing, f"pages not built: {missing}"


def test_every_internal_link_and_anchor_resolves(html, pages):
    broken = []
    for name, page in pages.items():
        for _, _, url in page.links:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                continue
            target = (html / name).parent / unquote(parts.path) if parts.path else html / name
            target = target.resolve()
            if not target.is_file():
                broken.append(f"{name}: {url}")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target.relative_to(html.resolve()).as_posix()].ids
                if not {parts.fragment, unquote(parts.fragment)} & ids:  # as a browser looks
                    broken.append(f"{name}: {url} (no such anchor)")
    assert not broken, "broken links:\n" + "\n".join(broken)


def references():
    """Every URL the sources link to (links, autolinks, link definitions): READMEs, changelog,
    notebooks' markdown."""
    texts = [(ROOT / name).read_text(encoding="utf-8") for name in site.INCLUDED]
    for edition in site.EDITIONS:
        for path in contents.notebooks(edition):
            nb = nbformat.read(path, as_version=4)
            texts += [c.source for c in nb.cells if c.cell_type == "markdown"]
    forms = (
        r"\]\((https?://[^)\s]+)\)",
        r"<(https?://[^>\s]+)>",
        r"(?m)^\[[^\]]+\]:\s*(https?://\S+)",
    )
    return {url for text in texts for form in forms for url in re.findall(form, text)}


def test_the_only_other_hosts_are_launch_buttons_and_references(pages):
    allowed = references()
    for edition, stem in NOTEBOOK_PAGES:
        links = site.notebook_links(stem, edition, CONF["REPOSITORY"], CONF["TAG"], CONF["HUB"])
        allowed |= {links["binder"], links["colab"], links["hub"]}
    allowed.add(f"{CONF['ISSUES']}/new")  # the accessibility statement's: report a barrier
    blob = CONF["BLOB"]
    loads, others = [], []
    for name, page in pages.items():
        for tag, attr, url in page.links:
            if not urlsplit(url).scheme.startswith("http"):
                continue
            if (tag, attr) in LOADS:
                loads.append(f"{name}: <{tag} {attr}={url}>")
            elif unquote(url) not in allowed and not unquote(url).startswith(unquote(blob)):
                others.append(f"{name}: {url}")
    assert not loads, "pages load from other hosts:\n" + "\n".join(loads)
    assert not others, "links to other hosts that are neither launchers nor references:\n" + (
        "\n".join(others)
    )


def test_no_stylesheet_or_script_of_the_site_reaches_another_host(html):
    fetches = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])(?:https?:)?//""")
    found = [
        path.relative_to(html).as_posix()
        for path in html.rglob("*")
        if path.is_file()
        and path.suffix in (".css", ".js")
        and fetches.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert not found, f"CSS or scripts that fetch from other hosts: {found}"


def test_every_formula_is_parsed(pages):
    """No '$' is left in the text: each one opened or closed a formula MyST understood."""
    stray = {
        name: [text.strip()[:80] for text in page.prose if "$" in text]
        for name, page in pages.items()
        if not name.endswith(".slides.html")
    }
    stray = {name: texts for name, texts in stray.items() if texts}
    assert not stray, f"unparsed dollar signs: {stray}"


@pytest.mark.parametrize(("edition", "stem"), NOTEBOOK_PAGES)
def test_a_notebook_page_has_its_downloads_launchers_deck_and_date(edition, stem, html, pages):
    page = pages[page_path(edition, stem)]
    hrefs = {url for tag, _, url in page.links if tag == "a"}
    links = site.notebook_links(stem, edition, CONF["REPOSITORY"], CONF["TAG"], CONF["HUB"])
    for key in ("notebook", "student", "slides", "binder", "colab", "hub"):
        assert not links[key] or links[key] in hrefs, f"no {key} link on {stem} ({edition})"
    teacher = nbformat.read(html / site.EDITIONS[edition]["prefix"] / links["notebook"], 4)
    student = nbformat.read(html / site.EDITIONS[edition]["prefix"] / links["student"], 4)
    source = nbformat.read(ROOT / contents.EDITIONS[edition]["folder"] / f"{stem}.ipynb", 4)
    assert teacher == source
    assert any("NotImplementedError" in c.source for c in student.cells if c.cell_type == "code")
    text = " ".join(page.prose)
    date = site.verified(ROOT / "notebooks" / f"{stem}.ipynb")
    for fact in (site.version(), date, *site.pins().values()):
        assert fact in text, f"{stem} ({edition}) does not say {fact}"


def typeset_and_loaded(page):
    """Wait for MathJax and the images (tools.site.typeset); return what the page shows."""
    site.typeset(page)
    return page.evaluate(
        """() => ({
            formulas: document.querySelectorAll('.math').length,
            untypeset: Array.from(document.querySelectorAll('.math'))
                .filter(m => !m.querySelector('.MathJax_CHTML')).length,
            errors: document.querySelectorAll('.MathJax_Error, .mjx-merror').length,
            images: document.querySelectorAll('.bd-article img').length,
            broken: Array.from(document.images)
                .filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src),
        })"""
    )


@pytest.mark.parametrize(("edition", "name"), PAGES)
def test_the_page_works_from_disk_offline(edition, name, html, offline_browser):
    page = offline_browser.new_page()
    requests, failed, errors = [], [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((html / page_path(edition, name)).as_uri())
    shown = typeset_and_loaded(page)
    assert not failed, f"failed to load: {failed}"
    assert all(url.startswith(("file:", "data:")) for url in requests), "no network needed"
    assert not errors, f"script errors: {errors}"
    assert shown["untypeset"] == 0 and shown["errors"] == 0, shown
    assert not shown["broken"], f"images not loaded: {shown['broken']}"
    if name in [path.stem for path in contents.notebooks(edition)]:
        assert shown["formulas"] > 0 and shown["images"] > 0, shown
    if name in ("index", site.page_order(edition)[1]):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"site-{edition}-{name}.png"))
    page.close()


@pytest.mark.parametrize(("edition", "stem"), NOTEBOOK_PAGES)
def test_the_slide_deck_works_from_disk_offline(edition, stem, html, offline_browser):
    links = site.notebook_links(stem, edition, CONF["REPOSITORY"], CONF["TAG"])
    page = offline_browser.new_page()
    requests, failed = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto((html / site.EDITIONS[edition]["prefix"] / links["slides"]).resolve().as_uri())
    page.wait_for_selector(".reveal.ready", timeout=60_000)
    page.wait_for_function(
        """() => window.MathJax && MathJax.isReady && MathJax.Hub.queue.queue.length === 0
                 && MathJax.Hub.queue.pending === 0 && MathJax.Hub.queue.running === 0""",
        timeout=60_000,
    )
    assert not failed, f"failed to load: {failed}"
    assert all(url.startswith(("file:", "data:")) for url in requests), "no network needed"
    assert page.evaluate("document.querySelectorAll('.MathJax_CHTML').length") > 0
    page.close()


@pytest.mark.parametrize(("edition", "stem"), NOTEBOOK_PAGES)
def test_the_language_switch_lands_on_the_same_notebook(edition, stem, html, offline_browser):
    page = offline_browser.new_page()
    page.goto((html / page_path(edition, stem)).as_uri())
    page.click("a.course-language")
    page.wait_for_load_state()
    other = site.other(edition)
    assert page.url == (html / page_path(other, stem)).as_uri()
    assert page.evaluate("document.documentElement.lang") == other
    assert notebook_title(other, stem) in page.locator("h1").first.inner_text()
    page.close()


@pytest.mark.parametrize("edition", list(site.EDITIONS))
def test_search_finds_the_first_notebook_in_each_language(edition, html, offline_browser):
    page = offline_browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{(html / page_path(edition, 'search')).as_uri()}?q={SEARCHES[edition]}")
    page.wait_for_function("document.querySelector('#search-results p.search-summary')?.innerText")
    found = page.eval_on_selector_all(
        "#search-results ul.search li a", "links => links.map(a => a.getAttribute('href'))"
    )
    first = contents.notebooks(edition)[0].stem
    assert f"{first}.html" in [href.split("#")[0] for href in found], (SEARCHES[edition], found)
    assert not errors, f"script errors: {errors}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"site-{edition}-search.png"))
    page.close()


@pytest.mark.parametrize("edition", list(site.EDITIONS))
def test_the_pdf_has_every_notebook_with_its_formulas_and_figures(edition, built):
    from pypdf import PdfReader

    reader = PdfReader(built["pdf"][edition])
    starts = {item.title: reader.get_destination_page_number(item) for item in reader.outline}
    bounds = sorted(starts.values()) + [len(reader.pages)]
    squeeze = re.compile(r"\s+")
    for path in contents.notebooks(edition):
        title = notebook_title(edition, path.stem)
        heading = next(t for t in starts if title in t)  # the page's title, '01 · ...'
        first = starts[heading]
        last = bounds[bounds.index(first) + 1]
        assert last - first >= 1, f"no page for {path.stem}"
        sheets = reader.pages[first:last]
        text = squeeze.sub("", "".join(sheet.extract_text() for sheet in sheets))
        assert squeeze.sub("", title) in text, f"{path.stem}'s title is not in the PDF"
        assert "\\(" not in text and "\\[" not in text, f"{path.stem}: formulas left as TeX"
        assert sum(len(sheet.images) for sheet in sheets) > 0, f"{path.stem}: no figure"


def test_the_zip_holds_the_whole_site_in_one_folder(built, html):
    with zipfile.ZipFile(built["zip"]) as zf:
        names = set(zf.namelist())
    folder = Path(built["zip"]).stem
    files = {f"{folder}/{p.relative_to(html).as_posix()}" for p in html.rglob("*") if p.is_file()}
    assert names == files
    assert {f"{folder}/index.html", f"{folder}/zh-CN/index.html"} <= names


def test_the_chinese_search_index_knows_the_glossary_terms(html):
    text = (html / "zh-CN" / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    missing = [
        w for w in site.glossary_terms() if w not in {**index["terms"], **index["titleterms"]}
    ]
    assert not missing, f"the search splits these terms: {missing}"


@pytest.mark.parametrize("edition", site.EDITIONS)
def test_the_slider_shows_its_sentence_on_the_page_and_in_the_deck(edition, html):
    """A widget runs only in a live notebook: the page and the deck show what it says instead."""
    from course_utils.live import OFFLINE_TEXT

    prefix = site.EDITIONS[edition]["prefix"]
    page = (html / f"{prefix}01_numpy_by_hand.html").read_text(encoding="utf-8")
    links = site.notebook_links("01_numpy_by_hand", edition, CONF["REPOSITORY"], CONF["TAG"])
    deck = (html / prefix / links["slides"]).read_text(encoding="utf-8")
    for name, text in (("page", page), ("deck", deck)):
        assert OFFLINE_TEXT in text, f"the {name} does not say what the slider is"
        assert "application/vnd.jupyter.widget-view+json" not in text, (
            f"an empty widget on the {name}"
        )
