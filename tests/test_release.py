"""A release: the version in one place, the licenses, the citation, and the site's workflow.

The version is pyproject.toml's; CHANGELOG.md's newest release, CITATION.cff and both
READMEs' citation must name it. The workflow cannot run here: its YAML is checked instead.
"""

import fnmatch
import hashlib
import importlib.metadata
import re
import subprocess
import sys

import pytest
import tomllib
import yaml

import course_utils
from tests.conftest import ROOT
from tools import contents

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
VERSION = contents.version()
CFF = ROOT / "CITATION.cff"
WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
READMES = ("README.md", "README.zh-CN.md")
SITE_HTML = "site/_build/html"
# The official text of CC BY 4.0 (creativecommons.org/licenses/by/4.0/legalcode.txt), unedited.
CC_BY_4_0_SHA256 = "f5b745ef98087f531e719ee8ca6a96809444573ecc7173c6fa68eaad39b3cc3f"
RELEASE_HEADING = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", re.M)
MAJOR_PIN = re.compile(r"^[\w.-]+/[\w.-]+@v\d+$")


def readme(name):
    return (ROOT / name).read_text(encoding="utf-8")


def section(text, anchor):
    """A README's section from its explicit anchor to the next one."""
    start = text.index(f'<a id="{anchor}"></a>')
    end = text.find("<a id=", start + 1)
    return text[start : end if end > 0 else None]


def code_block(text, language):
    blocks = re.findall(rf"^```{language}\n(.*?)^```$", text, re.M | re.S)
    assert len(blocks) == 1, f"one ```{language} block expected, found {len(blocks)}"
    return blocks[0]


def with_readme_placeholders(text):
    """CITATION.cff and pyproject.toml write OWNER/REPO (a URL holds no < >); READMEs <owner>."""
    return text.replace("OWNER", "<owner>").replace("REPO", "<repo>")


#: cffconvert 2.0.0 needs jsonschema < 4, JupyterLab >= 4.18: it runs in a venv of its own.
CFFCONVERT = "cffconvert==2.0.0"


@pytest.fixture(scope="module")
def cffconvert(tmp_path_factory):
    """Run the real cffconvert on CITATION.cff: cffconvert(*options) -> its standard output."""
    venv = tmp_path_factory.mktemp("cffconvert")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
    ]
    subprocess.run([*pip, CFFCONVERT], check=True)

    def run(*options):
        done = subprocess.run(
            [str(venv / "bin" / "cffconvert"), "-i", str(CFF), *options],
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    return run


@pytest.fixture(scope="module")
def citation():
    """CITATION.cff's fields."""
    return yaml.safe_load(CFF.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def workflow():
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(workflow):
    return [(name, step) for name, job in workflow["jobs"].items() for step in job["steps"]]


def job_using(workflow, action):
    jobs = [name for name, step in steps(workflow) if step.get("uses", "").startswith(action + "@")]
    assert len(jobs) == 1, f"one step should use {action}, found {len(jobs)}"
    return jobs[0], workflow["jobs"][jobs[0]]


# The version in one place


def test_citation_changelog_and_package_name_the_version_of_pyproject(citation):
    releases = RELEASE_HEADING.findall((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
    assert releases, "CHANGELOG.md: no release heading '## [X.Y.Z] - YYYY-MM-DD'"
    newest, date = releases[0]
    assert newest == VERSION, f"CHANGELOG.md's newest release {newest}, pyproject.toml {VERSION}"
    assert str(citation["version"]) == VERSION, "CITATION.cff: version"
    assert str(citation["date-released"]) == date, "CITATION.cff: date-released"
    assert course_utils.__version__ == VERSION, "installed metadata out of date: run `make`"


def test_the_changelog_keeps_its_format():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.*)$", text, re.M)
    assert headings[0] == "[Unreleased]", "Keep a Changelog: '## [Unreleased]' comes first"
    versions = [h for h, _ in RELEASE_HEADING.findall(text)]
    assert len(headings) == 1 + len(versions), "every other heading: '## [X.Y.Z] - YYYY-MM-DD'"
    as_tuples = [tuple(map(int, v.split("."))) for v in versions]
    assert as_tuples == sorted(as_tuples, reverse=True), "newest release first"
    for label in ["Unreleased", *versions]:
        assert re.search(rf"^\[{re.escape(label)}\]: https://", text, re.M), f"no link for {label}"


# The licenses


def test_the_license_files_and_the_spdx_expression_agree():
    assert PYPROJECT["license"] == "MIT AND CC-BY-4.0"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    cc_by = (ROOT / "LICENSES" / "CC-BY-4.0.txt").read_bytes()
    assert hashlib.sha256(cc_by).hexdigest() == CC_BY_4_0_SHA256, "CC BY 4.0's text was changed"
    matched = set()
    for pattern in PYPROJECT["license-files"]:
        found = {p.relative_to(ROOT).as_posix() for p in ROOT.glob(pattern)}
        assert found, f"license-files: {pattern!r} matches no file"
        matched |= found
    assert matched == {"LICENSE", "LICENSES/CC-BY-4.0.txt"}
    installed = importlib.metadata.metadata("course_utils")
    assert installed["License-Expression"] == PYPROJECT["license"], "run `make` to reinstall"


@pytest.mark.parametrize("name", READMES)
def test_the_readmes_state_both_licenses(name):
    text = section(readme(name), "license")
    links = ["](LICENSE)", "](LICENSES/CC-BY-4.0.txt)"]
    for needed in [*links, "MIT", "CC BY 4.0", PYPROJECT["license"]]:
        assert needed in text, f"{name}, License: no {needed!r}"


# The citation


@pytest.mark.slow
def test_citation_cff_is_valid(citation, cffconvert):
    assert "are valid according to schema version 1.2.0" in cffconvert("--validate")
    assert citation["authors"] == [{"name": "From numpy to nn.Module contributors"}]


@pytest.mark.parametrize("name", READMES)
@pytest.mark.slow
def test_the_readmes_cite_what_cffconvert_makes_of_citation_cff(name, cffconvert):
    text = section(readme(name), "cite")
    plain = with_readme_placeholders(cffconvert("-f", "apalike")).strip()
    assert code_block(text, "text").strip() == plain
    assert f"(version {VERSION})" in text

    def fields(bibtex):
        return dict(re.findall(r"^(\w+) = \{(.*)\},?$", bibtex, re.M))

    made = fields(with_readme_placeholders(cffconvert("-f", "bibtex")))
    # The README's entry: the authors' name braced, so that BibTeX keeps it whole; the version.
    expected = {**made, "author": "{" + made["author"] + "}", "note": f"Version {VERSION}"}
    assert fields(code_block(text, "bibtex")) == expected


def test_the_site_is_where_the_citation_and_the_package_say(citation):
    site = with_readme_placeholders(citation["url"])
    assert site == "https://<owner>.github.io/<repo>/"
    assert with_readme_placeholders(PYPROJECT["urls"]["Homepage"]) == site


@pytest.mark.parametrize("name", READMES)
def test_the_first_screen_links_the_site_and_says_how_to_build_it(name):
    first_screen = readme(name).split('<a id="contents"></a>')[0]
    assert "](https://<owner>.github.io/<repo>/)" in first_screen, f"{name}: no link to the site"
    assert "`make site`" in first_screen and f"`{SITE_HTML}/index.html`" in first_screen


# The site's workflow


def test_the_workflow_runs_on_release_tags(workflow):
    trigger = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert list(trigger) == ["push"] and list(trigger["push"]) == ["tags"]
    assert any(fnmatch.fnmatchcase(f"v{VERSION}", p) for p in trigger["push"]["tags"])
    assert not any(fnmatch.fnmatchcase("main", p) for p in trigger["push"]["tags"])


def test_the_workflow_builds_the_site_with_make_site(workflow):
    assert re.search(r"^site:", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M), (
        "the Makefile has no `site` target"
    )
    commands = [line.strip() for _, s in steps(workflow) for line in s.get("run", "").splitlines()]
    assert "make site" in commands
    uses = {s["uses"].split("@")[0] for _, s in steps(workflow) if "uses" in s}
    assert {"actions/checkout", "actions/setup-python"} <= uses
    (setup,) = [s for _, s in steps(workflow) if s.get("uses", "").startswith("actions/setup-py")]
    assert setup["with"]["python-version"] == "3.11"


def test_the_workflow_publishes_on_pages_with_the_permissions_it_needs(workflow):
    build_name, build = job_using(workflow, "actions/upload-pages-artifact")
    (upload,) = [s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", "")]
    assert upload["with"]["path"] == SITE_HTML
    _, deploy = job_using(workflow, "actions/deploy-pages")
    needs = deploy.get("needs", [])
    assert build_name in ([needs] if isinstance(needs, str) else needs), "deploy after the build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert workflow["permissions"] == {"contents": "read"}, "the least by default"


def test_the_workflow_attaches_the_zip_and_the_pdfs_to_the_release(workflow):
    _, job = job_using(workflow, "softprops/action-gh-release")
    (release,) = [s for s in job["steps"] if "action-gh-release" in s.get("uses", "")]
    assert release["with"]["files"].split() == ["site/_build/*.zip", "site/_build/*.pdf"]
    assert job["permissions"]["contents"] == "write"
    make_site = [i for i, s in enumerate(job["steps"]) if s.get("run", "").strip() == "make site"]
    assert make_site and make_site[0] < job["steps"].index(release), "attached after the build"


def test_every_action_is_pinned_to_a_major_version(workflow):
    uses = [s["uses"] for _, s in steps(workflow) if "uses" in s]
    assert not [u for u in uses if not MAJOR_PIN.match(u)], uses
