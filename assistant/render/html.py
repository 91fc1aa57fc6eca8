"""HTML for the app and the downloads, from Jinja2 templates in assistant/render/templates/ with autoescape on.

Every value reaches the page escaped unless a template is handed `Markup` on purpose (the page body made by
markdown-it, the eval report's own SVG charts). Here live the page shell, the rules panel and the source view;
the printable record is in record.py and uses the same environment.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..prompts import render
from ..types import Determination, LegalRef, Quote
from .wording import (
    ASSUMED,
    FLAG_TITLES,
    NO_ARTICLE_6,
    RESTS_ON,
    STATUS_COLOURS,
    assumption_line,
    danger_check,
    flag_plain,
    plain_law,
    plain_sentence,
    rests_on,
    role_words,
    status_word,
)

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def page(title: str, body: Markup) -> str:
    """The self-contained page shell: one inline style sheet, no scripts, nothing fetched from elsewhere."""
    return environment().get_template("page.html").render(title=title, body=body)


def law_link(ref: LegalRef) -> dict:
    """A law reference as plain link text ("Data Protection Act 2018, Schedule 1, paragraph 18", never the
    address's path) and its address; only an https address becomes a link."""
    return {"label": plain_law(ref.label), "url": ref.url if ref.url.startswith("https://") else ""}


def _banner(d: Determination) -> str:
    return render("danger_banner", reason=d.emergency.banner, plain=True) if d.emergency else danger_check(d)


def determination_html(d: Determination) -> str:
    """The rules panel: banner, then each flag as its plain sentence with its status in colour and words, what
    it rests on and what is left to judge or ask; the assumptions made; and, folded away in "Details for your
    DPO", the reasons with their paragraph codes, the rule ids, the law and the Article 6/9/10 routes."""
    flags = [{"title": FLAG_TITLES.get(f.name, f.name), "word": status_word(f.status),
              "colour": STATUS_COLOURS.get(f.status, "#444"), "flag": f, "plain": plain_sentence(flag_plain(f)),
              "rests_on": [plain_sentence(r) for r in rests_on(f, d)], "refs": [law_link(r) for r in f.references],
              "judgements": [plain_sentence(j.question) for j in f.judgements],
              "ask": [plain_sentence(a) for a in f.ask]} for f in d.flags]
    return environment().get_template("rules_panel.html").render(
        d=d, banner=_banner(d), flags=flags, scope="For England." if d.scope == "England" else d.scope,
        advice=[plain_sentence(t.advice) for t in d.transparency],
        article_6="; ".join(a.text for a in d.article_6) or NO_ARTICLE_6,
        assumptions=[plain_sentence(assumption_line(a)) for a in d.assumptions], assumed=ASSUMED,
        rests_on_words=RESTS_ON,
        others=[(role_words(role), [(FLAG_TITLES.get(f.name, f.name), status_word(f.status),
                                     STATUS_COLOURS.get(f.status, "#444"), plain_sentence(flag_plain(f)))
                                    for f in o.flags])
                for role, o in d.others])


def source_html(corpus, quote: Quote) -> str:
    """The quote highlighted in its section, with the source's registry details."""
    doc = corpus.documents[quote.doc_id]
    section = doc.section_at(quote.start)
    start, end = (section.start, section.end) if section else (quote.start, quote.end)
    text = doc.text
    return environment().get_template("source.html").render(
        source=doc.source, quote=quote, before=text[start:quote.start], marked=text[quote.start:quote.end],
        after=text[quote.end:end], url=quote.url if quote.url.startswith(("https://", "http://")) else "")
