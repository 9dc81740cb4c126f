"""Slide decks for the projector: one reveal.js deck per notebook, English and Chinese.

Usage: python -m tools.slides [OUT_DIR]   (default: slides/; Chinese decks in OUT_DIR/zh-CN/)

The decks come from the cells' slideshow metadata (slide, subslide, fragment,
skip, notes), with outputs and plots, through nbconvert's reveal.js template; a link
to another notebook goes to its deck; each figure has its description, in the
deck's language, as its alt text (tools.contents.described).
They work offline, opened from disk: reveal.js, MathJax, jQuery and RequireJS
load from node_modules/, which `npm ci` installs from package-lock.json
(`make slides` runs it); nothing comes from a CDN.
"""

import os
import re
import sys
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter
from traitlets import Unicode
from traitlets.config import Config

from tools import contents

ROOT = Path(__file__).resolve().parents[1]
MODULES = ROOT / "node_modules"
LINK = re.compile(r"\]\(([^)\s]+)\)")
NEEDED = {  # what the template loads, below node_modules/
    "reveal.js": "reveal.js/dist/reveal.js",
    "notes": "reveal.js/plugin/notes/notes.js",
    "mathjax": "mathjax/MathJax.js",
    "jquery": "jquery/dist/jquery.min.js",
    "require": "requirejs/require.js",
}


class CourseSlides(SlidesExporter):
    """nbconvert's SlidesExporter whose decks declare a BCP 47 language, zh-CN as on the site.

    (nbconvert's own language_code trait takes an ISO 639-1 code only, and resets zh-CN to en.)
    """

    language = Unicode("en", help="the decks' <html lang>").tag(config=True)

    def _init_resources(self, resources):
        resources = super()._init_resources(resources)
        resources["language_code"] = self.language
        return resources


def exporter(out_dir, modules=MODULES, language="en"):
    """A SlidesExporter whose decks, written to ``out_dir``, load everything from ``modules``.

    ``modules`` is node_modules/, or a copy of NEEDED laid out the same way (the website's);
    ``language`` is the decks' (their <html lang>).
    """
    missing = [path for path in NEEDED.values() if not (Path(modules) / path).exists()]
    if missing:
        raise FileNotFoundError(f"missing {missing}: run `npm ci` (or `make slides`) first")
    up = Path(os.path.relpath(modules, out_dir)).as_posix()
    config = Config()
    config.SlidesExporter.template_name = "course_slides"
    config.SlidesExporter.extra_template_basedirs = [str(ROOT / "tools" / "templates")]
    config.SlidesExporter.reveal_url_prefix = f"{up}/reveal.js"
    config.SlidesExporter.reveal_theme = (
        "white"  # its fonts ship with reveal.js; "simple" fetches them
    )
    config.SlidesExporter.reveal_scroll = True  # a long output scrolls instead of overflowing
    config.SlidesExporter.reveal_number = "c/t"
    config.SlidesExporter.mathjax_url = f"{up}/{NEEDED['mathjax']}?config=TeX-AMS_CHTML-full,Safe"
    config.SlidesExporter.jquery_url = f"{up}/{NEEDED['jquery']}"
    config.SlidesExporter.require_js_url = f"{up}/{NEEDED['require']}"
    # No 'In [3]:' prompts: nothing to a projector's audience, and too light (2.2:1) to read.
    config.SlidesExporter.exclude_input_prompt = True
    config.SlidesExporter.exclude_output_prompt = True
    return CourseSlides(config=config, language=language)


def expected_slides(nb):
    """How many slides reveal.js shows: one per 'slide' or 'subslide' cell."""
    kinds = [c.metadata.get("slideshow", {}).get("slide_type", "-") for c in nb.cells]
    return sum(kind in ("slide", "subslide") for kind in kinds)


def sibling_deck(target):
    """A link to another notebook of the edition goes to its deck, beside this one."""
    path, hash_, anchor = target.partition("#")
    if "/" in path or not path.endswith(".ipynb"):
        return target
    return f"{path.removesuffix('.ipynb')}.slides.html{hash_}{anchor}"


def with_links(nb, relink):
    """A copy of ``nb`` whose markdown links go through ``relink`` (target -> target)."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = LINK.sub(lambda m: f"]({relink(m[1])})", cell.source)
    return nb


def build(out_dir, modules=MODULES, relink=None):
    """Write a deck per notebook of both editions, loading from ``modules``; return their paths.

    A link to another notebook goes to its deck; ``relink(target, edition)``, if given,
    then rewrites every link (the website points the README's to its pages).
    """
    decks, relink = [], relink or (lambda link, edition: link)
    for edition in contents.EDITIONS:  # English at the top, the others in their own folder
        target = Path(out_dir) / ("" if edition == "en" else edition)
        target.mkdir(parents=True, exist_ok=True)
        slides = exporter(target, modules, language=edition)
        for path in contents.notebooks(edition):
            nb = nbformat.read(path, as_version=4)
            nb = contents.described(nb, edition, path.relative_to(ROOT).as_posix())
            nb = with_links(nb, lambda link, ed=edition: relink(sibling_deck(link), ed))
            body, _ = slides.from_notebook_node(nb)
            deck = target / f"{path.stem}.slides.html"
            deck.write_text(body, encoding="utf-8")
            decks.append(deck)
    return decks


def main(argv):
    for deck in build(Path(argv[0]) if argv else ROOT / "slides"):
        print(f"wrote {deck.relative_to(ROOT) if deck.is_relative_to(ROOT) else deck}")


if __name__ == "__main__":
    main(sys.argv[1:])
