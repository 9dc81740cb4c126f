"""The student edition: it builds, stands alone, stops at its first stub, and runs with the
solutions back."""

import re
import shutil
import urllib.parse

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tests.conftest import NOTEBOOKS
from tools import make_student

LINK = re.compile(r"\]\(([^)\s]+)\)")
STUB = re.compile(r'^\s*raise NotImplementedError\("(?P<label>[^"]+): write your solution here"\)$')
BLOCK = re.compile(r"^[ \t]*### BEGIN SOLUTION.*?### END SOLUTION[^\n]*$", re.S | re.M)


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    make_student.main([str(out)])
    return out


def stub_cells(nb):
    return [i for i, c in enumerate(nb.cells) if any(map(STUB.match, c.source.split("\n")))]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_edition_builds_clean(path, student_dir):
    teacher = nbformat.read(path, as_version=4)
    student = nbformat.read(student_dir / path.name, as_version=4)
    nbformat.validate(student)
    assert student.metadata == teacher.metadata
    assert len(student.cells) == len(teacher.cells)
    code = [c for c in student.cells if c.cell_type == "code"]
    assert not any("### BEGIN SOLUTION" in c.source or "### END SOLUTION" in c.source for c in code)
    assert all(not c.outputs and c.execution_count is None for c in code)
    labels = [
        STUB.match(line)["label"] for c in code for line in c.source.split("\n") if STUB.match(line)
    ]
    assert sum(label.startswith("Exercise") for label in labels) >= 2
    if path.name[:2] in ("01", "02"):
        assert any(label.startswith("Backward pass") for label in labels)


def without_link_targets(source):
    """Markdown with every link's target left out: the student edition moves the targets."""
    return LINK.sub("]()", source)


def markdown_files(folder):
    """(path, [markdown text, ...]) of every README and notebook of a student edition."""
    for path in sorted(folder.rglob("*.md")):
        yield path, [path.read_text(encoding="utf-8")]
    for path in sorted(folder.rglob("*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        yield path, [c.source for c in cells if c.cell_type == "markdown"]


def anchors(path):
    """The explicit anchors (<a id="...">) a README or a notebook's markdown defines."""
    texts = dict(markdown_files(path.parent)).get(path, [])
    return {a for text in texts for a in re.findall(r'<a id="([^"]+)"></a>', text)}


def dead_links(folder):
    """Every relative link in a student edition that leaves it, or finds no file or anchor."""
    dead = []
    for path, texts in markdown_files(folder):
        for target in (t for text in texts for t in LINK.findall(text)):
            if re.match(r"[a-z]+:", target):
                continue
            file_part, _, anchor = urllib.parse.unquote(target).partition("#")
            linked = (path.parent / file_part).resolve() if file_part else path
            where = f"{path.relative_to(folder)}: {target}"
            if not linked.is_relative_to(folder.resolve()):
                dead.append(f"{where} points outside the edition")
            elif not linked.is_file():
                dead.append(f"{where} finds no file")
            elif anchor and anchor not in anchors(linked):
                dead.append(f"{where} finds no anchor {anchor!r}")
    return dead


def test_every_link_of_the_student_edition_resolves_inside_it(student_dir):
    """The edition is what a class pulls, alone: its contents and glossary live in it."""
    for readme in ("README.md", "README.zh-CN.md"):
        assert (student_dir / readme).is_file(), f"the student edition has no {readme}"
    names = sorted(p.name for p in student_dir.glob("*.ipynb"))
    assert names == sorted(p.name for p in NOTEBOOKS)
    assert sorted(p.name for p in (student_dir / "zh-CN").glob("*.ipynb")) == names
    links = [
        t for _, texts in markdown_files(student_dir) for text in texts for t in LINK.findall(text)
    ]
    assert sum("README" in t for t in links) >= 2 * (len(NOTEBOOKS) + 1), "contents and glossary"
    assert not dead_links(student_dir)


def test_the_link_check_finds_a_link_that_leaves_the_edition(student_dir, tmp_path):
    copy = tmp_path / "edition"
    shutil.copytree(student_dir, copy)
    readme = copy / "README.md"
    readme.write_text(
        readme.read_text(encoding="utf-8") + "\n[out](../README.md) [gone](02_gone.ipynb) "
        "[nowhere](README.zh-CN.md#nowhere)\n",
        encoding="utf-8",
    )
    assert dead_links(copy) == [
        "README.md: ../README.md points outside the edition",
        "README.md: 02_gone.ipynb finds no file",
        "README.md: README.zh-CN.md#nowhere finds no anchor 'nowhere'",
    ]


def test_a_link_to_a_file_outside_the_edition_stops_the_build():
    with pytest.raises(ValueError, match="points outside the student edition"):
        make_student.relink("see [the license](../LICENSE)", "en")


def test_a_changed_english_cell_keeps_its_english_in_the_chinese_edition_with_a_warning(
    tmp_path, capsys
):
    """make student after an English change, before `make translate`: no stale Chinese."""
    teacher = tmp_path / "notebooks"
    teacher.mkdir()
    for path in NOTEBOOKS:
        shutil.copy(path, teacher / path.name)
    nb = nbformat.read(teacher / NOTEBOOKS[0].name, as_version=4)
    prose = [
        c for c in nb.cells if c.cell_type == "markdown" and not c.source.startswith(("#", "<"))
    ]
    changed = prose[0]
    changed.source = "Reworded by the teacher. " + changed.source
    added = nbformat.v4.new_markdown_cell("A cell the teacher added.")
    nb.cells.insert(3, added)
    nbformat.write(nb, teacher / NOTEBOOKS[0].name)
    make_student.build(tmp_path / "student", sorted(teacher.glob("*.ipynb")))
    err = capsys.readouterr().err
    name = NOTEBOOKS[0].name
    assert (
        f"warning: zh-CN/{name}, cell {changed.id}: stale translation (its English changed)" in err
    ), err
    assert "kept in English: Reworded by the teacher." in err
    assert f"warning: zh-CN/{name}, cell {added.id}: not translated yet" in err, err
    assert err.count("warning:") == 2, err
    chinese = nbformat.read(tmp_path / "student" / "zh-CN" / name, as_version=4)
    by_id = {c.id: c.source for c in chinese.cells}
    assert by_id[changed.id].startswith("Reworded by the teacher.")
    assert by_id[added.id] == "A cell the teacher added."


def put_solutions_back(student_source, teacher_source):
    """Replace each stub line by the teacher's marked block, in order."""
    blocks = iter(BLOCK.findall(teacher_source))
    lines = [next(blocks) if STUB.match(line) else line for line in student_source.split("\n")]
    return "\n".join(lines)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_notebook_stops_at_its_first_stub(path, student_dir):
    student = nbformat.read(student_dir / path.name, as_version=4)
    first_stub = stub_cells(student)[0]
    client = NotebookClient(student, timeout=300, kernel_name="python3")
    with pytest.raises(CellExecutionError) as raised:
        client.execute(cwd=str(student_dir))
    assert raised.value.ename == "NotImplementedError"
    assert "write your solution here" in raised.value.evalue
    errors = [
        i
        for i, c in enumerate(student.cells)
        if c.cell_type == "code"
        and any(o.output_type == "error" for o in c.outputs)
        and "raises-exception" not in c.metadata.get("tags", [])
    ]
    # A stub inside a function raises when the exercise's check cell, the next one, calls it.
    check_cell = next(
        i for i in range(first_stub + 1, len(student.cells)) if student.cells[i].cell_type == "code"
    )
    assert errors in ([first_stub], [check_cell]), "the first error must be the first stub's"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_with_solutions_put_back_it_is_the_teacher_notebook(path, student_dir):
    """Nothing but the marked blocks differs; nbval runs the teacher notebook itself."""
    teacher = nbformat.read(path, as_version=4)
    student = nbformat.read(student_dir / path.name, as_version=4)
    for s_cell, t_cell in zip(student.cells, teacher.cells):
        if s_cell.cell_type == "code":
            assert put_solutions_back(s_cell.source, t_cell.source) == t_cell.source
        else:
            assert without_link_targets(s_cell.source) == without_link_targets(t_cell.source)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_chinese_student_edition_has_the_same_code(path, student_dir):
    english = nbformat.read(student_dir / path.name, as_version=4)
    chinese = nbformat.read(student_dir / "zh-CN" / path.name, as_version=4)
    teacher_zh = nbformat.read(path.parent / "zh-CN" / path.name, as_version=4)
    assert [c.source for c in chinese.cells if c.cell_type == "code"] == [
        c.source for c in english.cells if c.cell_type == "code"
    ]
    assert [without_link_targets(c.source) for c in chinese.cells if c.cell_type == "markdown"] == [
        without_link_targets(c.source) for c in teacher_zh.cells if c.cell_type == "markdown"
    ]
