"""The Simplified Chinese edition: gettext catalogs in, Chinese notebooks out.

Usage: python -m tools.translate           update the catalogs, then build the notebooks
       python -m tools.translate --check   exit 1 if a catalog or a notebook is out of date

The English notebooks are the source. Each markdown cell of notebooks/NN_*.ipynb
is one entry of i18n/zh-CN/NN_*.po: msgctxt is the cell's id, msgid its English
text, msgstr the Chinese. Updating a catalog never guesses:

- a new cell gets an empty entry, to translate;
- a changed cell keeps its old translation, marked fuzzy, with the old English
  as previous msgid, until a person re-translates it and removes the flag;
- a removed cell's entry is dropped.

The build copies each English notebook to notebooks/zh-CN/ and replaces only
the markdown: code, outputs, ids and metadata stay byte for byte. A cell whose
entry is untranslated or fuzzy keeps its English text (the tests fail on it), and
the build prints a warning naming it.
Relative links are rewritten for the deeper folder, and README.md becomes
README.zh-CN.md; navigation cells and README.zh-CN.md's contents table come from
tools/contents.py.
"""

import copy
import re
import sys
from pathlib import Path

import nbformat
import polib

from tools import contents

ROOT = Path(__file__).resolve().parents[1]
LANGUAGE = "zh-CN"
CATALOGS = ROOT / "i18n" / LANGUAGE
EDITION = ROOT / contents.EDITIONS[LANGUAGE]["folder"]
HEADER = {
    "Project-Id-Version": "From numpy to nn.Module",
    "Language": LANGUAGE,
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
}
LINK = re.compile(r"(\]\()([^)\s]+)(\))")


def prose_cells(nb):
    """The markdown cells of ``nb`` that are translated: all but the navigation cells."""
    return [cell for cell in nb.cells if cell.cell_type == "markdown" and not contents.is_nav(cell)]


def translatable(nb):
    """(cell id, English text) of every prose cell."""
    return [(cell.id, cell.source) for cell in prose_cells(nb)]


def updated_catalog(nb, old):
    """A catalog for ``nb``, keeping the translations of ``old`` (a polib catalog or None)."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = dict(HEADER)
    known = {entry.msgctxt: entry for entry in old} if old is not None else {}
    for cell_id, english in translatable(nb):
        entry = polib.POEntry(msgctxt=cell_id, msgid=english, msgstr="")
        before = known.get(cell_id)
        if before is not None:
            entry.msgstr = before.msgstr
            entry.flags = list(before.flags)
            if "fuzzy" in before.flags:  # still waiting for a person: keep what it was made for
                entry.previous_msgid = before.previous_msgid
            if before.msgid != english and before.msgstr:
                if "fuzzy" not in entry.flags:
                    entry.flags.append("fuzzy")
                entry.previous_msgid = entry.previous_msgid or before.msgid
        po.append(entry)
    return po


def catalog_path(path):
    return CATALOGS / f"{path.stem}.po"


def relink(text):
    """Rewrite relative link targets for a notebook one folder deeper, in the Chinese edition."""

    def fix(match):
        target = match[2]
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            return match[0]
        file_part, hash_, anchor = target.partition("#")
        if re.fullmatch(r"\d\d_\w+\.ipynb", file_part):
            return match[0]  # another notebook: its Chinese edition sits next to this one
        file_part = "../" + file_part.replace("README.md", contents.EDITIONS[LANGUAGE]["readme"])
        return f"{match[1]}{file_part}{hash_}{anchor}{match[3]}"

    return LINK.sub(fix, text)


def untranslated_cells(nb, po):
    """(cell id, why, English text) of each prose cell of ``nb`` with no current Chinese in ``po``.

    Why is "untranslated" (no entry, or an empty one) or "stale": the entry is fuzzy, or
    was made for other English than the cell now holds.
    """
    entries = {entry.msgctxt: entry for entry in po}
    found = []
    for cell in prose_cells(nb):
        entry = entries.get(cell.id)
        if entry is None or not entry.msgstr:
            found.append((cell.id, "untranslated", cell.source))
        elif "fuzzy" in entry.flags or entry.msgid != cell.source:
            found.append((cell.id, "stale", cell.source))
    return found


WHY = {"untranslated": "not translated yet", "stale": "stale translation (its English changed)"}


def warn_untranslated(name, missing):
    """Print a warning for each cell of Chinese notebook ``name`` left in English."""
    for cell_id, why, english in missing:
        words = " ".join(english.split()[:8])
        print(
            f"warning: {LANGUAGE}/{name}, cell {cell_id}: {WHY[why]}, kept in English: {words} ...",
            file=sys.stderr,
        )


def chinese_notebook(nb, po):
    """``nb`` with every translated markdown cell in Chinese.

    Returns it and, per cell kept in English, (cell id, why, English text).
    """
    nb = copy.deepcopy(nb)
    missing = untranslated_cells(nb, po)
    kept = {cell_id for cell_id, _, _ in missing}
    chinese = {entry.msgctxt: entry.msgstr for entry in po}
    for cell in prose_cells(nb):
        if cell.id not in kept:
            cell.source = chinese[cell.id]
        cell.source = relink(cell.source)
    return nb, missing


def chinese_edition(nbs, catalogs):
    """The Chinese edition of notebooks ``nbs`` ({file name: notebook}), navigation included.

    ``catalogs``: {file name: polib catalog}. Also returns, per notebook, the cells kept in
    English, as ``untranslated_cells`` lists them.
    """
    chinese, missing = {}, {}
    for name, nb in nbs.items():
        chinese[name], missing[name] = chinese_notebook(nb, catalogs[name])
    contents.with_nav(chinese, LANGUAGE)
    return chinese, missing


def build(paths, check):
    """Update catalogs, Chinese notebooks and README table; return the files out of date."""
    stale, english, catalogs = [], {}, {}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        po_path = catalog_path(path)
        old = polib.pofile(str(po_path), wrapwidth=0) if po_path.exists() else None
        po = updated_catalog(nb, old)
        if old is None or str(po) != str(old):
            stale.append(str(po_path.relative_to(ROOT)))
            if not check:
                po_path.parent.mkdir(parents=True, exist_ok=True)
                po.save(str(po_path))
        english[path.name], catalogs[path.name] = nb, po
    chinese, missing = chinese_edition(english, catalogs)
    for name, nb in chinese.items():
        warn_untranslated(name, missing[name])
        out = EDITION / name
        if contents.write_if_changed(out, nbformat.writes(nb) + "\n", check):
            stale.append(str(out.relative_to(ROOT)))
    if contents.sync_readme(chinese, LANGUAGE, check):
        stale.append(contents.EDITIONS[LANGUAGE]["readme"])
    return stale


def main(argv):
    check = "--check" in argv
    stale = build(contents.notebooks("en"), check)
    for name in stale:
        print(("out of date: " if check else "updated: ") + name)
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
