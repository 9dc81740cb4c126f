"""The README's teaching path, as a teacher and two students walk it.

- The publishing commands of both READMEs run as they stand (a local bare repository in
  place of GitHub's): the first time, then a newer edition; the branch `student` holds
  exactly `make student`'s output each time.
- Classroom (slow): a real JupyterHub on 127.0.0.1 with the simple local spawner and
  DummyAuthenticator. Two students follow the README's nbgitpuller link in headless
  Chromium: they log in, their servers start, the edition is cloned, JupyterLab opens
  notebook 01 (with no news popup over it). Each runs it through the hub's kernel API,
  stops at the first blank, fills in the blanks, reworded a line and added a note, saves,
  and runs it again. The teacher publishes a newer edition; the students click the same
  link again: their work and the teacher's changes are both there, and where both
  changed the same line, the student's version stays.
"""

import concurrent.futures
import subprocess
import time

import nbformat
import pytest

from tests.conftest import NOTEBOOKS, ROOT
from tests.hub import (
    READMES,
    api,
    chromium_or_skip,
    publish,
    readme_link,
    run_cells,
    running_hub,
)
from tests.test_student import put_solutions_back
from tools import make_student

ARTIFACTS = ROOT / "test-artifacts"
NB01 = NOTEBOOKS[0].name
NB02 = NOTEBOOKS[1].name
NEWS = "Would you like to get notified about official Jupyter news?"


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """`make student`'s output."""
    folder = tmp_path_factory.mktemp("edition") / "student"
    make_student.build(folder)
    return folder


def git(*args, cwd):
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def files(folder):
    """{path: bytes} of every file under ``folder``, paths relative and with '/'."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def branch_files(remote, branch="student"):
    names = git("ls-tree", "-r", "--name-only", branch, cwd=remote).split()
    show = ["git", "show"]
    return {
        n: subprocess.run([*show, f"{branch}:{n}"], cwd=remote, capture_output=True).stdout
        for n in names
    }


def bare_repository(path):
    path.mkdir(parents=True)
    git("init", "--bare", "-q", cwd=path)
    return path


@pytest.mark.parametrize("readme", READMES)
def test_the_readmes_publishing_commands_run_as_written(readme, edition, tmp_path):
    course = tmp_path / "course"  # the course's folder, with student/ built in it
    (tmp_path / "course").mkdir()
    subprocess.run(["cp", "-R", str(edition), str(course / "student")], check=True)
    remote = bare_repository(tmp_path / "remote.git")
    publish(readme, "first", course, remote)
    assert branch_files(remote) == files(course / "student")

    # A newer edition: a notebook reworded, one removed.
    (course / "student" / NB02).unlink()
    readme_file = course / "student" / "README.md"
    readme_file.write_text(readme_file.read_text(encoding="utf-8") + "\nAdded.\n", encoding="utf-8")
    publish(readme, "again", course, remote)
    published = branch_files(remote)
    assert NB02 not in published
    assert published == files(course / "student")
    log = git("log", "--format=%s", "student", cwd=remote).splitlines()
    assert log == ["Student edition of v2", "Student edition of v1"]


def land_on_notebook_01(page, expect_text=None):
    """Wait until JupyterLab shows notebook 01 with its kernel idle; no news popup over it."""
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    current = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel")
    assert current.first.inner_text() == NB01
    if expect_text:  # in the notebook's model, whether or not the cell is rendered yet
        cell = page.locator(".jp-Notebook .jp-Cell", has_text=expect_text)
        cell.first.wait_for(state="attached", timeout=30_000)
    page.wait_for_timeout(1000)
    assert page.get_by_text(NEWS).count() == 0, "the news popup covers the notebook"


class Student:
    """A student's server, driven as JupyterLab drives it: the contents and sessions APIs."""

    def __init__(self, hub, user):
        self.hub, self.user = hub, user
        self.server = f"{hub.url}/user/{user}"
        self.token = hub.user_token(user)
        self.path = f"course/{NB01}"

    def request(self, method, path, **kwargs):
        return api(method, f"{self.server}/api{path}", self.token, self.user, timeout=120, **kwargs)

    def notebook(self):
        return nbformat.from_dict(self.request("GET", f"/contents/{self.path}")["content"])

    def run(self, nb, kernel_id):
        """Run the code cells of ``nb``; [(cell index, ename, evalue)] of those that raised."""
        code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
        tagged = {
            j
            for j, i in enumerate(code)
            if "raises-exception" in nb.cells[i].metadata.get("tags", [])
        }
        errors = run_cells(
            self.server, self.token, kernel_id, [nb.cells[i].source for i in code], allowed=tagged
        )
        return [(code[j], name, value) for j, name, value in errors if j not in tagged]

    def work(self, teacher, edits):
        """Run notebook 01 as handed out, fill in its blanks, make ``edits``, save, run it again."""
        session = self.request(
            "POST",
            "/sessions",
            json={
                "path": self.path,
                "name": NB01,
                "type": "notebook",
                "kernel": {"name": "python3"},
            },
        )
        kernel = session["kernel"]["id"]
        nb = self.notebook()
        stubs = [i for i, c in enumerate(nb.cells) if "write your solution here" in c.source]
        first = self.run(nb, kernel)
        assert len(first) == 1 and first[0][1] == "NotImplementedError", first
        assert first[0][0] >= stubs[0] and "write your solution here" in first[0][2]

        for cell, answer in zip(nb.cells, teacher.cells):
            if cell.cell_type == "code":
                cell.source = put_solutions_back(cell.source, answer.source)
        for index, source in edits.items():
            nb.cells[index].source = source
        nb.cells.append(nbformat.v4.new_markdown_cell(f"{self.user}'s notes."))
        self.request(
            "PUT",
            f"/contents/{self.path}",
            json={"type": "notebook", "format": "json", "content": nb},
        )
        self.request("POST", f"/kernels/{kernel}/restart")
        assert self.run(self.notebook(), kernel) == [], "with its blanks filled in, 01 runs"
        self.request("DELETE", f"/sessions/{session['id']}")  # Close and Shut Down Notebook
        return nb


@pytest.mark.slow
def test_two_students_follow_the_readmes_link_and_keep_their_work_through_an_update(
    edition, tmp_path
):
    chromium, flags = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    started = time.time()
    teacher_dir = tmp_path / "teacher"
    teacher_dir.mkdir()
    subprocess.run(["cp", "-R", str(edition), str(teacher_dir / "student")], check=True)
    remote = bare_repository(tmp_path / "published" / "course")
    publish("README.md", "first", teacher_dir, remote)
    v1 = nbformat.read(edition / NB01, as_version=4)
    prose = [
        i
        for i, c in enumerate(v1.cells)
        if c.cell_type == "markdown" and not c.source.startswith(("#", "<"))
    ]
    teacher_only, both = prose[0], prose[-2]  # far apart: separate hunks for git's merge
    users = ("student1", "student2")
    teacher_nb = nbformat.read(NOTEBOOKS[0], as_version=4)

    with running_hub(tmp_path / "hub", users) as hub, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=flags)
        try:
            link = readme_link(hub.url, remote)
            pages = {
                user: browser.new_page(viewport={"width": 1280, "height": 900}) for user in users
            }
            for user, page in pages.items():  # logged out, no server yet: the first click
                page.goto(link)
                page.fill("#username_input", user)
                page.fill("#password_input", "any password")
                page.click("#login_submit")
            for page in pages.values():
                land_on_notebook_01(page)
            print(f"landed on notebook 01: {time.time() - started:.0f} s")
            ARTIFACTS.mkdir(exist_ok=True)
            pages["student1"].screenshot(path=str(ARTIFACTS / "hub-first-click.png"))
            for user in users:  # the first click cloned the edition into ~/course
                cloned = files(hub.homes / user / "course")
                cloned = {
                    n: b
                    for n, b in cloned.items()
                    if not n.startswith(".git/") and "checkpoints" not in n
                }
                assert cloned == files(edition)

            students = [Student(hub, user) for user in users]
            student_line = {u: f"{u} rewrote this line." for u in users}
            with concurrent.futures.ThreadPoolExecutor(len(users)) as pool:
                saved = list(
                    pool.map(lambda s: s.work(teacher_nb, {both: student_line[s.user]}), students)
                )

            print(f"ran, edited, ran again: {time.time() - started:.0f} s")
            # The teacher's newer edition: a sentence added, the students' line reworded,
            # a cell added to 02.
            edition_dir = teacher_dir / "student"
            nb = nbformat.read(edition_dir / NB01, as_version=4)
            nb.cells[teacher_only].source += "\n\nA sentence added by the teacher."
            nb.cells[both].source = "The teacher's rewording."
            nbformat.write(nb, edition_dir / NB01)
            nb = nbformat.read(edition_dir / NB02, as_version=4)
            nb.cells.append(nbformat.v4.new_markdown_cell("A cell the teacher added."))
            nbformat.write(nb, edition_dir / NB02)
            publish("README.md", "again", teacher_dir, remote)

            for page in pages.values():  # the same link again, the notebook closed
                page.goto(link)
            for page in pages.values():
                land_on_notebook_01(page, expect_text="A sentence added by the teacher.")
            pages["student1"].screenshot(path=str(ARTIFACTS / "hub-after-update.png"))
        finally:
            browser.close()

        for user, mine in zip(users, saved):
            clone = hub.homes / user / "course"
            merged = nbformat.read(clone / NB01, as_version=4)
            assert merged.cells[teacher_only].source.endswith("A sentence added by the teacher.")
            assert merged.cells[both].source == student_line[user], "the student's line stays"
            assert merged.cells[-1].source == f"{user}'s notes."
            code = [c.source for c in merged.cells if c.cell_type == "code"]
            assert code == [c.source for c in mine.cells if c.cell_type == "code"], "the answers"
            assert not any("write your solution here" in source for source in code)
            added = nbformat.read(clone / NB02, as_version=4).cells[-1].source
            assert added == "A cell the teacher added."
    print(f"two students on a real hub: {time.time() - started:.0f} s")  # shown by pytest -rP
