"""What a practitioner notices: plain words outside the DPO's fold, plain choices, a record of the case on screen."""

import re

import pytest

from assistant.render import answer_markdown, determination_html, record_html
from assistant.rules.facts import FACTS
from assistant.ui import chat, facts, record
from assistant.ui.state import Session

QUESTIONS = (
    "A 9 year old told me she is afraid of her father, who hits her. Can I tell children's social care?",
    "A 15-year-old told me in confidence her stepdad hits her. She doesn't want me to tell anyone.",
    "The police have asked for a pupil's attendance record without citing any law. Do we have to give it?",
    "Can I share a parent's mental health diagnosis with the school nurse?",
    "He says he will kill her tonight. What do I do?",
)
# A code the practitioner should never have to read outside the fold: a snake_case vocabulary word, a legislation
# path, a rule id or an open-point id.
CODE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|ukpga/|\beur/\d|\b[RU]-[A-Z0-9]+(?:-[A-Za-z0-9]+)*\b")


def outside_details(text: str) -> str:
    while re.search(r"<details.*?</details>", text, flags=re.S):
        text = re.sub(r"<details(?:(?!<details).)*?</details>", "", text, flags=re.S)
    return text


def turn_for(sw, question):
    reply = chat.ask(sw, Session(), question, [])
    assert reply.turn is not None, reply.error
    return reply.turn


@pytest.mark.parametrize("question", QUESTIONS)
def test_no_code_path_or_rule_id_outside_the_dpo_fold_in_the_answer_or_the_rules_panel(fake_sw, question):
    turn = turn_for(fake_sw, question)
    for shown in (answer_markdown(turn), determination_html(turn.determination)):
        main = outside_details(shown)
        assert not CODE.findall(main), CODE.findall(main)
        assert "Details for your DPO" in shown
    panel = determination_html(turn.determination)
    for text in re.findall(r"<a [^>]*>(.*?)</a>", panel):
        assert "/" not in text and "legislation.gov.uk" not in text, text


def test_the_answer_shows_the_bottom_line_then_at_most_three_quotes_with_short_citations_then_more(fake_sw):
    turn = turn_for(fake_sw, QUESTIONS[0])
    md = answer_markdown(turn)
    top = md.split('<details class="sw-more">')[0]
    assert top.startswith(f"**{turn.bottom_line[:20]}")
    assert 1 <= len(re.findall(r"^— \*.*\* \[\\\[\d\\\]\]\(#sw-cite-\d\)", top, flags=re.M)) <= 3
    assert "Information sharing advice, " in top and "(NEL SCP procedures chapter)" not in top
    assert "<summary>More" in md


def test_the_facts_panel_shows_plain_choices_and_keeps_the_codes_as_values():
    for name in facts.PANEL:
        spec = FACTS[name]
        if spec.kind == "age":
            continue
        pairs = facts.choices(name)
        assert all(isinstance(p, tuple) and len(p) == 2 for p in pairs)
        assert [v for _, v in pairs if v != "unknown"] == (["yes", "no"] if spec.kind == "bool" else list(spec.values))
        for words, _ in pairs:
            assert "_" not in words, (name, words)
    recipient = dict((v, w) for w, v in facts.choices("recipient"))
    assert recipient["la_childrens_social_care"] == "Children's social care (local authority)"
    assert facts.label("recipient") == "Who would receive it"
    assert facts.edit_value("recipient", "la_childrens_social_care") == "la_childrens_social_care"


def test_the_record_is_of_the_case_on_screen_only(fake_sw):
    session = Session()
    chat_ = []
    for q in ("A 9 year old told me her mum hits her. Can I tell her dad?",
              "A different case: a 14-year-old boy says his stepdad hurts him. Can I tell children's social care?"):
        reply = chat.ask(fake_sw, session, q, chat_)
        chat_ = reply.chat
    values = record.record_values(session.turn)
    assert values["with_whom"] == "Children's social care (local authority)"
    assert "father" not in " ".join(str(v) for v in values.values()).lower()
    assert not any(CODE.search(str(v)) for v in values.values()), values


def test_a_parent_is_named_in_words_in_the_record_and_never_the_wrong_one(fake_sw):
    turn = turn_for(fake_sw, "Can I tell the girl's father what she told me about school?")
    assert turn.facts.get("recipient") == "parent_carer"
    assert record.record_values(turn)["with_whom"] == "The child's father"
    turn = turn_for(fake_sw, "A 9 year old told me her mum hits her. Can I tell her dad?")
    assert record.record_values(turn)["with_whom"] == "The child's parent or carer"


def test_reasons_are_required_and_the_printable_page_has_no_markdown(fake_sw, tmp_path):
    session = Session()
    chat.ask(fake_sw, session, QUESTIONS[0], [])
    values = record.record_values(session.turn)
    with pytest.raises(Exception, match="golden rule 7 asks you to record why"):
        record.prepare_record(fake_sw, session, values, tmp_path)
    values["reasons"] = "   "
    with pytest.raises(Exception, match="Write your reasons"):
        record.prepare_record(fake_sw, session, values, tmp_path)
    values["reasons"] = "She is at risk of significant harm."
    values["consulted"] = ""
    page = open(record.prepare_record(fake_sw, session, values, tmp_path)[2], encoding="utf-8").read()
    assert "**" not in page and "_(" not in page and "](" not in page and not re.search(r"^\s*[-#>] ", page, re.M)
    assert '<span class="sw-empty">Not recorded</span>' in page
    assert record_html(record.form_record(values), session.turn) == page


def test_copy_for_case_notes_is_plain_text(fake_sw):
    session = Session()
    chat.ask(fake_sw, session, QUESTIONS[0], [])
    values = {**record.record_values(session.turn), "reasons": "Risk of significant harm.", "decision": "share"}
    text = record.case_notes(values, session.turn)
    assert "Reasons, including why it is necessary and proportionate: Risk of significant harm." in text
    assert "Decision: share" in text and "**" not in text and "<" not in text
    assert text.startswith("Record of an information sharing decision")

