import json
import logging
from dataclasses import replace

import pytest

from assistant.index import build_index, load_index
from assistant.pipeline import Sharewise
from assistant.quotes import keep_verified, make_quote, verify_quote

from .conftest import REPO


def a_quote(corpus, needle="No – you do not necessarily need consent to share personal information."):
    doc = corpus.documents["nel-scp-information-sharing"]
    start = doc.text.index(needle)
    return make_quote(corpus, doc.id, start, start + len(needle), 0.9)


def test_a_true_quote_verifies_with_its_citation(corpus):
    q = a_quote(corpus)
    assert verify_quote(corpus, q)
    assert q.section == "Myth-busting guide to information sharing"
    assert q.doc_title.startswith("Information Sharing")


@pytest.mark.parametrize("change", [
    {"text": "No – you never need consent to share personal information."},
    {"start": 0},
    {"end": 10 ** 9},
    {"doc_id": "no-such-document"},
    {"text": ""},
])
def test_a_quote_that_is_not_exactly_in_its_source_fails(corpus, change):
    assert not verify_quote(corpus, replace(a_quote(corpus), **change))


def test_a_span_that_includes_a_heading_fails(corpus):
    doc = corpus.documents["nel-scp-information-sharing"]
    start = doc.text.index("## Seven golden rules")
    q = replace(a_quote(corpus), start=start - 20, end=start + 30, text=doc.text[start - 20:start + 30])
    assert not verify_quote(corpus, q)


def test_failed_quotes_are_dropped_and_logged_never_shown(corpus, caplog):
    good, bad = a_quote(corpus), replace(a_quote(corpus), text="Consent is always needed.")
    with caplog.at_level(logging.WARNING, logger="assistant.quotes"):
        assert keep_verified(corpus, [good, bad]) == [good]
    assert "failed verification" in caplog.text


@pytest.fixture
def fake_sharewise(corpus, settings, fake_embedder):
    build_index(corpus, fake_embedder, settings, settings.index_dir, progress=False)
    s = replace(settings, min_relevance=0.0, min_quote_score=0.0)
    return Sharewise(s, corpus, fake_embedder, load_index(s.index_dir, corpus, fake_embedder, s))


def test_for_every_evaluation_question_every_quote_is_the_exact_text_at_its_offsets(corpus, fake_sharewise):
    asked = 0
    for path in (REPO / "evals").glob("questions-*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            answer = fake_sharewise.find_guidance(q["question"], history=tuple(q.get("history", ())))
            for quote in answer.quotes:
                assert corpus.documents[quote.doc_id].text[quote.start:quote.end] == quote.text
                assert verify_quote(corpus, quote)
            asked += 1
    assert asked > 50


def test_answer_json_keeps_its_schema(fake_sharewise):
    out = fake_sharewise.find_guidance("Do I need consent to share information?").to_json()
    assert {"question", "grounded", "quotes", "passages", "timings_ms"} <= set(out)
    assert out["quotes"], "expected quotes with relevance floor 0"
    assert set(out["quotes"][0]) >= {"text", "doc_id", "doc_title", "section", "start", "end", "score"}
    assert set(out["passages"][0]) >= {"chunk_id", "doc_id", "section", "text", "start", "end", "score"}
    assert [p["score"] for p in out["passages"]] == sorted((p["score"] for p in out["passages"]), reverse=True)
    json.dumps(out)


def test_same_question_same_answer(fake_sharewise):
    a = fake_sharewise.find_guidance("Can I share without consent if the child is at risk?").to_json()
    b = fake_sharewise.find_guidance("Can I share without consent if the child is at risk?").to_json()
    a.pop("timings_ms"), b.pop("timings_ms")
    assert a == b


def test_quotes_start_and_end_on_words_not_markers_or_spaces(fake_sharewise):
    for question in ("What must I record?", "seven golden rules", "Caldicott principles", "data protection rights"):
        for q in fake_sharewise.find_guidance(question).quotes:
            assert q.text == q.text.strip() and not q.text.startswith(("•", "7.", "1."))
