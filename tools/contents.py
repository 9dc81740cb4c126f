"""Keep the READMEs' contents tables, the notebooks' navigation links and install cells in sync.

Usage: python tools/contents.py           rewrite the tables and the nav cells
       python tools/contents.py --check   exit 1 if anything is out of date

Each edition (English, and the Chinese one built by tools/translate.py) has a
README with a table made from each notebook's first '# ' heading and the first
sentence under it. A markdown cell that starts with '<!-- nav -->' is a
navigation cell: it is rewritten with links to the contents table and to the
previous and next notebooks. Links into a README use its explicit anchors.
The first code cell of each notebook is its install cell (install_source): where
the course's helpers are missing, as on Colab, it installs them from this release.
The repository and the release come from pyproject.toml ([project.urls] Source, version).
"""

import copy
import re
import sys
from pathlib import Path

import nbformat
import tomllib

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- contents:start -->", "<!-- contents:end -->"
NAV = "<!-- nav -->"
EDITIONS = {
    "en": {
        "readme": "README.md",
        "folder": "notebooks",
        "header": "| # | notebook | what you gain |",
        "run": "run it on",
        "contents": "[Contents](../README.md#contents)",
        "previous": "Previous: ",
        "next": "Next: ",
        "sentence_end": r"(?<=\.)\s",
    },
    "zh-CN": {
        "readme": "README.zh-CN.md",
        "folder": "notebooks/zh-CN",
        "header": "| # | 笔记本 | 你将收获 |",
        "run": "在线运行",
        "contents": "[目录](../../README.zh-CN.md#contents)",
        "previous": "上一篇：",
        "next": "下一篇：",
        "sentence_end": r"(?<=。)",
    },
}


def project():
    """The [project] table of pyproject.toml."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def version():
    """The course's version: pyproject.toml's, the only place it is written."""
    return project()["version"]


def release_tag():
    """The git tag of this version's release, as the release steps in README.md make it."""
    return f"v{version()}"


def repository():
    """owner/repo of the GitHub repository the course is published from: pyproject's Source URL."""
    url = project()["urls"]["Source"]
    found = re.fullmatch(r"https://github\.com/([\w.-]+/[\w.-]+?)/?", url)
    if not found:
        raise ValueError(f"expected [project.urls] Source https://github.com/OWNER/REPO, got {url}")
    return found[1]


def colab_url(edition, name, repo=None):
    """Colab's link to notebook ``name`` of ``edition`` at this release, on GitHub's ``repo``."""
    path = f"{repo or repository()}/blob/{release_tag()}/{EDITIONS[edition]['folder']}/{name}"
    return f"https://colab.research.google.com/github/{path}"


# What a platform (Colab, Kaggle, a cloud notebook) brings in versions of its own choosing:
# the install cell never installs or upgrades these.
PLATFORM = ("torch", "numpy", "matplotlib")
INSTALL_ID, INSTALL_TAG = "install-course-utils", "install"


def requirement_name(requirement):
    """The distribution name of a requirement string: 'numpy>=2.0' -> 'numpy'."""
    found = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9_.-]*)", requirement)
    if not found:
        raise ValueError(f"expected a requirement like 'numpy>=2.0', got {requirement!r}")
    return found[1].lower().replace("_", "-")


def helper_requirements():
    """The course's requirements (pyproject.toml) that the install cell may add: not PLATFORM's."""
    return [r for r in project()["dependencies"] if requirement_name(r) not in PLATFORM]


def install_source():
    """The install cell: outside the course's environment, the helpers of this release.

    course_utils comes without its dependencies, so the platform's torch, numpy and
    matplotlib stay; pip then adds the other requirements only where they are missing
    or older than the floors. COURSE_UTILS_SOURCE overrides where course_utils comes from.
    """
    extras = ", ".join(f'"{r}"' for r in helper_requirements())
    return "\n".join(
        [
            "# Outside the course's own environment (Colab, Kaggle, a cloud notebook): install its "
            f"helpers, release {version()}, and keep the platform's torch, numpy and matplotlib.",
            "import importlib.util",
            "import os",
            "import subprocess",
            "import sys",
            "",
            f'release = "git+https://github.com/{repository()}@{release_tag()}"',
            'if importlib.util.find_spec("course_utils") is None:',
            '    source = os.environ.get("COURSE_UTILS_SOURCE", release)',
            '    print("Installing the course\'s helpers from", source)',
            '    pip = [sys.executable, "-m", "pip", "install", "--quiet"]',
            '    subprocess.run([*pip, "--no-deps", source], check=True)',
            f"    subprocess.run([*pip, {extras}], check=True)",
            "    importlib.invalidate_caches()",
        ]
    )


def is_title(cell):
    return cell.cell_type == "markdown" and cell.source.startswith("# ")


def is_install(cell):
    return cell.cell_type == "code" and cell.get("id") == INSTALL_ID


def with_install(nb):
    """Make the install cell ``nb``'s first code cell, right after the title; return if changed.

    A new cell in a notebook whose code cells ran top to bottom gets the execution
    counts a fresh run gives (it prints nothing in the course's environment).
    """
    source = install_source()
    found = [cell for cell in nb.cells if is_install(cell)]
    if found:
        changed = found[0].source != source
        found[0].source = source
        return changed
    heads = [i for i, cell in enumerate(nb.cells) if is_title(cell)]
    title = heads[0] if heads else None
    if title is None or any(c.cell_type == "code" for c in nb.cells[:title]):
        raise ValueError("expected a '# ' title before the first code cell")
    cell = nbformat.v4.new_code_cell(source)
    cell.id = INSTALL_ID
    cell.metadata = {"slideshow": {"slide_type": "skip"}, "tags": [INSTALL_TAG]}
    code = [c for c in nb.cells if c.cell_type == "code"]
    if [c.execution_count for c in code] == list(range(1, len(code) + 1)):
        cell.execution_count = 1
        for c in code:
            c.execution_count += 1
    nb.cells.insert(title + 1, cell)
    return True


def pins(path=ROOT / "requirements.txt"):
    """{package: version} of a requirements file's exact pins (a local label like +cpu dropped)."""
    found = re.findall(r"^([A-Za-z0-9_.-]+)==([^\s+#]+)", path.read_text(encoding="utf-8"), re.M)
    return {name.lower(): version for name, version in found}


def notebooks(edition="en"):
    return sorted((ROOT / EDITIONS[edition]["folder"]).glob("[0-9][0-9]_*.ipynb"))


def described(nb, edition, name):
    """A copy of ``nb`` whose image outputs carry ``edition``'s description as their alt.

    Each image output holds its descriptions in its metadata, ``{"image/png": {"alt":
    English, "alt.zh-CN": Chinese}}``; the copy's ``alt`` is the edition's (the English
    where a translation is missing). An image without a description is a defect: raises
    ValueError naming ``name`` (the notebook) and the cells.
    """
    nb, missing = copy.deepcopy(nb), []
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            for mime in [key for key in output.get("data", {}) if key.startswith("image/")]:
                meta = output.setdefault("metadata", {}).get(mime)
                meta = meta if isinstance(meta, dict) else {}
                alt = (meta.get(f"alt.{edition}") or meta.get("alt") or "").strip()
                if alt:
                    output.metadata[mime] = {**meta, "alt": alt}
                else:
                    missing.append(cell.get("id", "?"))
    if missing:
        raise ValueError(
            f"{name}: image outputs without a description "
            f"(output.metadata['image/png']['alt']) in cells {', '.join(missing)}"
        )
    return nb


def title_and_goal(nb, edition="en"):
    """The first '# ' heading (without the 'NN · ' prefix) and the first sentence below it."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            heading, _, body = cell.source.partition("\n")
            title = re.sub(r"^#\s+\d+\s*·\s*", "", heading).strip()
            goal = body.strip().split("\n")[0]
            return title, re.split(EDITIONS[edition]["sentence_end"], goal)[0].strip()
    raise ValueError("no '# ' title heading found")


def contents_table(nbs, edition, folder=None):
    """The README's table for notebooks ``nbs`` ({file name: notebook}), linked into ``folder``.

    ``folder`` defaults to the edition's folder in the repository; that table, the
    READMEs', also links each notebook's Colab page at this release (colab_url).
    """
    colab = folder is None
    rows = [EDITIONS[edition]["header"], "|---|---|---|"]
    if colab:
        rows = [rows[0] + f" {EDITIONS[edition]['run']} |", rows[1] + "---|"]
    folder = EDITIONS[edition]["folder"] if folder is None else folder
    for name, nb in nbs.items():
        title, goal = title_and_goal(nb, edition)
        row = f"| {name[:2]} | [{title}]({folder + '/' if folder else ''}{name}) | {goal} |"
        rows.append(row + (f" [Colab]({colab_url(edition, name)}) |" if colab else ""))
    return "\n".join(rows)


def nav_source(nbs, i, edition):
    """The navigation cell of the i-th of the notebooks ``nbs`` ({file name: notebook})."""
    labels = EDITIONS[edition]
    names = list(nbs)
    links = [labels["contents"]]
    for label, j in ((labels["previous"], i - 1), (labels["next"], i + 1)):
        if 0 <= j < len(names):
            title, _ = title_and_goal(nbs[names[j]], edition)
            links.append(f"{label}[{names[j][:2]} · {title}]({names[j]})")
    return NAV + "\n" + " · ".join(links)


def is_nav(cell):
    return cell.cell_type == "markdown" and cell.source.startswith(NAV)


def with_nav(nbs, edition):
    """Set the navigation cells of notebooks ``nbs`` in place; return the names changed."""
    changed = []
    for i, (name, nb) in enumerate(nbs.items()):
        source = nav_source(nbs, i, edition)
        stale = [cell for cell in nb.cells if is_nav(cell) and cell.source != source]
        for cell in stale:
            cell.source = source
        if stale:
            changed.append(name)
    return changed


def write_if_changed(path, text, check):
    """Write ``text`` (UTF-8) to ``path`` unless it holds it already, or ``check``.

    Return whether the file was out of date.
    """
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    if not check:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return True


def sync_readme(nbs, edition, check):
    """Rewrite (or with ``check`` only report) the edition's contents table; return if stale."""
    path = ROOT / EDITIONS[edition]["readme"]
    before, _, rest = path.read_text(encoding="utf-8").partition(START)
    _, _, after = rest.partition(END)
    table = contents_table(nbs, edition)
    return write_if_changed(path, f"{before}{START}\n{table}\n{END}{after}", check)


def sync(check, editions=("en",)):
    """Rewrite (or with ``check`` only report) stale tables and nav cells; return their paths."""
    stale = []
    for edition in editions:
        paths = notebooks(edition)
        nbs = {path.name: nbformat.read(path, as_version=4) for path in paths}
        if sync_readme(nbs, edition, check):
            stale.append(EDITIONS[edition]["readme"])
        changed = set(with_nav(nbs, edition))
        if edition == "en":  # the Chinese notebooks copy the English code (tools.translate)
            changed |= {name for name, nb in nbs.items() if with_install(nb)}
        for name in sorted(changed):
            path = ROOT / EDITIONS[edition]["folder"] / name
            stale.append(str(path.relative_to(ROOT)))
            if not check:
                nbformat.write(nbs[name], path)
    return stale


if __name__ == "__main__":
    check = "--check" in sys.argv[1:]
    stale = sync(check, editions=tuple(EDITIONS))
    for name in stale:
        print(("out of date: " if check else "updated: ") + name)
    sys.exit(1 if check and stale else 0)
