"""Deterministic extraction: each fact with the words it came from; negation and doubt respected."""


import pytest

from assistant.extraction_metrics import score
from assistant.rules.extract import extract_facts

from .conftest import REPO


def facts(text):
    return extract_facts(text)


def test_each_fact_carries_its_trigger_words():
    text = "My pupil, a 15-year-old girl, told me in confidence that her stepdad hits her."
    f = facts(text)
    assert f.get("protected_person_age") == 15 and f.sources["protected_person_age"] == "15-year-old"
    assert f.get("given_in_confidence") is True and f.sources["given_in_confidence"] in text
    assert "criminal_offence" in f.get("data_categories")
    for name, words in f.sources.items():
        for part in words.split(", "):
            assert part.split(" (inferred")[0] in text, (name, words)


def test_negation_is_not_read_as_the_fact():
    f = facts("Teacher. He is 9 and I have no concerns about harm, but he seems tired.")
    assert f.get("child_harm_level") == "none" and f.sources["child_harm_level"].startswith("no concerns")
    g = facts("GP. A patient (45) with no care and support needs says her partner is verbally abusive.")
    assert g.get("adult_care_support_needs") is False
    assert "no care and support needs" in g.sources["adult_care_support_needs"]
    h = facts("He says no one has been home for days. I'm referring to children's social care.")
    assert h.get("consent_status") != "refused"


def test_doubt_is_not_read_as_the_fact():
    f = facts("Teacher. I'm not sure whether he has bruises, he wouldn't show me. He is 9.")
    assert f.get("child_harm_level") == "unsure_if_reasonable_cause"


def test_refusal_survives_an_unrelated_negation_earlier_in_the_sentence():
    f = facts("Priya (14) says she isn't suicidal and begged me not to tell her parents.")
    assert f.get("consent_status") == "refused"


def test_nothing_is_proposed_from_nothing():
    assert extract_facts("Hello").values == {}


def test_extraction_on_the_worked_scenarios_stays_precise():
    table, errors = score([REPO / "evals" / "scenarios.yaml"])
    primary = table["_primary_micro"]
    assert primary["precision"] >= 0.95 and primary["recall"] >= 0.85, errors


# Negation and scope ---------------------------------------------------------------------------------------------

def test_a_denied_offence_makes_no_alleged_perpetrator():
    f = facts("Police. He hasn't been charged with anything. I want to tell the school about his brother.")
    assert f.get("data_subject_role") != "alleged_perpetrator"
    assert "criminal_offence" not in (f.get("data_categories") or ())


def test_no_concerns_are_neither_danger_nor_confidence():
    f = facts("Health visitor. No concerns about harm to the baby, mum is coping well.")
    assert f.get("child_harm_level") == "none" and f.get("emergency") is not True
    assert f.get("given_in_confidence") is None  # a professional setting alone is not a stated confidence
    g = facts("Teacher. There were no bruises on him when I checked. He is 8.")
    assert g.get("child_harm_level") is None and not g.get("data_categories")
    assert facts("She never said no to me sharing it.").get("consent_status") is None
    assert facts("She agreed, and I told her consent can be taken back later.").get("consent_status") != "withdrawn"


def test_a_refusal_to_tell_the_family_is_not_a_refusal_to_tell_social_care():
    f = facts("Lily (14) doesn't want her father to know, but I'm referring to children's social care.")
    assert f.get("consent_status") != "refused" and f.get("recipient") == "la_childrens_social_care"
    g = facts("she's happy for me to refer her to the sexual health clinic but doesnt want her dad to know")
    assert g.get("consent_status") == "given_not_explicit" and g.get("recipient") == "health"


def test_consent_to_early_help_is_not_consent_to_police():
    f = facts("Mum agreed to early help but not to police involvement.")
    assert f.get("consent_status") == "given_not_explicit" and f.get("purpose") == "early_help"
    assert f.get("recipient") != "police"


def test_the_speakers_role_is_not_the_recipient():
    f = facts("I work for the police and need to let his school know about the arrest.")
    assert f.get("recipient") == "school" and f.get("sharer_type") == "public_authority"
    assert facts("I'm a police officer and want to tell the school.").get("recipient") == "school"


# False friends ----------------------------------------------------------------------------------------------------

def test_seventeen_is_an_age_and_a_handbook_section_is_not_the_children_act():
    for text in ("She's 17 and lives with her aunt.", "He turned 17 last month.", "17yo girl, no concerns."):
        f = facts(text)
        assert f.get("protected_person_age") == 17 and f.get("request_basis") is None, text
        assert f.get("purpose") != "s17_child_in_need", text
    g = facts("Under section 17 of our handbook we log all concerns.")
    assert g.get("request_basis") is None and g.get("purpose") is None
    assert facts("Social care have asked under s17 for his attendance.").get("request_basis") == "s17_CA1989"


def test_health_and_safety_is_not_health_and_pc_is_a_constable():
    f = facts("Our health and safety policy says log it. Can I give the pupil's address to the trip company?")
    assert "health" not in (f.get("data_categories") or ())
    g = facts("PC Smith asked me for the boy's attendance record.")
    assert g.get("recipient") == "police" and g.get("given_in_confidence") is None
    assert facts("Kids were killing time in the park.").get("emergency") is None


# Ordinary spelling and shorthand --------------------------------------------------------------------------------

def test_missing_apostrophes_and_lower_case():
    f = facts("hes 15 and doesnt want me to tell anyone")
    assert f.get("protected_person_age") == 15 and f.get("consent_status") == "refused"
    g = facts("dont know if its enough, shes in yr 9 and hes her stepdad")
    assert g.get("protected_person_age") == 13 and "yr 9" in g.sources["protected_person_age"]


def test_shorthand_for_roles_and_services():
    assert facts("SW asked for info on the family").get("recipient") == "la_childrens_social_care"
    assert facts("HV visit: baby 6 months, mum low mood").get("sharer_type") == "public_authority"
    assert facts("HV visit: baby 6 months, mum low mood").get("protected_person_age") == 0
    assert facts("It's a cp case, so I'm making a cp referral").get("purpose") == "child_protection_referral"
    assert facts("the SW on a s47 wants his records").get("request_basis") == "s47_CA1989"


def test_what_was_all_over_the_papers_is_already_public():
    f = facts("He's on licence for offences against a child - it was all over the local paper when he was sentenced.")
    assert f.get("already_public_or_readily_available") is True and "all over the local paper" in \
        f.sources["already_public_or_readily_available"]
    assert facts("None of this has been in the papers.").get("already_public_or_readily_available") is False


def test_confidence_is_read_only_from_words_that_say_so():
    assert facts("Year 9 girl told me privately her dad hits her").get("given_in_confidence") is True
    assert facts("GP. My patient (45) says her partner is verbally abusive.").get("given_in_confidence") is None


# Danger in extraction ---------------------------------------------------------------------------------------------

def test_danger_sets_emergency_with_its_words():
    text = "Year 10 girl just told me she's planning on ending her life tonight"
    f = facts(text)
    assert f.get("emergency") is True and f.sources["emergency"] in text
    g = facts("Tenancy officer. It isn't an emergency but I'm worried about her.")
    assert g.get("emergency") is False


# Per data subject ----------------------------------------------------------------------------------------------

def test_a_parents_records_are_a_second_data_subject():
    from assistant.rules.extract_subjects import SubjectFacts, extract_subjects

    text = "Social worker rang about a section 47 enquiry for Amir (6) and wants mum's mental health records."
    main = facts(text)
    assert main.get("data_subject_role") == "child"
    (parent,) = extract_subjects(text)
    assert isinstance(parent, SubjectFacts) and parent.role == "parent_carer"
    assert parent.facts.get("data_subject_role") == "parent_carer"
    assert parent.facts.get("data_categories") == frozenset({"health"})
    assert parent.facts.get("request_basis") == main.get("request_basis") == "s47_CA1989"
    assert parent.facts.get("protected_person_age") == 6 and parent.facts.get("protected_person") == "other_child"
    for words in parent.facts.sources.values():
        assert words.split(" (inferred")[0] in text


def test_one_subject_gives_no_other_subjects():
    from assistant.rules.extract_subjects import extract_subjects

    assert extract_subjects("Teacher. Lily (9) came in with bruises. Referring to MASH.") == []
    assert extract_subjects("Mum has no mental health history. Lily (9) is fine.") == []
    (perp,) = extract_subjects("Teacher. Lily (9) has a bruise and says her stepdad has previous for domestic abuse.")
    assert perp.role == "alleged_perpetrator" and "criminal_offence" in perp.facts.get("data_categories")


# Measurement -------------------------------------------------------------------------------------------------------

def test_situations_score_recall_only_over_stated_facts(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("situations:\n- id: X1\n  text: Teacher. Jo (9) has a bruise.\n"
                    "  stated: [protected_person_age]\n"
                    "  facts: {protected_person_age: 9, emergency: false, purpose: child_protection_referral}\n",
                    encoding="utf-8")
    table, _ = score([path])
    assert table["protected_person_age"]["tp"] == 1
    assert table.get("purpose", {"fn": 0})["fn"] == 0  # not stated: a miss does not count against recall


def test_danger_scoring_lists_the_misses(tmp_path):
    from assistant.extraction_metrics import danger_score

    path = tmp_path / "d.yaml"
    path.write_text("texts:\n- {id: A, danger: true, text: he has a knife in his waistband and is outside now}\n"
                    "- {id: B, danger: true, text: she seems a bit sad}\n"
                    "- {id: C, danger: false, text: killing time in the library}\n", encoding="utf-8")
    d = danger_score(path)
    assert d["recall"] == 0.5 and d["false_alarm_rate"] == 0.0 and d["misses"][0].startswith("B")


@pytest.mark.parametrize("text, recipient", [
    ("yr 9 girl says her dad hit her last night, can i tell sw without asking mum", "la_childrens_social_care"),
    ("can i tell sw without asking mum", "la_childrens_social_care"),
    ("her dad has asked for a copy of her records", "parent_carer"),
    ("A 14-year-old says her mum slaps her. I am worried.", None),  # a parent named is not a recipient by itself
])
def test_who_receives_is_who_is_told_or_asks_not_every_parent_named(text, recipient):
    assert extract_facts(text).get("recipient") == recipient
