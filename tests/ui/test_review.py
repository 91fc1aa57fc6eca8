"""Audit from the app: answers and re-checks recorded, feedback by audit number, the guardian's review and
exports, and no raw identifiers on disk. (These need the orchestrator's `AuditStore.record_turn`.)"""

import json
import os

import pytest

from assistant.audit import AuditError
from assistant.evaluate import read_questions
from assistant.review import decide, export_eval_questions, export_rows, queue
from assistant.ui import chat, facts, record, review
from assistant.ui.state import Session
from assistant.web.guard import NotAllowed, Web

from .live import request_as

SYNTHETIC = {"nhs": "943 476 5919", "nino": "JG103759A", "postcode": "LS6 2AB", "phone": "07700 900123",
             "email": "jo.parent@example.com", "dob": "03/05/2015", "name": "Jayden"}


def seq_of(reply):
    return chat.message_seq(reply.chat[-1])


def test_every_answer_is_audited_with_the_question_redacted_and_carries_its_number(audited_sw):
    session = Session()
    reply = chat.ask(audited_sw, session, f"Jayden (8), NHS {SYNTHETIC['nhs']}, has bruises. Can I refer?", [])
    rows = audited_sw.audit.rows("answer")
    assert len(rows) == 1 and reply.turn.audit_seq == rows[0]["seq"] == seq_of(reply)
    assert reply.chat[-1]["metadata"] == {"id": str(rows[0]["seq"])}
    c = rows[0]["content"]
    assert SYNTHETIC["nhs"] not in json.dumps(c) and "[NHS number]" in c["question"]
    assert rows[0]["session"] == session.id
    assert audited_sw.audit.verify() == []


def test_no_answer_is_shown_when_it_cannot_be_recorded(audited_sw):
    os.chmod(audited_sw.audit.path, 0o400)
    os.chmod(audited_sw.audit.dir, 0o500)
    try:
        if os.geteuid() == 0:
            audited_sw.audit.path = audited_sw.audit.dir / "no-such-dir" / "audit.sqlite3"  # root ignores modes
        session = Session()
        reply = chat.ask(audited_sw, session, "Can I share without consent?", [])
        assert reply.turn is None and "not shown" in reply.error and session.turn is None
        assert "metadata" not in reply.chat[-1] and "What the guidance says" not in reply.chat[-1]["content"]
        with pytest.raises(AuditError, match="not shown"):
            audited_sw.answer("Can I share without consent?")
    finally:
        os.chmod(audited_sw.audit.dir, 0o700)


def test_feedback_after_a_failed_turn_lands_on_the_answer_rated(audited_sw, monkeypatch):
    """(c) A failed turn (too long), an unrecorded turn (AuditError), then two good answers: the thumbs on the
    first good answer reach its own audit record, not one shifted by the failures; rating a failure records
    nothing."""
    session = Session()
    too_long = chat.ask(audited_sw, session, "x" * 9000, [])
    real = audited_sw.audit.record_turn

    def refuse(*a, **k):
        raise AuditError("the answer could not be recorded in the audit trail, so it is not shown")

    monkeypatch.setattr(audited_sw.audit, "record_turn", refuse)
    unrecorded = chat.ask(audited_sw, session, "What is Clare's Law?", too_long.chat)
    monkeypatch.setattr(audited_sw.audit, "record_turn", real)
    first = chat.ask(audited_sw, session, "Do I need consent to share information about a child at risk?",
                     unrecorded.chat)
    second = chat.ask(audited_sw, session, "What is Clare's Law and who can ask?", first.chat)
    assert too_long.turn is None and unrecorded.turn is None and None not in (first.turn, second.turn)
    assert len(second.chat) == 8 and session.questions == [first.turn.question, second.turn.question]
    comment = f"wrong scheme, call {SYNTHETIC['phone']}"
    assert chat.rate(audited_sw, second.chat, 5, False, comment) == chat.THANKS  # the first good answer
    assert chat.rate(audited_sw, second.chat, 1, True) == chat.NOTHING_TO_RATE  # the failed turn's message
    assert chat.rate(audited_sw, second.chat, 3, True) == chat.NOTHING_TO_RATE  # the unrecorded turn's message
    rows = queue(audited_sw.audit, feedback="down")
    assert [r["seq"] for r in rows] == [first.turn.audit_seq] != [second.turn.audit_seq]
    assert SYNTHETIC["phone"] not in rows[0]["feedback_comment"]
    assert [r["content"]["seq"] for r in audited_sw.audit.rows("feedback")] == [first.turn.audit_seq]


def test_a_recheck_after_an_edit_is_in_the_audit_trail(audited_sw):
    """(d) Re-running the rules after an edit (and undoing it) is recorded, linked to the answer it re-checks."""
    session = Session()
    answer = chat.ask(audited_sw, session, "A 15-year-old told me in confidence her stepdad hits her.", []).turn
    again = facts.edit(audited_sw, session, "consent_status", "refused")
    back = facts.undo_all(audited_sw, session)
    rows = audited_sw.audit.rows("recheck")
    assert [r["seq"] for r in rows] == [again.audit_seq, back.audit_seq]
    assert answer.audit_seq < again.audit_seq < back.audit_seq
    assert all(r["session"] == session.id for r in rows)
    assert str(answer.audit_seq) in json.dumps(rows[0]["content"])  # linked to the answer re-checked
    assert len(audited_sw.audit.rows("answer")) == 1  # not asked again
    assert audited_sw.audit.verify() == []


def test_feedback_reaches_the_review_queue_and_reviews_export_as_eval_questions(audited_sw, tmp_path):
    session = Session()
    one = chat.ask(audited_sw, session, "Do I need consent to share information about a child at risk?", [])
    two = chat.ask(audited_sw, session, "What is Clare's Law?", one.chat)
    assert "review queue" in chat.rate(audited_sw, two.chat, 3, False, "wrong scheme")
    web = Web(root=tmp_path / "web")
    with pytest.raises(NotAllowed):
        review.review_queue(audited_sw, web, request_as(web, "practitioner"))
    guardian = request_as(web, "guardian")
    rows = review.review_queue(audited_sw, web, guardian, feedback="down")
    assert [r["seq"] for r in rows] == [two.turn.audit_seq]
    assert "Clare" in review.review_detail(audited_sw, web, guardian, two.turn.audit_seq)
    assert "approved" in review.save_review(audited_sw, web, guardian, one.turn.audit_seq, "approved", "good")
    gold = "The Domestic Violence Disclosure Scheme\u00a0(DVDS)\u00a0commenced on 8 March 2014."
    decide(audited_sw.audit, two.turn.audit_seq, "needs_correction", "should quote DVDS", [gold])
    assert {r["review"] for r in queue(audited_sw.audit)} == {"approved", "needs_correction"}
    f = tmp_path / "reviewed.jsonl"
    f.write_text(export_eval_questions(audited_sw.audit, audited_sw.corpus), encoding="utf-8")
    qs = read_questions(f)
    assert len(qs) == 2 and qs[1].gold_spans == (gold,) and qs[0].gold_spans
    assert json.loads(export_rows(audited_sw.audit, None, None, "json"))
    url = review.export(audited_sw, web, guardian, "csv")
    offer = web.downloads.take(url.split("/")[2], web.caller(guardian).owner)
    assert offer is not None and "seq" in offer.path.read_text().splitlines()[0]
    kinds = audited_sw.audit.status()["by_kind"]
    assert kinds["review"] == 2 and kinds["feedback"] == 1 and kinds["export"] == 3 and kinds["view"] == 1
    assert kinds["queue"] == 1  # listing the queue is itself recorded
    assert audited_sw.audit.verify() == []


def test_privileged_handlers_check_the_role_on_the_server(audited_sw, tmp_path):
    web = Web(root=tmp_path / "web")
    for who in (request_as(web, None), request_as(web, "practitioner"), request_as(web, "evaluator")):
        for step in (lambda who=who: review.review_queue(audited_sw, web, who),
                     lambda who=who: review.review_detail(audited_sw, web, who, 1),
                     lambda who=who: review.save_review(audited_sw, web, who, 1, "approved"),
                     lambda who=who: review.export(audited_sw, web, who, "json")):
            with pytest.raises(NotAllowed):
                step()
    assert audited_sw.audit.status()["records"] == 0


def test_no_raw_identifier_is_left_on_disk_after_a_session(audited_sw, tmp_path, caplog):
    session = Session()
    text = (f"Jayden (8) lives at {SYNTHETIC['postcode']}, NHS {SYNTHETIC['nhs']}, NI {SYNTHETIC['nino']}, born "
            f"{SYNTHETIC['dob']}, mum on {SYNTHETIC['phone']} or {SYNTHETIC['email']}. Can I refer?")
    reply = chat.ask(audited_sw, session, text, [])
    facts.edit(audited_sw, session, "apd_in_place", "yes")
    values = record.record_values(session.turn)
    values["what"] = f"notes about Jayden (8), {SYNTHETIC['nhs']}"
    values["reasons"] = f"mum ({SYNTHETIC['email']}, {SYNTHETIC['phone']}) agreed"
    paths = record.prepare_record(audited_sw, session, values, tmp_path / "record")
    assert record.prepare_record(audited_sw, session, values, tmp_path / "record") == paths  # again: no new row
    chat.rate(audited_sw, reply.chat, 1, True, f"email {SYNTHETIC['email']}")
    assert audited_sw.audit.status()["by_kind"]["record"] == 1
    places = list(audited_sw.audit.dir.iterdir()) + [tmp_path / "record" / p for p in os.listdir(tmp_path / "record")]
    blob = b"".join(p.read_bytes() for p in places if p.is_file()) + caplog.text.encode()
    for kind, value in SYNTHETIC.items():
        for form in {value, value.replace(" ", "")}:
            assert form.encode() not in blob, f"raw {kind} found on disk"
    assert len(paths) == 3


def test_evaluation_runs_write_no_audit_records(audited_sw, tmp_path):
    from assistant.evaluate import run_eval

    from ..conftest import REPO

    f = tmp_path / "q.jsonl"
    f.write_text("\n".join((REPO / "evals" / "questions.jsonl").read_text(encoding="utf-8").splitlines()[:3]) + "\n")
    before = audited_sw.audit.status()["records"]
    run_eval(audited_sw, f)
    assert audited_sw.audit.status()["records"] == before


def test_m4_a_remote_image_in_a_question_is_shown_as_text_to_the_guardian(audited_sw, tmp_path):
    chat.ask(audited_sw, Session(), "Can I share? ![x](http://198.51.100.9/pixel.png) <img src=http://x/y>", [])
    web = Web(root=tmp_path / "web")
    seq = audited_sw.audit.rows("answer")[0]["seq"]
    shown_to_guardian = review.review_detail(audited_sw, web, request_as(web, "guardian"), seq)
    assert "![x](" not in shown_to_guardian and "<img" not in shown_to_guardian
    assert "pixel\\.png" in shown_to_guardian  # the words are there, as escaped text


def test_l6_preparing_a_record_again_or_without_an_answer_writes_no_audit_row(audited_sw, tmp_path):
    session = Session()
    with pytest.raises(Exception, match="Ask a question first"):
        record.prepare_record(audited_sw, session, record.record_values(None), tmp_path / "r0")
    chat.ask(audited_sw, session, "Do I need consent to share?", [])
    values = record.record_values(session.turn)
    values["reasons"] = "first reasons"
    for n in range(5):
        record.prepare_record(audited_sw, session, values, tmp_path / f"r{n + 1}")
    assert audited_sw.audit.status()["by_kind"]["record"] == 1
    values["reasons"] = "changed my mind"
    record.prepare_record(audited_sw, session, values, tmp_path / "r9")
    assert audited_sw.audit.status()["by_kind"]["record"] == 2  # a changed record is kept again


def test_gold_passages_that_are_not_the_guidance_word_for_word_are_refused_not_stored(audited_sw, tmp_path):
    chat.ask(audited_sw, Session(), "What is Clare's Law?", [])
    web = Web(root=tmp_path / "web")
    seq = audited_sw.audit.rows("answer")[0]["seq"]
    said = review.save_review(audited_sw, web, request_as(web, "guardian"), seq, "needs_correction", "x",
                              "Ruby Thompson NHS 943 476 5919")
    assert said.startswith("Not saved") and "Ruby" not in json.dumps(audited_sw.audit.rows())


def test_feedback_only_lands_on_an_answer_and_only_from_the_session_that_got_it(audited_sw):
    """Found by the probe: a thumbs on any number (another session's answer, a login record, 99999) was kept."""
    mine, theirs = Session(), Session()
    chat.ask(audited_sw, mine, "Do I need consent to share?", [])
    other = chat.ask(audited_sw, theirs, "What is Clare's Law?", []).turn.audit_seq
    login = audited_sw.audit.append("login", {"account": "guardian"})
    assert audited_sw.feedback(other, False, "forged", session=mine.id) is None
    assert audited_sw.feedback(login, False, "forged") is None and audited_sw.feedback(99999, True) is None
    assert audited_sw.feedback(other, True, "fine", session=theirs.id) is not None
    assert [r["content"]["comment"] for r in audited_sw.audit.rows("feedback")] == ["fine"]


def test_a_thumbs_from_the_chat_is_refused_for_an_answer_of_another_session(audited_sw):
    mine, theirs = Session(), Session()
    reply = chat.ask(audited_sw, mine, "Do I need consent to share?", [])
    forged = chat.ask(audited_sw, theirs, "What is Clare's Law?", []).chat  # their chat, sent back as if mine
    assert chat.rate(audited_sw, forged, 1, False, "forged", session=mine.id) == chat.NOTHING_TO_RATE
    assert chat.rate(audited_sw, reply.chat, 1, True, "", session=mine.id) == chat.THANKS
