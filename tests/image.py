"""A student's image, simulated as repo2docker builds it, in a fresh virtual environment."""

import os
import shutil
import subprocess
import sys
import urllib.request

from tests.conftest import ROOT

BINDER = ROOT / "binder"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def reachable(url, timeout=3):
    try:
        urllib.request.urlopen(url, timeout=timeout).close()  # noqa: S310 (a fixed https URL)
        return True
    except OSError:
        return False


def image_env(python):
    """The image's PATH first; Python may cache the bytecode of what it imports."""
    env = dict(os.environ, PATH=f"{python.parent}{os.pathsep}{os.environ['PATH']}")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_in_image(python, *args, cwd=None, timeout=600):
    """Run ``args`` (a command in the image's bin/, or Python code) with the image's environment.

    A command fails the test with the end of its output; else the completed process is returned.
    """
    command = [str(python.parent / args[0]), *args[1:]]
    result = subprocess.run(
        command, cwd=cwd, env=image_env(python), capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{args[0]}: " + result.stdout[-2000:] + result.stderr[-3000:]
    return result


def pip_install(python, *args, timeout=1200):
    """pip into the image, without byte-compiling every file: imports cache what they use."""
    quiet = ["-q", "--disable-pip-version-check", "--no-compile"]
    subprocess.run(
        [str(python), "-m", "pip", "install", *quiet, *args], check=True, timeout=timeout
    )


def build_image(tmp):
    """binder/requirements.txt, the repository copied, binder/postBuild: (python, repo copy)."""
    requirements = (BINDER / "requirements.txt").read_text(encoding="utf-8")
    if not reachable(CPU_INDEX):  # then torch's CPU wheel must come from pip's local find-links
        requirements = requirements.replace(f"--extra-index-url {CPU_INDEX}", "")
    (tmp / "requirements.txt").write_text(requirements, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "venv", str(tmp / "venv")], check=True)
    python = tmp / "venv" / "bin" / "python"
    pip_install(python, "-r", str(tmp / "requirements.txt"))
    repo = tmp / "repo"  # repo2docker's COPY src/ ${REPO_DIR}/
    shutil.copytree(
        ROOT,
        repo,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            ".jupyter-*",
            "*cache*",
            "test-artifacts",
            "student",
            "node_modules",
            "slides",
        ),
    )
    env = image_env(python)
    subprocess.run(["bash", "binder/postBuild"], cwd=repo, check=True, env=env, timeout=600)
    # A kernel's imports, once, so that every later kernel finds their bytecode cached.
    warm = "import course_utils, ipykernel, matplotlib.pyplot, nbclient, torch"
    subprocess.run([str(python), "-c", warm], cwd=repo, check=True, env=env, timeout=300)
    return python, repo
