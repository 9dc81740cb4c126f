"""Stored outputs are stable: under 2 threads, on other CPUs' kernels, and when re-executed.

The notebooks print float64 digits only; float32 results appear as comparisons.
These tests hold the notebooks to that: nbval must pass when the matrix products
take other code paths (MKL's AVX2 kernels, as on most laptops, and its SSE4.2
ones; OpenBLAS's Haswell and Prescott kernels) and with two threads. A fresh run of
every notebook must reproduce every stored output: text exactly, plots as
images within a small tolerance (tests/images.py).
"""

import copy

import nbformat
import pytest

from tests.conftest import NOTEBOOKS, THREAD_VARIABLES, run_pytest
from tests.images import png_difference
from tests.memory import KERNEL_BUDGET_MIB, check_against_readmes
from tools.refresh import execute

pytestmark = pytest.mark.slow

VOLATILE = "nbval-ignore-output"
OTHER_MACHINES = {
    "a laptop CPU (AVX2), two threads": {
        "MKL_ENABLE_INSTRUCTIONS": "AVX2",
        "OPENBLAS_CORETYPE": "Haswell",
        "COURSE_THREADS": "2",
        **dict.fromkeys(THREAD_VARIABLES, "2"),
        # Idle threads sleep instead of spinning: with the other tests busy on the
        # same cores, spinning OpenMP threads made this run 15 times slower.
        # Scheduling only: the numbers do not change.
        "OMP_WAIT_POLICY": "PASSIVE",
    },
    "an old CPU (SSE4.2), one thread": {
        "MKL_ENABLE_INSTRUCTIONS": "SSE4_2",
        "OPENBLAS_CORETYPE": "Prescott",
    },
}


def passes_nbval_on(machine):
    result = run_pytest(["notebooks"], **OTHER_MACHINES[machine])
    assert result.returncode == 0, result.stdout[-3000:]


# One class each, so that `make test` (pytest-xdist, --dist loadscope) can run them
# on separate cores.
class TestALaptop:
    def test_stored_outputs_pass_nbval_on_a_laptop_cpu_with_two_threads(self):
        passes_nbval_on("a laptop CPU (AVX2), two threads")


class TestAnOldCPU:
    def test_stored_outputs_pass_nbval_on_an_old_cpu(self):
        passes_nbval_on("an old CPU (SSE4.2), one thread")


def split_images(nb):
    """The notebook as text without volatile outputs and plots, and its plots as base64 PNGs."""
    nb = copy.deepcopy(nb)
    images = []
    for i, cell in enumerate(nb.cells):
        if VOLATILE in cell.metadata.get("tags", []):
            cell.outputs = []
        for out in cell.get("outputs", []):
            if "image/png" in out.get("data", {}):
                images.append((i, out.data["image/png"]))
                out.data["image/png"] = "<compared as an image>"
    return nbformat.writes(nb), images


@pytest.fixture(scope="module")
def refreshed():
    """Each notebook executed afresh, as `make refresh` stores it, and its kernel's peak MiB."""
    return {
        path.name: execute(nbformat.read(path, as_version=4), path.parent) for path in NOTEBOOKS
    }


class TestFreshRun:
    @pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
    def test_a_fresh_run_reproduces_the_stored_outputs(self, path, refreshed):
        committed = nbformat.read(path, as_version=4)
        text, images = split_images(committed)
        fresh_text, fresh_images = split_images(refreshed[path.name][0])
        assert fresh_text == text, f"{path.name}: re-executing changed the outputs: `make refresh`"
        assert [i for i, _ in fresh_images] == [i for i, _ in images], "plots appeared or vanished"
        for (cell, expected), (_, actual) in zip(images, fresh_images):
            difference = png_difference(expected, actual)
            assert difference is None, f"{path.name}, cell {cell}: the plot changed: {difference}"

    @pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
    def test_each_kernel_stays_within_the_memory_the_readme_states(self, path, refreshed):
        """A hub's sizing rests on these figures (README, "Teach with it")."""
        peak = refreshed[path.name][1]
        if peak is None:
            pytest.skip("the kernel's peak memory is read from /proc: Linux only")
        check_against_readmes(path.name[:2], peak, KERNEL_BUDGET_MIB)
