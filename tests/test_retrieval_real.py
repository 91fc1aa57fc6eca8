"""Real model, real corpus: questions a practitioner asks find the passages that answer them."""

import pytest

from assistant.quotes import verify_quote

pytestmark = pytest.mark.slow


def sections(answer):
    return [p.chunk.section[-1] for p in answer.passages]


@pytest.mark.parametrize("question, section", [
    ("Can I tell children's social care without asking mum?", "Referring concerns about significant harm"),
    ("What is Clare's Law?", "Domestic Violence Disclosure Scheme (DVDS)"),
    ("Sarah's Law: who do the police tell?", "Child Sex Offender Review (CSOR) Disclosure Scheme"),
    ("What are the seven golden rules for information sharing?", "Seven golden rules for information sharing"),
    ("When is the Schedule 1 safeguarding condition met for an adult at risk?",
     "Schedule 1, paragraph 18 — Safeguarding of children and of individuals at risk"),
    ("Does the knife crime duty let schools share information with the police?", "Serious Violence Duty"),
    ("Who is the Caldicott guardian for North East Lincolnshire?", "Caldicott guardians and the Caldicott principles"),
])
def test_known_passages_are_retrieved_in_the_top_five(real_sharewise, question, section):
    answer = real_sharewise.find_guidance(question)
    assert section in sections(answer), sections(answer)
    assert answer.grounded and answer.quotes
    for q in answer.quotes:
        assert verify_quote(real_sharewise.corpus, q)


def test_the_consent_myth_is_quoted(real_sharewise):
    answer = real_sharewise.find_guidance("Do I always need consent to share information about a child?")
    texts = " ".join(q.text for q in answer.quotes)
    assert "not necessary to seek consent" in texts or "do not necessarily need consent" in texts


def test_a_follow_up_uses_the_earlier_turn(real_sharewise):
    alone = real_sharewise.find_guidance("who can apply for a disclosure?")
    follow = real_sharewise.find_guidance("who can apply for a disclosure?", history=("What is Clare's Law?",))
    assert sections(follow)[0] == "Domestic Violence Disclosure Scheme (DVDS)"
    assert "Members of the public can make an application" in " ".join(p.chunk.text for p in follow.passages)
    assert sections(alone) != sections(follow)


@pytest.mark.parametrize("question", [
    "What's the right dose of liquid paracetamol for a 6 year old?",
    "How do I bake sourdough bread?",
])
def test_out_of_scope_questions_get_no_grounded_answer(real_sharewise, question):
    answer = real_sharewise.find_guidance(question)
    assert not answer.grounded and not answer.quotes
    # declined by what it asks about: the scope line says what the sources cover, and where to go instead
    assert not answer.scope.in_scope and answer.scope.reason in answer.message
    assert "Sharewise's sources cover England" in answer.message and "designated safeguarding lead" in answer.message


def test_timings_are_reported(real_sharewise):
    t = real_sharewise.find_guidance("Can I share without consent?").timings_ms
    assert {"embed_query", "dense", "bm25", "quotes", "total"} <= set(t)


def test_cli_ask_records_the_answer_in_the_audit_trail(real_sharewise, tmp_path):
    import os
    import subprocess
    import sys

    from assistant.audit import AuditStore

    env = {**os.environ, "SHAREWISE_INDEX_DIR": str(real_sharewise.settings.index_dir),
           "SHAREWISE_DATA_DIR": str(tmp_path / "audit")}
    r = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "--json",
                        "Jayden (8), NHS 943 476 5919: can I share without consent?"], capture_output=True, env=env,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    rows = AuditStore(tmp_path / "audit").rows("answer")
    assert len(rows) == 1 and "943 476 5919" not in rows[0]["content"]["question"]


def test_the_commonest_school_question_typed_in_a_hurry_is_never_left_without_guidance(real_sharewise):
    """Issue 12: 'a teenager hit at home who begs the teacher not to tell' had got 'No grounded answer'."""
    answer = real_sharewise.find_guidance("teenager hit at home begs me not to tell, what do i do")
    assert answer.scope.in_scope and answer.grounded and answer.quotes
    assert "No grounded answer" not in answer.message
    assert any("significant harm" in q.text or "consent" in q.text for q in answer.quotes)
