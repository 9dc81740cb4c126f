"""Ready for a class: the Binder/JupyterHub image, and handing out the student edition.

- repo2docker (which builds both Binder's and a hub's images) is asked for the
  Dockerfile it would build, without Docker: Python 3.11, the runtime
  requirements installed before the repository is copied (a cached layer),
  no test tools in the image.
- The image is then simulated in a fresh virtual environment: the binder
  requirements, `pip check`, binder/postBuild, and notebook 01 run by nbclient.
- postBuild gives the image the course's JupyterLab defaults (no news prompt).
- (Handing the student edition out with nbgitpuller, on a real JupyterHub:
  tests/test_hub.py.)
- The teacher extra installed into that image, nbgrader's generate -> autograde
  cycle: nbgrader blanks exactly the cells that `make student` blanks, a solved
  submission gets 12 of 12 points, an untouched student copy 0.
"""

import csv
import functools
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.conftest import NOTEBOOKS, ROOT
from tests.image import BINDER, build_image, pip_install, run_in_image
from tools.make_student import student_notebook

pytestmark = pytest.mark.slow

TEST_TOOLS = {"pytest", "pytest-xdist", "nbval", "ruff", "playwright", "polib", "autocorrect-py"}


def requirement_names(path):
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[<>=!~\[ ;]", line)[0].lower())
    return names


def test_repo2docker_would_build_a_cached_python_311_image_without_test_tools():
    repo2docker = Path(sys.executable).parent / "jupyter-repo2docker"
    result = subprocess.run(
        [str(repo2docker), "--no-build", "--debug", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    log = result.stdout + result.stderr
    assert "python=3.11" in log, "runtime.txt should select Python 3.11"
    lines = log.splitlines()

    def first(text):
        found = [i for i, line in enumerate(lines) if text in line]
        assert found, f"the Dockerfile has no line with {text!r}"
        return found[0]

    install = first('pip install --no-cache-dir -r "binder/requirements.txt"')
    copy_repository = first("COPY --chown=0:0 src/ ${REPO_DIR}/")
    post_build = first("./binder/postBuild")
    assert install < copy_repository < post_build, (
        "requirements first, then the copy, then postBuild"
    )
    assert not any('-r "requirements.txt"' in line for line in lines), "the test requirements"
    assert not requirement_names(BINDER / "requirements.txt") & TEST_TOOLS


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    """A fresh environment built as repo2docker builds the image: (its python, the repo copy)."""
    return build_image(tmp_path_factory.mktemp("image"))


def test_the_image_has_consistent_requirements(image):
    python, _ = image
    run_in_image(python, "python", "-m", "pip", "check")
    installed = run_in_image(python, "python", "-m", "pip", "list", "--format=freeze")
    installed = installed.stdout.lower()
    assert "torch==2.13.0+cpu" in installed, "PyTorch's CPU build"
    assert not {line.split("==")[0] for line in installed.splitlines()} & TEST_TOOLS


def test_postbuild_installed_the_helpers_not_editable(image):
    python, repo = image
    code = "import course_utils; print(course_utils.__file__)"
    where = run_in_image(python, "python", "-c", code, cwd="/").stdout
    assert "site-packages" in where and str(repo) not in where


def test_postbuild_installed_the_courses_jupyterlab_defaults(image):
    python, repo = image
    code = "import sys; print(sys.prefix)"
    prefix = Path(run_in_image(python, "python", "-c", code).stdout.strip())
    installed = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert installed.read_text(encoding="utf-8") == (BINDER / "overrides.json").read_text(
        encoding="utf-8"
    )


def test_notebook_01_runs_in_the_image(image):
    python, repo = image
    code = (
        "import sys, nbformat; from nbclient import NotebookClient; "
        "nb = nbformat.read(sys.argv[1], as_version=4); "
        "NotebookClient(nb, timeout=300, kernel_name='python3').execute(); "
        "print(sum(1 for c in nb.cells if c.get('outputs')))"
    )
    notebook = repo / "notebooks" / "01_numpy_by_hand.ipynb"
    result = run_in_image(python, "python", "-c", code, str(notebook))
    assert int(result.stdout.strip()) > 20, "the cells ran and made outputs"


def test_nbgrader_gives_full_marks_to_solutions_and_zero_to_an_untouched_copy(image, tmp_path):
    """The teacher extra, installed into the image as into a hub's user environment."""
    python, repo = image
    pip_install(python, f"{repo}[teacher]", timeout=900)
    course = tmp_path / "course"
    source = course / "source" / "ps1"
    source.mkdir(parents=True)
    for path in NOTEBOOKS:
        shutil.copy(path, source / path.name)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'from-numpy-to-nn-module'\n"
    )
    # nbgrader's command line in the image, as a teacher on the hub runs it
    nbgrader = functools.partial(run_in_image, python, "nbgrader", cwd=course)
    nbgrader("generate_assignment", "ps1", "--create", "--force")
    release = course / "release" / "ps1"
    points = 0
    for path in NOTEBOOKS:  # nbgrader blanks exactly the cells `make student` blanks
        teacher = nbformat.read(path, as_version=4)
        released = nbformat.read(release / path.name, as_version=4)
        stubbed = student_notebook(teacher)
        assert len(released.cells) == len(stubbed.cells) == len(teacher.cells)
        by_nbgrader = [
            i for i, (t, r) in enumerate(zip(teacher.cells, released.cells)) if t.source != r.source
        ]
        by_make_student = [
            i for i, (t, s) in enumerate(zip(teacher.cells, stubbed.cells)) if t.source != s.source
        ]
        assert by_nbgrader, f"{path.name}: nbgrader blanked nothing"
        assert by_nbgrader == by_make_student, (
            f"{path.name}: nbgrader blanks cells {by_nbgrader}, make student {by_make_student}"
        )
        points += sum(c.metadata.get("nbgrader", {}).get("points", 0) for c in teacher.cells)
    assert points == 12, "one point per exercise"

    for student, copy_from in (("solved", source), ("untouched", release)):
        submitted = course / "submitted" / student / "ps1"
        shutil.copytree(copy_from, submitted)
    nbgrader("autograde", "ps1", "--create", "--force")
    nbgrader("export")
    with open(course / "grades.csv", newline="") as table:
        grades = {
            row["student_id"]: (float(row["score"]), float(row["max_score"]))
            for row in csv.DictReader(table)
        }
    assert grades["solved"] == (12.0, 12.0), grades
    assert grades["untouched"] == (0.0, 12.0), grades
