"""A class on a real JupyterHub, for the classroom tests: the README's teaching commands, a hub
on localhost, and a student's kernel driven through it.

- ``readme_block`` and ``publish`` run the README's publishing commands as they stand, with
  a local repository in place of GitHub's;
- ``readme_link`` is the README's nbgitpuller link, for a hub on localhost and that repository;
- ``running_hub`` starts JupyterHub on 127.0.0.1 (configurable-http-proxy from node_modules,
  DummyAuthenticator, the simple local spawner, every home under a temporary folder) and stops
  it, and every process it started, at the end;
- ``run_cells`` runs code cells in a kernel of a student's server, over the hub's proxy
  (Jupyter's REST API and the kernel's websocket).
"""

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from pathlib import Path

import requests
import websocket

from tests.conftest import ROOT, node_modules

READMES = ("README.md", "README.zh-CN.md")
GITHUB = "https://github.com/<owner>/<repo>.git"  # the remote the README's commands name
BIN = Path(sys.executable).parent
TEACHER_IDENTITY = {
    "GIT_AUTHOR_NAME": "Teacher",
    "GIT_AUTHOR_EMAIL": "teacher@example.org",
    "GIT_COMMITTER_NAME": "Teacher",
    "GIT_COMMITTER_EMAIL": "teacher@example.org",
}


def readme_block(readme, name):
    """The fenced block of ``readme`` that follows the marker ``<!-- publish:NAME -->``."""
    text = (ROOT / readme).read_text(encoding="utf-8")
    found = re.findall(rf"<!-- publish:{name} -->\n(\s*)```bash\n(.*?)\n\s*```", text, re.S)
    assert len(found) == 1, f"{readme}: expected one ```bash block after <!-- publish:{name} -->"
    indent, body = found[0]
    return textwrap.dedent(indent.strip("\n") + body)


def publish(readme, name, course, remote):
    """Run the README's publishing block ``name`` in folder ``course`` (which holds student/),
    pushing to the bare repository ``remote`` instead of GitHub's."""
    block = readme_block(readme, name)
    assert GITHUB in block, f"{readme}: the {name} block should name {GITHUB}"
    block = block.replace(GITHUB, remote.as_uri())
    assert "<" not in block, f"{readme}: a placeholder left in the {name} block:\n{block}"
    result = subprocess.run(
        ["bash", "-e", "-c", block],
        cwd=course,
        env=dict(os.environ, **TEACHER_IDENTITY),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"{readme}, the {name} block:\n{block}\n{result.stderr}"


def readme_link(hub_url, remote, readme="README.md", notebook="01_numpy_by_hand.ipynb"):
    """The README's nbgitpuller link to ``notebook``, on the hub at ``hub_url``, pulling the bare
    repository ``remote``: only the hub, the repository and its folder name are put in."""
    text = (ROOT / readme).read_text(encoding="utf-8")
    links = re.findall(r"https://<hub>/hub/user-redirect/git-pull\?\S+", text)
    link = next((x for x in links if x.endswith(f"%2F<repo>%2F{notebook}")), None)
    assert link, f"{readme}: no nbgitpuller link to {notebook} among {links}"
    github = "https%3A%2F%2Fgithub.com%2F<owner>%2F<repo>&"
    assert github in link, f"{readme}: the link should pull {github}"
    link = link.replace("https://<hub>", hub_url)
    link = link.replace(github, urllib.parse.quote(remote.as_uri(), safe="") + "&")
    return link.replace("<repo>", remote.name)


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def processes_under(folder):
    """Process ids whose HOME lies under ``folder``: every process the test hub started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        home = next((v[5:].decode() for v in environ if v.startswith(b"HOME=")), "")
        if home.startswith(f"{folder}/"):
            found.append(int(entry.name))
    return found


def api(method, url, token, what, timeout=60, **kwargs):
    """A JSON request to a hub's or a server's REST API with ``token``; fails naming ``what``."""
    headers = {"Authorization": f"token {token}"}
    response = requests.request(method, url, headers=headers, timeout=timeout, **kwargs)
    assert response.ok, f"{what}: {method} {url}: {response.status_code} {response.text[:500]}"
    return response.json() if response.text else None


@dataclass
class Hub:
    url: str
    token: str  # an admin service's API token
    homes: Path
    log: Path

    def api(self, method, path, **kwargs):
        return api(method, f"{self.url}/hub/api{path}", self.token, "the hub", **kwargs)

    def user_token(self, user):
        """An API token of ``user``'s own, as JupyterLab holds one."""
        return self.api("POST", f"/users/{user}/tokens", json={"note": "course tests"})["token"]


CONFIG = """\
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.JupyterHub.db_url = "sqlite:///{tmp}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{tmp}/jupyterhub_cookie_secret"
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{tmp}/home/{{username}}"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args = {args!r}
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {environment!r}
c.JupyterHub.services = [{{"name": "course-tests", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{"name": "admin", "services": ["course-tests"]}}]
"""


@contextlib.contextmanager
def running_hub(tmp, users):
    """JupyterHub on 127.0.0.1 for ``users``, each with a home under ``tmp``: yields a Hub.

    At the end the hub is stopped (it stops the servers and the proxy); a process it left
    running fails the test, after it has been killed.
    """
    port, hub_port, proxy_port = free_ports(3)
    token = secrets.token_hex(32)
    for user in users:
        (tmp / "home" / user).mkdir(parents=True)
    threads = {v: "1" for v in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")}
    config = CONFIG.format(
        port=port,
        hub_port=hub_port,
        proxy_port=proxy_port,
        proxy=str(node_modules() / ".bin" / "configurable-http-proxy"),
        tmp=tmp,
        singleuser=str(BIN / "jupyterhub-singleuser"),
        args=["--allow-root"] if os.geteuid() == 0 else [],
        environment=threads,
        token=token,
    )
    (tmp / "jupyterhub_config.py").write_text(config, encoding="utf-8")
    env = dict(
        os.environ, HOME=str(tmp / "hub-home"), PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}"
    )
    (tmp / "hub-home").mkdir()
    log = tmp / "jupyterhub.log"
    url = f"http://127.0.0.1:{port}"
    with open(log, "w") as out:
        hub = subprocess.Popen(
            [str(BIN / "jupyterhub"), "-f", str(tmp / "jupyterhub_config.py")],
            cwd=tmp,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.time() + 60
        while True:
            try:
                if requests.get(f"{url}/hub/api/", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            assert hub.poll() is None and time.time() < deadline, log.read_text()[-3000:]
            time.sleep(0.5)
        yield Hub(url, token, tmp / "home", log)
    finally:
        hub.send_signal(signal.SIGTERM)  # the hub stops every server and the proxy itself
        try:
            hub.wait(timeout=60)
        except subprocess.TimeoutExpired:
            hub.kill()
            hub.wait()
        left = stop_all(tmp)
    assert not left, f"the hub left processes running (now killed): {left}"


def stop_all(tmp):
    """Stop every process whose HOME is under ``tmp``; return those that were still running."""
    deadline = time.time() + 10
    while processes_under(tmp) and time.time() < deadline:
        time.sleep(0.5)  # servers and kernels may take a moment to exit
    left = processes_under(tmp)
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return left


def execute_request(code):
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": "execute_request",
            "session": uuid.uuid4().hex,
            "username": "student",
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": {"code": code, "silent": False, "store_history": True, "allow_stdin": False},
        "channel": "shell",
    }


def run_cells(server_url, token, kernel_id, sources, allowed=(), timeout=300):
    """Run each code of ``sources`` in the kernel, in order, over its websocket.

    Returns [(index, ename, evalue)] of the cells that raised; it stops at the first one whose
    index is not in ``allowed`` (the cells meant to raise).
    """
    ws_url = server_url.replace("http", "ws", 1) + f"/api/kernels/{kernel_id}/channels"
    ws = websocket.create_connection(
        ws_url, header=[f"Authorization: token {token}"], timeout=timeout
    )
    errors = []
    try:
        for index, code in enumerate(sources):
            request = execute_request(code)
            ws.send(json.dumps(request))
            replied = idle = False
            while not (replied and idle):
                frame = ws.recv()
                if not isinstance(frame, str):
                    continue
                message = json.loads(frame)
                if message["parent_header"].get("msg_id") != request["header"]["msg_id"]:
                    continue
                kind = message["msg_type"]
                if kind == "error":
                    errors.append(
                        (index, message["content"]["ename"], message["content"]["evalue"])
                    )
                replied |= kind == "execute_reply"
                idle |= kind == "status" and message["content"]["execution_state"] == "idle"
            if errors and errors[-1][0] not in allowed:
                break
    finally:
        ws.close()
    return errors


def chromium_or_skip():
    """Debian's chromium and its flags, as the browser tests use them (they skip without it)."""
    from tests.test_browser import CHROMIUM, CHROMIUM_FLAGS

    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists()
    return CHROMIUM, CHROMIUM_FLAGS
