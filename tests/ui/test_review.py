"""Audit from the app, feedback, the guardian's review and exports, and no raw identifiers on disk."""

import json
import os

import pytest

from assistant.audit import AuditError
from assistant.evaluate import read_questions
from assistant.review import decide, export_eval_questions, export_rows, queue
from assistant.ui import handlers as h

SYNTHETIC = {"nhs": "943 476 5919", "nino": "JG103759A", "postcode": "LS6 2AB", "phone": "07700 900123",
             "email": "jo.parent@example.com", "dob": "03/05/2015", "name": "Jayden"}


def test_every_answer_is_audited_with_the_question_redacted(audited_sw):
    session = h.Session()
    h.ask(audited_sw, session, f"Jayden (8), NHS {SYNTHETIC['nhs']}, has bruises. Can I refer?")
    rows = audited_sw.audit.rows("answer")
    assert len(rows) == 1 and session.audit_seqs == [rows[0]["seq"]]
    c = rows[0]["content"]
    assert SYNTHETIC["nhs"] not in c["question"] and "[NHS number]" in c["question"]
    assert {"facts", "flags", "quotes", "index_manifest_sha256", "version", "timings_ms"} <= set(c)
    assert all({"doc_id", "start", "end", "sha256"} <= set(q) for q in c["quotes"])
    assert audited_sw.audit.verify() == []


def test_no_answer_is_shown_when_it_cannot_be_recorded(audited_sw):
    os.chmod(audited_sw.audit.path, 0o400)
    os.chmod(audited_sw.audit.dir, 0o500)
    try:
        if os.geteuid() == 0:
            audited_sw.audit.path = audited_sw.audit.dir / "no-such-dir" / "audit.sqlite3"  # root ignores modes
        with pytest.raises(AuditError, match="not shown"):
            h.ask(audited_sw, h.Session(), "Can I share without consent?")
    finally:
        os.chmod(audited_sw.audit.dir, 0o700)


def test_feedback_reaches_the_review_queue_and_reviews_export_as_eval_questions(audited_sw, tmp_path):
    session = h.Session()
    h.ask(audited_sw, session, "Do I need consent to share information about a child at risk?")
    h.ask(audited_sw, session, "What is Clare's Law?")
    assert "review queue" in h.feedback(audited_sw, session, 3, False, f"wrong scheme, call {SYNTHETIC['phone']}")
    rows = queue(audited_sw.audit, feedback="down")
    assert [r["seq"] for r in rows] == [session.audit_seqs[1]]
    assert SYNTHETIC["phone"] not in rows[0]["feedback_comment"]
    decide(audited_sw.audit, session.audit_seqs[0], "approved", "good")
    gold = "The Domestic Violence Disclosure Scheme\u00a0(DVDS)\u00a0commenced on 8 March 2014."
    decide(audited_sw.audit, session.audit_seqs[1], "needs_correction", "should quote DVDS", [gold])
    assert {r["review"] for r in queue(audited_sw.audit)} == {"approved", "needs_correction"}
    f = tmp_path / "reviewed.jsonl"
    f.write_text(export_eval_questions(audited_sw.audit, audited_sw.corpus), encoding="utf-8")
    qs = read_questions(f)
    assert len(qs) == 2 and qs[1].gold_spans == (gold,) and qs[0].gold_spans
    assert json.loads(export_rows(audited_sw.audit, None, None, "json"))
    assert "seq" in export_rows(audited_sw.audit, None, None, "csv").splitlines()[0]
    kinds = audited_sw.audit.status()["by_kind"]
    assert kinds["review"] == 2 and kinds["feedback"] == 1 and kinds["export"] == 3
    assert audited_sw.audit.verify() == []


def test_guardian_login_is_separate_and_needs_the_password(monkeypatch):
    monkeypatch.delenv("SHAREWISE_GUARDIAN_PASSWORD", raising=False)
    assert not h.guardian_login("anything")
    monkeypatch.setenv("SHAREWISE_GUARDIAN_PASSWORD", "correct horse")
    assert h.guardian_login("correct horse") and not h.guardian_login("wrong")


def test_no_raw_identifier_is_left_on_disk_after_a_session(audited_sw, tmp_path, caplog):
    session = h.Session()
    text = (f"Jayden (8) lives at {SYNTHETIC['postcode']}, NHS {SYNTHETIC['nhs']}, NI {SYNTHETIC['nino']}, born "
            f"{SYNTHETIC['dob']}, mum on {SYNTHETIC['phone']} or {SYNTHETIC['email']}. Can I refer?")
    result = h.ask(audited_sw, session, text)
    fields = h.record_fields(result)
    fields[1] = f"notes about Jayden (8), {SYNTHETIC['nhs']}"
    paths = h.write_record(result, fields, tmp_path / "record", sw=audited_sw, session=session)
    h.feedback(audited_sw, session, 1, True, f"email {SYNTHETIC['email']}")
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
