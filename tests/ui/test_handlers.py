"""The tabs' handlers, called directly (no browser): chat, facts, source, record, evaluate, the ask API."""

import json
from dataclasses import replace

import gradio as gr
import pytest

from assistant import render
from assistant.errors import SharewiseError
from assistant.pipeline import NO_GROUNDED_ANSWER
from assistant.ui import chat, facts, record, source
from assistant.ui.evaluate import run_evaluation
from assistant.ui.state import Session

CONSENT = "A 15-year-old told me in confidence her stepdad hits her."
DANGER = "he says he will kill her tonight"
BANNER = "A child may be in immediate danger"


def asked(sw, session, *questions):
    reply = None
    for q in questions:
        reply = chat.ask(sw, session, q, reply.chat if reply else [])
        assert reply.turn is not None, reply.error
    return reply


def test_a_follow_up_keeps_the_facts_of_the_conversation(fake_sw):
    session = Session()
    reply = asked(fake_sw, session, CONSENT, "What if she refuses?")
    assert reply.turn.facts.get("protected_person_age") == 15
    assert reply.turn.facts.get("consent_status") == "refused"
    assert session.questions == [CONSENT, "What if she refuses?"] and session.turn is reply.turn
    assert [m["role"] for m in reply.chat] == ["user", "assistant"] * 2


def test_changing_a_fact_reruns_the_rules_without_asking_again(fake_sw):
    session = Session()
    first = asked(fake_sw, session, "I'm the DSL. A boy (8) has bruises and says dad hit him with a belt.").turn
    after = facts.edit(fake_sw, session, "consent_status", "refused")
    assert after.determination.consent.status == "does_not_apply" != first.determination.consent.status
    assert after.kind == "recheck" and after.question == first.question and after.answer == first.answer
    assert session.edits.as_dict() == {"consent_status": "refused"} and len(session.questions) == 1


def test_an_edit_does_not_freeze_the_facts_a_follow_up_states(fake_sw):
    """(a) An edit to one fact, then a follow-up in which the child refuses: the refusal lands, the edit stays."""
    session = Session()
    asked(fake_sw, session, CONSENT)
    facts.edit(fake_sw, session, "data_categories", ["health"])
    turn = asked(fake_sw, session, "She refuses to let me tell anyone.").turn
    assert turn.facts.get("consent_status") == "refused"
    assert turn.determination.consent.status == "does_not_apply"
    assert "refus" in turn.determination.consent.reason.lower()
    assert turn.facts.get("data_categories") == frozenset({"health"}) and "data_categories" not in turn.facts.sources
    assert set(session.edits.as_dict()) == {"data_categories"} and set(session.edits.as_dict()["data_categories"]) \
        == {"health"}
    panel = facts.panel_values(turn.facts)
    assert panel["consent_status"] == "refused" and panel["data_categories"] == ["health"]
    note = facts.facts_note(turn, session.edits)
    assert "Your edits" in note and "What the information reveals" in note and "Health" in note
    assert "**Consent**" in note.split("Read from")[1] and "data_categories" not in note


def test_danger_in_a_later_message_raises_the_banner_even_after_emergency_was_edited_to_no(fake_sw):
    """(b) The emergency banner comes first in the reply and the rules panel; an edit cannot switch it off."""
    session = Session()
    asked(fake_sw, session, CONSENT)
    facts.edit(fake_sw, session, "emergency", "no")
    assert session.turn.determination.emergency is None
    reply = asked(fake_sw, session, DANGER)
    assert reply.turn.determination.emergency is not None
    assert BANNER in reply.chat[-1]["content"]
    with gr.Blocks():
        tab = facts.FactsTab(fake_sw, gr.State())
    shown = tab.show(reply.turn)
    assert BANNER in shown[tab.rules] and shown[tab.controls["emergency"]] == "yes"
    assert "not applied" in shown[tab.note]


def test_undo_my_edits_gives_the_words_the_say_again(fake_sw):
    session = Session()
    first = asked(fake_sw, session, CONSENT, "What if she refuses?").turn
    facts.edit(fake_sw, session, "consent_status", "given_explicit")
    facts.edit(fake_sw, session, "apd_in_place", "yes")
    assert session.turn.facts.get("consent_status") == "given_explicit"
    one = facts.undo(fake_sw, session, "apd_in_place")
    assert session.edits.as_dict() == {"consent_status": "given_explicit"} and one.facts.get("apd_in_place") is None
    back = facts.undo_all(fake_sw, session)
    assert not session.edits and back.facts.get("consent_status") == "refused"
    assert back.determination == first.determination and back.kind == "recheck"


def test_an_edit_before_any_question_applies_to_the_first_answer(fake_sw):
    session = Session()
    assert facts.edit(fake_sw, session, "apd_in_place", "yes") is None
    assert facts.panel_values(session.edits.apply(facts.Facts()))["apd_in_place"] == "yes"
    turn = asked(fake_sw, session, CONSENT).turn
    assert turn.facts.get("apd_in_place") is True and turn.edits == session.edits


def test_a_new_conversation_resets_everything(fake_sw):
    session = Session()
    asked(fake_sw, session, CONSENT)
    facts.edit(fake_sw, session, "apd_in_place", "yes")
    fresh = session.reset()
    assert fresh.questions == [] and fresh.turn is None and not fresh.edits and fresh.id != session.id
    assert record.record_values(None)["what"] == "" and source.citation_choices(None) == []
    assert facts.facts_note(None, fresh.edits) == facts.NOTE_PLACEHOLDER


def test_html_in_a_question_is_never_rendered(fake_sw):
    """(e) The question is shown in the chat and the facts note as text: no live element can come from it."""
    session = Session()
    question = "<img src=x onerror=alert(1)> A 15-year-old told me in confidence <script>alert(2)</script>"
    reply = chat.ask(fake_sw, session, question, [])
    assert reply.turn is not None
    user = reply.chat[0]["content"]
    assert "<img" not in user and "<script" not in user and "&lt;img" in user
    note = facts.facts_note(reply.turn, session.edits)
    assert "<img" not in note and "<script" not in note
    for text in (reply.chat[1]["content"],):
        assert "<img" not in text and "<script" not in text
    failed = chat.ask(fake_sw, session, "<img src=x onerror=alert(1)>" + "x" * 9000, reply.chat)
    assert failed.turn is None and all("<img" not in m["content"] for m in failed.chat)


def test_identifiers_trigger_a_warning_and_can_be_removed():
    text = "Jayden (8), NHS 943 476 5919, lives at LS6 2AB"
    assert "identifying details" in chat.pii_warning(text)
    assert "943 476 5919" not in chat.redacted(text) and "LS6 2AB" not in chat.redacted(text)
    assert chat.pii_warning("Can I share without consent?") == ""


def test_a_name_alone_is_not_held_back_but_noted_and_removing_identifiers_keeps_it_in_the_question():
    """Names are redacted in what is stored, never in what is searched: no block, a note with the answer."""
    assert chat.pii_warning("Amelia said her stepdad hits her.") == ""
    assert chat.names_note("Amelia said her stepdad hits her.") == chat.NAMES_NOTE
    assert chat.redacted("Jayden (8), NHS 943 476 5919") == "Jayden (8), NHS [NHS number]"


def test_a_failed_turn_stays_in_the_chat_with_its_reason_and_no_number(fake_sw):
    session = Session()
    reply = chat.ask(fake_sw, session, "x" * 9000, [])
    assert reply.turn is None and "limit is 8,000" in reply.chat[-1]["content"]
    assert "metadata" not in reply.chat[-1] and session.questions == [] and session.turn is None
    assert chat.rate(fake_sw, reply.chat, 1, True) == chat.NOTHING_TO_RATE


def test_the_message_number_survives_gradio_and_is_not_a_thought():
    """What Gradio does with `metadata: {"id": ...}`: kept through postprocess and preprocess, and with no
    `title` it is an ordinary message (a thought needs a title)."""
    box = gr.Chatbot()
    value = [chat.user_message("q"), {"role": "assistant", "content": "a", "metadata": {"id": "42"}}]
    sent = box.postprocess(value)
    assert sent.root[1].metadata == {"id": "42"} and "title" not in sent.root[1].metadata
    back = box.preprocess(sent)
    assert chat.message_seq(back[1]) == 42 and chat.message_seq(back[0]) is None


def test_feedback_without_an_audit_store_says_nothing_was_recorded(fake_sw):
    session = Session()
    reply = asked(fake_sw, session, CONSENT)
    assert reply.turn.audit_seq is None and "metadata" not in reply.chat[-1]
    assert chat.rate(fake_sw, reply.chat, 1, False, "x") == chat.NOTHING_TO_RATE
    assert chat.rate(fake_sw, reply.chat, 7, False) == chat.NOTHING_TO_RATE


def test_the_source_view_highlights_the_quote_in_its_section(fake_sw):
    turn = asked(fake_sw, Session(), "Do I need consent to share?").turn
    choices = source.citation_choices(turn)
    assert choices and choices[0][0].startswith("[1] ") and choices[0][1] == 0
    page = source.source_view(fake_sw, turn, 0)
    assert '<mark id="sw-highlight"' in page and "Licence:" in page and "Currency:" in page
    assert turn.answer.quotes[0].text.split()[0] in page.split("<mark")[1]
    assert source.source_view(fake_sw, turn, 99) == source.PLACEHOLDER


def test_the_record_is_prefilled_and_downloads_as_markdown_json_and_html(fake_sw, tmp_path):
    session = Session()
    turn = asked(fake_sw, session, "Can I refer to children's social care without telling mum?").turn
    values = record.record_values(turn)
    assert values["decision"] is None and len(values["date"]) == 10
    assert {k: v for k, v in values.items() if k not in ("decision", "date")} == \
        {k: v for k, v in render.record_prefill(turn).to_json().items() if k not in ("decision", "date")}
    assert values["with_whom"] == "Children's social care (local authority)" and values["reasons"] == ""
    with pytest.raises(SharewiseError, match="Write your reasons before you download the record"):
        record.prepare_record(fake_sw, session, values, tmp_path)
    values["reasons"] = "Reasonable cause to suspect significant harm; telling mum first could put him at risk."
    values["decision"] = "share"
    values["what"] = "notes about Jayden (8), NHS 943 476 5919"
    paths = record.prepare_record(fake_sw, session, values, tmp_path)
    md, js, page = (open(p, encoding="utf-8").read() for p in paths)
    assert [p.rsplit("/", 1)[1] for p in paths] == ["record.md", "record.json", "record.html"]
    assert "943 476 5919" not in md + js + page
    data = json.loads(js)
    assert data["record"]["decision"] == "share" and set(data["rules_check"]) == {"consent", "public_interest",
                                                                                  "schedule_1"}
    assert data["quotes_relied_on"] and page.lower().startswith("<!doctype html>")


def test_no_grounded_answer_is_shown_as_such(fake_sw):
    turn = asked(fake_sw, Session(), CONSENT).turn
    declined = replace(turn, answer=replace(turn.answer, grounded=False, quotes=(), message=NO_GROUNDED_ANSWER))
    text = chat.answer_message(declined)["content"]
    assert "No grounded answer" in text and "designated safeguarding lead" in text


def test_the_ask_api_takes_history_and_edits(fake_sw):
    out = chat.ask_api(fake_sw, "What if she refuses?", [CONSENT], {"apd_in_place": "yes"})
    assert out["rules"]["facts"]["consent_status"]["value"] == "refused"
    assert out["rules"]["facts"]["protected_person_age"]["value"] == 15
    assert out["edits"] == {"apd_in_place": True} and out["rules"]["facts"]["apd_in_place"]["value"] is True
    assert "unknown fact" in chat.ask_api(fake_sw, "Can I share?", None, {"no_such_fact": "yes"})["error"]
    assert "limit is 8,000" in chat.ask_api(fake_sw, "x" * 9000)["error"]


def test_the_evaluate_tab_runs_an_upload_of_this_login_and_deletes_it(fake_sw, tmp_path):
    import pytest

    from assistant.web.guard import NotAllowed, Web

    from ..conftest import REPO
    from .live import request_as

    upload = tmp_path / "upload.jsonl"
    lines = (REPO / "evals" / "questions.jsonl").read_text(encoding="utf-8").splitlines()[:4]
    upload.write_text("\n".join(lines) + "\n", encoding="utf-8")
    web = Web(root=tmp_path / "web")
    evaluator = request_as(web, "evaluator")
    with pytest.raises(NotAllowed):  # a path this login did not upload (another user's, or typed in)
        run_evaluation(fake_sw, web, evaluator, str(upload))
    assert upload.exists()
    web.uploads[web.caller(evaluator).token] = {str(upload)}
    seen = []
    html_text, urls = run_evaluation(fake_sw, web, evaluator, str(upload), lambda i, n: seen.append((i, n)))
    assert "Sharewise evaluation report" in html_text and "<table>" in html_text
    assert [u.rsplit("/", 1)[1] for u in urls] == ["results.json", "report.md", "report.html"]
    assert not upload.exists() and seen[-1] == (4, 4)
    with pytest.raises(NotAllowed):
        run_evaluation(fake_sw, web, request_as(web, "practitioner"), str(upload))


def test_l2_a_lone_surrogate_in_the_chat_gets_a_clear_message_and_a_reply_that_can_be_sent(fake_sw):
    reply = chat.ask(fake_sw, Session(), "Can I share \ud800 without consent?", [])
    assert reply.turn is None and "not valid UTF-8" in reply.error
    json.dumps(reply.chat, ensure_ascii=False).encode("utf-8")  # the reply stream would have broken here


def test_an_unknown_fact_is_refused_in_the_api_whatever_its_value(fake_sw):
    """Found by the probe: {"Ruby Thompson NHS ...": null} skipped the check and was stored in the edits."""
    for value in (None, "unknown", "yes"):
        assert "unknown fact" in chat.ask_api(fake_sw, "Can I share?", None, {"Ruby Thompson": value})["error"]
