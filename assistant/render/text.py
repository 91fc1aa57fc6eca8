"""Plain text for the terminal: the answer `sharewise ask` prints and the rules check `sharewise check` prints.

No markup at all: the danger banner and the no-grounded-answer text come from the same prompts/ templates as the
chat, rendered plain; flags read as `flag_line`; law references read as "label (url)".
"""

from __future__ import annotations

from ..prompts import render
from ..types import Determination, LegalRef, Question, Turn
from .wording import (
    FLAG_TITLES,
    NO_ARTICLE_6,
    RESTS_ON,
    assumption_line,
    citation,
    current_mark,
    danger_check,
    flag_line,
    flag_plain,
    gateway_line,
    rests_on,
    status_word,
    value_label,
)


def _banner(d: Determination) -> list[str]:
    if d.emergency:
        return ["!! " + render("danger_banner", reason=d.emergency.banner, plain=True), ""]
    check = danger_check(d)
    return ["!! " + check, ""] if check else []


def law_text(ref: LegalRef) -> str:
    return f"{ref.label} ({ref.url})" if ref.label and ref.url else ref.label or ref.url


def answer_text(turn: Turn, verbose: bool = False) -> str:
    """The answer for `sharewise ask`, read as the chat reads: the danger banner first, then the bottom line, then
    the quotes short (the text, and the title and section it is from), then "More:" (what else was searched, the
    flags, the assumptions, the questions that could change them) and the disclaimer. Character offsets,
    addresses, scores and rule ids only with `verbose` (`--verbose`; all of them are in `--json`)."""
    d, answer = turn.determination, turn.answer
    lines = _banner(d)
    if turn.bottom_line:
        lines += [turn.bottom_line, ""]
    if not answer.grounded:
        lines.append(render("out_of_scope", plain=True, reason=answer.scope.reason) if not answer.scope.in_scope
                     else render("no_grounded_answer", plain=True))
    else:
        lines.append("What the guidance says:")
        for n, q in enumerate(answer.quotes, start=1):
            lines.append(f"\n{n}. \u201c{q.text}\u201d")
            where = f" (characters {q.start}-{q.end}, score {q.score:.3f})" if verbose else ""
            lines.append(f"   {citation(q)}{where}")
            if q.currency:
                lines.append(f"   Currency: {q.currency}")
            if verbose and q.url:
                lines.append(f"   {q.url}")
    lines.append("\nMore:")
    if answer.expansions:
        lines.append("Also searched for: " + "; ".join(answer.expansions))
    lines.append("The rules check on the facts given:")
    for f in d.flags:
        lines.append(f"  {flag_line(f)}")
        if f.plain and f.reason:
            lines.append(f"      {f.reason}")
        if verbose and f.rule_ids:
            lines.append(f"      Rules: {', '.join(f.rule_ids)}")
    lines += [assumption_line(a) for a in d.assumptions]
    if d.questions:
        lines.append("Questions that could change this (answer them in a --facts file):")
        lines += [question_text(q) for q in d.questions]
    lines.append("\n" + d.disclaimer)
    return "\n".join(lines)


def _value(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def question_text(q: Question) -> str:
    """A question with its choices (and the value in force, marked) on one line."""
    choices = " / ".join(o.label for o in q.options) or "a number"
    now = f" Now: {value_label(q, q.current)} {current_mark(q)}".rstrip() if q.current is not None else ""
    return f"  - {q.question} [{q.fact}: {choices}]{now}"


def determination_text(d: Determination) -> str:
    """The rules check for `sharewise check`: facts used and where they were read, each flag with its law, the
    Article 6/9/10 routes, gateways, telling the family, what is left to judge and to ask, scope, disclaimer."""
    lines = _banner(d)
    facts = d.facts.to_json()
    if facts:
        lines.append("Facts used (confirm or correct them with --facts):")
        for name, f in facts.items():
            source = f" (read from '{f['from']}')" if "from" in f else ""
            lines.append(f"  - {name}: {_value(f['value'])}{source}")
        lines.append("")
    if d.assumptions:
        lines += [assumption_line(a) for a in d.assumptions] + [""]
    for flag in d.flags:
        lines.append(f"{FLAG_TITLES.get(flag.name, flag.name)}: {status_word(flag.status)}")
        lines.append(f"  {flag_plain(flag)}")
        if flag.plain and flag.reason:
            lines.append(f"    {flag.reason}")
        lines += [f"  {RESTS_ON}: {why}" for why in rests_on(flag, d)]
        if flag.condition:
            lines.append(f"  Condition: {flag.condition}")
        lines.append(f"  Rules: {', '.join(flag.rule_ids)}")
        lines += [f"  Law: {law_text(ref)}" for ref in flag.references]
        lines += [f"  Open legal point {u.id}: {u.text} Ask {u.ask}." for u in flag.uncertainty]
        lines.append("")
    a6 = "; ".join(a.text for a in d.article_6) or NO_ARTICLE_6
    lines += [f"Article 6 basis (suggestions): {a6}", f"Article 9 condition: {d.article_9.text}",
              f"Article 10 route: {d.article_10.text}"]
    lines += [gateway_line(g) for g in d.gateways]
    lines += [f"Telling the family: {t.advice}" for t in d.transparency]
    if d.judgements:
        lines += ["", "Still yours to judge:"] + [f"  {j.id}: {j.question}" for j in d.judgements]
    if d.ask:
        lines += ["", "Still to ask:"] + [f"  - {a}" for a in d.ask]
    if d.questions:
        lines += ["", "Questions that could change this (answer them in a --facts file):"]
        lines += [question_text(q) for q in d.questions]
    lines += others_text(d)
    lines += ["", d.scope, d.disclaimer]
    return "\n".join(lines)


def others_text(d: Determination) -> list[str]:
    """The other people whose own information would be shared, each checked on its own facts."""
    lines = []
    for role, other in d.others:
        lines += ["", f"Also in what you would share: {role.replace('_', ' ')}'s own information "
                      "(checked on its own, rules-spec §2):"]
        lines += [f"  {flag_line(f)}" for f in other.flags]
    return lines
