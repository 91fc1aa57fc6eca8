"""Evaluation runs on an uploaded file: refused before any work when too big or malformed, nothing raw from the
upload left on disk, recorded in the audit trail (never a question), and old runs swept away."""

from __future__ import annotations

import json

import pytest

from assistant import audit, evaluate
from assistant.audit import AuditError
from assistant.eval_runs import EvalLimits, EvalRun, display_name, run_upload
from assistant.evaluate import EvalFileError, read_questions

from .conftest import REPO

# Synthetic identifiers (see assistant/pii.py), each in the forms someone might type.
NHS, NINO, POSTCODE, NAME = "943 476 5919", "JG103759A", "LS6 2AB", "Jayden"
RAW = (NHS, NHS.replace(" ", ""), NINO, "JG 10 37 59 A", POSTCODE, POSTCODE.replace(" ", ""), NAME)
SERVER_NAME = "/tmp/gradio/0f3a9c/questions.jsonl"


def _shipped(n: int) -> list[str]:
    return (REPO / "evals" / "questions.jsonl").read_text(encoding="utf-8").splitlines()[:n]


def _upload(n_shipped: int = 2) -> bytes:
    rows = [json.loads(line) for line in _shipped(n_shipped)]
    rows.append({"id": f"nhs-{NHS}", "kind": f"case of {NINO}",
                 "question": f"A pupil called {NAME} (8), NHS number {NHS}, NI number {NINO}, lives at {POSTCODE}: "
                             "can I tell the school nurse?",
                 "history": [f"{NAME} (8) at {POSTCODE.replace(' ', '')} again, NHS {NHS.replace(' ', '')}"],
                 "gold_spans": [f"Not in the corpus: {NAME} (8), {NINO}, {POSTCODE}"],
                 "notes": f"from a real case about {NAME} (8), {NHS}"})
    rows.append({"id": "oos", "kind": "out-of-scope", "question": "How do I bake bread?", "gold_spans": []})
    return ("\n".join(json.dumps(r) for r in rows) + "\n").encode("utf-8")


def _no_run_eval(monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise AssertionError("run_eval was called for a file that should have been refused")

    monkeypatch.setattr(evaluate, "run_eval", fail)


def _with_eval_kind(monkeypatch) -> None:
    """The kind "eval" is being added to audit.KINDS elsewhere; until it lands, the test adds it."""
    if "eval" not in audit.KINDS:
        monkeypatch.setattr(audit, "KINDS", (*audit.KINDS, "eval"))


def _everything_on_disk(folder) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_an_upload_with_identifiers_leaves_none_of_them_on_disk(fake_sw, tmp_path):
    folder = tmp_path / "runs" / "one"
    seen: list[tuple[int, int]] = []
    run = run_upload(fake_sw, _upload(), f"/tmp/gradio/x/{NAME} ({8}) {NHS}.jsonl", "evaluator-1", folder,
                     progress=lambda i, n: seen.append((i, n)))
    assert isinstance(run, EvalRun) and run.questions == 4 and run.folder == folder and seen[-1] == (4, 4)
    assert [p.name for p in run.files] == ["results.json", "report.md", "report.html"]
    assert all(p.parent == folder and p.exists() for p in run.files)
    assert "Sharewise evaluation report" in run.report_body_html and "<table>" in run.report_body_html
    blob = _everything_on_disk(folder) + run.report_body_html.encode()
    for raw in RAW:
        assert raw.encode() not in blob, f"{raw!r} from the upload was kept on disk"
    assert b"[NHS number]" in blob and b"[postcode]" in blob and b"[name]" in blob
    assert not [p for p in folder.iterdir() if p.name.startswith(".upload")], "the upload's copy was kept"
    results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    assert "/" not in results["questions_file"]
    # Corpus text is kept as it is: the shipped questions' gold spans stand in the corpus.
    shipped = json.loads(_shipped(1)[0])
    assert results["per_question"][0]["gold_spans"] == shipped["gold_spans"]


@pytest.mark.parametrize("limits, data, found", [
    (EvalLimits(max_bytes=1000), b'{"id": "a", "question": "q", "gold_spans": [], "kind": "x"}\n' * 40, "2,400 bytes"),
    (EvalLimits(max_questions=3), b'{"id": "a", "question": "q", "gold_spans": [], "kind": "x"}\n' * 5, "holds 5"),
])
def test_an_oversized_or_overlong_upload_is_refused_before_any_work(fake_sw, tmp_path, monkeypatch, limits, data,
                                                                     found):
    _no_run_eval(monkeypatch)
    with pytest.raises(EvalFileError) as e:
        run_upload(fake_sw, data, SERVER_NAME, "evaluator-1", tmp_path / "run", limits)
    message = str(e.value)
    assert found in message and "limit is" in message and "questions.jsonl" in message
    assert "/" not in message and "gradio" not in message
    assert not (tmp_path / "run").exists()


def test_the_default_limits_are_256_kb_and_200_questions(fake_sw, tmp_path, monkeypatch):
    _no_run_eval(monkeypatch)
    assert EvalLimits() == EvalLimits(max_bytes=256 * 1024, max_questions=200)
    row = '{"id": "%d", "question": "q", "gold_spans": [], "kind": "x"}\n'
    with pytest.raises(EvalFileError, match="holds 201 questions; the limit is 200"):
        run_upload(fake_sw, "".join(row % i for i in range(201)).encode(), "q.jsonl", "e", tmp_path / "run")
    with pytest.raises(EvalFileError, match="262,145 bytes; the limit is 262,144 bytes"):
        run_upload(fake_sw, b" " * (256 * 1024 + 1), "q.jsonl", "e", tmp_path / "run")


@pytest.mark.parametrize("data, message", [
    (b"\xff\xfe{}", "questions.jsonl is not UTF-8"),
    (b"not json\n", "questions.jsonl line 1: not valid JSON"),
    (b'{"id": "a", "question": "q"}\n', "questions.jsonl line 1: missing gold_spans, kind"),
    (b"[" * 100_000 + b"\n", "questions.jsonl line 1: not valid JSON"),
    (b"\n\n", "questions.jsonl holds no questions"),
    (b'{"id": "a", "question": "q", "gold_spans": [], "kind": "x", "history": ' + json.dumps(["h"] * 21).encode()
     + b"}\n", "history holds 21 earlier questions; the limit is 20"),
    (b'{"id": "a", "question": "' + b"x" * 9000 + b'", "gold_spans": [], "kind": "x"}\n', "limit is 8,000"),
])
def test_a_malformed_upload_is_refused_without_a_server_path(fake_sw, tmp_path, monkeypatch, data, message):
    _no_run_eval(monkeypatch)
    with pytest.raises(EvalFileError) as e:
        run_upload(fake_sw, data, SERVER_NAME, "evaluator-1", tmp_path / "run")
    assert message in str(e.value) and "/" not in str(e.value)


def test_a_repeated_id_is_named_redacted(fake_sw, tmp_path, monkeypatch):
    _no_run_eval(monkeypatch)
    row = json.dumps({"id": NHS, "question": "q", "gold_spans": [], "kind": "x"})
    with pytest.raises(EvalFileError, match=r"line 2: id '\[NHS number\]' is used twice") as e:
        run_upload(fake_sw, f"{row}\n{row}\n".encode(), "q.jsonl", "e", tmp_path / "run")
    assert NHS not in str(e.value)


def test_a_file_is_named_by_its_base_name_only():
    assert display_name(SERVER_NAME) == "questions.jsonl"
    assert display_name(r"C:\Users\someone\q.jsonl") == "q.jsonl"
    assert display_name("") == "the uploaded file"
    assert NHS not in display_name(f"{NHS}.jsonl")


def test_the_command_line_file_messages_name_no_folder(tmp_path):
    f = tmp_path / "q.jsonl"
    f.write_text("not json\n", encoding="utf-8")
    with pytest.raises(EvalFileError) as e:
        read_questions(f)
    assert str(e.value).startswith("q.jsonl line 1") and str(tmp_path) not in str(e.value)
    with pytest.raises(EvalFileError) as e:
        read_questions(tmp_path / "missing.jsonl")
    assert str(tmp_path) not in str(e.value) and "missing.jsonl" in str(e.value)
    with pytest.raises(EvalFileError) as e:
        evaluate.evaluate_scenarios(f)
    assert str(tmp_path) not in str(e.value)


def test_the_run_is_audited_with_no_question_text(audited_sw, tmp_path, monkeypatch):
    _with_eval_kind(monkeypatch)
    data = _upload()
    run = run_upload(audited_sw, data, SERVER_NAME, "evaluator-7", tmp_path / "run")
    rows = audited_sw.audit.rows(kind="eval")
    assert len(rows) == 1
    row = rows[0]
    assert row["session"] == "evaluator-7"
    c = row["content"]
    import hashlib

    assert c["who"] == "evaluator-7" and c["file_sha256"] == hashlib.sha256(data).hexdigest()
    assert c["bytes"] == len(data) and c["questions"] == run.questions == 4
    assert c["metrics"]["questions"] == 4 and "hit_at_5" in c["metrics"]
    text = json.dumps(row, ensure_ascii=False)
    for q in (json.loads(line) for line in data.decode().splitlines()):
        assert q["question"] not in text and q["question"][:40] not in text
    for raw in RAW:
        assert raw not in text
    assert not audited_sw.audit.verify()


def test_a_run_that_cannot_be_audited_shows_and_keeps_nothing(audited_sw, tmp_path, monkeypatch):
    _with_eval_kind(monkeypatch)

    def refuse(*args, **kwargs):
        raise AuditError("the audit trail could not be written")

    monkeypatch.setattr(audited_sw.audit, "append", refuse)
    folder = tmp_path / "run"
    with pytest.raises(AuditError):
        run_upload(audited_sw, _upload(1), "q.jsonl", "evaluator-7", folder)
    assert [p for p in folder.rglob("*")] == []


def test_the_uploads_copy_is_deleted_even_when_the_run_fails(fake_sw, tmp_path, monkeypatch):
    folder = tmp_path / "run"
    copies = []

    def boom(sw, path, *args, **kwargs):
        copies.append(path)
        assert path.parent == folder and path.read_bytes() == data and oct(path.stat().st_mode & 0o777) == "0o600"
        raise RuntimeError("the run failed")

    data = _upload(1)
    monkeypatch.setattr(evaluate, "run_eval", boom)
    with pytest.raises(RuntimeError):
        run_upload(fake_sw, data, "q.jsonl", "e", folder)
    assert copies and not copies[0].exists() and list(folder.iterdir()) == []

