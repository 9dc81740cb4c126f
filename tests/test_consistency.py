"""The four notebooks tell one story: the losses each prints must agree across notebooks.

01, 02 and 03 (autograd) train the same float64 network and print the same
losses. Notebook 04 re-implements each notebook's training step for its
'course in one picture'; the table it prints must equal what 01, 03 and 04's
own Adam run print at the same steps. So a wrong gradient in any of 04's step
functions fails here, even if its stored outputs were refreshed.
"""

import re

import nbformat
import pytest

from tests.conftest import NOTEBOOKS

LOSS_LINE = re.compile(r"^step\s+(\d+)\s+loss (\S+)$", re.M)


def stored_text(nb, code):
    """The stored stdout of the one code cell whose source contains ``code``."""
    cells = [c for c in nb.cells if c.cell_type == "code" and code in c.source]
    assert len(cells) == 1, f"expected one cell containing {code!r}, found {len(cells)}"
    return "".join(o.get("text", "") for o in cells[0].outputs if o.output_type == "stream")


def printed_losses(nb, code):
    """{step: printed loss} from the 'step N  loss X' lines of the cell containing ``code``."""
    losses = {int(step): value for step, value in LOSS_LINE.findall(stored_text(nb, code))}
    assert losses, f"no printed losses in the cell containing {code!r}"
    return losses


@pytest.fixture(scope="module")
def notebooks():
    return {path.name[:2]: nbformat.read(path, as_version=4) for path in NOTEBOOKS}


@pytest.fixture(scope="module")
def picture(notebooks):
    """04's table: {column: {step: printed loss}}."""
    text = stored_text(notebooks["04"], 'curves["module"] = losses_adam')
    rows = [line.split() for line in text.splitlines() if re.match(r"^\s*\d+\s+\d", line)]
    columns = ["numpy", "tensors", "sequential", "module"]
    return {key: {int(row[0]): row[1 + i] for row in rows} for i, key in enumerate(columns)}


def test_01_02_03_print_the_same_training_run(notebooks):
    numpy_run = printed_losses(notebooks["01"], "losses, _ = train(learning_rate=1e-6")
    assert len(numpy_run) == 10
    assert printed_losses(notebooks["02"], "losses_torch = train_tensors(") == numpy_run
    assert printed_losses(notebooks["03"], "losses_autograd = train_autograd(") == numpy_run


@pytest.mark.parametrize(
    ("column", "notebook", "code"),
    [
        ("numpy", "01", "losses, _ = train(learning_rate=1e-6"),
        ("tensors", "02", "losses_torch = train_tensors("),
        ("sequential", "03", '"normal_ init, lr 1e-6": train_sequential('),
        ("module", "04", "losses_adam = train("),
    ],
    ids=["01 numpy", "02 tensors", "03 Sequential", "04 Adam"],
)
def test_04s_picture_matches_each_notebooks_own_run(picture, notebooks, column, notebook, code):
    own = printed_losses(notebooks[notebook], code)
    shown = picture[column]
    assert set(shown) == {0, 100, 200, 300, 400}
    assert shown == {step: own[step] for step in shown}, (
        f"04's '{column}' column differs from what notebook {notebook} prints"
    )
