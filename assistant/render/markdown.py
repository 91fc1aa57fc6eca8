"""Markdown, both ways: the chat answer written as Markdown, and Markdown made into a self-contained HTML page.

Text that is not ours (a quote, a question, a field the practitioner typed) is escaped with `md_escape` before it
goes into Markdown, and the Markdown-to-HTML step (markdown-it-py, CommonMark with tables) has raw HTML switched
off, so such text can never become markup. Images are never fetched: `![alt](name)` becomes the trusted inline SVG
given for that name, or its alt text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from ..prompts import render
from ..types import Quote, Turn
from .html import page
from .wording import (
    FLAG_TITLES,
    NO_JUDGEMENTS,
    QUESTIONS_BELOW,
    STATUS_COLOURS,
    citation,
    danger_check,
    flag_plain,
    plain_sentence,
    short_citation,
    status_word,
)

# The answer in one look: the bottom line, then at most this many quotes; the rest is under "More".
QUOTES_SHOWN = 3

_MD_SPECIAL = re.compile(r"([\\`*_<>\[\]|])")


def md_escape(text: str) -> str:
    """Text shown literally by any CommonMark renderer: emphasis, code, links, tables and tags escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _blockquote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in md_escape(text).splitlines() or [""])


def quote_values(quotes: Sequence[Quote], short: bool = True) -> list[dict]:
    """What prompts/quote.md needs for each quote, escaped for Markdown: the verbatim text as a block quote and
    its citation, short in the answer ("Information sharing advice, Golden rules"; the full one is in the Source
    tab) or full (`short=False`, the record)."""
    return [{"text": _blockquote(q.text), "doc_title": md_escape(q.doc_title), "section": md_escape(q.section),
             "number": n, "citation": md_escape(citation(q)), "currency": md_escape(q.currency),
             "short": md_escape(short_citation(q) if short else citation(q)),
             # in the answer the number opens the passage in the Source tab (the page's script follows the link)
             "link": f"#sw-cite-{n}" if short else ""}
            for n, q in enumerate(quotes, start=1)]


def banner_markdown(turn: Turn) -> str:
    e = turn.determination.emergency
    if e:
        return render("danger_banner", reason=md_escape(e.banner))
    check = danger_check(turn.determination)
    return f"**{md_escape(check)}**" if check else ""


def flag_values(turn: Turn) -> list[dict]:
    """What prompts/answer.md needs for each flag: its title, status words and colour, its plain sentence, and
    (for the "Details for your DPO" fold only) the reason with its codes and the rule ids; escaped for Markdown."""
    return [{"title": md_escape(FLAG_TITLES.get(f.name, f.name)), "word": md_escape(status_word(f.status)),
             "status": f.status if f.status in STATUS_COLOURS else "other",
             "colour": STATUS_COLOURS.get(f.status, "#444"), "plain": md_escape(plain_sentence(flag_plain(f))),
             "reason": md_escape(f.reason), "rules": md_escape(", ".join(f.rule_ids) or "none")}
            for f in turn.determination.flags]


def answer_markdown(turn: Turn) -> str:
    """The chat reply in one look: danger banner first, then the bottom line, at most three verified quotes with
    short citations (or the no-grounded-answer text); then, folded under "More", the three flags in plain
    sentences with their status in colour and words, what is still yours to judge, the further quotes and the
    "Details for your DPO" (the only place codes and rule ids appear); then a pointer to the questions under
    the answer when there are any, and the disclaimer."""
    d = turn.determination
    judgements = "; ".join(md_escape(plain_sentence(j.question)) for j in d.judgements[:3]) or NO_JUDGEMENTS
    quotes = quote_values(turn.answer.quotes) if turn.answer.grounded else []
    bottom = turn.bottom_line
    if turn.determination.emergency is not None:  # the banner just above says "call 999": not said twice
        bottom = bottom.removeprefix("Call 999 now. ")
    return render("answer", banner=banner_markdown(turn), bottom_line=md_escape(bottom),
                  grounded=turn.answer.grounded,
                  quotes=quotes[:QUOTES_SHOWN], more_quotes=quotes[QUOTES_SHOWN:],
                  no_answer=render("out_of_scope", reason=md_escape(turn.answer.scope.reason))
                  if not turn.answer.scope.in_scope else render("no_grounded_answer"),
                  flags=flag_values(turn), judgements=judgements,
                  questions=md_escape(QUESTIONS_BELOW) if d.questions else "", disclaimer=md_escape(d.disclaimer))


@lru_cache(maxsize=1)
def _markdown_it() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.add_render_rule("image", _image)
    return md


def _image(self, tokens, idx, options, env) -> str:
    """An image is the inline SVG given for its name (trusted: the eval report draws it), else its alt text."""
    token = tokens[idx]
    svg = (env.get("svgs") or {}).get(str(token.attrGet("src") or ""))
    return svg if svg is not None else str(escape(token.content))


def markdown_html(md_text: str, svgs: dict[str, str] | None = None) -> str:
    """Markdown to an HTML fragment; raw HTML in the text is shown as text."""
    return _markdown_it().render(md_text, {"svgs": svgs or {}})


def page_html(title: str, md_text: str, svgs: dict[str, str] | None = None) -> str:
    """A self-contained page (no scripts, no fonts or images from anywhere else) from Markdown."""
    return page(title, Markup(markdown_html(md_text, svgs)))
