"""A question naming a provision ("sch 1 para 18", "art 6(1)(e)", "s47") reaches that provision's text first,
on the real corpus chunked as the index chunks it; a number that is not a provision here reaches nothing."""

import json
import time

import pytest

from assistant.chunking import chunk_corpus
from assistant.embedding import ModelTokenizer
from assistant.metrics import Span, covers, locate
from assistant.provisions import find_provisions
from assistant.settings import Settings

from .conftest import REPO

WINDOW = 256


@pytest.fixture(scope="module")
def chunks(corpus):
    s = Settings()
    return tuple(chunk_corpus(corpus, ModelTokenizer(s.model_dir).ids, s.chunk_tokens, s.chunk_overlap, WINDOW))


def first(question, chunks):
    ids = find_provisions(question, chunks)
    by_id = {c.id: c for c in chunks}
    return by_id[ids[0]] if ids else None


# (practitioner's spelling, heading the first chunk must be under, words that chunk must hold)
SPELLINGS = [
    ("article 6(1)(e) public task - what is it", "Article 6 — ", "(e) processing is necessary for the performance"),
    ("art 6 1 e", "Article 6 — ", "(e) processing is necessary for the performance"),
    ("Art.6(1)(c) legal obligation", "Article 6 — ", "(c) processing is necessary for compliance"),
    ("Article 6(5) - what does it add", "Article 6(5) and (6)", "5. For the purposes of paragraph 1(ea)"),
    ("Art 9(2)(a) explicit consent", "Article 9 — ", "(a) the data subject has given explicit consent"),
    # Article 9(2)(g) is not in the extract: the DPA provision that names it is where UK law gives it content.
    ("Art.9(2)(g)", "Section 10 — ", "requirement in point (g) of Article 9(2)"),
    ("Which kinds of personal data does Article 9(1) prohibit processing of?", "Article 9 — ", "1. Processing"),
    ("article 7(3) withdrawing consent", "Article 7 — ", "right to withdraw"),
    ("para 18", "Schedule 1, paragraph 18 — ", "18 (1) This condition is met"),
    ("paragraph 18 of schedule 1", "Schedule 1, paragraph 18 — ", "18 (1) This condition is met"),
    ("sch 1 para 10", "Schedule 1, paragraph 10 — ", ""),
    ("sch1 p18", "Schedule 1, paragraph 18 — ", ""),
    ("DPA 2018 Schedule 1, Part 2, paragraph 18(2) reasons", "Schedule 1, paragraph 18 — ", "(2) The reasons"),
    ("section 47", "Children Act 1989, section 47", ""),
    ("s47 - at what point does the LA have to do enquiries", "Children Act 1989, section 47", "such enquiries"),
    ("s.47 strategy", "Children Act 1989, section 47", ""),
    ("s 115", "Crime and Disorder Act 1998, section 115", ""),
    ("Under section 115 of the Crime and Disorder Act, does a district council count?",
     "Crime and Disorder Act 1998, section 115", "a district council"),
    ("s.16 PCSC", "Police, Crime, Sentencing and Courts Act 2022, section 16", ""),
    ("pcsc act s.16 - if we share under it are we breaching confidentiality",
     "Police, Crime, Sentencing and Courts Act 2022, section 16", "does not breach"),
    ("section 16E", "Children Act 2004, section 16E", ""),
    ("s.4 CWSA", "Children's Wellbeing and Schools Act 2026, section 4", ""),
    ("children’s wellbeing and schools act s78 - when does it start", "Children's Wellbeing and Schools Act 2026, "
     "section 78", ""),
    ("s 8 DPA", "Section 8 — ", ""),
    ("dpa s208 whats the age in scotland", "Section 208 — ", ""),
    ("s.10(3)", "Section 10 — ", "(3) The processing meets the requirement in point (g)"),
    ("Annex 1", "Annex 1, paragraph 1 — ", ""),
    ("annex 1 para 6 - safeguarding", "Annex 1, paragraph 6 — ", ""),
    ("paragraph 7 of annex 1", "Annex 1, paragraph 6 — ", "7. In paragraph 6"),
]


@pytest.mark.parametrize("question,heading,holds", SPELLINGS)
def test_a_named_provision_comes_first(chunks, question, heading, holds):
    c = first(question, chunks)
    assert c is not None, f"{question!r} found no provision"
    assert c.section[-1].startswith(heading), f"{question!r} -> {c.section[-1]!r}"
    assert holds in c.text


@pytest.mark.parametrize("question", [
    "section 17", "s17 child in need - do I share?",  # Children Act 1989 s.17: no extract here
    "and if she's 17?", "and if shes just turned 18?", "a 15 yr old in yr 9", "is it 20 working days",
    "we had a 1:1 session", "Article 8 ECHR", "Article 6 ECHR fair trial",  # the Convention, not the UK GDPR
    "s42 care act", "section 20 voluntary accommodation", "section 8 order", "section 11 of the Children Act 2004",
    "s4",  # alone, as often Children Act 1989 s.4 as the 2026 Act
    "para 7",  # omitted from the DPA extract
    "Article 6(3)", "s.16(7) PCSC",  # not captured: nothing rather than the neighbouring text
    "Schedule 2 para 5", "", "   ", "How do I bake bread?",
    # an Article as a kind of thing, not a text to read: which basis is the question, not Article 6's words
    "do i need an art 6 basis AND an art 9 condition? which art 9 one covers safeguarding",
])
def test_what_is_not_a_provision_here_finds_nothing(chunks, question):
    assert find_provisions(question, chunks) == ()


def test_each_provision_named_gets_its_chunk_before_any_second_chunk(chunks):
    ids = find_provisions("para 18 or art 9 - which do i quote?", chunks)
    by_id = {c.id: c for c in chunks}
    assert [by_id[i].section[-1][:24] for i in ids[:2]] == ["Schedule 1, paragraph 18", "Article 9 — Processing o"]
    assert len(find_provisions("para 18 or art 9", chunks, per_provision=1)) == 2


def test_only_legislation_chunks_are_returned_deterministically_and_fast(chunks):
    legislation = {c.id for c in chunks if c.doc_id != "nel-scp-information-sharing"}
    questions = [q for q, _, _ in SPELLINGS]
    for q in questions:
        ids = find_provisions(q, chunks)
        assert set(ids) <= legislation and len(set(ids)) == len(ids)
        assert find_provisions(q, chunks) == ids
    t0 = time.perf_counter()
    for _ in range(10):
        for q in questions:
            find_provisions(q, chunks)
    assert (time.perf_counter() - t0) / (10 * len(questions)) < 0.005  # measured about 0.1 ms


def test_the_provision_found_first_holds_the_answer_to_each_legislation_question(corpus, chunks):
    """On the tuning questions: every legislation question naming a provision gets, first, a chunk that
    covers one of its gold spans."""
    rows = [json.loads(line) for line in (REPO / "evals" / "questions-new-a.jsonl").read_text().splitlines()]
    checked = 0
    for q in rows:
        if q["kind"] != "legislation":
            continue
        c = first(q["question"], chunks)
        assert c is not None, q["id"]
        gold = [locate(corpus, g) for g in q["gold_spans"]]
        assert any(covers(Span(c.doc_id, c.start, c.end, c.text), g) for g in gold), q["id"]
        checked += 1
    assert checked >= 8
