"""The record of a decision (golden rule 7) as its three downloads: JSON, Markdown and a printable HTML page.

Each carries the fields of `RECORD_FIELDS` under their plain-English labels, the rules check at the time (as flag
lines) and the quotes relied on. An empty field reads "Not recorded". The printable page is made from the typed
record by a Jinja2 template, not from the Markdown, so no Markdown syntax can reach it.
"""

from __future__ import annotations

import json

from markupsafe import Markup

from .. import __version__
from ..prompts import render
from ..types import RECORD_FIELDS, DecisionRecord, Turn
from .html import environment, page
from .markdown import md_escape, quote_values
from .wording import (
    CATEGORY_WORDS,
    NO_QUOTES,
    NO_RULES_CHECK,
    NOT_RECORDED,
    RECORD_INTRO,
    RECORD_LABELS,
    choice_label,
    citation,
    flag_line,
    plain_law,
    plain_sentence,
    recipient_words,
    record_footer,
    status_word,
)

RECORD_TITLE = "Record of an information sharing decision"


def record_prefill(turn: Turn | None) -> DecisionRecord:
    """The record's prefill in plain English, from the case on screen only: this turn's facts (the current
    case, as the orchestrator read it, with the practitioner's edits), never a code ("Children's social care
    (local authority)", "The child's father"). The decision, the reasons, who was consulted and the date are
    left for the practitioner."""
    if turn is None:
        return DecisionRecord()
    f, d = turn.facts, turn.determination
    cats = sorted(f.get("data_categories") or ())
    what = "; ".join(CATEGORY_WORDS.get(c, c.replace("_", " ")) for c in cats)
    consent_status = f.get("consent_status")
    asked = (f"Consent: {choice_label('consent_status', consent_status)}." if consent_status
             else "Consent: not known whether it was asked for.")
    a6 = d.record.article_6
    purpose, basis = f.get("purpose"), f.get("request_basis")
    return DecisionRecord(
        what=what[:1].upper() + what[1:],
        with_whom=recipient_words(f.get("recipient"), f.sources.get("recipient", ""), turn.question),
        purpose=choice_label("purpose", purpose) if purpose else "",
        article_6=f"UK GDPR Article 6(1){a6}" if a6.startswith("(") else plain_law(a6) if a6 else "",
        condition=flag_line(d.schedule_1),
        consent=f"{asked} {flag_line(d.consent)}",
        public_interest=flag_line(d.public_interest),
        statutory_gateway=choice_label("request_basis", basis) if basis else "",
        family_informed=plain_sentence(d.record.family_informed or next((a.advice for a in d.transparency), "")),
    )


def _fields(record: DecisionRecord) -> list[tuple[str, str]]:
    return [(RECORD_LABELS[k], str(getattr(record, k) or "").strip()) for k in RECORD_FIELDS]


def record_json(record: DecisionRecord, turn: Turn | None) -> dict:
    """The record as data: fields by name, the rules check at the time, the quotes relied on."""
    flags = turn.determination.flags if turn else ()
    quotes = turn.answer.quotes if turn else ()
    return {"record": record.to_json(),
            "rules_check": {f.name: {"status": f.status, "status_words": status_word(f.status), "reason": f.reason,
                                     "rule_ids": list(f.rule_ids), "line": flag_line(f)} for f in flags},
            "quotes_relied_on": [{"text": q.text, "doc_id": q.doc_id, "doc_title": q.doc_title, "section": q.section,
                                  "start": q.start, "end": q.end, "url": q.url} for q in quotes],
            "prepared_with": f"Sharewise {__version__}"}


def record_markdown(record: DecisionRecord, turn: Turn | None) -> str:
    fields = [{"label": label, "value": md_escape(value) if value else NOT_RECORDED}
              for label, value in _fields(record)]
    flags = [md_escape(flag_line(f)) for f in turn.determination.flags] if turn else []
    return render("record", fields=fields, flags=flags, no_check=NO_RULES_CHECK,
                  quotes=quote_values(turn.answer.quotes if turn else (), short=False), no_quotes=NO_QUOTES,
                  intro=md_escape(RECORD_INTRO), footer=md_escape(record_footer(__version__)))


def record_text(record: DecisionRecord, turn: Turn | None) -> str:
    """The record as plain text for case notes (no markup at all): the fields under their labels, the rules
    check at the time and the quotes relied on, with their full citations."""
    lines = [RECORD_TITLE, "", RECORD_INTRO, ""]
    lines += [f"{label}: {value or NOT_RECORDED}" for label, value in _fields(record)]
    lines += ["", "Rules check at the time of the decision:"]
    lines += [f"- {flag_line(f)}" for f in turn.determination.flags] if turn else [f"- {NO_RULES_CHECK}"]
    lines += ["", "Guidance relied on:"]
    quotes = turn.answer.quotes if turn else ()
    lines += [f"{n}. \u201c{q.text}\u201d ({citation(q)})" for n, q in enumerate(quotes, start=1)] or [NO_QUOTES]
    return "\n".join([*lines, "", record_footer(__version__)])


def record_html(record: DecisionRecord, turn: Turn | None) -> str:
    """A printable page (print to PDF from the browser): HTML from the typed record, no Markdown markers."""
    body = environment().get_template("record.html").render(
        title=RECORD_TITLE, fields=_fields(record), not_recorded=NOT_RECORDED,
        flags=[flag_line(f) for f in turn.determination.flags] if turn else [], no_check=NO_RULES_CHECK,
        quotes=[(q.text, citation(q)) for q in (turn.answer.quotes if turn else ())], no_quotes=NO_QUOTES,
        intro=RECORD_INTRO, footer=record_footer(__version__))
    return page(RECORD_TITLE, Markup(body))


def to_json_text(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)
