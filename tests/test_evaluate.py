"""`sharewise eval`: strict question files, a stable results schema, and a readable report."""

import json

import pytest

from assistant.eval_report import write
from assistant.evaluate import EvalFileError, read_questions, run_eval

from .conftest import REPO


def test_the_project_question_set_is_big_enough_and_every_gold_span_is_verbatim(corpus):
    qs = read_questions(REPO / "evals" / "questions.jsonl")
    assert len(qs) >= 80
    assert sum(not q.gold_spans for q in qs) >= 10
    assert sum(bool(q.history) for q in qs) >= 3
    for q in qs:
        for g in q.gold_spans:
            assert any(g in d.text for d in corpus.documents.values()), (q.id, g[:60])


@pytest.mark.parametrize("line, message", [
    ('{"id": "a", "question": "q"}', "line 1: missing gold_spans, kind"),
    ("not json", "line 1: not valid JSON"),
    ('{"id": "a", "question": "", "gold_spans": [], "kind": "x"}', "question must be non-empty"),
    ('{"id": "a", "question": "q", "gold_spans": "text", "kind": "x"}', "gold_spans must be a list"),
    ('[1, 2]', "expected an object"),
])
def test_bad_question_files_name_the_line(tmp_path, line, message):
    f = tmp_path / "q.jsonl"
    f.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match=message):
        read_questions(f)


def test_duplicate_ids_are_refused(tmp_path):
    f = tmp_path / "q.jsonl"
    row = '{"id": "a", "question": "q", "gold_spans": [], "kind": "x"}'
    f.write_text(row + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match="line 2: id 'a' is used twice"):
        read_questions(f)


def test_smoke_run_writes_results_and_report_with_the_stable_schema(fake_sw, tmp_path):
    qfile = tmp_path / "q.jsonl"
    lines = (REPO / "evals" / "questions.jsonl").read_text(encoding="utf-8").splitlines()[:6]
    lines.append(json.dumps({"id": "bad-span", "question": "Is this real?", "kind": "factual",
                             "gold_spans": ["This sentence is not in any corpus document."]}))
    lines.append(json.dumps({"id": "oos", "question": "How do I bake bread?", "kind": "out-of-scope",
                             "gold_spans": []}))
    qfile.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = run_eval(fake_sw, qfile, REPO / "evals" / "scenarios.yaml")
    m = results["metrics"]
    for key in ("hit_at_1", "hit_at_5", "recall_at_5", "mrr", "ndcg_at_5", "hit_at_1500c", "recall_at_1500c",
                "quote_verbatim_rate", "quote_support", "out_of_scope_precision", "out_of_scope_recall",
                "out_of_scope_f1", "latency_ms_p50", "latency_ms_p95", "rules_agreement", "confident_contradictions"):
        assert key in m, key
    assert m["quote_verbatim_rate"] == 1.0
    assert m["rules_agreement"] == {"consent": 1.0, "public_interest": 1.0, "schedule_1": 1.0}
    assert m["confident_contradictions"] == 0
    assert results["unlocatable_spans"] == [{"id": "bad-span", "span": "This sentence is not in any corpus document."}]
    assert next(q for q in results["per_question"] if q["id"] == "bad-span")["error"].startswith("gold span not found")
    assert {"retrieved", "quotes", "gold_spans"} <= set(results["per_question"][0])
    paths = write(results, tmp_path / "out")
    names = {p.name for p in paths}
    assert {"results.json", "report.md", "report.html", "kind-hit_at_5.svg"} <= names
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "## Headline" in report and "Gold spans not found in the corpus" in report and "bad-span" in report
    assert json.loads((tmp_path / "out" / "results.json").read_text())["schema_version"] == 1
    assert "<svg" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def test_cli_rejects_a_bad_question_file_before_loading_anything(tmp_path):
    import subprocess
    import sys

    f = tmp_path / "q.jsonl"
    f.write_text("{oops\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "assistant.cli", "eval", str(f), "--out", str(tmp_path / "o")],
                       capture_output=True, timeout=60)
    assert r.returncode == 2 and b"line 1: not valid JSON" in r.stderr and b"Traceback" not in r.stderr
