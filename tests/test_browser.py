"""End to end: every notebook opens and runs in JupyterLab, in headless Chromium.

Starts `jupyter lab` on localhost over a copy of the notebooks, opens each one,
checks that opening does not mark it modified, clears the outputs, runs all
cells from the menu, and checks the result: errors only in cells tagged
raises-exception, every plot rendered as an image; in notebook 01 the
learning-rate slider is dragged and redraws its curve, and the plots are checked in
JupyterLab's dark theme. A screenshot of each
notebook is saved under test-artifacts/. The student edition's notebooks are
opened too, and must not be marked modified either.

Needs Debian's chromium (/usr/bin/chromium). Without it the test is skipped,
except in CI (CI=true), where it fails.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from tests.conftest import NOTEBOOKS, NOTEBOOKS_ZH, ROOT
from tests.memory import SERVER_BUDGET_MIB, check_against_readmes
from tools.refresh import peak_mib

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
# JupyterLab user settings for the test server. The news prompt and the update check are off
# as for a learner: by the course environment's defaults (binder/overrides.json, which make
# installs), not here.
SETTINGS = {
    "notebook-extension/tracker": {"windowingMode": "none"},  # render every cell
    "docmanager-extension/plugin": {"autosave": False},
}
RUN_TIMEOUT_MS = 240_000
ARTIFACTS = ROOT / "test-artifacts"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed: .ci/run installs it", pytrace=False)
    pytest.skip("chromium not installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_lab(tmp, root, settings_from=None):
    """A JupyterLab server on localhost, without a token, serving ``root``.

    Yields its URL and its process id.

    Its user settings are SETTINGS, and the settings files under ``settings_from``.
    """
    if settings_from:
        shutil.copytree(settings_from, tmp / "settings", dirs_exist_ok=True)
    for name, values in SETTINGS.items():
        plugin_dir, plugin = name.split("/")
        path = tmp / "settings" / "@jupyterlab" / plugin_dir / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port = free_port()
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}"]
    cmd += ["--ServerApp.port_retries=0", "--IdentityProvider.token=", "--ServerApp.password="]
    cmd += ["--allow-root", f"--ServerApp.root_dir={root}"]
    cmd += [
        f"--LabApp.workspaces_dir={tmp / 'ws'}",
        f"--LabApp.user_settings_dir={tmp / 'settings'}",
    ]
    with open(tmp / "server.log", "w") as log:
        server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=root)
        try:
            deadline = time.time() + 60
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.time() > deadline or server.poll() is not None:
                        raise RuntimeError(
                            (tmp / "server.log").read_text(encoding="utf-8")[-3000:]
                        ) from None
                    time.sleep(0.5)
            yield f"http://127.0.0.1:{port}", server.pid
        finally:
            server.terminate()
            server.wait(timeout=30)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server over a copy of the course, with the student edition.

    Yields its URL, its process id and its user settings folder.
    """
    tmp = tmp_path_factory.mktemp("lab")
    root = tmp / "course"
    shutil.copytree(ROOT / "notebooks", root / "notebooks")  # with the Chinese edition
    for readme in ("README.md", "README.zh-CN.md"):
        shutil.copy(ROOT / readme, root / readme)
    subprocess.run(
        [sys.executable, "-m", "tools.make_student", str(root / "student")], cwd=ROOT, check=True
    )
    with running_lab(tmp, root) as (url, pid):
        yield url, pid, tmp / "settings"


@pytest.fixture
def lab_url(lab):
    return lab[0]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


def open_notebook(browser, lab_url, relpath):
    """Open a notebook in a fresh workspace; wait for its kernel; check it is not modified."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    workspace = relpath.replace("/", "-").removesuffix(".ipynb")
    page.goto(f"{lab_url}/lab/workspaces/{workspace}/tree/{relpath}?reset")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    page.wait_for_timeout(1500)  # let JupyterLab settle the metadata it syncs on open
    assert page.locator(".lm-TabBar-tab.jp-mod-dirty").count() == 0, "opening marked it modified"
    return page


def click_menu(page, menu, item):
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(".lm-Menu-content .lm-Menu-itemLabel", has_text=item).first.click()


def cell_report(page):
    """For each cell in the page: its prompt, whether it shows an error, how many images."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell')).map(c => ({
            prompt: (c.querySelector('.jp-InputPrompt') || {}).textContent || '',
            error: c.querySelector('[data-mime-type="application/vnd.jupyter.stderr"]') !== null,
            images: Array.from(c.querySelectorAll('.jp-RenderedImage img'))
                .filter(img => !img.closest('.widget-output')).length,
        }))"""
    )


def renders_chinese(page):
    """True if the page's font draws two different Chinese characters as two different glyphs.

    Without a CJK font, both come out as the same empty box ("tofu").
    """
    return page.evaluate(
        """() => {
            const heading = document.querySelector('.jp-RenderedMarkdown h1');
            const canvas = document.createElement('canvas');
            canvas.width = canvas.height = 64;
            const g = canvas.getContext('2d');
            g.font = '48px ' + getComputedStyle(heading).fontFamily;
            const draw = ch => {
                g.clearRect(0, 0, 64, 64);
                g.fillText(ch, 4, 52);
                return g.getImageData(0, 0, 64, 64).data.join(',');
            };
            const blank = draw(' ');
            const [a, b] = [draw('梯'), draw('度')];
            return /[\u4e00-\u9fff]/.test(heading.textContent) && a !== b && a !== blank;
        }"""
    )


CHINESE = NOTEBOOKS_ZH[0]
IN_BROWSER = [*NOTEBOOKS, CHINESE]  # and one notebook of the Chinese edition


@pytest.mark.parametrize("path", IN_BROWSER, ids=lambda p: str(p.relative_to(ROOT / "notebooks")))
def test_notebook_runs_in_jupyterlab(path, lab_url, browser):
    nb = nbformat.read(path, as_version=4)
    tagged = [i for i, c in enumerate(nb.cells) if "raises-exception" in c.metadata.get("tags", [])]
    plots = sum(
        "image/png" in out.get("data", {}) for c in nb.cells for out in c.get("outputs", [])
    )
    relpath = path.relative_to(ROOT).as_posix()
    page = open_notebook(browser, lab_url, relpath)
    if path == CHINESE:
        assert renders_chinese(page), "the Chinese text does not render: is a CJK font installed?"
    assert len(cell_report(page)) == len(nb.cells)

    click_menu(page, "Edit", "Clear Outputs of All Cells")
    assert sum(c["images"] for c in cell_report(page)) == 0
    click_menu(page, "Run", "Run All Cells")
    page.wait_for_function(
        """n => {
            const prompts = Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'));
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        arg=len(nb.cells),
        timeout=RUN_TIMEOUT_MS,
    )
    report = cell_report(page)
    errors = [i for i, c in enumerate(report) if c["error"]]
    assert errors == tagged, f"cells with errors {errors}, cells tagged raises-exception {tagged}"
    assert sum(c["images"] for c in report) == plots, "every plot should render as an image"

    ARTIFACTS.mkdir(exist_ok=True)
    name = path.stem + ("-zh-CN" if path == CHINESE else "")
    if path.name.startswith("01"):
        drag_the_learning_rate_slider(page, name)
    page.locator(".jp-RenderedImage").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.close()


def drag_the_learning_rate_slider(page, name):
    """01's slider, dragged with the mouse from half the bound to six times it, redraws."""
    curve = page.locator(".widget-output .jp-RenderedImage img")
    curve.first.wait_for(timeout=60_000)  # the live curve, drawn when the cell ran
    text = page.locator(".widget-output").first
    before = curve.first.get_attribute("src")
    assert "overflowed" not in text.inner_text(), "at half the bound the run should converge"
    handle = page.locator(".widget-slider .noUi-handle").first
    track = page.locator(".widget-slider .noUi-base").first
    handle.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"{name}-slider-before.png"))
    start, end = handle.bounding_box(), track.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    for fraction in (0.25, 0.5, 0.75, 1.0):  # a drag, not a jump
        page.mouse.move(end["x"] + fraction * end["width"] + 20, end["y"] + end["height"] / 2)
    page.mouse.up()
    page.wait_for_function(
        """before => {
            const img = document.querySelector('.widget-output .jp-RenderedImage img');
            return img && img.src !== before;
        }""",
        arg=before,
        timeout=60_000,
    )
    page.wait_for_timeout(500)
    readout = page.locator(".widget-slider .widget-readout").first.inner_text()
    assert readout.startswith("5."), (
        f"the slider should end at six times the bound, reads {readout}"
    )
    assert "overflowed" in text.inner_text(), "at six times the bound the run should overflow"
    page.screenshot(path=str(ARTIFACTS / f"{name}-slider-after.png"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_notebook_opens_unmodified_in_jupyterlab(path, lab_url, browser):
    page = open_notebook(browser, lab_url, f"student/{path.name}")
    report = cell_report(page)
    assert len(report) == len(nbformat.read(path, as_version=4).cells)
    assert not any(c["images"] or c["error"] for c in report), "the student edition has no outputs"
    page.close()


def test_zy_the_plots_read_in_the_dark_theme(lab, browser):
    """Transparent figures, no light box behind them, in JupyterLab's own dark theme."""
    themes = lab[2] / "@jupyterlab" / "apputils-extension" / "themes.jupyterlab-settings"
    themes.parent.mkdir(parents=True, exist_ok=True)
    themes.write_text(json.dumps({"theme": "JupyterLab Dark"}))
    try:
        page = open_notebook(browser, lab[0], "notebooks/01_numpy_by_hand.ipynb")
        assert page.evaluate("document.body.dataset.jpThemeLight") == "false", "not the dark theme"
        plot = page.locator(".jp-RenderedImage img").nth(1)  # the learning-rate sweep
        plot.scroll_into_view_if_needed()
        look = plot.evaluate(
            """img => ({
                classes: img.className,
                background: getComputedStyle(img).backgroundColor,
                page: getComputedStyle(img.closest('.jp-OutputArea-output')).backgroundColor,
            })"""
        )
        assert "jp-needs-light-background" not in look["classes"], "JupyterLab paints a light box"
        assert look["background"] == "rgba(0, 0, 0, 0)", f"a box behind the plot: {look}"
        page.screenshot(path=str(ARTIFACTS / "01-dark-theme.png"))
        page.close()
    finally:
        themes.unlink()


def test_zz_the_server_stays_within_the_memory_the_readme_states(lab):
    """After every notebook ran (tests run in file order): the JupyterLab server's own peak."""
    peak = peak_mib(lab[1])
    if peak is None:
        pytest.skip("the server's peak memory is read from /proc: Linux only")
    check_against_readmes("server", peak, SERVER_BUDGET_MIB)


NEWS = "Would you like to get notified about official Jupyter news?"


@contextlib.contextmanager
def make_serving(target, tmp):
    """``make lab`` or ``make present`` as a newcomer runs it: no Jupyter configuration of their
    own (an empty config folder), token kept. Yields the page its browser would open.

    The browser it starts is a script that writes down the address it was given; the venv is
    taken as installed (make's venv rule is not re-run).
    """
    opened = tmp / "opened"
    browser_script = tmp / "browser"
    browser_script.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{opened}"\n')
    browser_script.chmod(0o755)
    venv = Path(sys.prefix)
    env = dict(
        os.environ,
        BROWSER=str(browser_script),
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
    )
    command = [
        "make",
        "-o",
        str(venv / ".installed"),
        target,
        f"VENV={venv}",
        f"PORT={free_port()}",
    ]
    with open(tmp / "make.log", "w") as log:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.time() + 90
        while not opened.exists() or not opened.read_text():
            if time.time() > deadline or server.poll() is not None:
                raise RuntimeError((tmp / "make.log").read_text(encoding="utf-8")[-3000:])
            time.sleep(0.5)
        yield opened.read_text()
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # make and JupyterLab, which stops its kernels
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def first_screen(browser, url, name):
    """Open what make's browser would open; check it shows notebook 01 and no news popup."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    page.wait_for_timeout(2000)  # the news prompt, if any, comes once the layout is restored
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-first-screen.png"))
    current = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel")
    assert current.first.inner_text() == NOTEBOOKS[0].name, "the first screen is notebook 01"
    assert page.get_by_text(NEWS).count() == 0, "a news popup covers the first screen"
    assert page.locator(".Toastify__toast").count() == 0, "a notification covers the first screen"
    return page


def test_the_course_environment_turns_the_news_prompt_off():
    """make's venv rule installs binder/overrides.json as JupyterLab's defaults for the venv."""
    installed = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert installed.exists(), f"{installed} is missing: run make (its venv rule installs it)"
    ours = json.loads((ROOT / "binder" / "overrides.json").read_text(encoding="utf-8"))
    assert json.loads(installed.read_text(encoding="utf-8")) == ours, "run make to update it"
    notification = ours["@jupyterlab/apputils-extension:notification"]
    assert notification == {"fetchNews": "false", "checkForUpdates": False}
    schema = json.loads(
        (
            Path(sys.prefix)
            / "share/jupyter/lab/schemas/@jupyterlab/apputils-extension"
            / "notification.json"
        ).read_text(encoding="utf-8")
    )["properties"]
    assert {c["const"] for c in schema["fetchNews"]["oneOf"]} >= {notification["fetchNews"]}
    assert schema["checkForUpdates"]["type"] == "boolean"


def test_make_lab_first_shows_notebook_01_with_no_news_popup(tmp_path, browser):
    with make_serving("lab", tmp_path) as url:
        first_screen(browser, url, "make-lab").close()


def test_make_present_enlarges_the_fonts_through_jupyterlabs_settings(tmp_path, browser):
    """`make present` starts JupyterLab with the theme settings of tools/projector."""
    projector = ROOT / "tools" / "projector"
    themes = projector / "@jupyterlab" / "apputils-extension" / "themes.jupyterlab-settings"
    body = "\n".join(
        line for line in themes.read_text(encoding="utf-8").splitlines() if "//" not in line
    )
    sizes = json.loads(body)["overrides"]
    with make_serving("present", tmp_path) as url:
        page = first_screen(browser, url, "make-present")
        for css in (".jp-CodeCell .cm-content", ".jp-RenderedMarkdown p"):
            page.wait_for_selector(css, timeout=30_000)  # cells render lazily under load
        measured = page.evaluate(
            """() => {
                const size = css => getComputedStyle(document.querySelector(css)).fontSize;
                return {
                    code: size('.jp-CodeCell .cm-content'),
                    content: size('.jp-RenderedMarkdown p'),
                };
            }"""
        )
        page.screenshot(path=str(ARTIFACTS / "make-present.png"))
        page.close()
    assert measured == {"code": sizes["code-font-size"], "content": sizes["content-font-size1"]}
