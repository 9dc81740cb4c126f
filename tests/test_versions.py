"""The ranges are the tested ranges, and the notebooks run where learners already are.

- **Oldest** (slow): an environment with the oldest version of every requirement that
  pyproject.toml's ranges allow (its dependencies and its `kernel` extra, torch aside),
  as uv's `--resolution lowest-direct` picks them; each must be the range's floor.
  The four notebooks run there top to bottom (nbclient: every assert must hold, stored
  outputs are not compared), with the helpers of this working tree on the path.
- **Newest, on a platform** (slow): an environment as a hosted notebook (Colab, Kaggle)
  has one, with the newest torch-free versions the package index serves today, and
  without the course: numpy, matplotlib and the kernel, a stand-in `google.colab`
  module on its path. Each notebook's install cell pulls the course from a git
  repository of the working tree, tagged as this release (COURSE_UTILS_SOURCE, a
  git+file:// URL), and the four notebooks run top to bottom. The versions installed
  then must be the newest the ranges allow.
- Both with torch as requirements.txt pins it, the CPU build: the only torch tested.

The environments are cached in .venv/version-tier/, one folder per exact set of versions
(uv resolves the ranges first, so a new release on the index makes a new environment).
uv finds torch's CPU build where pip is configured to find wheels (`pip config list`:
find-links); elsewhere, set UV_INDEX=https://download.pytorch.org/whl/cpu.

The quick tests check the install cell's source and the READMEs' "Last verified" text.
"""

import hashlib
import json
import re
import shutil
import subprocess
import sys

import nbformat
import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from tests.conftest import NOTEBOOKS, ROOT, THREAD_VARIABLES
from tools import contents

CACHE = ROOT / ".venv" / "version-tier"
PIP_SEEDS = {"pip", "setuptools", "wheel"}  # uv venv --seed's, beside a platform's packages
COLAB = '"""A stand-in for Colab\'s own package: on Colab, `import google.colab` works."""\n'
VERIFIED = re.compile(r"<!-- verified:start -->(.*?)<!-- verified:end -->", re.S)


def ranges():
    """The requirements the tier runs, torch aside: pyproject's dependencies and kernel extra."""
    project = contents.project()
    found = [*project["dependencies"], *project["optional-dependencies"]["kernel"]]
    return [r for r in found if contents.requirement_name(r) != "torch"]


def torch_requirement():
    """torch as requirements.txt pins it, the CPU build."""
    return f"torch=={contents.pins()['torch']}+cpu"


def floor(requirement):
    """The version a '>=' range starts at: 'numpy>=2.0' -> Version('2.0')."""
    specs = [s for s in Requirement(requirement).specifier if s.operator == ">="]
    if len(specs) != 1:
        raise ValueError(f"expected a range with one floor (>=), got {requirement!r}")
    return Version(specs[0].version)


def uv(*args, **kwargs):
    """uv from the course's environment (requirements.txt), with pip's local wheel folders."""
    links = pip_find_links()
    cmd = [sys.executable, "-m", "uv", *args, *(f"--find-links={link}" for link in links)]
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{' '.join(cmd)}:\n{result.stderr[-3000:]}"
    return result.stdout


def uv_plain(*args):
    """uv without the wheel folders (for commands that take none: venv, freeze, uninstall)."""
    cmd = [sys.executable, "-m", "uv", *args]
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(cmd)}:\n{result.stderr[-3000:]}"
    return result.stdout


def pip_find_links():
    """The folders of wheels pip is configured to look in (where torch's CPU build may be)."""
    out = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True
    ).stdout
    links = []
    for line in out.splitlines():
        key, _, value = line.partition("=")
        if key.endswith(".find-links"):
            links += value.strip().strip("'\"").split()
    return list(dict.fromkeys(links))


def resolve(requirements, resolution, folder):
    """{name: version} that uv picks for ``requirements`` on this Python, at ``resolution``."""
    source = folder / f"{resolution}.in"
    source.write_text("\n".join(requirements) + "\n", encoding="utf-8")
    out = uv(
        "pip",
        "compile",
        str(source),
        f"--python={sys.executable}",
        f"--resolution={resolution}",
        "--no-header",
        "--no-annotate",
        "--quiet",
    )
    return parse_freeze(out)


def parse_freeze(text):
    """{name: version} of 'name==version' lines; other lines ('name @ URL') as {name: URL}."""
    found = {}
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, rest = re.split(r"(==| @ )", line, maxsplit=1)
            found[contents.requirement_name(name)] = rest.strip()
    return found


def lock_text(versions):
    return "".join(f"{name}=={version}\n" for name, version in sorted(versions.items()))


def environment(name, versions):
    """A virtual environment (with pip, as a platform has) holding exactly ``versions``.

    Cached in CACHE/NAME-KEY, KEY from the versions and the Python; older ones of that
    name are removed. Returns its python.
    """
    lock = lock_text(versions)
    key = hashlib.sha256(f"{sys.version}\n{lock}".encode()).hexdigest()[:12]
    env = CACHE / f"{name}-{key}"
    python = env / "bin" / "python"
    if not (env / "complete").exists():
        for old in CACHE.glob(f"{name}-*"):
            shutil.rmtree(old)
        env.parent.mkdir(parents=True, exist_ok=True)
        uv_plain("venv", "--quiet", "--seed", f"--python={sys.executable}", str(env))
        (env / "requirements.txt").write_text(lock, encoding="utf-8")
        uv("pip", "install", "--quiet", f"--python={python}", "-r", str(env / "requirements.txt"))
        (env / "complete").touch()
    return python


def installed(python):
    """{name: version or URL} of what is installed in the environment of ``python``."""
    return parse_freeze(uv_plain("pip", "freeze", f"--python={python}"))


def run_notebooks(python, work, env):
    """Run the four notebooks in a kernel of ``python``, each in a folder of its own below
    ``work``, with ``env`` added to the kernel's environment.

    Returns {notebook name: (executed notebook, error text or None)}.
    """
    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpecManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    kernels = work / "kernels"
    (kernels / "tier").mkdir(parents=True)
    variables = {v: "1" for v in THREAD_VARIABLES} | {"PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    spec = {
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "version tier",
        "language": "python",
        "env": variables | env,
    }
    (kernels / "tier" / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    results = {}
    for path in NOTEBOOKS:
        folder = work / path.stem  # like a hosted notebook's folder: the notebook alone
        folder.mkdir()
        shutil.copy2(path, folder / path.name)
        nb = nbformat.read(path, as_version=4)
        specs = KernelSpecManager(kernel_dirs=[str(kernels)], ensure_native_kernel=False)
        km = KernelManager(kernel_name="tier", kernel_spec_manager=specs)
        client = NotebookClient(nb, km=km, timeout=600, resources={"metadata": {"path": folder}})
        try:
            client.execute()
            results[path.name] = (nb, None)
        except CellExecutionError as error:
            results[path.name] = (nb, str(error)[-4000:])
    return results


def install_outputs(nb):
    """The text the notebook's install cell printed."""
    cell = next(c for c in nb.cells if contents.is_install(c))
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


@pytest.fixture(scope="module")
def resolved(tmp_path_factory):
    """{"oldest" | "newest": {name: version}} of the ranges with torch, as uv resolves them."""
    folder = tmp_path_factory.mktemp("resolve")
    requirements = [*ranges(), torch_requirement()]
    return {
        "oldest": resolve(requirements, "lowest-direct", folder),
        "newest": resolve(requirements, "highest", folder),
    }


@pytest.fixture(scope="module")
def oldest(resolved, tmp_path_factory):
    """The four notebooks run with the oldest versions, the working tree's helpers on the path."""
    python = environment("oldest", resolved["oldest"])
    return run_notebooks(python, tmp_path_factory.mktemp("oldest"), {"PYTHONPATH": str(ROOT)})


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """A git repository of the working tree as it is now, tagged as this release."""
    repo = tmp_path_factory.mktemp("release")
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    identity = ["-c", "user.name=Course", "-c", "user.email=course@example.org"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "release"]):
        subprocess.run(["git", *identity, *args], cwd=repo, check=True, capture_output=True)
    subprocess.run(["git", "tag", contents.release_tag()], cwd=repo, check=True)
    return repo


@pytest.fixture(scope="module")
def platform(resolved, release, tmp_path_factory):
    """A hosted notebook, simulated: the newest numpy, matplotlib and kernel, torch, no course.

    What an earlier run's install cells added is removed first. Returns its python, the
    stand-in's folder, what it held before the notebooks ran, and the notebooks' results.
    """
    work = tmp_path_factory.mktemp("platform")
    kept = {*contents.PLATFORM, "ipykernel"}
    requirements = [r for r in ranges() if contents.requirement_name(r) in kept]
    versions = resolve([*requirements, torch_requirement()], "highest", work)
    python = environment("platform", versions)
    added = set(installed(python)) - set(versions) - PIP_SEEDS
    if added:
        uv_plain("pip", "uninstall", f"--python={python}", *sorted(added))
    before = installed(python)
    stand_in = work / "colab"
    (stand_in / "google" / "colab").mkdir(parents=True)
    (stand_in / "google" / "colab" / "__init__.py").write_text(COLAB, encoding="utf-8")
    env = {
        "PYTHONPATH": str(stand_in),
        "COURSE_UTILS_SOURCE": f"git+file://{release}@{contents.release_tag()}",
    }
    results = run_notebooks(python, work / "run", env)
    return {"python": python, "stand_in": stand_in, "before": before, "results": results}


@pytest.mark.slow
def test_the_oldest_versions_are_the_floors_of_the_ranges(resolved):
    oldest = resolved["oldest"]
    for requirement in ranges():
        name = contents.requirement_name(requirement)
        assert Version(oldest[name]) == floor(requirement), (
            f"{requirement}: the oldest version that resolves is {oldest[name]}"
        )
    assert oldest["torch"] == resolved["newest"]["torch"] == torch_requirement().split("==")[1]


@pytest.mark.slow
@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS])
def test_a_notebook_runs_with_the_oldest_versions(name, oldest):
    nb, error = oldest[name]
    assert error is None, f"{name} with the oldest versions:\n{error}"
    assert install_outputs(nb) == "", "the install cell must do nothing where the course is"


@pytest.mark.slow
def test_the_platform_had_no_course_and_has_a_stand_in_for_colab(platform):
    assert not {"course-utils", "threadpoolctl", "ipywidgets"} & set(platform["before"])
    probe = "import google.colab, importlib.util as u; print(u.find_spec('course_utils'))"
    out = subprocess.run(
        [str(platform["python"]), "-c", probe],
        env={"PYTHONPATH": str(platform["stand_in"])},
        cwd=platform["stand_in"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr  # Colab's package imports (course_utils: above)


@pytest.mark.slow
@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS])
def test_a_notebook_runs_on_a_platform_without_the_course(name, platform):
    nb, error = platform["results"][name]
    assert error is None, f"{name} on the platform:\n{error}"
    printed = install_outputs(nb)
    if name == NOTEBOOKS[0].name:  # the first one installs; the others find the helpers
        assert printed.startswith("Installing the course's helpers from git+file://"), printed
    else:
        assert printed == "", printed


@pytest.mark.slow
def test_the_install_cell_brought_this_release_and_the_newest_versions(platform, resolved):
    python, before = platform["python"], platform["before"]
    after = installed(python)
    assert after["course-utils"].startswith("git+file://"), after["course-utils"]
    where = subprocess.run(
        [str(python), "-c", "import course_utils; print(course_utils.__version__)"],
        cwd="/",
        capture_output=True,
        text=True,
    )
    assert where.stdout.strip() == contents.version(), where.stderr
    newest = resolved["newest"]
    for requirement in ranges():
        name = contents.requirement_name(requirement)
        assert after[name] == newest[name], f"{name}: {after[name]}, the newest is {newest[name]}"
    changed = {n: (v, after.get(n)) for n, v in before.items() if after.get(n) != v}
    assert not changed, f"the install cell changed what the platform had: {changed}"


def test_each_notebook_starts_its_code_with_the_install_cell():
    """Both editions: the first code cell is tools.contents' install cell, as generated."""
    for edition in contents.EDITIONS:
        for path in contents.notebooks(edition):
            code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
            where = path.relative_to(ROOT)
            assert contents.is_install(code[0]), f"{where}: run `make contents`"
            assert code[0].source == contents.install_source(), f"{where}: run `make contents`"
            assert code[0].metadata["slideshow"]["slide_type"] == "skip"
            assert contents.INSTALL_TAG in code[0].metadata["tags"]
            assert code[0].outputs == [], f"{where}: the install cell printed something"


def test_the_install_cell_takes_this_release_and_leaves_the_platform_alone():
    source = contents.install_source()
    repository = contents.project()["urls"]["Source"]
    assert f'release = "git+{repository}@v{contents.version()}"' in source
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "git tag vX.Y.Z && git push origin vX.Y.Z" in readme, "the release tag's form"
    assert '"--no-deps", source' in source, "course_utils alone: torch and numpy stay"
    runs = re.findall(r"subprocess\.run\(\[\*pip, (.+)\], check=True\)$", source, re.M)
    assert len(runs) == 2 and runs[0] == '"--no-deps", source', runs
    extras = runs[1]
    extras = {contents.requirement_name(r.strip('" ')) for r in extras.split(",")}
    assert extras and not extras & set(contents.PLATFORM), extras
    assert extras == {contents.requirement_name(r) for r in contents.helper_requirements()}
    assert source.splitlines()[0].startswith("# ") and source.count("print(") == 1


def test_the_install_cell_does_nothing_where_the_course_is_installed(tmp_path):
    """In the course's environment: no output, no pip (a pip that ran would fail here)."""
    fake = tmp_path / "pip"
    fake.mkdir()
    (fake / "__init__.py").write_text("", encoding="utf-8")
    (fake / "__main__.py").write_text("raise SystemExit('pip ran')\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", contents.install_source()],
        env={"PYTHONPATH": str(tmp_path), "PATH": ""},
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and result.stdout == "" and result.stderr == "", result


def verified_text(name):
    """The README's block between <!-- verified:start --> and <!-- verified:end -->."""
    found = VERIFIED.findall((ROOT / name).read_text(encoding="utf-8"))
    assert len(found) == 1, f"{name}: expected one '<!-- verified:start -->' block"
    return found[0]


def torch_ranges():
    found = contents.project()["dependencies"]
    return [r for r in found if contents.requirement_name(r) == "torch"]


@pytest.mark.parametrize("name", ["README.md", "README.zh-CN.md"])
def test_last_verified_names_the_pins_and_the_ranges_run(name):
    text = verified_text(name)
    spans = re.findall(r"`([A-Za-z0-9_.-]+)(==|>=)([^`\s]+)`", text)
    pinned = {(contents.requirement_name(n), v) for n, op, v in spans if op == "=="}
    ranged = {f"{contents.requirement_name(n)}>={v}" for n, op, v in spans if op == ">="}
    pins = contents.pins()
    runtime = {contents.requirement_name(r) for r in [*ranges(), "torch"]}
    assert pinned == {(n, pins[n]) for n in runtime}, f"{name}: the pins of requirements.txt"
    assert ranged == {str(Requirement(r)) for r in [*ranges(), *torch_ranges()]}, (
        f"{name}: the ranges of pyproject.toml"
    )
    python = contents.project()["requires-python"]
    assert f'`requires-python = "{python}"`' in text and f"Python {python[2:]}" in text
    assert f"torch {pins['torch']}" in text, f"{name}: which torch was tested"


def test_the_site_home_page_shows_last_verified():
    """The home page includes the README up to its Tests section: the block is above it."""
    for edition in ("en", "zh-CN"):
        page = (ROOT / "site" / "pages" / edition / "index.md").read_text(encoding="utf-8")
        assert ":end-before: (tests)=" in page
        readme = (ROOT / contents.EDITIONS[edition]["readme"]).read_text(encoding="utf-8")
        assert readme.index("<!-- verified:start -->") < readme.index('<a id="tests"></a>')
