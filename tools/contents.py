"""Keep the READMEs' contents tables and the notebooks' navigation links in sync.

Usage: python tools/contents.py           rewrite the tables and the nav cells
       python tools/contents.py --check   exit 1 if anything is out of date

Each edition (English, and the Chinese one built by tools/translate.py) has a
README with a table made from each notebook's first '# ' heading and the first
sentence under it. A markdown cell that starts with '<!-- nav -->' is a
navigation cell: it is rewritten with links to the contents table and to the
previous and next notebooks. Links into a README use its explicit anchors.
"""

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
        "contents": "[Contents](../README.md#contents)",
        "previous": "Previous: ",
        "next": "Next: ",
        "sentence_end": r"(?<=\.)\s",
    },
    "zh-CN": {
        "readme": "README.zh-CN.md",
        "folder": "notebooks/zh-CN",
        "header": "| # | 笔记本 | 你将收获 |",
        "contents": "[目录](../../README.zh-CN.md#contents)",
        "previous": "上一篇：",
        "next": "下一篇：",
        "sentence_end": r"(?<=。)",
    },
}


def version():
    """The course's version: pyproject.toml's, the only place it is written."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["project"]["version"]


def pins(path=ROOT / "requirements.txt"):
    """{package: version} of a requirements file's exact pins (a local label like +cpu dropped)."""
    found = re.findall(r"^([A-Za-z0-9_.-]+)==([^\s+#]+)", path.read_text(encoding="utf-8"), re.M)
    return {name.lower(): version for name, version in found}


def notebooks(edition="en"):
    return sorted((ROOT / EDITIONS[edition]["folder"]).glob("[0-9][0-9]_*.ipynb"))


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

    ``folder`` defaults to the edition's folder in the repository.
    """
    rows = [EDITIONS[edition]["header"], "|---|---|---|"]
    folder = EDITIONS[edition]["folder"] if folder is None else folder
    for name, nb in nbs.items():
        title, goal = title_and_goal(nb, edition)
        row = f"| {name[:2]} | [{title}]({folder + '/' if folder else ''}{name}) | {goal} |"
        rows.append(row)
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
        for name in with_nav(nbs, edition):
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
