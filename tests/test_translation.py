"""The Simplified Chinese edition: complete, current, and faithful to the English source.

The catalogs (i18n/zh-CN/*.po) hold one entry per English markdown cell;
tools/translate.py builds notebooks/zh-CN/ from them. These tests fail as soon
as an English cell changes (its entry turns fuzzy), a cell is added (its entry
is empty) or the built notebooks differ from the committed ones; and they check
what a translation must keep: formulas, code, links and images, the glossary's
terms, and the spacing between Chinese and Latin text.
"""

import collections
import re
import shutil

import autocorrect_py
import nbformat
import polib
import pytest

from tests.conftest import NOTEBOOKS, ROOT, markdown_sources
from tools import translate

CATALOGS = [translate.catalog_path(path) for path in NOTEBOOKS]
FORMULA = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.S)
CODE = re.compile(r"`[^`\n]+`")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
FULL_WIDTH = "，。：；？！、（）“”"

# English term in the source -> the Chinese term its translation must use (README glossary).
GLOSSARY = {
    r"\bforward pass": "前向传播",
    r"\bbackward pass|\bbackpropagation": "反向传播",
    r"\bgradient descent": "梯度下降",
    r"\bgradients?\b": "梯度",
    r"\bchain rule": "链式法则",
    r"\blearning rates?\b": "学习率",
    r"\bloss function": "损失函数",
    r"\bactivation function": "激活函数",
    r"\bweights?\b": "权重",
    r"\bbias(es)?\b(?! correction)": "偏置",  # a layer's bias; Adam's bias correction is 偏差修正
    r"\boptimi[sz]er": "优化器",
    r"\btensors?\b": "张量",
    r"\bautomatic differentiation": "自动求导",
    r"\bcomputational graph": "计算图",
    r"\bhidden layer": "隐藏层",
    r"\bbatch(es)?\b": "批量",
    r"\bleaf\b|\b(are|only) leaves\b": "叶子",
}
# Renderings that are wrong here: the Chinese, and the English that would excuse it.
BAD = {
    "自动分化": ("automatic differentiation is 自动求导", None),
    "偏差": ("a layer's bias is 偏置 (偏差 is statistical bias)", r"bias correction"),
    "梯度下落": ("gradient descent is 梯度下降", None),
}


def entries():
    for path in CATALOGS:
        for entry in polib.pofile(str(path)):
            yield path.name, entry


def prose(text):
    """Text without formulas, inline code and link targets: what a translator writes."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = FORMULA.sub("FORMULA", text)
    text = CODE.sub("CODE", text)
    return LINK.sub(lambda m: m[0].split("](")[0] + "]", text)


def kept(text):
    """What a translation must keep unchanged: formulas, code spans, link targets, images."""
    return collections.Counter(FORMULA.findall(text) + CODE.findall(text) + LINK.findall(text))


def test_one_catalog_per_notebook():
    assert sorted(p.name for p in CATALOGS) == sorted(
        p.name for p in translate.CATALOGS.glob("*.po")
    )
    for path in CATALOGS:
        assert polib.pofile(str(path)).metadata["Language"] == "zh-CN"


def test_catalogs_and_chinese_notebooks_are_up_to_date():
    stale = translate.build(NOTEBOOKS, check=True)
    assert not stale, f"out of date: {stale}; run `make translate` (or `make refresh`)"


def test_the_build_names_each_cell_it_keeps_in_english(tmp_path, capsys):
    """`make translate` (and `make refresh`, which ends with it) after an English change."""
    for path in NOTEBOOKS:
        shutil.copy(path, tmp_path / path.name)
    copy = tmp_path / NOTEBOOKS[1].name
    nb = nbformat.read(copy, as_version=4)
    cell = next(c for c in translate.prose_cells(nb) if not c.source.startswith("#"))
    cell.source = cell.source.replace(" ", "  ", 1)  # one space more: the entry turns fuzzy
    nbformat.write(nb, copy)
    stale = translate.build(sorted(tmp_path.glob("*.ipynb")), check=True)
    assert stale, "the catalog and the Chinese notebook are out of date"
    err = capsys.readouterr().err
    words = " ".join(cell.source.split()[:8])
    assert err == (
        f"warning: zh-CN/{copy.name}, cell {cell.id}: stale translation (its English changed), "
        f"kept in English: {words} ...\n"
    )
    recipe = re.search(r"^refresh:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M)
    assert recipe[1].rstrip().endswith("-m tools.translate"), "make refresh ends with the build"


def test_every_entry_is_translated_and_current():
    problems = []
    for path in CATALOGS:
        po = polib.pofile(str(path))
        problems += [f"{path.name}: untranslated {e.msgctxt}" for e in po.untranslated_entries()]
        problems += [f"{path.name}: fuzzy {e.msgctxt}" for e in po.fuzzy_entries()]
        problems += [f"{path.name}: obsolete {e.msgctxt}" for e in po.obsolete_entries()]
    assert not problems, "translate these entries (then remove the fuzzy flag):\n" + "\n".join(
        problems
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_only_the_markdown_differs(path):
    english = nbformat.read(path, as_version=4)
    chinese = nbformat.read(translate.EDITION / path.name, as_version=4)
    assert chinese.metadata == english.metadata
    assert [(c.id, c.cell_type) for c in chinese.cells] == [
        (c.id, c.cell_type) for c in english.cells
    ]
    for zh, en in zip(chinese.cells, english.cells):
        assert zh.metadata == en.metadata
        if en.cell_type == "code":
            assert nbformat.writes(nbformat.v4.new_notebook(cells=[zh])) == nbformat.writes(
                nbformat.v4.new_notebook(cells=[en])
            ), f"code cell {en.id} differs"


def test_formulas_code_links_and_images_are_kept():
    changed = [
        f"{name} {e.msgctxt}: {sorted((kept(e.msgid) - kept(e.msgstr)).elements())} became "
        f"{sorted((kept(e.msgstr) - kept(e.msgid)).elements())}"
        for name, e in entries()
        if e.msgstr and kept(e.msgid) != kept(e.msgstr)
    ]
    assert not changed, "\n".join(changed)


def test_glossary_terms_are_used_and_bad_renderings_absent():
    problems = []
    for name, e in entries():
        if not e.msgstr:
            continue  # untranslated: another test says so
        english, chinese = prose(e.msgid), prose(e.msgstr)
        for pattern, term in GLOSSARY.items():
            if re.search(pattern, english, re.I) and term not in chinese:
                problems.append(f"{name} {e.msgctxt}: '{pattern}' should be {term}")
        for bad, (why, excuse) in BAD.items():
            if bad in chinese and not (excuse and re.search(excuse, english)):
                problems.append(f"{name} {e.msgctxt}: {bad!r}: {why}")
    assert not problems, "\n".join(problems)


def spacing_problems(text):
    """Spaces between Chinese and Latin letters, digits, code and formulas; none by 。，etc."""
    problems = []
    for line in prose(text).splitlines():
        fixed = autocorrect_py.format_for(line, "markdown")
        if fixed != line:
            problems.append(f"{line!r} -> {fixed!r}")
        inner = re.sub(r"^\s*(#+|[-*>]|\d+\.)\s+", "", line)  # headings, list items
        inner = re.sub(r"\s*\|\s*", "|", inner)  # table cells
        for bad in re.findall(rf"[ \t][{FULL_WIDTH}]|[{FULL_WIDTH}][ \t]", inner):
            problems.append(f"{line!r}: a space next to full-width punctuation {bad!r}")
    return problems


def test_spacing_between_chinese_and_latin_text():
    problems = [
        f"{name} {e.msgctxt}: {p}" for name, e in entries() for p in spacing_problems(e.msgstr)
    ]
    assert not problems, "\n".join(problems)


def test_the_spacing_rule_catches_the_usual_slips():
    assert spacing_problems("训练 500 步，使用 PyTorch 的 `autograd`。") == []
    for slip in ["训练500步", "使用PyTorch的", "的`autograd`", "其中$x$是", "数组 。"]:
        assert spacing_problems(slip), slip


def test_staleness_is_marked_never_guessed():
    """A changed English cell turns its entry fuzzy; a new one is empty; a removed one goes."""
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell(s) for s in ["One.", "Two.", "Gone."]]
    )
    for cell, cell_id in zip(nb.cells, ["a", "b", "c"]):
        cell.id = cell_id
    po = translate.updated_catalog(nb, None)
    for entry, text in zip(po, ["一。", "二。", "去。"]):
        entry.msgstr = text
    nb.cells[1].source = "Two, changed."
    nb.cells[2] = nbformat.v4.new_markdown_cell("Three.")
    nb.cells[2].id = "d"
    new = {e.msgctxt: e for e in translate.updated_catalog(nb, po)}
    assert new["a"].msgstr == "一。" and not new["a"].fuzzy
    assert new["b"].fuzzy and new["b"].previous_msgid == "Two." and new["b"].msgstr == "二。"
    assert new["d"].msgstr == "" and "c" not in new
    built, missing = translate.chinese_notebook(nb, translate.updated_catalog(nb, po))
    assert [c.source for c in built.cells] == ["一。", "Two, changed.", "Three."]
    assert missing == [("b", "stale", "Two, changed."), ("d", "untranslated", "Three.")]
    # A catalog not updated since the English changed: its entry is stale all the same.
    built, missing = translate.chinese_notebook(nb, po)
    assert built.cells[1].source == "Two, changed." and missing[0] == (
        "b",
        "stale",
        "Two, changed.",
    )


def test_links_into_headings_use_explicit_anchors():
    anchors = {
        name: set(re.findall(r'<a id="([^"]+)"></a>', (ROOT / name).read_text(encoding="utf-8")))
        for name in ("README.md", "README.zh-CN.md")
    }
    assert anchors["README.md"] == anchors["README.zh-CN.md"], "both READMEs, the same anchors"
    missing = []
    for path, text in markdown_sources():
        for target in LINK.findall(text):
            file_part, _, anchor = target.partition("#")
            readme = file_part.rsplit("/", 1)[-1] or (path.name if path.suffix == ".md" else "")
            if anchor and readme in anchors and anchor not in anchors[readme]:
                missing.append(f"{path.name}: {target}")
    assert not missing, missing
