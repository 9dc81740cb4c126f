"""How long a class waits: the four notebooks run by several students at once, on this machine.

Usage: python -m tools.classroom_load [STUDENTS ...]   (default: 1 2 4)

For each number of students, that many processes start together; each runs notebooks
01 to 04 top to bottom, one fresh kernel per notebook, as a student who opens one after
another and runs all cells. It prints, per notebook, the mean time from starting the
kernel to the last cell's output, and each kernel's CPU time (user + system). Every
kernel computes on one thread (course_utils.setup), so a student who runs a notebook
keeps one core busy: with more students running at once than there are cores, each
waits longer in proportion. The figures of README.md's "How much CPU" come from this
script; on a machine shared with other work they come out too high.
"""

import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tools import contents

TIMEOUT_S = 900


def cpu_seconds(pid):
    """User + system CPU time of process ``pid`` so far, in seconds (Linux: /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_notebook(path, cwd):
    """Run the notebook at ``path`` in a fresh kernel: (seconds, the kernel's CPU seconds)."""
    nb = nbformat.read(path, as_version=4)
    cpu = []
    client = NotebookClient(nb, timeout=TIMEOUT_S, kernel_name="python3")
    client.on_cell_executed = lambda **_: cpu.append(cpu_seconds(client.km.provisioner.process.pid))
    start = time.perf_counter()
    client.execute(cwd=str(cwd))
    return time.perf_counter() - start, cpu[-1]


def student(barrier, results):
    """One student: notebooks 01 to 04 in turn (the notebooks themselves are not changed)."""
    barrier.wait()
    for path in contents.notebooks("en"):
        results.put((path.name[:2], *run_notebook(path, path.parent)))


def measure(students):
    """{notebook: ([seconds per student], [CPU seconds per student])} with ``students`` at once."""
    barrier = multiprocessing.Barrier(students)
    results = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=student, args=(barrier, results)) for _ in range(students)
    ]
    for worker in workers:
        worker.start()
    figures = {}
    for _ in range(students * len(contents.notebooks("en"))):
        notebook, seconds, cpu = results.get(timeout=TIMEOUT_S * 4)
        figures.setdefault(notebook, ([], []))
        figures[notebook][0].append(seconds)
        figures[notebook][1].append(cpu)
    for worker in workers:
        worker.join()
        if worker.exitcode:
            raise RuntimeError(f"a student's run failed (exit code {worker.exitcode})")
    return dict(sorted(figures.items()))


def main(argv):
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(variable, "1")  # as make exports them
    counts = [int(n) for n in argv] or [1, 2, 4]
    if any(n < 1 for n in counts):
        raise SystemExit(f"expected numbers of students of 1 or more, got {counts}")
    print(f"{os.cpu_count()} CPU cores; one kernel thread each (course_utils.setup)")
    header = "| students at once | " + " | ".join(f"{nb} (s)" for nb in ("01", "02", "03", "04"))
    print(header + " | all four (s) | CPU of all four (s) |")
    for count in counts:
        figures = measure(count)
        means = [statistics.mean(seconds) for seconds, _ in figures.values()]
        cpu = sum(statistics.mean(cpu) for _, cpu in figures.values())
        row = " | ".join(f"{m:.1f}" for m in means)
        print(f"| {count} | {row} | {sum(means):.1f} | {cpu:.1f} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
