"""The questions that settle the flags, in plain words: for each fact the rules may need, how to ask it and
how to say its choices. Which questions are asked, and in what order, is decided in the engine from what
could change a flag; this module only holds the wording and the ranking of facts by how decisive they
usually are."""

from __future__ import annotations

from typing import Any

from ..types import Option
from .assumptions import DEFAULTS
from .facts import FACTS

# fact -> (the question, {value: label}); values not listed use the vocabulary's own name in words.
WORDING: dict[str, tuple[str, dict[Any, str]]] = {
    "child_harm_level": ("Do you think the child is at risk of significant harm?", {
        "evidence_significant_harm": "Yes: I have evidence they are being, or are likely to be, seriously harmed",
        "reasonable_cause_significant_harm": "I have reasonable cause to suspect it",
        "unsure_if_reasonable_cause": "I'm not sure",
        "child_in_need_or_early_help": "No, but the family needs support (child in need or early help)",
        "none": "No concern about harm"}),
    "consent_status": ("Have you asked for consent to share this, and what was the answer?", {
        "given_explicit": "Yes: they agreed clearly, naming what would be shared and with whom",
        "given_not_explicit": "They agreed, but not in so many words",
        "refused": "They said no",
        "withdrawn": "They agreed, then changed their mind",
        "not_sought": "I haven't asked",
        "cannot_be_given": "They can't give consent (too young, no capacity, unreachable)",
        "cannot_reasonably_be_obtained": "I can't reasonably be expected to get it",
        "seeking_would_increase_risk_to_child": "Asking would put the child at more risk",
        "seeking_would_prejudice_protection": "Asking would get in the way of protecting them",
        "seeking_would_prejudice_crime_investigation": "Asking would tip off someone under investigation"}),
    "given_in_confidence": ("Was this told to you in confidence (for example in a clinical, counselling or "
                            "private conversation)?", {True: "Yes", False: "No"}),
    "already_public_or_readily_available": ("Is this information already public, or easy to get from another "
                                            "public source?", {True: "Yes, it is public", False: "No"}),
    "sensitive": ("Is the information sensitive (something the person would expect to be kept private)?",
                  {True: "Yes", False: "No, it is trivial or routine"}),
    "sharing_within_confider_understanding": ("Did the person who told you understand it could be passed on to "
                                              "this recipient for this purpose?", {True: "Yes", False: "No"}),
    "emergency": ("Is anyone in immediate danger of death or serious injury right now?",
                  {True: "Yes: call 999 now", False: "No"}),
    "apd_in_place": ("Does your organisation have an appropriate policy document for DPA 2018 Schedule 1? "
                     "(Your DPO will know.)", {True: "Yes", False: "No"}),
    "data_categories": ("Does what you would share include health (including mental health), or a crime or an "
                        "allegation of one?", {}),
    "protected_person_age": ("How old is the child (or person) you are trying to protect?", {}),
    "crime_purpose": ("Is sharing about preventing or detecting a crime? Could that crime seriously harm someone?", {
        "serious_crime": "Yes, a crime that could seriously harm a child or an adult",
        "other_crime": "Yes, a less serious crime", "none": "No"}),
    "adult_harm_level": ("Is there a clear risk of serious harm to an adult?", {
        "clear_risk_serious_harm": "Yes, a clear risk of serious harm", "possible_harm": "Possible harm",
        "none": "No"}),
    "purpose": ("What is the sharing for?", {
        "child_protection_referral": "A child protection referral", "s47_enquiry": "A child protection enquiry (s.47)",
        "s17_child_in_need": "A child in need assessment (s.17)", "early_help": "Early help",
        "adult_safeguarding_s42": "Adult safeguarding (Care Act s.42)", "marac_da": "MARAC or domestic abuse",
        "safeguarding_review": "A safeguarding review", "crime_prevention": "Preventing or detecting a crime",
        "serious_violence_duty": "The Serious Violence Duty",
        "health_social_care_provision": "Providing health or social care",
        "immigration_or_other": "Something else"}),
    "recipient": ("Who would you be sharing with?", {
        "la_childrens_social_care": "Children's social care", "la_adult_social_care": "Adult social care",
        "police": "The police", "health": "A health service (GP, school nurse, hospital)", "school": "A school",
        "probation_yot": "Probation or a youth justice team", "safeguarding_partners": "The safeguarding partners",
        "local_policing_body": "A police and crime commissioner", "parent_carer": "A parent or carer",
        "private_individual": "A private person", "other": "Someone else"}),
    "sharer_type": ("Which kind of organisation are you sharing for?", {
        "public_authority": "A council, NHS body, police, state school or academy",
        "health_professional": "A health professional (GP, nurse, health visitor)",
        "social_work_professional": "A social worker",
        "voluntary_or_private_org": "A charity, club or private company",
        "independent_school": "An independent school", "private_individual": "Myself, as a private person"}),
    "capacity_or_competence": ("Can the person whose consent matters understand and decide about this sharing?", {
        "has_capacity": "An adult who can decide", "lacks_capacity": "An adult who cannot decide",
        "child_competent": "A child mature enough to decide", "child_not_competent": "A child too young to decide"}),
    "informing_would_increase_risk_or_prejudice_investigation": (
        "Would telling the family that you are sharing put anyone at risk, or get in the way of an investigation?",
        {True: "Yes", False: "No"}),
    "request_basis": ("If you were asked for it, what law did the person asking name?", {
        "proactive": "Nobody asked: I am raising it", "s47_CA1989": "Children Act 1989 s.47 (child protection)",
        "s17_CA1989": "Children Act 1989 s.17 (child in need)", "court_order": "A court order",
        "police_no_statute": "The police asked without naming a law", "dvds": "The Domestic Violence Disclosure "
        "Scheme (Clare's Law)", "csods": "The Child Sex Offender Disclosure Scheme (Sarah's Law)",
        "other_statute": "Another law"}),
    "data_subject_role": ("Whose information is it?", {
        "child": "The child's", "parent_carer": "A parent's or carer's",
        "alleged_perpetrator": "The person suspected of harm", "adult_service_user": "An adult's (service user)",
        "other_third_party": "Someone else's"}),
    "protected_person": ("Who is the sharing meant to protect?", {
        "same_as_data_subject": "The person the information is about", "other_child": "Another child",
        "other_adult": "Another adult", "group_of_people": "A group of people", "none": "No one in particular"}),
}

# The order of asking when several facts could change the same flags: the most decisive first.
PRIORITY = ("emergency", "child_harm_level", "consent_status", "protected_person_age", "data_categories",
            "given_in_confidence", "crime_purpose", "adult_harm_level", "recipient", "protected_person",
            "data_subject_role", "purpose", "sharer_type", "capacity_or_competence", "apd_in_place",
            "already_public_or_readily_available", "sensitive", "sharing_within_confider_understanding",
            "informing_would_increase_risk_or_prejudice_investigation", "request_basis")

_SETS = ((frozenset({"health"}), "Health, including mental health"),
         (frozenset({"criminal_offence"}), "A crime or an allegation"),
         (frozenset({"health", "criminal_offence"}), "Both"), (frozenset({"ordinary"}), "Neither"))


def question_for(fact: str) -> tuple[str, tuple[Option, ...]]:
    """The question and its choices in plain words (an age question has no fixed choices)."""
    spec = FACTS[fact]
    question, labels = WORDING.get(fact, (spec.ask, {}))
    if spec.kind == "set":
        return question, tuple(Option(sorted(v), label) for v, label in _SETS)
    if spec.kind == "age":
        return question, ()
    if spec.kind == "bool":
        return question, tuple(Option(v, labels.get(v, "Yes" if v else "No")) for v in (True, False))
    if spec.kind == "enum":
        return question, tuple(Option(v, labels.get(v, v.replace("_", " "))) for v in spec.values)
    return question, ()


def rank(fact: str) -> int:
    return PRIORITY.index(fact) if fact in PRIORITY else len(PRIORITY)


# fact -> what it is about, as the end of "it depends on ..."
TOPIC: dict[str, str] = {
    "child_harm_level": "whether the child is at risk of significant harm",
    "consent_status": "whether consent was asked for, and the answer",
    "given_in_confidence": "whether it was told to you in confidence",
    "already_public_or_readily_available": "whether it is already public",
    "sensitive": "whether the information is sensitive",
    "sharing_within_confider_understanding": "whether the person expected it to be passed on",
    "emergency": "whether anyone is in immediate danger",
    "apd_in_place": "whether your organisation has an appropriate policy document",
    "data_categories": "whether it includes health or crime information",
    "protected_person_age": "the age of the person to protect",
    "crime_purpose": "whether a serious crime is involved",
    "adult_harm_level": "whether an adult is at risk of serious harm",
    "purpose": "what the sharing is for",
    "recipient": "who you would share with",
    "sharer_type": "what kind of organisation you share for",
    "capacity_or_competence": "whether the person can decide for themselves",
    "consent_quality": "whether the consent was informed, free and specific",
    "informing_would_increase_risk_or_prejudice_investigation": "whether telling the family would put anyone at risk",
    "request_basis": "what law the person asking relies on",
    "data_subject_role": "whose information it is",
    "protected_person": "who the sharing would protect",
    "personal_data": "whether the information identifies anyone",
    "jurisdiction": "which UK nation you work in",
    "economic_wellbeing_at_risk": "whether the risk is to the adult's money or property",
}



def topic(fact: str) -> str:
    return TOPIC.get(fact, fact.replace("_", " "))


def assumed_words(fact: str, value: object) -> str:
    """The assumption in a few words, as the end of "this rests on an assumption: ..."."""
    return next((d.words for d in DEFAULTS if d.fact == fact and d.value == value and d.words),
                f"{fact.replace('_', ' ')} is {value}")
