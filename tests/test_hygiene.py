"""Hygiene of the committed notebooks: format, order, metadata, paths, links, contents."""

import getpass
import re
from pathlib import Path

import nbformat
import pytest

from tests.conftest import NOTEBOOKS, NOTEBOOKS_ZH, ROOT, markdown_sources
from tools import contents, make_student

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
MACHINE_PATH = re.compile(r"(/root/|/home/\w|/Users/\w|/tmp/\w|[A-Z]:\\\\Users)")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_the_four_notebooks_are_numbered_in_order():
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_valid_and_executed_in_order(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    counts = [c.execution_count for c in code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), "run `make refresh`: cells not run in order"
    # The install cell prints nothing in the course's environment: the cell after it must.
    first = [c for c in code_cells(nb) if not contents.is_install(c)][:1]
    assert all(c.outputs or not c.source.strip() for c in first), "no stored outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_errors_only_in_tagged_cells_and_tagged_cells_raise(path):
    for i, cell in enumerate(code_cells(nbformat.read(path, as_version=4)), start=1):
        tagged = "raises-exception" in cell.metadata.get("tags", [])
        raised = any(o.output_type == "error" for o in cell.outputs)
        assert tagged == raised, f"code cell {i}: tagged raises-exception={tagged}, error={raised}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_canonical_metadata(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.kernelspec == KERNELSPEC
    # The kernel's full language_info: with less, JupyterLab marks the notebook modified on open.
    assert {"codemirror_mode", "pygments_lexer", "version"} <= set(nb.metadata.language_info)
    for cell in nb.cells:
        assert "execution" not in cell.metadata, "timing metadata: run `make refresh`"


@pytest.mark.parametrize(
    "path", [*NOTEBOOKS, *NOTEBOOKS_ZH], ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_machine_paths_or_user_names(path):
    raw = path.read_text(encoding="utf-8")
    assert str(ROOT) not in raw
    assert str(Path.home()) + "/" not in raw
    hit = MACHINE_PATH.search(raw)
    assert hit is None, f"machine path in the notebook: {hit.group(0)!r}"
    user = getpass.getuser()
    if user not in ("root", "runner"):
        assert user not in raw


def test_relative_links_resolve():
    broken = []
    for path, text in markdown_sources():
        for target in LINK.findall(text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            file_part = target.split("#")[0]
            if not (path.parent / file_part).exists():
                broken.append(f"{path.relative_to(ROOT)}: {target}")
    assert not broken, broken


def test_contents_table_and_nav_links_are_in_sync():
    stale = contents.sync(check=True, editions=tuple(contents.EDITIONS))
    assert not stale, f"out of date: {stale}; run `make contents`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebooks_are_in_canonical_form(path):
    """As nbformat writes them: plain JSON, one-space indent, keys sorted."""
    committed = nbformat.read(path, as_version=4)
    assert nbformat.writes(committed) + "\n" == path.read_text(encoding="utf-8"), (
        f"{path.name}: run `make refresh`"
    )


SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}


@pytest.mark.parametrize(
    "path", [*NOTEBOOKS, *NOTEBOOKS_ZH], ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_every_cell_has_slide_metadata(path):
    nb = nbformat.read(path, as_version=4)
    kinds = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    assert None not in kinds, "give every cell a Slide Type (JupyterLab's property inspector)"
    assert set(kinds) <= SLIDE_TYPES
    assert all(
        kind == "skip" for cell, kind in zip(nb.cells, kinds) if cell.source.startswith("<!-- nav")
    ), "navigation cells are not for slides"
    first = next(kind for kind in kinds if kind != "skip")
    assert first == "slide", "the first shown cell must start a slide"
    headings = [
        k
        for c, k in zip(nb.cells, kinds)
        if c.cell_type == "markdown" and c.source.startswith(("# ", "## "))
    ]
    assert set(headings) == {"slide"}, "every heading of level 1 or 2 starts a slide"


@pytest.fixture(scope="module")
def student_edition(tmp_path_factory):
    folder = tmp_path_factory.mktemp("student")
    make_student.main([str(folder)])
    return folder


@pytest.mark.parametrize("readme", ["README.md", "README.zh-CN.md"])
def test_the_teaching_links_open_notebook_01(readme, student_edition):
    """Binder's link opens notebooks/01; nbgitpuller's opens 01 of the student edition."""
    text = (ROOT / readme).read_text(encoding="utf-8")
    binder = re.search(
        r"https://mybinder\.org/v2/gh/<owner>/<repo>/\S+\?urlpath=lab/tree/(\S+)", text
    )
    assert binder and (ROOT / binder[1]).exists(), binder and binder[1]
    puller = re.search(
        r"git-pull\?repo=\S+&branch=student&urlpath=lab%2Ftree%2F<repo>%2F(\S+)", text
    )
    assert puller, "no nbgitpuller link"
    assert (student_edition / puller[1].replace("%2F", "/")).exists(), puller[1]


def test_the_readmes_count_the_mutations_right():
    from tests.test_mutations import MUTATIONS

    assert f"**mutations** (slow): {len(MUTATIONS)} small breaking edits" in (
        ROOT / "README.md"
    ).read_text(encoding="utf-8")
    assert f"做 {len(MUTATIONS)} 处小的破坏性修改" in (ROOT / "README.zh-CN.md").read_text(
        encoding="utf-8"
    )


def test_the_image_pins_the_versions_the_outputs_were_made_with():
    """binder/requirements.txt repeats some pins of requirements.txt: they must agree."""
    course, image = contents.pins(), contents.pins(ROOT / "binder" / "requirements.txt")
    assert {"torch", "numpy", "matplotlib", "threadpoolctl", "jupyterlab"} <= set(course) & set(
        image
    )
    different = {
        p: (course[p], image[p]) for p in set(course) & set(image) if course[p] != image[p]
    }
    assert not different, f"requirements.txt vs binder/requirements.txt: {different}"
