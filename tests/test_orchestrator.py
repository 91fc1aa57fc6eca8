"""The orchestrator: every path asks Sharewise.answer / recheck, gets a Turn, and the turn is recorded first."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from assistant.audit import AuditError
from assistant.rules.facts import Edits

HIT = "A 15-year-old told me in confidence her stepdad hits her. Can I refer to children's social care?"


def test_an_answer_is_a_turn_with_facts_from_all_the_words(fake_sw):
    first = fake_sw.answer("A 15-year-old told me in confidence her stepdad hits her.")
    follow = fake_sw.answer("What if she refuses?", history=(first.question,))
    assert follow.history == (first.question,)
    assert follow.facts.get("protected_person_age") == 15          # from the earlier message
    assert follow.facts.get("consent_status") == "refused"          # from this one
    assert follow.determination.consent.status == "does_not_apply"
    assert follow.to_json()["rules"]["consent"]["status"] == "does_not_apply"


def test_an_edit_wins_but_later_words_still_land(fake_sw):
    turn = fake_sw.answer(HIT)
    edits = Edits.of({"data_categories": ["ordinary"]})
    edited = fake_sw.recheck(turn, edits)
    assert edited.facts.get("data_categories") == frozenset({"ordinary"})
    assert edited.answer == turn.answer and edited.kind == "recheck"       # not asked again
    later = fake_sw.answer("She has now told me she does not want me to tell anyone.",
                           history=(turn.question,), edits=edited.edits)
    assert later.facts.get("consent_status") == "refused"                  # the follow-up's words landed
    assert later.facts.get("data_categories") == frozenset({"ordinary"})   # the edit is still the edit
    undone = fake_sw.recheck(later, later.edits.undo("data_categories"))
    assert undone.facts.get("data_categories") == later.extracted.get("data_categories")


def test_no_edit_switches_off_the_emergency_the_words_describe(fake_sw):
    calm = fake_sw.answer(HIT, edits=Edits.of({"emergency": False}))
    assert calm.determination.emergency is None
    danger = fake_sw.answer("Her stepdad says he will kill her tonight.", history=(HIT,), edits=calm.edits)
    assert danger.determination.emergency is not None
    assert danger.facts.get("emergency") is True
    still = fake_sw.recheck(danger, Edits.of({"emergency": "no"}))
    assert still.determination.emergency is not None


def test_a_new_topic_starts_afresh_but_never_drops_the_danger(fake_sw):
    case = fake_sw.answer("A 15-year-old told me in confidence her stepdad hits her.")
    general = fake_sw.answer("whats clares law", history=(case.question,))
    assert not general.answer.follow_up
    assert general.facts.get("protected_person_age") is None        # the case's facts stay with the case
    follow = fake_sw.answer("and if shes 17?", history=(case.question,))
    assert follow.answer.follow_up and follow.facts.get("given_in_confidence") is True
    danger = fake_sw.answer("My pupil says her stepdad will kill her tonight.")
    after = fake_sw.answer("what is Sarah's Law", history=(danger.question,))
    assert danger.determination.emergency is not None
    assert after.determination.emergency is not None and after.facts.get("emergency") is True


def test_out_of_scope_is_declined_with_its_reason_but_danger_still_comes_first(fake_sw):
    turn = fake_sw.answer("foi request in for our referral numbers - is it 20 working days to reply")
    out = turn.to_json()
    assert out["scope"]["in_scope"] is False and "Freedom of Information" in out["scope"]["reason"]
    assert not turn.answer.grounded and not turn.answer.quotes and out["bottom_line"] == ""
    assert out["scope"]["reason"] in turn.answer.message
    from assistant.render.markdown import answer_markdown
    from assistant.render.text import answer_text

    for shown in (answer_text(turn), answer_markdown(turn)):   # the reader is told why, not "nothing found"
        assert "Outside what Sharewise's sources cover" in shown and "Freedom of Information" in shown
        assert "No grounded answer" not in shown
    belfast = fake_sw.answer("GP in Belfast - dad has just said he will kill the baby tonight, what do I do")
    assert belfast.determination.emergency is not None                 # 999 first, whatever the scope


def test_an_in_scope_question_near_the_threshold_gets_the_closest_guidance_marked_weaker(fake_sw):
    from dataclasses import replace as copy

    from assistant.pipeline import Sharewise

    def with_thresholds(min_relevance, weak_relevance):
        s = copy(fake_sw.settings, min_relevance=min_relevance, weak_relevance=weak_relevance)
        return Sharewise(s, fake_sw.corpus, fake_sw.embedder, fake_sw.index)

    weak = with_thresholds(1.01, -1.0).answer("can i tell sw without asking mum")
    assert weak.answer.grounded and weak.answer.weak and weak.answer.quotes
    assert weak.answer.message.startswith("A weaker match") and weak.to_json()["weak_match"] is True
    none = with_thresholds(1.01, 1.01).answer("can i tell sw without asking mum")
    assert not none.answer.grounded and not none.answer.quotes and "No grounded answer" in none.answer.message
    close = fake_sw.answer("can i tell sw without asking mum")
    assert close.answer.grounded and not close.answer.weak and close.answer.message == ""


def test_every_answer_and_recheck_is_recorded_before_it_is_returned(audited_sw):
    turn = audited_sw.answer(HIT, session="s1")
    again = audited_sw.recheck(turn, Edits.of({"consent_status": "refused"}), session="s1")
    assert turn.audit_seq is not None and again.audit_seq == turn.audit_seq + 1
    rows = {r["seq"]: r for r in audited_sw.audit.rows()}
    assert rows[turn.audit_seq]["kind"] == "answer"
    assert rows[again.audit_seq]["kind"] == "recheck"
    assert rows[again.audit_seq]["content"]["answer_seq"] == turn.audit_seq
    assert rows[again.audit_seq]["content"]["edits"] == {"consent_status": "refused"}
    assert rows[again.audit_seq]["content"]["flags"]["consent"]["status"] == "does_not_apply"


def test_an_unrecordable_answer_is_never_returned(audited_sw, monkeypatch):
    def broken(*a, **k):
        raise AuditError("disk full")

    monkeypatch.setattr(audited_sw.audit, "append", broken)
    with pytest.raises(AuditError):
        audited_sw.answer(HIT)


def test_bad_edits_are_named():
    from assistant.rules.facts import FactsError

    with pytest.raises(FactsError, match="consent_status"):
        Edits.of({"consent_status": "maybe"})
    with pytest.raises(FactsError, match="unknown fact"):
        Edits.of({"favourite_colour": "blue"})


@pytest.mark.slow
def test_the_cli_prints_the_same_json_as_the_api(real_sharewise, tmp_path):
    edits_file = tmp_path / "edits.yaml"
    edits_file.write_text("facts:\n  consent_status: refused\n  apd_in_place: yes\n", encoding="utf-8")
    env = {**os.environ, "SHAREWISE_INDEX_DIR": str(real_sharewise.settings.index_dir),
           "SHAREWISE_DATA_DIR": str(tmp_path / "data")}
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "--json", "--history", HIT,
                          "--facts", str(edits_file), "and if she's 17?"], capture_output=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr.decode()
    cli = json.loads(out.stdout)
    api = real_sharewise.answer("and if she's 17?", history=(HIT,),
                                edits=Edits.of({"consent_status": "refused", "apd_in_place": True})).to_json()
    for blob in (cli, api):
        blob.pop("timings_ms")
        blob.pop("audit_seq")
    assert cli == api
    assert cli["rules"]["facts"]["consent_status"] == {"value": "refused"}
    assert cli["edits"] == {"apd_in_place": True, "consent_status": "refused"}


def test_the_cli_refuses_a_bad_edits_file_before_loading_anything(tmp_path):
    bad = tmp_path / "edits.yaml"
    bad.write_text("facts:\n  consent_status: maybe\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "--facts", str(bad), "Can I share?"],
                         capture_output=True, timeout=60)
    assert out.returncode == 2 and b"consent_status" in out.stderr and b"Traceback" not in out.stderr


def test_check_runs_the_rules_step_without_any_model(tmp_path):
    """`sharewise check` needs the corpus (for the rules' quotes) but never the model."""
    env = {**os.environ, "SHAREWISE_MODEL_DIR": str(tmp_path / "no-model-here")}
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "check", "--json",
                          "A 15-year-old told me her stepdad hits her and begged me not to tell."],
                         capture_output=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr.decode()
    result = json.loads(out.stdout)
    assert result["consent"]["status"] == "does_not_apply"
    assert all(r["url"].startswith("https://www.legislation.gov.uk/") for r in result["consent"]["references"])
    assert result["consent"]["quotes"], "rule quotes are bound from the loaded corpus"


def test_each_data_subject_is_checked_on_its_own(fake_sw):
    """A s.47 request that also asks for a parent's health records is two evaluations (rules-spec §2)."""
    from assistant.render import determination_html

    turn = fake_sw.answer("SW here doing a s47 on a 6 year old, I want to ask the GP for mum's mental health records")
    roles = [role for role, _ in turn.determination.others]
    assert "parent_carer" in roles
    other = dict(turn.determination.others)["parent_carer"]
    assert "health" in (other.facts.get("data_categories") or ())
    assert turn.to_json()["rules"]["other_subjects"][0]["data_subject_role"] == "parent_carer"
    assert "parent or carer's own information" in determination_html(turn.determination)  # in words, not a code
    again = fake_sw.recheck(turn, turn.edits.set("consent_status", "refused"))
    assert [r for r, _ in again.determination.others] == roles  # a re-check keeps the other subjects


@pytest.mark.slow
def test_danger_the_words_do_not_settle_is_asked_first(real_sharewise):
    """The second check for danger: an answer to wording the patterns miss opens with the 999 line, and the first
    question is whether anyone is in immediate danger; answering "yes" raises the banner, and nothing else does."""
    from assistant.danger_model import DangerModel
    from assistant.render import answer_markdown
    from assistant.rules.danger import detect_danger

    real_sharewise.danger = DangerModel.open(real_sharewise.embedder)
    text = "tiktok live from one of our looked after kids rn, he's holding pills and counting them on camera"
    assert detect_danger(text) is None  # the words' patterns miss it: only the second check can catch it
    turn = real_sharewise.answer(text)
    assert turn.determination.emergency is None and turn.determination.questions[0].fact == "emergency"
    assert "call 999" in answer_markdown(turn).split("\n", 1)[0].lower()
    yes = real_sharewise.recheck(turn, turn.edits.set("emergency", True))
    assert yes.determination.emergency is not None
    ordinary = real_sharewise.answer("Can I share a pupil's attendance record with the school nurse?")
    assert ordinary.determination.emergency is None
    assert all(q.fact != "emergency" for q in ordinary.determination.questions[:1])
    real_sharewise.danger = None


@pytest.mark.slow
def test_the_kept_danger_weights_are_what_the_examples_teach(real_sharewise):
    """assistant/data/danger_model.npz is the learned model for the bundled model and examples (not stale)."""
    import numpy as np

    from assistant.danger_model import LEARNED, DangerModel

    kept = np.load(LEARNED, allow_pickle=False)
    assert str(kept["model"]) == real_sharewise.embedder.weights_sha256
    fresh = DangerModel.learn(real_sharewise.embedder)
    assert np.allclose(kept["weights"], fresh.weights) and abs(float(kept["bias"]) - fresh.bias) < 1e-9


@pytest.mark.slow
def test_the_learned_scope_look_declines_what_the_table_has_no_words_for_and_never_danger(real_sharewise):
    import numpy as np

    from assistant.scope_model import REASON, ScopeModel

    sw = real_sharewise
    kept = ScopeModel.open(sw.embedder, sw.retriever.second, sw.corpus.glossary)
    assert np.allclose(kept.weights, ScopeModel.learn(sw.embedder, sw.retriever.second, sw.corpus.glossary).weights)
    sw.scope_model = kept
    try:
        # no words of the rule table, but nothing the sources hold: declined with the general scope line
        odd = sw.find_guidance("whats the best way to get a toddler to sleep through the night")
        assert not odd.scope.in_scope and not odd.quotes
        assert odd.scope.reason in (REASON,) or "sources cover England" in odd.scope.reason
        # the commonest school question, and danger, are always answered
        assert sw.find_guidance("yr 9 girl says dad hit her and begged me not to tell, can i tell sw").scope.in_scope
        assert sw.find_guidance("toddler at nursery just had a fit, dad says he gave her his methadone").scope.in_scope
    finally:
        sw.scope_model = None
