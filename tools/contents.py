"""Keep the README's contents table and the notebooks' navigation links in sync.

Usage: python tools/contents.py           rewrite README.md and the nav cells
       python tools/contents.py --check   exit 1 if anything is out of date

The table is made from each notebook's first '# ' heading and the first
sentence under it. A markdown cell that starts with '<!-- nav -->' is a
navigation cell: it is rewritten with links to the contents and to the
previous and next notebooks.
"""

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- contents:start -->", "<!-- contents:end -->"
NAV = "<!-- nav -->"


def notebooks():
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def title_and_goal(nb):
    """The first '# ' heading (without the 'NN · ' prefix) and the first sentence below it."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            heading, _, body = cell.source.partition("\n")
            title = re.sub(r"^#\s+\d+\s*·\s*", "", heading).strip()
            goal = body.strip().split("\n")[0]
            return title, re.split(r"(?<=\.)\s", goal)[0]
    raise ValueError("no '# ' title heading found")


def contents_table(paths):
    rows = ["| # | notebook | what you gain |", "|---|---|---|"]
    for path in paths:
        title, goal = title_and_goal(nbformat.read(path, as_version=4))
        rows.append(f"| {path.name[:2]} | [{title}](notebooks/{path.name}) | {goal} |")
    return "\n".join(rows)


def nav_source(paths, i):
    links = ["[Contents](../README.md#contents)"]
    for label, j in (("Previous", i - 1), ("Next", i + 1)):
        if 0 <= j < len(paths):
            title, _ = title_and_goal(nbformat.read(paths[j], as_version=4))
            links.append(f"{label}: [{paths[j].name[:2]} · {title}]({paths[j].name})")
    return NAV + "\n" + " · ".join(links)


def sync(check):
    paths, stale = notebooks(), []
    readme = (ROOT / "README.md").read_text()
    new = re.sub(
        re.escape(START) + ".*?" + re.escape(END),
        lambda _: f"{START}\n{contents_table(paths)}\n{END}",
        readme,
        flags=re.S,
    )
    if new != readme:
        stale.append("README.md")
        if not check:
            (ROOT / "README.md").write_text(new)
    for i, path in enumerate(paths):
        nb = nbformat.read(path, as_version=4)
        changed = False
        for cell in nb.cells:
            if cell.cell_type == "markdown" and cell.source.startswith(NAV):
                source = nav_source(paths, i)
                changed |= cell.source != source
                cell.source = source
        if changed:
            stale.append(str(path.relative_to(ROOT)))
            if not check:
                nbformat.write(nb, path)
    return stale


if __name__ == "__main__":
    check = "--check" in sys.argv[1:]
    stale = sync(check)
    for name in stale:
        print(("out of date: " if check else "updated: ") + name)
    sys.exit(1 if check and stale else 0)
