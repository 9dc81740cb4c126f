"""The figures the READMEs state for sizing a JupyterHub."""

import re

from tests.conftest import ROOT

#: What one notebook's kernel may use at most; the READMEs' sizing rule rests on it.
KERNEL_BUDGET_MIB = 640
#: What the student's JupyterLab server may use at most, while it runs the notebooks.
SERVER_BUDGET_MIB = 400
#: How far a measurement may stray from the figure a README states.
TOLERANCE = 0.25


def stated_mib(readme="README.md"):
    """The figures of a README's memory table: ['01', '02', '03', '04', 'server'] -> MiB."""
    text = (ROOT / readme).read_text(encoding="utf-8")
    table = text.split("<!-- memory:start -->")[1].split("<!-- memory:end -->")[0]
    figures = [int(n) for n in re.findall(r"\|\s*(\d+) MiB\s*\|", table)]
    assert len(figures) == 5, f"{readme}: expected 5 rows in the memory table, got {figures}"
    return dict(zip(["01", "02", "03", "04", "server"], figures))


def check_against_readmes(key, measured, budget):
    """Fail unless ``measured`` is within budget and near what both READMEs state."""
    print(f"{key}: peak {measured:.0f} MiB")  # shown by pytest -rP
    assert measured <= budget, f"{key}: peak {measured:.0f} MiB is over the {budget} MiB budget"
    for readme in ("README.md", "README.zh-CN.md"):
        stated = stated_mib(readme)[key]
        assert abs(measured / stated - 1) <= TOLERANCE, (
            f"{readme} states {stated} MiB for {key}, measured {measured:.0f} MiB: update it"
        )
