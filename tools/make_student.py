"""Write the student edition: the notebooks with their solutions taken out.

Usage: python -m tools.make_student [OUT_DIR]   (default: student/; Chinese in OUT_DIR/zh-CN/)

In the teacher notebooks, solution code sits between two marker lines:

    ### BEGIN SOLUTION            (named after the nearest "**Exercise N: title.**")
    ### BEGIN SOLUTION (label)    (named by the label, e.g. "backward pass, step 1")
    ...
    ### END SOLUTION

Each block becomes one line, indented like the marker, that raises
NotImplementedError naming the exercise. Outputs are cleared; metadata stays
canonical, so the notebooks open in JupyterLab unmodified. The Chinese student
edition is the English one with the markdown of the Chinese catalogs: its code,
stubs included, is the English code, as in the Chinese teacher notebooks. A Chinese
cell whose English changed since it was translated stays English, with a warning.

The edition stands alone, as the branch a class pulls: a README of its own per
language (README.md, README.zh-CN.md: how to work, the contents, the glossary)
sits beside the notebooks, and every relative link is rewritten to point inside it.
"""

import posixpath
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BEGIN = re.compile(r"^(?P<indent>\s*)### BEGIN SOLUTION(?:\s*\((?P<label>[^)]*)\))?\s*$")
END = re.compile(r"^\s*### END SOLUTION\s*$")
EXERCISE = re.compile(r"\*\*(Exercise \d+): ([^*]+?)\.?\*\*")
LINK = re.compile(r"(\]\()([^)\s]+)(\))")
TEMPLATES = ROOT / "tools" / "templates"
#: Where each edition's notebooks sit, in the repository and in the student edition.
FOLDERS = {"en": ("notebooks", ""), "zh-CN": ("notebooks/zh-CN", "zh-CN")}


def stub(indent, label):
    return f'{indent}raise NotImplementedError("{label}: write your solution here")'


def strip_solutions(source, default_label):
    """Replace every marked block of ``source`` by a stub."""
    out, inside = [], False
    for line in source.split("\n"):
        begin = BEGIN.match(line)
        if begin:
            if inside:
                raise ValueError(f"nested BEGIN SOLUTION in:\n{source}")
            inside = True
            label = begin["label"] or default_label
            if not label:
                raise ValueError(f"a solution block with no exercise above it:\n{source}")
            out.append(stub(begin["indent"], label[0].upper() + label[1:]))
        elif END.match(line):
            if not inside:
                raise ValueError(f"END SOLUTION without BEGIN in:\n{source}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"BEGIN SOLUTION without END in:\n{source}")
    return "\n".join(out)


def student_notebook(nb):
    """A copy of teacher notebook ``nb`` with solutions stubbed and outputs cleared."""
    nb = nbformat.from_dict(nb)
    exercise = ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            found = EXERCISE.search(cell.source)
            exercise = f"{found[1]} ({found[2]})" if found else exercise
            continue
        cell.source = strip_solutions(cell.source, exercise)
        cell.outputs = []
        cell.execution_count = None
    return nb


def edition_files():
    """{path in the repository: path in the student edition} of every file the edition holds."""
    from tools import contents

    files = {}
    for edition, (repo_folder, folder) in FOLDERS.items():
        readme = contents.EDITIONS[edition]["readme"]
        files[readme] = readme
        for path in contents.notebooks(edition):
            files[f"{repo_folder}/{path.name}"] = posixpath.join(folder, path.name)
    return files


def relink(source, edition):
    """Rewrite the relative links of ``source``, a markdown cell of ``edition``, for the student
    edition, where the notebooks sit at the top (the Chinese ones in zh-CN/) beside its READMEs.

    A link to a file the student edition does not hold is an error.
    """
    repo_folder, folder = FOLDERS[edition]
    files = edition_files()

    def fix(match):
        target = match[2]
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            return match[0]
        file_part, hash_, anchor = target.partition("#")
        in_repo = posixpath.normpath(posixpath.join(repo_folder, file_part))
        if in_repo not in files:
            raise ValueError(
                f"a link to {target} ({in_repo}) points outside the student edition, which holds "
                f"only {sorted(files)}"
            )
        moved = posixpath.relpath(files[in_repo], folder or ".")
        return f"{match[1]}{moved}{hash_}{anchor}{match[3]}"

    return LINK.sub(fix, source)


def relinked(nb, edition):
    """``nb`` with the links of its markdown cells rewritten for the student edition (in place)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = relink(cell.source, edition)
    return nb


def section(readme_text, anchor):
    """The section of a README that starts at ``<a id="anchor"></a>``, up to the next anchor."""
    start = f'<a id="{anchor}"></a>'
    if start not in readme_text:
        raise ValueError(f"the README has no section {start}")
    body = readme_text.split(start, 1)[1]
    return (start + body.split("\n<a id=", 1)[0]).strip() + "\n"


def student_readme(edition, nbs):
    """The student edition's README for ``edition``, made from its template in tools/templates,
    with the contents of notebooks ``nbs`` ({file name: notebook}) and the course's glossary."""
    from tools import contents

    readme = contents.EDITIONS[edition]["readme"]
    template = (TEMPLATES / f"student-{readme}").read_text(encoding="utf-8")
    table = contents.contents_table(nbs, edition, folder=FOLDERS[edition][1])
    glossary = section((ROOT / readme).read_text(encoding="utf-8"), "glossary")
    for marker, text in (("<!-- contents -->", table), ("<!-- glossary -->", glossary)):
        if template.count(marker) != 1:
            raise ValueError(f"tools/templates/student-{readme}: expected one {marker}")
        template = template.replace(marker, text.strip())
    return template


def build(out_dir, paths=None):
    """Write the student edition of the teacher notebooks ``paths`` (default: the course's) and
    its READMEs to ``out_dir``; warn about each Chinese cell whose translation is missing."""
    import polib

    from tools import contents, translate

    students, catalogs = {}, {}
    for path in paths or contents.notebooks("en"):
        nb = students[path.name] = student_notebook(nbformat.read(path, as_version=4))
        po_path = translate.catalog_path(path)
        old = polib.pofile(str(po_path), wrapwidth=0) if po_path.exists() else None
        catalogs[path.name] = translate.updated_catalog(nb, old)  # marks changed cells fuzzy
    chinese, missing = translate.chinese_edition(students, catalogs)
    for name, nb in students.items():
        write(relinked(nb, "en"), out_dir / name)
    for name, nb in chinese.items():
        translate.warn_untranslated(name, missing[name])
        write(relinked(nb, translate.LANGUAGE), out_dir / translate.LANGUAGE / name)
    for edition, nbs in (("en", students), (translate.LANGUAGE, chinese)):
        readme = out_dir / contents.EDITIONS[edition]["readme"]
        readme.write_text(student_readme(edition, nbs), encoding="utf-8")
        print(f"wrote {readme}")


def main(argv):
    build(Path(argv[0]) if argv else ROOT / "student")


def write(nb, path):
    nbformat.validate(nb)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
