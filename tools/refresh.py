"""Re-execute notebooks top to bottom in place and store clean, canonical metadata.

Usage: python tools/refresh.py [NOTEBOOK ...]   (default: every notebooks/*.ipynb)

This is the only way stored outputs are made: one fresh kernel per notebook,
cells run in order, execution counts 1..n, no timing metadata. It prints the
peak memory of each notebook's kernel, the figure to size a JupyterHub by.
"""

import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

ROOT = Path(__file__).resolve().parents[1]
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
TIMEOUT_S = 300


def canonical_metadata(nb):
    """Keep the kernelspec and the kernel's own language_info, nothing else.

    JupyterLab rewrites both when it opens a notebook; if they differ from what
    it would write, it marks the notebook modified as soon as it opens.
    """
    nb.metadata = nbformat.NotebookNode(
        kernelspec=dict(KERNELSPEC),
        language_info=nb.metadata.get("language_info", {}),
    )
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
    return nb


def strip_machine_paths(nb):
    """Shorten paths in stored tracebacks: '/a/b/site-packages/torch/x.py' -> 'torch/x.py'."""
    site = re.compile(r"[^\s'\"]*/(?:site|dist)-packages/")
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                out.traceback = [
                    site.sub("", line).replace(f"{ROOT}/", "") for line in out.traceback
                ]
    return nb


def peak_mib(pid):
    """Peak resident memory (VmHWM) of process ``pid``, in MiB; None if unknown (not Linux)."""
    status = Path(f"/proc/{pid}/status")
    if pid is None or not status.exists():
        return None
    kib = re.search(r"^VmHWM:\s+(\d+) kB", status.read_text(encoding="utf-8"), re.M)
    return int(kib[1]) / 1024 if kib else None


def kernel_peak_mib(client):
    """Peak resident memory of the client's kernel process, in MiB; None if unknown."""
    return peak_mib(getattr(getattr(client.km.provisioner, "process", None), "pid", None))


def execute(nb, cwd):
    """Run ``nb`` top to bottom in a fresh kernel; return it, clean, and the kernel's peak MiB."""
    peak = []

    def after_each_cell(**_):  # VmHWM only grows: the last reading is the peak
        peak.append(kernel_peak_mib(client))

    client = NotebookClient(
        nb,
        timeout=TIMEOUT_S,
        kernel_name="python3",
        record_timing=False,
        on_cell_executed=after_each_cell,
    )
    client.execute(cwd=str(cwd))
    # How print() output is split into chunks depends on timing: store one chunk per stream.
    nb, _ = CoalesceStreamsPreprocessor().preprocess(nb, {})
    canonical_metadata(nb)
    strip_machine_paths(nb)
    nbformat.validate(nb)
    return nb, (peak[-1] if peak else None)


def refresh(path):
    """Re-execute the notebook at ``path`` in place; return the kernel's peak memory in MiB."""
    nb, peak = execute(nbformat.read(path, as_version=4), path.parent)
    nbformat.write(nb, path)
    return peak


def main(argv):
    paths = [Path(p).resolve() for p in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        peak = refresh(path)
        memory = f", kernel peak memory {peak:.0f} MiB" if peak is not None else ""
        print(f"refreshed {path.name}{memory}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
