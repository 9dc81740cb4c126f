"""The notebooks' structure, for a reader who navigates by headings, links and tables.

Part of the hygiene tier. Each notebook of both editions: one H1, no heading level
skipped, link text that says where it goes, tables with a header row, images with
alt text, and no meaning carried by colour alone. The markdown is parsed with
markdown-it-py (CommonMark with tables, the parser MyST-NB builds the site with).
"""

import re

import nbformat
import pytest
from markdown_it import MarkdownIt

from tests.conftest import NOTEBOOKS, NOTEBOOKS_ZH, ROOT

PARSER = MarkdownIt("commonmark").enable("table")
VAGUE_LINKS = {  # link text that does not say where it goes (WCAG 2.1 SC 2.4.4)
    "here", "click here", "this", "link", "this link", "more", "read more",
    "这里", "点击这里", "点此", "此处", "链接", "这个链接", "更多",
}  # fmt: skip
# A colour named in the prose to point at something ("the red curve", "蓝色的线"):
# the curves are told apart by their labels and line styles, which every reader gets.
COLOUR_WORDS = re.compile(
    r"\b(red|green|blue|orange|purple|yellow|pink|grey|gray)\b|[红绿蓝橙紫黄粉灰]色",
    re.IGNORECASE,
)
PATHS = [*NOTEBOOKS, *NOTEBOOKS_ZH]


def tokens(path):
    """(cell id, markdown-it token) of every markdown cell of the notebook, in order."""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            for token in PARSER.parse(cell.source):
                yield cell.id, token


def headings(path):
    """(cell id, level, text) of every heading."""
    found, stream = [], list(tokens(path))
    for (cell_id, token), (_, inline) in zip(stream, stream[1:]):
        if token.type == "heading_open":
            found.append((cell_id, int(token.tag[1]), inline.content))
    return found


def inline_children(path):
    for cell_id, token in tokens(path):
        if token.type == "inline":
            for child in token.children or []:
                yield cell_id, token, child


def links(path):
    """(cell id, target, text) of every link."""
    found = []
    for cell_id, token, child in inline_children(path):
        if child.type == "link_open":
            i = token.children.index(child)
            text = []
            for later in token.children[i + 1 :]:
                if later.type == "link_close":
                    break
                text.append(later.content)
            found.append((cell_id, child.attrs.get("href", ""), "".join(text).strip()))
    return found


def label(path):
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


@pytest.mark.parametrize("path", PATHS, ids=label)
def test_one_h1_and_it_comes_first(path):
    found = headings(path)
    h1 = [h for h in found if h[1] == 1]
    assert len(h1) == 1, f"{label(path)}: {len(h1)} level-1 headings, expected one: {h1}"
    assert found[0][1] == 1, f"{label(path)}: the first heading is not the title: {found[0]}"


@pytest.mark.parametrize("path", PATHS, ids=label)
def test_no_heading_level_is_skipped(path):
    found = headings(path)
    for (_, before, _), (cell_id, level, text) in zip(found, found[1:]):
        assert level <= before + 1, (
            f"{label(path)}, cell {cell_id}: heading {text!r} at level {level} after level {before}"
        )


@pytest.mark.parametrize("path", PATHS, ids=label)
def test_link_text_says_where_it_goes(path):
    for cell_id, target, text in links(path):
        assert text, f"{label(path)}, cell {cell_id}: a link to {target} with no text"
        assert text.lower().strip(".:：。") not in VAGUE_LINKS, (
            f"{label(path)}, cell {cell_id}: link text {text!r} does not say where {target} goes"
        )


@pytest.mark.parametrize("path", PATHS, ids=label)
def test_every_table_has_a_header_row(path):
    stream = list(tokens(path))
    tables = 0
    for i, (cell_id, token) in enumerate(stream):
        if token.type == "table_open":
            tables += 1
            cells = []
            for _, later in stream[i + 1 :]:
                if later.type == "thead_close":
                    break
                if later.type == "inline":
                    cells.append(later.content.strip())
            assert cells and all(cells), f"{label(path)}, cell {cell_id}: a header cell is empty"
        if token.type == "html_block" and "<table" in token.content:
            assert "<th" in token.content, f"{label(path)}, cell {cell_id}: a table without <th>"
    if path.name.startswith("01"):
        assert tables, "01 has tables: the parser did not find them"


@pytest.mark.parametrize("path", PATHS, ids=label)
def test_images_in_the_prose_have_alt_text(path):
    for cell_id, _, child in inline_children(path):
        if child.type == "image":
            assert child.content.strip(), f"{label(path)}, cell {cell_id}: an image without alt"


@pytest.mark.parametrize("path", PATHS, ids=label)
def test_no_colour_names_point_at_anything(path):
    for cell_id, token in tokens(path):
        if token.type in ("inline", "html_block", "html_inline"):
            hit = COLOUR_WORDS.search(token.content)
            assert not hit, f"{label(path)}, cell {cell_id}: {hit[0]!r}: say the label or the style"


def test_the_rules_catch_what_they_are_for(tmp_path):
    """Each rule on a small notebook that breaks it."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title\n\n### Skipped\n\nSee [here](02.ipynb)."),
        nbformat.v4.new_markdown_cell(
            "# Second title\n\nThe red curve.\n\n|  | b |\n|--|--|\n| 1 | 2 |"
        ),
    ]
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    assert [h[1] for h in headings(path)] == [1, 3, 1]
    assert [text for _, _, text in links(path)] == ["here"]
    for rule in (
        test_one_h1_and_it_comes_first,
        test_no_heading_level_is_skipped,
        test_link_text_says_where_it_goes,
        test_every_table_has_a_header_row,
        test_no_colour_names_point_at_anything,
    ):
        with pytest.raises(AssertionError):
            rule(path)
