"""Shared paths and helpers for the tests, and the tests' threads and order."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# Under `make test` (pytest-xdist: a worker on every core), one thread per test
# process and per process it starts: two workers' OpenMP threads spinning on the same
# cores made some tests 5 to 15 times slower. The notebooks set their own threads
# (course_utils.setup); the tests of other machines set theirs.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
if os.environ.get("PYTEST_XDIST_WORKER"):
    for _variable in THREAD_VARIABLES:
        os.environ.setdefault(_variable, "1")

import nbformat  # noqa: E402 (after the threads are set)

from tools import contents  # noqa: E402

ROOT = contents.ROOT
NOTEBOOKS = contents.notebooks("en")
NOTEBOOKS_ZH = contents.notebooks("zh-CN")  # the Chinese edition, built from the English one


def markdown_sources():
    """(path, text) of both READMEs and of every markdown cell of both editions."""
    for name in ("README.md", "README.zh-CN.md"):
        yield ROOT / name, (ROOT / name).read_text(encoding="utf-8")
    for path in [*NOTEBOOKS, *NOTEBOOKS_ZH]:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                yield path, cell.source


def run_in_kernel(*sources, timeout=60):
    """A notebook of one code cell per source, executed in a fresh python3 kernel."""
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    NotebookClient(nb, kernel_name="python3", timeout=timeout).execute()
    return nb


def run_pytest(targets, *, cwd=ROOT, stop_at_first_failure=False, **env):
    """pytest on ``targets`` in a subprocess, in ``cwd``, with ``env`` added to the environment."""
    options = ["-q", "-p", "no:cacheprovider", *(["-x"] if stop_at_first_failure else [])]
    return subprocess.run(
        [sys.executable, "-m", "pytest", *options, *targets],
        cwd=cwd,
        env=dict(os.environ, **env),
        capture_output=True,
        text=True,
    )


def node_modules():
    """node_modules/, what the decks, the site and the hub load: `npm ci` if package-lock.json is
    newer. Under a lock: pytest-xdist's workers may ask at the same moment on a fresh clone."""
    from filelock import FileLock

    lock = ROOT / "node_modules" / ".package-lock.json"
    with FileLock(str(ROOT / ".npm-ci.lock")):
        if not lock.exists() or lock.stat().st_mtime < (ROOT / "package-lock.json").stat().st_mtime:
            npm = shutil.which("npm")
            assert npm, "the slides, the site and the hub need npm (Node.js) for node_modules/"
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
    return ROOT / "node_modules"


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The whole site of `make site` (tools.site.build), built once per test run.

    Returns tools.site.build's {"html": dir, "zip": file, "pdf": {edition: file}}. Under
    pytest-xdist the modules that read it (test_site, test_accessibility) run on different
    workers: the first to ask builds it, under a lock, in the run's temporary folder that
    all workers share; the others wait for it.
    """
    from filelock import FileLock

    from tools import site

    node_modules()
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    record = base / "site.json"
    with FileLock(str(base / "site.lock")):
        if not record.exists():
            built = site.build(base / "site")
            built = {**built, "pdf": {ed: str(path) for ed, path in built["pdf"].items()}}
            record.write_text(json.dumps(built, default=str), encoding="utf-8")
    built = json.loads(record.read_text(encoding="utf-8"))
    return {
        "html": Path(built["html"]),
        "zip": Path(built["zip"]),
        "pdf": {ed: Path(path) for ed, path in built["pdf"].items()},
    }


@pytest.fixture(scope="module")
def offline_browser():
    """A headless Chromium context with the network off, for pages opened from disk."""
    from playwright.sync_api import sync_playwright

    from tests.test_browser import CHROMIUM, CHROMIUM_FLAGS  # skips without chromium

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        context = browser.new_context(offline=True, viewport={"width": 1280, "height": 800})
        yield context
        browser.close()


# Under `make test` (pytest-xdist, --dist loadscope --no-loadscope-reorder) each module
# or class goes to one worker, in collection order. The longest go first, so that the
# short ones fill in at the end and no core waits idle for a late long one.
LONGEST_FIRST = [
    "tests/test_classroom.py",
    "tests/test_stability.py",
    "tests/test_mutations.py",
    "tests/test_browser.py",
    "tests/test_versions.py",
    "tests/test_hub.py",
    "tests/test_exercise_answers_04.py",
    "tests/test_exercise_answers_01.py",
    "tests/test_student.py",
    "tests/test_site.py",
    "tests/test_accessibility.py",  # shares test_site's build of the site (built_site)
    "tests/test_slides.py",
]


def pytest_collection_modifyitems(config, items):
    if not hasattr(config, "workerinput"):  # not a pytest-xdist worker: keep the file order
        return

    def rank(item):
        path = item.nodeid.split("::")[0]
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the order within a module is kept
