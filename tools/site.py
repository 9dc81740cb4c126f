"""The course website: English at its root, the Chinese edition under zh-CN/, a zip, two PDFs.

Usage: python -m tools.site [OUT_DIR]   (default: site/_build/)

Sphinx with MyST-NB and sphinx-book-theme (the engine of Jupyter Book 1) renders the
notebooks with their stored outputs, without running them (nbval checks them), each
figure with its description as its alt text (with_alt); pages that include sections of
the README: home, teaching guide, glossary, changelog; and the accessibility statement.
The configuration is site/conf.py; each edition builds from a source folder made here
(site/pages/EDITION/, the notebooks, the READMEs to include), with warnings as errors.

Everything a page loads comes from the site itself: MathJax, the theme's scripts and
fonts, reveal.js for the slide decks. Nothing comes from a CDN, so the site works opened
from disk with no network. Each notebook page links its downloads (the notebook, and its
student edition from tools.make_student), its slide deck (tools.slides), launch buttons,
and the date its outputs were last verified. Written to OUT_DIR:

    html/                           the site (html/zh-CN/: the Chinese edition)
    NAME-VERSION.zip                the site in one folder, to open from disk
    NAME-VERSION-en.pdf, ...-zh-CN.pdf   every page of an edition, printed by Chromium
    work/                           Sphinx's sources, doctrees and outputs, the copies of MathJax
"""

import datetime
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import quote

from tools import contents, make_student, slides
from tools.contents import version

ROOT = contents.ROOT
SITE = ROOT / "site"
NAME = "from-numpy-to-nn-module"
EDITIONS = {  # where each edition's site goes, and the language Sphinx is told
    "en": {"prefix": "", "language": "en"},
    "zh-CN": {"prefix": "zh-CN/", "language": "zh_CN"},
}
INCLUDED = ("README.md", "README.zh-CN.md", "CHANGELOG.md")  # copied to the sources' _include/
MATHJAX = (  # what the pages and decks load of MathJax 2, below node_modules/mathjax/
    "MathJax.js",
    "config/TeX-AMS_CHTML.js",
    "config/TeX-AMS_CHTML-full.js",
    "config/Safe.js",  # the decks load it (tools.slides)
    "jax/input/TeX",
    "jax/output/CommonHTML",
    "jax/element",
    "extensions",
    "fonts/HTML-CSS/TeX/woff",
    "localization/zh-hans",
)
DECKS = (  # the rest of what the decks load (tools.slides.NEEDED), below node_modules/
    "reveal.js/dist/reveal.css",
    "reveal.js/dist/reveal.js",
    "reveal.js/dist/theme/white.css",  # tools.slides' theme; some others fetch web fonts
    "reveal.js/dist/theme/fonts/source-sans-pro",
    "reveal.js/plugin/notes/notes.js",
    "jquery/dist/jquery.min.js",
    "requirejs/require.js",
)
MARGIN = {side: "16mm" for side in ("top", "bottom", "left", "right")}  # of the PDFs' sheets
ANCHOR = re.compile(r'^<a id="([^"]+)"></a>$', re.MULTILINE)
LINK = re.compile(r"\]\(([^)\s]+)\)")


def pins(names=("torch", "numpy")):
    """{name: version} of the exact pins in requirements.txt the outputs were made with."""
    found = contents.pins()
    return {name: found[name] for name in names}


def axe_version():
    """The version of axe-core that package.json pins: the accessibility tests' engine."""
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    return package["dependencies"]["axe-core"]


def verified(path):
    """The date of the last commit that touched ``path``: when its outputs were last checked.

    Outside a git checkout, or for a file never committed, today's date.
    """
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        out = ""
    return out or datetime.date.today().isoformat()


def github_repository():
    """owner/repo of the clone's GitHub remote ('origin'), or None."""
    try:
        url = subprocess.run(
            ["git", "remote", "get-url", "origin"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return None
    found = re.search(r"github\.com[:/]([\w.-]+/[\w.-]+?)(?:\.git)?/?$", url)
    return found[1] if found else None


def glossary_terms(edition="zh-CN"):
    """The Chinese terms of the edition's README glossary (its table's second column).

    Sphinx's Chinese search splits text into words with jieba, whose dictionary lacks
    some of them (反向传播 comes out as 反向 and 传播): the site adds these.
    """
    text = (ROOT / contents.EDITIONS[edition]["readme"]).read_text(encoding="utf-8")
    table = text.split('<a id="glossary"></a>')[1].split("<a id=")[0]
    cells = [line.split("|")[2] for line in table.splitlines() if line.startswith("|")]
    words = (w for cell in cells[2:] for w in re.split(r"也称|[^\u4e00-\u9fff]+", cell))
    return sorted({word for word in words if len(word) > 1})


def other(edition):
    return next(name for name in EDITIONS if name != edition)


def cross_edition_prefix(edition):
    """From a page of ``edition`` to the same folder of the other edition."""
    return "../" if EDITIONS[edition]["prefix"] else EDITIONS[other(edition)]["prefix"]


def notebook_links(stem, edition, repository, tag, hub=""):
    """The downloads, slide deck and launch links of notebook ``stem`` on ``edition``'s site.

    Downloads and deck are relative to the notebook's page; Binder and Colab open the
    notebook at ``tag`` of GitHub's ``repository`` (owner/repo); the JupyterHub link is
    the README's nbgitpuller link to the student edition, on ``hub`` (or '<hub>': then
    ``hub_template`` is set instead, for the teacher to fill in).
    """
    repo_path = f"{contents.EDITIONS[edition]['folder']}/{stem}.ipynb"
    sub = EDITIONS[edition]["prefix"]  # '' or 'zh-CN/'
    up = "../" * sub.count("/")
    owner_repo = quote(f"https://github.com/{repository}", safe="<>")
    name = repository.rsplit("/", 1)[-1]
    pull = quote(f"lab/tree/{name}/{sub}{stem}.ipynb", safe="<>")
    hub_url = f"https://{hub or '<hub>'}/hub/user-redirect/git-pull"
    hub_url += f"?repo={owner_repo}&branch=student&urlpath={pull}"
    return {
        "notebook": f"{up}downloads/{repo_path}",
        "student": f"{up}downloads/student/{sub}{stem}.ipynb",
        "slides": f"{up}slides/{sub}{stem}.slides.html",
        "binder": f"https://mybinder.org/v2/gh/{repository}/{tag}?urlpath=lab/tree/{repo_path}",
        "colab": f"https://colab.research.google.com/github/{repository}/blob/{tag}/{repo_path}",
        "hub": hub_url if hub else "",
        "hub_template": "" if hub else hub_url,
    }


def site_target(target, edition, folder, blob):
    """Where a link of the repository, written in ``folder``, points on ``edition``'s site.

    Its README is the home page (an anchor there is a label of the page that has
    its section), its notebooks are pages, the other edition's are reached through
    the 'edition:' scheme of site/conf.py, CHANGELOG.md is a page, and any other file
    of the repository is shown at ``blob``/PATH (on GitHub).
    """
    if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
        return target
    path, _, anchor = target.partition("#")
    path = posixpath.normpath(posixpath.join(folder, path))
    readme = {name: contents.EDITIONS[name]["readme"] for name in EDITIONS}
    notebooks = {name: contents.EDITIONS[name]["folder"] for name in EDITIONS}
    if path == readme[edition]:
        return f"#{anchor}" if anchor else "index.md"
    if path == "CHANGELOG.md":
        return "changelog.md" + (f"#{anchor}" if anchor else "")
    if posixpath.dirname(path) == notebooks[edition] and path.endswith(".ipynb"):
        return posixpath.basename(path) + (f"#{anchor}" if anchor else "")
    page = {readme[other(edition)]: "index.html"}.get(path)
    if posixpath.dirname(path) == notebooks[other(edition)] and path.endswith(".ipynb"):
        page = posixpath.basename(path)[: -len(".ipynb")] + ".html"
    if page:
        if anchor:
            raise ValueError(f"a link into the other edition keeps no anchor: {target}")
        return f"edition:{page}"
    return f"{blob}/{path}" + (f"#{anchor}" if anchor else "")


def inventory(root):
    """{label or page name: URL below ``root``} of the edition built into ``root`` (objects.inv)."""
    from sphinx.util.inventory import InventoryFile

    with open(root / "objects.inv", "rb") as f:
        items = InventoryFile.load(f, "", posixpath.join)
    return {
        name: item.uri for kind in ("std:label", "std:doc") for name, item in items[kind].items()
    }


def deck_links(html):
    """How the site's decks link to the README: to the pages that have its sections.

    Returns relink(target, edition) for tools.slides.build; the decks of an edition are
    in html/slides/ (English) or html/slides/EDITION/.
    """
    urls = {edition: inventory(html / EDITIONS[edition]["prefix"]) for edition in EDITIONS}

    def relink(target, edition):
        prefix = EDITIONS[edition]["prefix"]
        folder = contents.EDITIONS[edition]["folder"]
        path, _, anchor = target.partition("#")
        readme = contents.EDITIONS[edition]["readme"]
        if posixpath.normpath(posixpath.join(folder, path)) != readme:
            return target
        root = "../" * (1 + prefix.count("/")) + prefix
        return root + (urls[edition][anchor] if anchor else "index.html")

    return relink


def with_alt(nb, edition, name):
    """``nb`` with each figure's description in ``edition`` (tools.contents.described) as its alt.

    MyST-NB 1.4 takes an image's alt from its cell's metadata (mystnb: image: alt), not from
    the output's, and one for the cell: a cell with two different figures is refused.
    """
    nb = contents.described(nb, edition, name)
    for cell in nb.cells:
        outputs = cell.get("outputs", []) if cell.cell_type == "code" else []
        images = [(o, mime) for o in outputs for mime in o.get("data", {}) if mime[:6] == "image/"]
        alts = {output.metadata[mime]["alt"] for output, mime in images}
        if len(alts) > 1:
            raise ValueError(f"{name}: cell {cell.id} has {len(alts)} figures; the site takes one")
        if alts:
            cell.metadata.setdefault("mystnb", {}).setdefault("image", {})["alt"] = alts.pop()
    return nb


def site_markdown(text, edition, folder, blob):
    """Markdown of the repository (a README, a notebook's cell) with its links made the site's.

    Explicit anchors, ``<a id="x"></a>`` on a line of their own, become MyST targets.
    """
    text = ANCHOR.sub(r"(\1)=", text)
    return LINK.sub(lambda m: f"]({site_target(m[1], edition, folder, blob)})", text)


def copy_tree(source, target):
    """Copy file or folder ``source`` to ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy2(source, target)


def vendor(work):
    """Local copies of what the pages (MathJax) and the decks load, from node_modules/.

    Returns the two folders: the pages' (both editions) and the decks' (English only).
    """
    modules = slides.MODULES
    if not (modules / slides.NEEDED["mathjax"]).exists():
        raise FileNotFoundError("missing node_modules/: run `npm ci` (or `make site`) first")
    pages, decks = work / "vendor" / "pages", work / "vendor" / "decks"
    for part in MATHJAX:
        copy_tree(modules / "mathjax" / part, pages / "mathjax" / part)
    for part in DECKS:
        copy_tree(modules / part, decks / part)
    return pages, decks


def sources(edition, work):
    """The Sphinx source folder of ``edition``: its pages, its notebooks, the files they include."""
    src = work / "src" / edition
    shutil.copytree(SITE / "pages" / edition, src)
    for path in contents.notebooks(edition):
        shutil.copy2(path, src / path.name)
    for name in INCLUDED:
        copy_tree(ROOT / name, src / "_include" / name)
    return src


def sphinx(edition, src, work, static):
    """Start Sphinx on ``edition`` (warnings as errors) into ``work``/EDITION/html; return it.

    Each edition has a folder of its own: MyST-NB writes beside the HTML folder.
    """
    outdir = work / edition / "html"
    env = dict(os.environ, COURSE_EDITION=edition, COURSE_STATIC=os.pathsep.join(static))
    cmd = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html"]
    cmd += ["-c", str(SITE), "-d", str(work / "doctrees" / edition), str(src), str(outdir)]
    return subprocess.Popen(cmd, env=env)


def downloads(html):
    """The notebooks as files to download: both editions, and the student edition of each."""
    for edition in EDITIONS:
        folder = html / "downloads" / contents.EDITIONS[edition]["folder"]
        folder.mkdir(parents=True, exist_ok=True)
        for path in contents.notebooks(edition):
            shutil.copy2(path, folder / path.name)
    make_student.main([str(html / "downloads" / "student")])


def chromium():
    """The browser that prints the PDFs: $CHROMIUM, or the first Chromium or Chrome on PATH."""
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    raise FileNotFoundError("the PDFs are printed by Chromium: apt-get install chromium")


def page_order(edition):
    """The pages of an edition in the order of its table of contents."""
    notebooks = [path.stem for path in contents.notebooks(edition)]
    return ["index", *notebooks, "teaching", "glossary", "changelog", "accessibility"]


def typeset(page):
    """Wait until MathJax has typeset the page and every image has loaded."""
    page.wait_for_function(
        """() => (!document.querySelector('.math') || window.MathJax && MathJax.isReady
                  && MathJax.Hub.queue.queue.length === 0 && MathJax.Hub.queue.pending === 0
                  && MathJax.Hub.queue.running === 0)
                 && Array.from(document.images).every(image => image.complete)""",
        timeout=60_000,
    )


def print_pdfs(html, targets):
    """Print each edition's pages with Chromium, offline, into one PDF per edition.

    ``targets`` is {edition: PDF path}; each page starts on a new sheet and has a bookmark.
    """
    import io

    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter

    flags = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=flags)
        context = browser.new_context(offline=True)
        for edition, target in targets.items():
            writer, titles = PdfWriter(), []
            for name in page_order(edition):
                page = context.new_page()
                page.goto((html / EDITIONS[edition]["prefix"] / f"{name}.html").as_uri())
                typeset(page)
                titles.append(page.title().split(" — ")[0])
                sheets = page.pdf(format="A4", print_background=True, margin=MARGIN)
                page.close()
                first = len(writer.pages)
                writer.append(PdfReader(io.BytesIO(sheets)))
                writer.add_outline_item(title=titles[-1], page_number=first)
            writer.add_metadata({"/Title": titles[0], "/Subject": f"version {version()}"})
            with open(target, "wb") as f:
                writer.write(f)
        browser.close()
    return targets


def archive(html, target):
    """Zip the site into ``target``, in one folder named after the file."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(html.rglob("*")):
            if path.is_file():
                zf.write(path, f"{target.stem}/{path.relative_to(html).as_posix()}")
    return target


def build(out):
    """Build the whole site into ``out``; return {"html": dir, "zip": file, "pdf": {edition: file}}.

    What an earlier build left there goes first.
    """
    out, html = Path(out), Path(out) / "html"
    work = out / "work"
    for stale in (html, work):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in [*out.glob("*.zip"), *out.glob("*.pdf")]:
        stale.unlink()
    pages, decks = vendor(work)
    static = {"en": [str(pages), str(decks)], "zh-CN": [str(pages)]}
    builds = [sphinx(ed, sources(ed, work), work, static[ed]) for ed in EDITIONS]
    failed = [ed for ed, proc in zip(EDITIONS, builds, strict=True) if proc.wait() != 0]
    if failed:
        raise RuntimeError(f"Sphinx failed on the {' and '.join(failed)} edition")
    for edition in EDITIONS:  # English at the root, the others in their folders
        shutil.move(work / edition / "html", html / EDITIONS[edition]["prefix"])
    downloads(html)
    slides.build(html / "slides", modules=html / "_static", relink=deck_links(html))
    stem = f"{NAME}-{version()}"
    pdfs = print_pdfs(html, {ed: out / f"{stem}-{ed}.pdf" for ed in EDITIONS})
    return {"html": html, "zip": archive(html, out / f"{stem}.zip"), "pdf": pdfs}


def main(argv):
    result = build(Path(argv[0]) if argv else SITE / "_build")
    for path in [result["html"] / "index.html", result["zip"], *result["pdf"].values()]:
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    main(sys.argv[1:])
