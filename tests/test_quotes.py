import json
import logging
import re
from dataclasses import replace

import pytest

from assistant.index import build_index, load_index
from assistant.pipeline import Sharewise
from assistant.quotes import keep_verified, make_quote, score_sentences, verify_quote

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


# ---- quotes that keep their shape, the top passage's answer, and currency beside each quote ------------------

def _sentence_row(index, corpus, doc_id, sentence):
    start = corpus.documents[doc_id].text.index(sentence)
    return next(r for r, ref in enumerate(index.sentences) if ref.doc_id == doc_id and ref.start == start)


def test_the_top_passage_answering_sentence_is_shown_even_when_other_sentences_score_higher(corpus, fake_sharewise):
    from assistant.quotes import ScoredSentences, select_quotes

    index = fake_sharewise.index
    nel = "nel-scp-information-sharing"
    other = [_sentence_row(index, corpus, nel, s) for s in (
        "The Domestic Violence Disclosure Scheme", "Members of the public can make an application")]
    answer = _sentence_row(index, corpus, nel, "If the person is unwilling to sign the undertaking")
    scored = ScoredSentences([(0.9, other[0]), (0.85, other[1]), (0.4, answer)], top_rows={answer})
    quotes = select_quotes(corpus, index, scored, min_score=0.3, max_quotes=2, margin=0.2)
    assert len(quotes) == 2
    assert any(q.text.startswith("If the person is unwilling to sign the undertaking") for q in quotes)
    assert quotes[0].text.startswith("The Domestic Violence Disclosure Scheme")  # still best first
    # and the pipeline's own scoring remembers which sentences were the top passage's
    found = fake_sharewise.retriever.retrieve("Clare's Law right to ask", ())
    ranked = score_sentences(index, found.passages, found.sentence_sims, fake_sharewise.library.rows, 0.3)
    assert ranked.top_rows == set(index.chunk_sentences[fake_sharewise.library.rows[found.passages[0].chunk.id]])


def _eval_questions():
    for name in ("questions.jsonl", "questions-dev.jsonl", "questions-new-a.jsonl", "questions-heldout.jsonl"):
        for line in (REPO / "evals" / name).read_text(encoding="utf-8").splitlines():
            yield json.loads(line)


def test_for_every_evaluation_question_no_quote_is_a_lead_in_a_bare_myth_or_a_however_first(corpus, fake_sharewise):
    myth, rebuttal = "Consent is always needed to share personal information.", "No – you do not necessarily need"
    asked = 0
    for q in (*_eval_questions(), {"question": "what is Clare's Law"}):
        for quote in fake_sharewise.find_guidance(q["question"], history=tuple(q.get("history", ()))).quotes:
            assert verify_quote(corpus, quote)
            assert not quote.text.endswith((":", "—")), quote.text
            assert not quote.text.startswith(("However", "If however")), quote.text
            assert (myth in quote.text) == (rebuttal in quote.text), quote.text
        asked += 1
    assert asked > 200


@pytest.mark.parametrize("doc_id,passage,says", [
    ("nel-scp-information-sharing", "Comply with the law;", "eight Caldicott principles"),
    ("nel-scp-information-sharing", "The Seven Caldicott Principles are:", "eight Caldicott principles"),
    ("nel-scp-information-sharing", "Detailed statutory guidance is also contained in Working Together to Safeguard "
     "Children 2015.", "Working Together to Safeguard Children 2023"),
    ("nel-scp-information-sharing", "Remember that the Data Protection Act and human rights laws", "May 2024"),
    ("nel-scp-information-sharing", "Consent is always needed to share personal information.",
     "Working Together to Safeguard Children 2023"),
    ("nel-scp-information-sharing", "The UK GDPR sets a high standard for consent to share information, and requires "
     "that it must be specific, time limited and able to be withdrawn.", "not the law's"),
    ("statutory-gateways", "(3) But the duty imposed by subsection (2) does not apply", "Not shown to be in force"),
    ("dpa-2018", "In Article 6(1) of the UK GDPR (lawfulness of processing)", "Data (Use and Access) Act 2025"),
])
def test_a_quote_from_a_superseded_not_in_force_or_glossed_passage_carries_its_currency(corpus, doc_id, passage, says):
    start = corpus.documents[doc_id].text.index(passage)
    quote = make_quote(corpus, doc_id, start, start + len(passage), 0.9)
    assert says in quote.currency and quote.to_json()["currency"] == quote.currency


@pytest.mark.parametrize("doc_id,passage", [
    ("nel-scp-information-sharing", "The Domestic Violence Disclosure Scheme"),
    ("nel-scp-information-sharing", "For North East Lincolnshire Council, the Caldicott Guardian can be contacted"),
    ("dpa-2018", "(d) the processing is necessary for reasons of substantial public interest."),
    ("statutory-gateways", "(5) Subject to subsections (1) to (4), this Act comes into force"),
])
def test_a_quote_with_nothing_known_against_it_carries_no_currency(corpus, doc_id, passage):
    start = corpus.documents[doc_id].text.index(passage)
    assert make_quote(corpus, doc_id, start, start + len(passage), 0.9).currency == ""


def test_every_currency_note_in_the_registry_applies_to_some_passage(corpus):
    from assistant.corpus import _plain

    assert sum(len(n) for n in corpus.currency_notes.values()) >= 10
    for doc_id, notes in corpus.currency_notes.items():
        doc = corpus.documents[doc_id]
        for note in notes:
            sections = [s for s in doc.sections if not note.section or any(h.startswith(note.section) for h in s.path)]
            assert sections, f"{doc_id}: the note's section {note.section!r} is not a heading of the document"
            for m in note.match:
                assert any(_plain(m) in _plain(doc.text[s.start:s.end]) for s in sections), f"{doc_id}: {m!r}"


@pytest.mark.parametrize("entry,error", [
    ('[[source.currency_notes]]\nsection = "Section 8"\n', "needs a note"),
    ('[[source.currency_notes]]\nnote = "Old."\nmatches = "x"\n', "unknown field(s) matches"),
    ('[[source.currency_notes]]\nnote = "Old."\nmatch = 3\n', "match text or a list of texts"),
])
def test_a_malformed_currency_note_is_a_clear_corpus_error(corpus_copy, entry, error):
    from assistant.corpus import load_corpus
    from assistant.errors import CorpusError

    registry = corpus_copy / "sources.toml"
    registry.write_text(registry.read_text(encoding="utf-8") + "\n" + entry, encoding="utf-8")
    with pytest.raises(CorpusError, match=re.escape(error)):
        load_corpus(corpus_copy)


def test_the_chat_and_the_terminal_show_the_currency_beside_its_quote(corpus, fake_sharewise):
    from assistant.prompts import render
    from assistant.render.markdown import md_escape, quote_values
    from assistant.render.text import answer_text

    doc = corpus.documents["nel-scp-information-sharing"]
    start = doc.text.index("The Seven Caldicott Principles are:")
    caldicott = make_quote(corpus, doc.id, start, doc.text.index("7. The duty to share") - 3, 0.9)
    start = doc.text.index("The Domestic Violence Disclosure Scheme")
    dvds = make_quote(corpus, doc.id, start, doc.text.index("2014.", start) + 5, 0.8)
    md = "\n".join(render("quote", q=v) for v in quote_values([caldicott, dvds]))
    assert md.count("*Currency: ") == 1 and md_escape(caldicott.currency) in md
    assert md.index("Currency: ") < md.index("Domestic Violence")  # under its own quote, not the next one
    turn = fake_sharewise.answer("What are the Caldicott principles?")
    turn = replace(turn, answer=replace(turn.answer, grounded=True, quotes=(caldicott, dvds)))
    text = answer_text(turn)
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("   Currency: "))
    assert caldicott.currency in lines[at] and "Caldicott" in lines[at - 1]


@pytest.mark.slow
def test_clares_law_is_answered_from_the_scheme_never_with_a_bare_myth(real_sharewise):
    answer = real_sharewise.find_guidance("what is Clare's Law")
    assert answer.grounded and answer.quotes
    assert any("Domestic Violence Disclosure Scheme" in q.section for q in answer.quotes)
    for q in answer.quotes:
        assert ("Consent is always needed" in q.text) == ("No – you do not necessarily need consent" in q.text)
