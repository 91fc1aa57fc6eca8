"""Which questions are shown: at most five, and a value read wrongly from the practitioner's words that decides a
flag must be among them, not crowded out by confirmations of routine assumptions (which are seldom wrong)."""

import yaml

from assistant.rules import determine, parse_facts
from assistant.rules.facts import Edits, Facts

from .conftest import REPO

CASES = yaml.safe_load((REPO / "tests" / "fixtures" / "rule_cases.yaml").read_text(encoding="utf-8"))

# A nursery's early help concern as the words were read: "hungry" read as health information. Below the threshold,
# the emergency, harm to an adult and a s.47 request could each change two flags, and are assumed.
EARLY_HELP = Facts(
    {"protected_person_age": 3, "data_subject_role": "child", "protected_person": "same_as_data_subject",
     "child_harm_level": "child_in_need_or_early_help", "consent_status": "not_sought", "purpose": "early_help",
     "sharer_type": "voluntary_or_private_org", "recipient": "la_childrens_social_care", "crime_purpose": "none",
     "data_categories": frozenset({"health"}), "sensitive": True},
    {"protected_person_age": "(3)", "data_subject_role": "(3)", "protected_person": "(3)",
     "child_harm_level": "early help", "consent_status": "haven't spoken to", "purpose": "early help",
     "sharer_type": "private", "recipient": "social services", "data_categories": "hungry", "sensitive": "hungry"})
# A childminder asked by one parent about another child, read as the child's own parent asking ("(4)").
PARENT_ASKS = Facts(
    {"protected_person_age": 4, "data_subject_role": "child", "protected_person": "same_as_data_subject",
     "child_harm_level": "none", "consent_status": "not_sought", "purpose": "immigration_or_other",
     "sharer_type": "voluntary_or_private_org", "recipient": "parent_carer", "crime_purpose": "none",
     "data_categories": frozenset({"ordinary"})},
    {"protected_person_age": "(4)", "data_subject_role": "(4)", "protected_person": "(4)", "recipient": "mums"})


def shown(facts):
    return {q.fact: q for q in determine(facts).questions}


def test_a_misread_kind_of_information_that_decides_schedule_1_is_offered_for_correction():
    asked = shown(EARLY_HELP)
    assert len(asked) <= 5
    q = asked.get("data_categories")
    assert q is not None and q.current == frozenset({"health"}) and q.source == "hungry", list(asked)
    corrected = determine(Edits.of({"data_categories": ["ordinary"]}).apply(EARLY_HELP))
    assert corrected.schedule_1.status == "not_needed"


def test_whom_the_sharing_protects_is_offered_when_it_decides_the_public_interest():
    asked = shown(PARENT_ASKS)
    assert {"recipient", "protected_person"} <= set(asked), list(asked)
    assert asked["protected_person"].current == "same_as_data_subject"
    corrected = determine(Edits.of({"protected_person": "other_child"}).apply(PARENT_ASKS))
    assert corrected.public_interest.status == "does_not_apply" and "R-GW-privreq" in corrected.public_interest.rule_ids


def test_what_is_not_known_is_asked_before_any_value_in_force_is_confirmed():
    for removed in ("crime_purpose", "consent_status", "data_categories", "recipient", "child_harm_level"):
        facts = Facts({k: v for k, v in EARLY_HELP.values.items() if k != removed},
                      {k: v for k, v in EARLY_HELP.sources.items() if k != removed})
        known = [q.current is not None for q in determine(facts).questions]
        assert known == sorted(known), (removed, [q.fact for q in determine(facts).questions])
    for case in CASES["cases"][:12]:
        raw = {**CASES["base"], **case["facts"]}
        for removed in ("consent_status", "child_harm_level"):
            questions = determine(parse_facts({k: v for k, v in raw.items() if k != removed})).questions
            known = [q.current is not None for q in questions]
            assert known == sorted(known), (case["name"], [q.fact for q in questions])


def test_an_emergency_the_words_describe_is_never_asked_again():
    """Danger first: no answer switches off an emergency read from the words (`Edits.apply`), so offering "is anyone
    in immediate danger?" with "No" as a choice would be a question whose answer is ignored."""
    danger = Facts({**EARLY_HELP.values, "emergency": True}, {**EARLY_HELP.sources, "emergency": "not breathing"})
    d = determine(danger)
    assert d.emergency is not None and "emergency" not in {q.fact for q in d.questions}
    edited = Edits.of({"emergency": False}).apply(danger)
    assert edited.get("emergency") is True and "emergency" not in {q.fact for q in determine(edited).questions}
