""""New case", called directly (no browser): the conversation, the facts panel and edits, the questions, the record
and the session's case are cleared, so the next question is read on its own words; the audit trail keeps it all."""

import gradio as gr
import pytest

from assistant.errors import SharewiseError
from assistant.ui import chat, facts, questions, record
from assistant.ui.chat import ChatTab
from assistant.ui.facts import FactsTab
from assistant.ui.record import RecordTab
from assistant.ui.source import SourceTab
from assistant.ui.state import Session, session_of

CASE = "A 15-year-old told me in confidence her stepdad hits her, she begged me not to tell. Can I refer?"
DANGER = "he says he will kill her tonight"
BANNER = "A child may be in immediate danger"


@pytest.fixture
def screen(audited_sw):
    """The chat column and the tabs it refreshes, wired as build_app wires them."""
    with gr.Blocks():
        state = gr.State(None)
        tab = ChatTab(audited_sw, state)
        facts_tab = FactsTab(audited_sw, state)
        source_tab = SourceTab(audited_sw, state)
        record_tab = RecordTab(audited_sw, state)
        tab.wire(panels=[facts_tab, source_tab, record_tab, tab.questions])
        facts_tab.wire(panels=[record_tab, tab.questions])
        tab.questions.wire(panels=[facts_tab, record_tab])
    return audited_sw, tab, facts_tab, source_tab, record_tab


def test_the_button_says_new_case(screen):
    _, tab, *_ = screen
    assert tab.clear.value == "New case" and tab.clear.elem_id == "new-case"


def test_new_case_clears_everything_on_screen_for_the_case(screen):
    sw, tab, facts_tab, source_tab, record_tab = screen
    out = tab.on_submit(CASE, [], None)
    session = out[tab.session]
    facts_tab.on_edit("apd_in_place", session, "yes")
    assert session.edits and session.questions and out[tab.questions.shown]
    out = tab.on_new_case(session)
    fresh = out[tab.session]
    assert out[tab.chat] == [] and out[tab.box] == "" and out[tab.comment] == ""
    assert out[tab.warning]["visible"] is False and out[tab.pii_row]["visible"] is False
    assert "New case" in out[tab.note]
    assert fresh.questions == [] and fresh.turn is None and not fresh.edits and fresh.id != session.id
    assert out[facts_tab.note] == facts.NOTE_PLACEHOLDER and out[facts_tab.rules] == facts.RULES_PLACEHOLDER
    assert out[facts_tab.controls["apd_in_place"]] == "unknown"
    assert out[facts_tab.controls["protected_person_age"]] is None
    assert out[facts_tab.controls["consent_status"]] == "unknown"
    assert out[tab.questions.shown] == [] and out[tab.questions.heading]["visible"] is False
    assert all(out[r]["visible"] is False for r in tab.questions.radios)
    assert out[source_tab.citation]["choices"] == []
    assert all(out[record_tab.fields[k]] == v for k, v in record.record_values(None).items())


def test_the_next_question_starts_fresh_and_the_audit_trail_keeps_the_old_case(screen):
    sw, tab, facts_tab, *_ = screen
    session = tab.on_submit(CASE, [], None)[tab.session]
    facts_tab.on_edit("apd_in_place", session, "yes")
    old_id = session.id
    fresh = tab.on_new_case(session)[tab.session]
    out = tab.on_submit("What if she refuses?", [], fresh)
    turn = out[tab.session].turn
    assert turn.history == () and out[tab.session].questions == ["What if she refuses?"]
    assert turn.facts.get("protected_person_age") is None  # the 15-year-old belonged to the closed case
    assert turn.facts.get("apd_in_place") is None and not turn.edits  # and so did the edit
    answers = sw.audit.rows("answer")
    assert [r["session"] for r in answers] == [old_id, fresh.id]
    assert {r["session"] for r in sw.audit.rows()} >= {old_id, fresh.id}  # the old case's re-check is kept too


def test_new_case_on_a_fresh_tab_is_harmless(screen):
    _, tab, facts_tab, *_ = screen
    out = tab.on_new_case(None)
    assert isinstance(out[tab.session], Session) and out[tab.chat] == []
    assert out[facts_tab.note] == facts.NOTE_PLACEHOLDER


def test_an_answer_still_on_its_way_to_the_closed_case_is_not_shown(screen, monkeypatch):
    """New case chosen while a question was being answered: the new case's screen is left alone, the closed case
    is not added to, and the answer is still in the audit trail (recorded before it would have been shown)."""
    sw, tab, *_ = screen
    session = tab.on_submit(CASE, [], None)[tab.session]
    real = sw.answer
    replaced: list[Session] = []

    def answer_then_new_case(*args, **kwargs):
        turn = real(*args, **kwargs)
        replaced.append(tab.on_new_case(session)[tab.session])  # the click lands while this was answering
        return turn

    monkeypatch.setattr(sw, "answer", answer_then_new_case)
    out = tab.on_submit("What if she refuses?", [{"role": "user", "content": "x"}], session)
    assert set(out) == {tab.note} and out[tab.note] == chat.CASE_CLOSED and "999" in out[tab.note]
    assert session.questions == [CASE] and replaced[0].questions == [] and replaced[0].turn is None
    assert len(sw.audit.rows("answer")) == 2


def test_a_late_event_that_puts_the_closed_case_back_reaches_the_new_one(screen):
    """An event still running for the closed case (an edit, a tap) may hand the closed session back to the tab's
    state: the tab still works on the new case, never stuck on the closed one."""
    sw, tab, *_ = screen
    old = tab.on_submit(CASE, [], None)[tab.session]
    fresh = tab.on_new_case(old)[tab.session]
    assert session_of(old) is fresh
    out = tab.on_submit("Can I tell children's social care without asking mum?", [], old)
    assert out[tab.session] is fresh and fresh.questions and old.questions == [CASE]
    assert out[tab.chat][-1]["role"] == "assistant" and len(out[tab.chat]) == 2


def test_no_edit_from_the_closed_case_switches_off_danger_in_the_new_one(fake_sw):
    """Danger first: emergency edited to "no" in one case; in the next case a danger message raises the banner."""
    session = Session()
    chat.ask(fake_sw, session, CASE, [])
    facts.edit(fake_sw, session, "emergency", "no")
    fresh = session.new_case()
    reply = chat.ask(fake_sw, fresh, DANGER, [])
    assert reply.turn is not None and reply.turn.determination.emergency is not None
    assert BANNER in reply.chat[-1]["content"] and not fresh.edits


def test_questions_from_the_closed_case_cannot_be_answered_in_the_new_one(fake_sw):
    session = Session()
    chat.ask(fake_sw, session, CASE, [])
    asked = questions.shown_facts(session.turn)
    assert asked
    fresh = session.new_case()
    with pytest.raises(SharewiseError):
        questions.answer(fake_sw, fresh, asked[0], 0)
    assert not fresh.edits
