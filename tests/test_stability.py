"""Stored outputs are stable: under 2 threads, and when the notebooks are re-executed."""

import copy
import os
import shutil
import subprocess
import sys

import nbformat
import pytest

from tests.conftest import NOTEBOOKS, ROOT

pytestmark = pytest.mark.slow

VOLATILE = "nbval-ignore-output"


def test_stored_outputs_pass_nbval_with_two_threads():
    env = dict(os.environ, OMP_NUM_THREADS="2", MKL_NUM_THREADS="2", OPENBLAS_NUM_THREADS="2")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "notebooks"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def without_volatile_outputs(nb):
    """The notebook as text, with the outputs of cells tagged volatile removed."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if VOLATILE in cell.metadata.get("tags", []):
            cell.outputs = []
    return nbformat.writes(nb)


def test_refresh_changes_no_byte_outside_volatile_cells(tmp_path):
    copies = [shutil.copy(path, tmp_path / path.name) for path in NOTEBOOKS]
    subprocess.run([sys.executable, "tools/refresh.py", *map(str, copies)], cwd=ROOT, check=True)
    for path in NOTEBOOKS:
        committed = nbformat.read(path, as_version=4)
        refreshed = nbformat.read(tmp_path / path.name, as_version=4)
        assert without_volatile_outputs(refreshed) == without_volatile_outputs(committed), (
            f"{path.name}: re-executing changed stored outputs; run `make refresh` and commit"
        )
        canonical = nbformat.writes(committed) + "\n"
        assert canonical == path.read_text(), f"{path.name}: not in canonical form"
