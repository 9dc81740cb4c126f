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
stubs included, is the English code, as in the Chinese teacher notebooks.
"""

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BEGIN = re.compile(r"^(?P<indent>\s*)### BEGIN SOLUTION(?:\s*\((?P<label>[^)]*)\))?\s*$")
END = re.compile(r"^\s*### END SOLUTION\s*$")
EXERCISE = re.compile(r"\*\*(Exercise \d+): ([^*]+?)\.?\*\*")


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


def main(argv):
    import polib

    from tools import contents, translate

    out_dir = Path(argv[0]) if argv else ROOT / "student"
    students, catalogs = {}, {}
    for path in contents.notebooks("en"):
        nb = students[path.name] = student_notebook(nbformat.read(path, as_version=4))
        nbformat.validate(nb)
        write(nb, out_dir / path.name)
        catalogs[path.name] = polib.pofile(str(translate.catalog_path(path)))
    chinese, _ = translate.chinese_edition(students, catalogs)
    for name, nb in chinese.items():
        write(nb, out_dir / translate.LANGUAGE / name)


def write(nb, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
