"""Sphinx configuration of the course website; `make site` (tools/site.py) runs Sphinx with it.

One configuration for both editions: COURSE_EDITION (en or zh-CN) picks one,
COURSE_STATIC names the folders of MathJax and reveal.js that tools/site.py copied
from node_modules/. The notebooks are rendered with their stored outputs, never run.
COURSE_REPO (owner/repo on GitHub) and COURSE_HUB (a JupyterHub's host) set what the
launch buttons open; without them, the clone's GitHub remote and placeholders.
"""

import os
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools import contents  # noqa: E402
from tools import site as course  # noqa: E402

EDITION = os.environ.get("COURSE_EDITION", "en")
OTHER = course.other(EDITION)
NOTEBOOKS = [path.stem for path in contents.notebooks(EDITION)]  # their pages' names

# The one place for what the launch buttons open: the GitHub repository (owner/repo),
# the release tag, and a JupyterHub (left to the teacher: COURSE_HUB=hub.example.edu).
REPOSITORY = (
    os.environ.get("COURSE_REPO")
    or os.environ.get("GITHUB_REPOSITORY")  # set in GitHub Actions
    or course.github_repository()
    or contents.repository()  # pyproject.toml's Source, as in the notebooks' install cells
)
VERSION = course.version()
TAG = f"v{VERSION}"
HUB = os.environ.get("COURSE_HUB", "")
BLOB = f"https://github.com/{REPOSITORY}/blob/{TAG}"  # other files of the repository
ISSUES = f"https://github.com/{REPOSITORY}/issues"  # where a reader reports a barrier

LABELS = {  # the site's own words, per edition
    "en": {
        "project": "From numpy to nn.Module",
        "language": "English",
        "switch": "This page in English",
        "bar": "Get this notebook",
        "download": "Download",
        "notebook": "Notebook",
        "notebook_help": "This notebook with its outputs and the solutions",
        "student": "Student edition",
        "student_help": "Outputs cleared, the solutions left for you to write",
        "slides": "Slides",
        "run": "Run it on",
        "hub_help": "With your class's JupyterHub in place of <hub>, "
        "this link opens the student edition there.",
        "hub_guide": "How to set it up",
        "verified": "Course version {version} · outputs last verified on {date} "
        "with torch {torch} and numpy {numpy}",
        "accessibility": "Accessibility",
    },
    "zh-CN": {
        "project": "从 numpy 到 nn.Module",
        "language": "简体中文",
        "switch": "本页的简体中文版",
        "bar": "获取本笔记本",
        "download": "下载",
        "notebook": "笔记本",
        "notebook_help": "本笔记本，含输出和解答",
        "student": "学生版",
        "student_help": "清除了输出，解答留给你来写",
        "slides": "幻灯片",
        "run": "在线运行",
        "hub_help": "把 <hub> 换成你们班 JupyterHub 的地址，这个链接就会在那里打开学生版。",
        "hub_guide": "如何设置",
        "verified": "课程版本 {version} · 输出最近验证于 {date}（torch {torch}，numpy {numpy}）",
        "accessibility": "无障碍",
    },
}

project = LABELS[EDITION]["project"]
author = "From numpy to nn.Module contributors"
copyright = f"{author}; text and figures CC BY 4.0, code MIT"
version = release = VERSION
language = course.EDITIONS[EDITION]["language"]

extensions = ["myst_nb"]
nb_execution_mode = "off"  # the stored outputs, which nbval checks
# A widget (notebook 01's slider) runs only in a live notebook: the page shows the sentence
# its output carries as text, not an empty widget that would load its code from a CDN.
nb_mime_priority_overrides = [("*", "application/vnd.jupyter.widget-view+json", None)]
myst_enable_extensions = ["dollarmath", "amsmath", "substitution"]
myst_substitutions = {  # {{ course_version }} on a page: the accessibility statement's facts
    "course_version": VERSION,
    "axe_version": course.axe_version(),
}
myst_dmath_double_inline = True  # $$...$$ inside a paragraph, as JupyterLab shows it
myst_url_schemes = {  # edition:PAGE.html is PAGE in the other edition
    "http": None,
    "https": None,
    "mailto": None,
    "edition": {"url": course.cross_edition_prefix(EDITION) + "{{path}}"},
    "issues": {"url": ISSUES + "/{{path}}"},  # issues:new, the form of a new issue
}
exclude_patterns = ["_include"]

# Offline: MathJax 2 from the site itself (Sphinx would load MathJax 4 from a CDN).
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS_CHTML" + (
    "&locale=zh-hans" if EDITION == "zh-CN" else ""
)
# MyST marks each page tex2jax_ignore and its formulas 'math' (its own setting is MathJax 3's).
myst_update_mathjax = False
# Its assistive MathML (on by default in TeX-AMS_CHTML; said here) is what a screen reader reads.
mathjax2_config = {
    "tex2jax": {"processClass": "tex2jax_process|mathjax_process|math|output_area"},
    "menuSettings": {"assistiveMML": True},
}

html_theme = "sphinx_book_theme"
html_title = project
html_static_path = ["_static", *filter(None, os.environ.get("COURSE_STATIC", "").split(os.pathsep))]
html_css_files = ["course.css"]
html_js_files = ["course.js"]
templates_path = ["_templates"]
html_copy_source = False
html_show_sourcelink = False
html_show_sphinx = False
html_use_index = False
html_domain_indices = False
html_context = {"default_mode": "auto"}  # light or dark, as the reader's system is
html_theme_options = {
    "home_page_in_toc": True,
    "use_download_button": False,  # the notebook pages have their own downloads
    "show_toc_level": 2,
    "article_header_end": ["course-language.html", "article-header-buttons.html"],
    "footer_content_items": ["copyright.html", "course-accessibility.html"],
    "navbar_persistent": [],  # the search field is in the sidebar: no header bar above it
}


def search_words(app, config):
    """Teach the Chinese search (jieba) the glossary's terms, so that 反向传播 is one word."""
    if EDITION != "zh-CN":
        return
    path = Path(app.doctreedir) / "glossary-words.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(course.glossary_terms()) + "\n", encoding="utf-8")
    config.html_search_options = {"dict": str(path)}


def include_read(app, relative_path, parent_docname, content):
    """The README's links, included into a page, made the site's (tools.site.site_markdown)."""
    content[0] = course.site_markdown(content[0], EDITION, "", BLOB)


def source_read(app, docname, source):
    """The links in a notebook's markdown cells made the site's, its figures described."""
    if docname not in NOTEBOOKS:
        return
    folder = contents.EDITIONS[EDITION]["folder"]
    nb = nbformat.reads(source[0], as_version=4)
    nb = course.with_alt(nb, EDITION, f"{folder}/{docname}.ipynb")
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = course.site_markdown(cell.source, EDITION, folder, BLOB)
    source[0] = nbformat.writes(nb)


def page_context(app, pagename, templatename, context, doctree):
    """The language switch on every page, and a notebook page's downloads, launchers, date."""
    labels = LABELS[EDITION]
    context["course_labels"] = labels
    context["course_switch"] = {
        "href": course.cross_edition_prefix(EDITION) + pagename + ".html",
        "lang": OTHER,
        "label": LABELS[OTHER]["language"],
        "title": LABELS[OTHER]["switch"],
    }
    if pagename in NOTEBOOKS:
        links = course.notebook_links(pagename, EDITION, REPOSITORY, TAG, HUB)
        # The outputs are the English notebook's, shared byte for byte by the Chinese one.
        date = course.verified(ROOT / contents.EDITIONS["en"]["folder"] / f"{pagename}.ipynb")
        links["verified"] = labels["verified"].format(version=VERSION, date=date, **course.pins())
        context["course_notebook"] = links


def setup(app):
    app.connect("config-inited", search_words)
    app.connect("include-read", include_read)
    app.connect("source-read", source_read)
    app.connect("html-page-context", page_context)
