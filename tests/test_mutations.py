"""Mutation tests: small breaking changes to copies of the course must fail its tests.

Each mutation edits a copy of a notebook (its code, or a stored output) or of
course_utils, then runs the tests that cover it (nbval on the notebook; the
unit tests, the exercise answer bank and notebook 01 for a helper). The tests
must fail, with pytest's exit code 1. A control run checks that the unmutated
copy passes the same tests.
"""

import shutil
from dataclasses import dataclass

import nbformat
import pytest

from tests.conftest import ROOT, run_pytest

pytestmark = pytest.mark.slow

NB1 = "notebooks/01_numpy_by_hand.ipynb"
NB2 = "notebooks/02_tensors_by_hand.ipynb"
NB3 = "notebooks/03_autograd_and_sequential.ipynb"
NB4 = "notebooks/04_module_and_optim.ipynb"
UNIT = [
    "tests/test_checks.py",
    "tests/test_curvature.py",
    "tests/test_data_env_training.py",
    *(f"tests/test_exercise_answers_{nb}.py" for nb in ("01", "02", "03", "04", "shared")),
]


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str  # file to edit, relative to the repository
    old: str  # text replaced, once
    new: str
    within: str = ""  # for notebooks: edit only the cell that contains this text
    count: int = 1  # how many times ``old`` occurs, all replaced
    output: bool = False  # for notebooks: edit the cell's stored output, not its code
    tests: tuple = ()  # the tests to run; default: the notebook, or the unit tests and 01

    @property
    def targets(self):
        if self.tests:
            return list(self.tests)
        return [self.path] if self.path.endswith(".ipynb") else [*UNIT, NB1]


MUTATIONS = [
    # notebook 01: the hand-derived backward pass
    Mutation(
        "01 drop the factor 2 of grad_y_pred",
        NB1,
        "grad_y_pred = 2.0 * (y_pred - y)",
        "grad_y_pred = (y_pred - y)",
        within="def forward_backward(",
    ),
    Mutation(
        "01 flip the ReLU mask",
        NB1,
        "grad_h_relu * (h > 0)",
        "grad_h_relu * (h < 0)",
        within="def forward_backward(",
    ),
    Mutation(
        "01 swap the order of the product in grad_w1",
        NB1,
        "grad_w1 = x.T @ grad_h",
        "grad_w1 = (grad_h.T @ x).T.T",
        within="def forward_backward(",
    ),
    Mutation(
        "01 halve grad_h_relu",
        NB1,
        "grad_h_relu = grad_y_pred @ w2.T  # (N, H)\n    grad_h",
        "grad_h_relu = grad_y_pred @ w2.T * 0.5  # (N, H)\n    grad_h",
        within="def forward_backward(",
    ),
    # notebook 02: tensors by hand, the table
    Mutation(
        "02 flip the update's sign",
        NB2,
        "w1 -= learning_rate * grad_w1",
        "w1 += learning_rate * grad_w1",
        within="def train_tensors(",
    ),
    Mutation(
        "02 break a row of the numpy/torch table",
        NB2,
        "np.maximum(a_np, 0), a.clamp(min=0))",
        "np.maximum(a_np, 0), a.clamp(max=0))",
    ),
    Mutation(
        "02 train in float32 instead of float64",
        NB2,
        "x, y, w1, w2 = to_torch(*data_np, dtype=torch.float64, device=device)",
        "x, y, w1, w2 = to_torch(*data_np, dtype=torch.float32, device=device)",
    ),
    # notebook 03: autograd
    Mutation("03 forget to zero the gradients", NB3, "w1.grad.zero_()", "pass"),
    Mutation(
        "03 custom ReLU without its mask", NB3, "return grad_h_relu * (h > 0)", "return grad_h_relu"
    ),
    Mutation(
        "03 change the normal_ init",
        NB3,
        "nn.init.normal_(model[0].weight)",
        "nn.init.normal_(model[0].weight, std=0.5)",
    ),
    Mutation(
        "03 mean instead of summed loss",
        NB3,
        'loss_fn = nn.MSELoss(reduction="sum")\n    losses',
        "loss_fn = nn.MSELoss()\n    losses",
        within="def train_sequential(",
    ),
    # notebook 04: nn.Module and torch.optim
    Mutation(
        "04 forget optimizer.zero_grad",
        NB4,
        "optimizer.zero_grad()  # New",
        "pass  # New",
        within="def train(model, optimizer",
    ),
    Mutation(
        "04 drop the ReLU from TwoLayerNet",
        NB4,
        "torch.relu(self.linear1(x))",
        "self.linear1(x)",
        within="class TwoLayerNet(nn.Module):",
    ),
    Mutation(
        "04 Adam's lr 1e-3 instead of 1e-4",
        NB4,
        "torch.optim.Adam(model_adam.parameters(), lr=1e-4), x, y",
        "torch.optim.Adam(model_adam.parameters(), lr=1e-3), x, y",
    ),
    Mutation(
        "04 halve grad_w2 in both numpy_step and tensor_step",
        NB4,
        "w2 -= learning_rate * grad_w2",
        "w2 -= learning_rate * grad_w2 / 2",
        within="def numpy_step(",
        count=2,
    ),
    Mutation(
        "04 picture stored after a change to numpy_step and tensor_step",
        NB4,
        " 100              3.087e+02             3.087e+02",
        " 100              3.088e+02             3.088e+02",
        within='curves["module"] = losses_adam',
        output=True,
        tests=("tests/test_consistency.py",),
    ),
    Mutation(
        "01 learning-rate bound without the Hessian's factor 2",
        NB1,
        "return 2 / np.linalg.eigvalsh(2 * h_relu.T @ h_relu)[-1]",
        "return 2 / np.linalg.eigvalsh(h_relu.T @ h_relu)[-1]",
    ),
    # course_utils
    Mutation(
        "helpers: forward instead of centred difference",
        "course_utils/checks.py",
        "(f_plus - f_minus) / (2 * delta)",
        "(f_plus - f_minus) / delta",
    ),
    Mutation(
        "helpers: rel_error without abs",
        "course_utils/checks.py",
        "np.abs(a - b) / np.maximum",
        "(a - b) / np.maximum",
    ),
    Mutation(
        "helpers: compare_grads always close",
        "course_utils/checks.py",
        "close = bool(np.allclose(manual, reference, rtol=rtol, atol=atol))",
        "close = True",
    ),
    Mutation(
        "helpers: training guard misses inf",
        "course_utils/training.py",
        "if not math.isfinite(value):",
        "if math.isnan(value):",
    ),
    Mutation(
        "helpers: curvature bound without the Hessian's factor 2",
        "course_utils/checks.py",
        "lam_max = np.linalg.eigvalsh(2 * h_relu.T @ h_relu)[-1]",
        "lam_max = np.linalg.eigvalsh(h_relu.T @ h_relu)[-1]",
    ),
    Mutation(
        "helpers: format_loss prints float32 digits",
        "course_utils/training.py",
        "    if _below_float64(loss):",
        "    if False:",
    ),
    Mutation(
        "exercises: the gradient checks compare the loss with itself",
        "course_utils/exercises/nb01_numpy_by_hand.py",
        '"loss",\n        loss,\n        r["loss"],',
        '"loss",\n        loss,\n        loss,',
        count=2,
        tests=("tests/test_exercise_answers_01.py",),
    ),
    Mutation(
        "exercises: the first-loss check's tolerance on the whole loss",
        "course_utils/exercises/nb03_autograd_and_sequential.py",
        "if abs(got - right) < 0.02 / 18:\n            continue",
        "if abs(got - right) < 0.05 * right:\n            continue",
        tests=("tests/test_exercise_answers_03.py",),
    ),
    Mutation(
        "exercises: the mean-loss lr check back to 'below 1e-6'",
        "course_utils/exercises/nb01_numpy_by_hand.py",
        "judge_run(lr, losses, 2 * ours,",
        "judge_run(lr, losses, 1e-6,",
        tests=("tests/test_exercise_answers_01.py",),
    ),
    Mutation(
        "exercises: a run called too large when lr passes the cap, not when the loss rose",
        "course_utils/exercises/_judge.py",
        "if losses[peak] > start:",
        "if lr > bound:",
        tests=("tests/test_exercise_answers_01.py",),
    ),
    Mutation(
        "exercises: the learner's 02.1 backward pass runs with autograd on",
        "course_utils/exercises/nb02_tensors_by_hand.py",
        "with torch.no_grad():",
        "with torch.enable_grad():",
        tests=("tests/test_exercise_answers_02.py",),
    ),
    Mutation(
        "exercises: check_fit compares only the first loss",
        "course_utils/exercises/nb04_module_and_optim.py",
        "if len(got) == _STEPS and close(got, ref):",
        "if len(got) == _STEPS and close(got[:1], ref[:1]):",
        tests=("tests/test_exercise_answers_04.py",),
    ),
    Mutation(
        "exercises: check_sgd_lr's cap from the W2 block",
        "course_utils/exercises/nb04_module_and_optim.py",
        "if lr > cap * (1 + 1e-6):",
        "if lr > block * (1 + 1e-6):",
        tests=("tests/test_exercise_answers_04.py",),
    ),
    Mutation(
        "01 the Hessian-vector product divided by eps, not 2 eps",
        NB1,
        "return (g_up - g_down) / (2 * eps)",
        "return (g_up - g_down) / eps",
        within="def hvp_at(",
    ),
    Mutation(
        "03 the tape's square rule without its factor 2",
        NB3,
        "lambda g: (g * 2 * a,)",
        "lambda g: (g * a,)",
        within="class Tape:",
    ),
    Mutation(
        "helpers: the Lanczos estimate from the bottom of the spectrum",
        "course_utils/curvature.py",
        "return float(np.linalg.eigvalsh(tri)[-1])",
        "return float(np.linalg.eigvalsh(tri)[0])",
        tests=("tests/test_curvature.py",),
    ),
    Mutation(
        "helpers: the Hessian-vector product from a gradient not recorded for double backward",
        "course_utils/curvature.py",
        "grads = torch.autograd.grad(loss, params, create_graph=True)",
        "grads = [g.detach().requires_grad_() for g in torch.autograd.grad(loss, params)]",
        tests=("tests/test_curvature.py",),
    ),
    Mutation(
        "helpers: another data seed",
        "course_utils/data.py",
        "rng = np.random.default_rng(seed)",
        "rng = np.random.default_rng(seed + 1)",
    ),
    # accessibility: the plots' descriptions, their colours and letters, the headings
    Mutation(
        "helpers: plot_losses shows the figure without its alt texts",
        "course_utils/plots.py",
        'display(fig, metadata={"image/png": alt})',
        "display(fig)",
        tests=("tests/test_plots.py",),
    ),
    Mutation(
        "helpers: a low-contrast colour back in the palette (sky blue, 2.3:1 on white)",
        "course_utils/plots.py",
        'COLOURS = ("#0072B2",',
        'COLOURS = ("#56B4E9",',
        tests=("tests/test_plots.py",),
    ),
    Mutation(
        "helpers: the plots' letters without their white edge (black on a dark theme)",
        "course_utils/plots.py",
        "edge = [patheffects.withStroke(linewidth=2, foreground=EDGE)]",
        "edge = []",
        tests=("tests/test_plots.py",),
    ),
    Mutation(
        "01 a plot's description no longer printed under it",
        NB1,
        "The figure, as text: Line chart “01 · numpy",
        "Line chart “01 · numpy",
        within='plot_losses({"numpy, lr 1e-6"',
        output=True,
        tests=("tests/test_plots.py",),
    ),
    Mutation(
        "01 a heading level skipped",
        NB1,
        "### 1. The output: $\\partial L / \\partial \\hat y$",
        "#### 1. The output: $\\partial L / \\partial \\hat y$",
        tests=("tests/test_accessible_notebooks.py",),
    ),
]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """A copy of what the tests need: helpers, notebooks, tests, tools, config."""
    root = tmp_path_factory.mktemp("pristine")
    for name in ("course_utils", "notebooks", "tests", "tools"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, root / name)
    return root


def run_tests(root, targets):
    # PYTHONPATH: the copy's course_utils comes first
    return run_pytest(targets, cwd=root, stop_at_first_failure=True, PYTHONPATH=str(root))


def mutate(root, m):
    path = root / m.path
    if not m.path.endswith(".ipynb"):
        text = path.read_text(encoding="utf-8")
        assert text.count(m.old) == m.count, f"{m.name}: the text to mutate must occur {m.count}x"
        path.write_text(text.replace(m.old, m.new), encoding="utf-8")
        return
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if m.within in c.source]
    if m.output:
        outputs = [o for c in cells for o in c.get("outputs", []) if m.old in o.get("text", "")]
        assert len(outputs) == 1 and outputs[0].text.count(m.old) == m.count, f"{m.name}: ambiguous"
        outputs[0].text = outputs[0].text.replace(m.old, m.new)
    else:
        cells = [c for c in cells if m.old in c.source]
        assert len(cells) == 1 and cells[0].source.count(m.old) == m.count, f"{m.name}: ambiguous"
        cells[0].source = cells[0].source.replace(m.old, m.new)
    nbformat.write(nb, path)


def test_control_unmutated_copy_passes(pristine):
    """Every test a mutation relies on passes on the unmutated copy."""
    result = run_tests(pristine, sorted({t for m in MUTATIONS for t in m.targets}))
    assert result.returncode == 0, result.stdout[-3000:]


def check_killed(m, pristine, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(pristine, root)
    mutate(root, m)
    result = run_tests(root, m.targets)
    assert result.returncode == 1, (
        f"mutation survived (exit {result.returncode}):\n{result.stdout[-2000:]}"
    )
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
    print(f"{m.name}: killed by {failed[0] if failed else 'a failing test'}")


def mutations_of(prefixes):
    return [m for m in MUTATIONS if m.name.startswith(prefixes)]


class MutationGroup:
    """The mutations whose names start with ``prefixes``: one class per group, so that
    `make test` (pytest-xdist, --dist loadscope) spreads the groups over CPU cores."""

    prefixes = ()

    def test_mutation_is_killed(self, m, pristine, tmp_path):
        check_killed(m, pristine, tmp_path)


def pytest_generate_tests(metafunc):
    if metafunc.cls is not None and issubclass(metafunc.cls, MutationGroup):
        mutations = mutations_of(metafunc.cls.prefixes)
        metafunc.parametrize("m", mutations, ids=[m.name for m in mutations])


class TestNotebook01(MutationGroup):
    prefixes = ("01",)


class TestNotebooks02And03(MutationGroup):
    prefixes = ("02", "03")


class TestNotebook04(MutationGroup):
    prefixes = ("04",)


class TestHelpersAndExerciseChecks(MutationGroup):
    prefixes = ("helpers", "exercises")


def test_every_mutation_belongs_to_a_class():
    groups = tuple(p for group in MutationGroup.__subclasses__() for p in group.prefixes)
    assert all(m.name.startswith(groups) for m in MUTATIONS)
