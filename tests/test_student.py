"""The student edition: it builds, stops at its first stub, and runs with the solutions back."""

import re

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tests.conftest import NOTEBOOKS
from tools import make_student

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
            assert s_cell.source == t_cell.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_chinese_student_edition_has_the_same_code(path, student_dir):
    english = nbformat.read(student_dir / path.name, as_version=4)
    chinese = nbformat.read(student_dir / "zh-CN" / path.name, as_version=4)
    teacher_zh = nbformat.read(path.parent / "zh-CN" / path.name, as_version=4)
    assert [c.source for c in chinese.cells if c.cell_type == "code"] == [
        c.source for c in english.cells if c.cell_type == "code"
    ]
    assert [c.source for c in chinese.cells if c.cell_type == "markdown"] == [
        c.source for c in teacher_zh.cells if c.cell_type == "markdown"
    ]
