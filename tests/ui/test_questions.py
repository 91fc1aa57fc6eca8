"""The questions under the answer, called directly (no browser): shown from the determination, and a tap
re-checks through the facts tab's edit path (audited), changes the flag it could change and removes itself."""

import re
from dataclasses import replace

import gradio as gr
import pytest

from assistant.errors import SharewiseError
from assistant.types import Question
from assistant.ui import chat, questions
from assistant.ui.chat import ChatTab
from assistant.ui.facts import FactsTab
from assistant.ui.record import RecordTab
from assistant.ui.state import Session

REFUSED = "a 15 yo told me her stepdad hits her, she begged me not to tell"
DANGER = "A 15-year-old told me her stepdad says he will kill her tonight"
FULLER = ("I'm the DSL at an academy. A 15 yo told me in confidence her stepdad hits her, she begged me not to tell. "
          "I want to refer to children's social care.")


@pytest.fixture
def screen(audited_sw):
    """The chat column, the Rules/Facts tabs and the record, wired as build_app wires them."""
    with gr.Blocks():
        state = gr.State(None)
        tab = ChatTab(audited_sw, state)
        facts_tab = FactsTab(audited_sw, state)
        record_tab = RecordTab(audited_sw, state)
        tab.wire(panels=[facts_tab, record_tab, tab.questions])
        facts_tab.wire(panels=[record_tab, tab.questions])
        tab.questions.wire(panels=[facts_tab, record_tab])
    return audited_sw, tab, facts_tab, record_tab


def answered(screen, question=REFUSED):
    sw, tab, facts_tab, _ = screen
    out = tab.on_submit(question, [], None)
    session = out[tab.session]
    assert session.turn is not None
    return session, out


def slot_of(turn, fact):
    return [q.fact for q in turn.determination.questions].index(fact)


def test_after_an_answer_the_question_components_show_the_determinations_questions(screen):
    _, tab, _, _ = screen
    session, out = answered(screen)
    asked = session.turn.determination.questions
    box = tab.questions
    assert 0 < len(asked) <= questions.SLOTS and out[box.shown] == [q.fact for q in asked]
    assert out[box.heading]["visible"] is True
    for n, q in enumerate(asked):
        radio = out[box.radios[n]]
        assert radio["visible"] is (bool(q.options)) and out[box.ages[n]]["visible"] is (not q.options)
        if q.options:
            assert radio["label"] == q.question
            assert [index for _, index in radio["choices"]] == list(range(len(q.options)))
            # the value in force is marked "(assumed)" or "(read from “…”)"; the label before the mark is the option's
            assert [re.sub(r" \((assumed|read from .*)\)$", "", label) for label, _ in radio["choices"]] == \
                [o.label for o in q.options]
            assert radio["value"] == questions.current_index(q)
    for n in range(len(asked), questions.SLOTS):
        assert out[box.radios[n]]["visible"] is False and out[box.ages[n]]["visible"] is False
    # an assumed value is preselected and marked "(assumed)"; an unknown fact has nothing selected
    recipient = out[box.radios[slot_of(session.turn, "recipient")]]
    assert recipient["value"] is None and all("(assumed)" not in label for label, _ in recipient["choices"])
    # once the unknowns are few, the values in force a flag rests on (assumed, or read from the words) are asked
    # too, preselected and marked where they came from
    session, out = answered(screen, FULLER)
    preset = [q for q in session.turn.determination.questions if q.source and q.options]
    assert preset, "the example has an assumed or worded fact that could change a flag"
    for q in preset:
        radio = out[box.radios[slot_of(session.turn, q.fact)]]
        label, index = radio["choices"][radio["value"]]
        mark = "(assumed)" if q.source == "assumed" else f"(read from \u201c{q.source}\u201d)"
        chosen, current = q.options[index].value, q.current
        as_set = (lambda v: frozenset(v) if isinstance(v, (list, tuple, set, frozenset)) else frozenset([v]))
        assert label.endswith(mark) and as_set(chosen) == as_set(current)


def test_tapping_an_answer_rechecks_audited_changes_the_flag_and_removes_the_question(screen):
    sw, tab, facts_tab, record_tab = screen
    session, out = answered(screen)
    before = session.turn
    assert before.determination.public_interest.status == "undetermined"
    slot = slot_of(before, "recipient")
    q = before.determination.questions[slot]
    choice = [o.value for o in q.options].index("la_childrens_social_care")
    rechecks = len(sw.audit.rows("recheck"))

    after = tab.questions.on_answer(slot, session, out[tab.questions.shown], choice)

    turn = session.turn
    assert len(sw.audit.rows("recheck")) == rechecks + 1 and turn.kind == "recheck"
    assert turn.facts.get("recipient") == "la_childrens_social_care" and session.edits.as_dict() == {
        "recipient": "la_childrens_social_care"}
    assert turn.determination.public_interest.status != "undetermined"
    assert "public_interest" in q.could_change
    assert "recipient" not in after[tab.questions.shown]
    assert after[tab.questions.shown] == [x.fact for x in turn.determination.questions]
    assert q.question not in [after[r]["label"] for r in tab.questions.radios]
    # the rules panel, the facts panel and the record are refreshed from the re-check
    assert after[facts_tab.rules] != out[facts_tab.rules]
    assert after[facts_tab.controls["recipient"]] == "la_childrens_social_care"
    assert "Your edits" in after[facts_tab.note]
    assert record_tab.fields["public_interest"] in after


def test_a_tap_on_a_question_no_longer_shown_changes_nothing(screen):
    sw, tab, _, _ = screen
    session, out = answered(screen)
    rechecks = len(sw.audit.rows("recheck"))
    stale = ["no_such_question", *out[tab.questions.shown][1:]]
    after = tab.questions.on_answer(0, session, stale, 0)
    assert "not applied" in after[tab.questions.note]["value"] and after[tab.questions.note]["visible"]
    assert len(sw.audit.rows("recheck")) == rechecks and not session.edits
    with pytest.raises(SharewiseError):
        questions.answer(sw, session, "recipient", 99)
    assert not session.edits


def test_an_age_question_is_a_number_box_and_a_typed_age_is_an_edit(fake_sw):
    session = Session()
    reply = chat.ask(fake_sw, session, "A child told me dad hits her and she has a bruise on her arm", [])
    d = reply.turn.determination
    age = Question("protected_person_age", "How old is the child?", (), None, "", ("schedule_1",))
    session.turn = turn = replace(reply.turn, determination=replace(d, questions=(age, *d.questions[:4])))
    with gr.Blocks():
        box = questions.QuestionsBox(fake_sw, gr.State())
    shown = box.show(turn)
    assert shown[box.ages[0]]["visible"] is True and shown[box.radios[0]]["visible"] is False
    assert shown[box.ages[0]]["label"] == "How old is the child?"
    with pytest.raises(SharewiseError):
        questions.answer_value(age, 7.5)
    after = questions.answer(fake_sw, session, "protected_person_age", 9)
    assert after.kind == "recheck" and after.facts.get("protected_person_age") == 9
    assert session.edits.as_dict() == {"protected_person_age": 9}
    assert "protected_person_age" not in questions.shown_facts(after)


def test_answering_no_to_danger_never_switches_off_the_banner(fake_sw):
    session = Session()
    reply = chat.ask(fake_sw, session, DANGER, [])
    assert reply.turn.determination.emergency is not None
    from assistant.ui import facts

    after = facts.edit(fake_sw, session, "emergency", False)
    assert after.determination.emergency is not None
    assert "emergency" not in questions.shown_facts(after)


def test_a_new_conversation_hides_the_questions(screen):
    _, tab, _, _ = screen
    session, _ = answered(screen)
    out = tab.on_clear(session)
    assert out[tab.questions.shown] == [] and out[tab.questions.heading]["visible"] is False
    assert all(out[r]["visible"] is False for r in tab.questions.radios)
