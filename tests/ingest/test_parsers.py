"""The parsers, called directly: what a reader of the text of record would notice. Every document is made at test
time (make_docs); sentences are checked with `in` on the text itself, so a quote of them would verify."""

from __future__ import annotations

import re

import pytest

from assistant.corpus import parse_sections
from assistant.ingest.parse_docx import parse_docx
from assistant.ingest.parse_html import decode_html, parse_html
from assistant.ingest.parse_pdf import parse_pdf
from assistant.ingest.parse_text import TextBuilder, join_lines, parse_text
from assistant.ingest.sandbox import Limits

from . import make_docs as docs

LIMITS = Limits()


def _paths(text: str) -> dict[tuple[str, ...], str]:
    return {s.path: text[s.start:s.end] for s in parse_sections(text)}


@pytest.fixture(scope="module")
def two_column(tmp_path_factory):
    return parse_pdf(docs.two_column_pdf(tmp_path_factory.mktemp("pdf")), LIMITS)


def test_every_sentence_of_the_two_column_pdf_is_there_verbatim(two_column):
    missing = [s for s in docs.SENTENCES if s not in two_column.text]
    assert missing == []
    assert "decision-making" in two_column.text  # the line broke after "decision-": hyphen kept, no space


def test_the_columns_are_read_one_after_the_other_not_interleaved(two_column):
    positions = [two_column.text.index(s) for s in docs.SENTENCES]
    assert positions == sorted(positions)
    column_1 = docs.SENTENCES[:6]
    for paragraph in two_column.text.split("\n\n"):
        held = [s for s in docs.SENTENCES if s in paragraph]
        assert all(s in column_1 for s in held) or not any(s in column_1 for s in held), paragraph


def test_paragraphs_follow_the_layout(two_column):
    paragraphs = two_column.text.split("\n\n")
    assert f"{docs.S[0]} {docs.S[1]}" in paragraphs
    assert docs.S[2] in paragraphs  # a paragraph of its own after a gap
    assert f"{docs.S[9]} {docs.S[10]}" in paragraphs


def test_a_paragraph_carried_to_the_next_column_and_page_keeps_its_sentences_whole(tmp_path):
    extracted = parse_pdf(docs.flowing_pdf(tmp_path), LIMITS)
    assert len(extracted.pages) >= 2
    for paragraph in extracted.text.split("\n\n"):  # a break only where a sentence ends and a new one starts
        assert paragraph.endswith(".") and paragraph[0].isupper(), paragraph
    for sentence in docs.SENTENCES:
        assert extracted.text.count(sentence) == 3
    page_2 = extracted.text[extracted.pages[1]:]
    assert page_2[:1].isalpha() and extracted.text[extracted.pages[1] - 1] in " \n"  # a page starts at a word


def test_pdf_headings_come_from_the_outline_and_become_sections(two_column):
    lines = two_column.text.split("\n")
    assert lines[0] == f"# {docs.TITLE}"
    assert "## 1 Why sharing matters" in lines
    assert "### 2.1 When consent is not needed" in lines
    sections = _paths(two_column.text)
    assert docs.S[5] in sections[("2 Consent", "2.1 When consent is not needed")]
    assert docs.S[11] in sections[("4 Reviewing decisions",)]
    assert {p[-1] for p in sections} == set(docs.HEADINGS)
    assert two_column.title == docs.TITLE and two_column.kind == "pdf"


def test_pdf_page_offsets(tmp_path):
    extracted = parse_pdf(docs.multi_page_pdf(tmp_path), LIMITS)
    assert len(extracted.pages) == 6 and extracted.pages[0] == 0
    for n in (1, 2, 3, 5, 6):
        assert extracted.page_at(extracted.text.index(docs.PAGE_SENTENCE.format(n=n))) == n
        assert extracted.page_at(extracted.text.index(f"Part {n} of")) == n
    assert extracted.pages[docs.EMPTY_PAGE - 1] == extracted.pages[docs.EMPTY_PAGE]  # the empty page: no text


def test_pdf_headings_from_font_size_and_numbering_without_an_outline(tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "plain.pdf"
    canvas = Canvas(str(path))
    for y, font, size, text in ((760, "Helvetica-Bold", 18, "Annual report"), (730, "Helvetica", 10, docs.S[0]),
                                (700, "Helvetica", 10, "3.2 Consent"), (680, "Helvetica", 10, docs.S[3])):
        canvas.setFont(font, size)
        canvas.drawString(72, y, text)
    canvas.showPage()
    canvas.save()
    text = parse_pdf(path, LIMITS).text
    assert text.split("\n\n") == ["## Annual report", docs.S[0], "### 3.2 Consent", docs.S[3]]


def test_word_headings_tables_and_lists(tmp_path):
    extracted = parse_docx(docs.word_docx(tmp_path), LIMITS)
    blocks = extracted.text.split("\n\n")
    assert blocks[:3] == [f"# {docs.DOCX_TITLE}", "## Purpose", docs.DOCX_PARAGRAPHS[0]]
    assert "### When to record" in blocks  # Heading 2 is a level-3 heading: Heading 1 is a section (level 2)
    start = blocks.index("## Who we share with")
    assert blocks[start + 1:start + 5] == list(docs.DOCX_CELLS)  # each cell its own paragraph, row by row
    assert blocks[-3:] == list(docs.DOCX_LIST)
    sections = _paths(extracted.text)
    assert docs.DOCX_PARAGRAPHS[2] in sections[("Consent", "When to record")]
    assert extracted.title == docs.DOCX_TITLE and extracted.kind == "docx"


def test_html_main_text_kept_and_page_noise_dropped(tmp_path):
    extracted = parse_html(docs.html_page(tmp_path), LIMITS)
    for sentence in docs.HTML_MAIN:
        assert sentence in extracted.text
    for noise in docs.HTML_NOISE:
        assert noise not in extracted.text, noise
    assert extracted.text.startswith("# Safeguarding guidance\n\n")
    assert "## When to share" in extracted.text and "### Schools" in extracted.text
    assert "Designated safeguarding lead" in extracted.text.split("\n\n")  # a table cell: its own paragraph
    assert extracted.title == "Safeguarding guidance & advice"


def test_html_charset_declared_or_guessed():
    declared = b'<meta charset="iso-8859-1"><p>caf\xe9 \x93quoted\x94</p>'  # latin-1 declared: read as cp1252
    assert decode_html(declared).endswith("café \u201cquoted\u201d</p>")
    assert "café" in decode_html("<p>café</p>".encode())
    assert "café" in decode_html("<p>café</p>".encode("cp1252"))


def test_markdown_keeps_its_headings_and_joins_wraps(tmp_path):
    extracted = parse_text(docs.markdown_file(tmp_path), LIMITS)
    blocks = extracted.text.split("\n\n")
    assert "\r" not in extracted.text
    assert blocks[:2] == ["# Information sharing handbook", "## Sharing without consent"]
    assert ("Practitioners may share information without consent when it is necessary to protect a child from "
            "significant harm.") in blocks
    assert "- Record who was told." in blocks and "- Record why it was necessary." in blocks
    assert not re.search(r"^#+ not a heading", extracted.text, re.M)  # a comment in a code block stays body text
    assert extracted.kind == "markdown" and extracted.title == "Information sharing handbook"


def test_plain_text_headings_and_hard_wraps(tmp_path):
    extracted = parse_text(docs.plain_text(tmp_path), LIMITS)
    lines = extracted.text.split("\n")
    assert "## 1. Introduction" in lines
    assert "### 4.2 Consent and information sharing" in lines
    assert "## RECORDING DECISIONS" in lines
    for sentence in docs.PLAIN_SENTENCES:
        assert sentence in extracted.text
    sections = _paths(extracted.text)
    assert docs.PLAIN_SENTENCES[1] in sections[("1. Introduction", "4.2 Consent and information sharing")]
    assert extracted.kind == "text"


def test_a_body_paragraph_never_becomes_a_heading():
    builder = TextBuilder("x.txt", 1000)
    builder.paragraph("# first, with nothing before it")
    builder.paragraph("Second.")
    builder.paragraph("# third joins the second")
    assert builder.text() == "first, with nothing before it\n\nSecond. # third joins the second"
    assert not re.search(r"^#+ ", builder.text(), re.M)


def test_line_joining_rules():
    assert join_lines(["a well-", "founded decision"]) == "a well-founded decision"
    assert join_lines(["Part A -", "part B"]) == "Part A - part B"
    assert join_lines(["one", "  two  ", "", "three"]) == "one two three"
