"""Deterministic extraction: each fact with the words it came from; negation and doubt respected."""


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
