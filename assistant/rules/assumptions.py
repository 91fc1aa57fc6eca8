"""Assumptions: the defaults a practitioner rarely states, applied only where a fact is not known, and always
visibly. Each is shown as "assumed: change if not" with the reason it is assumed, and a flag whose status
would change without it says that it rests on it. Nothing here is ever applied silently."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..types import Assumption
from .facts import Facts

PUBLIC_BODIES = ("public_authority", "health_professional", "social_work_professional")
PROFESSIONALS = PUBLIC_BODIES + ("voluntary_or_private_org", "independent_school")


@dataclass(frozen=True)
class Default:
    """Assume `value` for `fact` when it is not known and `when(facts so far)` holds. A quiet assumption is
    listed but not repeated beside each flag or asked about (it is true of nearly every question asked)."""

    fact: str
    value: Any
    why: str
    when: Callable[[Facts], bool]
    quiet: bool = False
    words: str = ""  # the assumption in a few words ("this rests on an assumption: ...")


def _always(f: Facts) -> bool:
    return True


def _organisation(f: Facts) -> bool:
    """Sharing for an organisation (or not said: most practitioners asking share for one)."""
    return f.get("sharer_type") != "private_individual"


def _professional(f: Facts) -> bool:
    return f.get("sharer_type") in PROFESSIONALS or f.get("sharer_type") is None


ADULT_ROLES = ("parent_carer", "alleged_perpetrator", "adult_service_user")


def _an_adult_consents(f: Facts) -> bool:
    """The person whose information it is is an adult (a parent, an adult service user), who gave consent."""
    return f.get("data_subject_role") in ADULT_ROLES and f.get("consent_status") in ("given_explicit",
                                                                                  "given_not_explicit")


def _a_child(f: Facts) -> bool:
    age = f.get("protected_person_age")
    return isinstance(age, int) and age < 18 or age == "unborn"


DEFAULTS: tuple[Default, ...] = (
    Default("jurisdiction", "England",
            "Sharewise's guidance is for England; say if you work in Wales, Scotland or Northern Ireland.", _always,
            words="you work in England"),
    Default("personal_data", True,
            "Information about a child or family you could identify is personal data.", _always, quiet=True,
            words="the information identifies someone"),
    Default("emergency", False,
            "Nothing you wrote says someone is in immediate danger now. If they are, call 999.",
            lambda f: f.get("danger_suspected") is not True,
            words="no one is in immediate danger"),
    Default("apd_in_place", True,
            "An organisation that shares health or crime information keeps an appropriate policy document for "
            "DPA 2018 Schedule 1 (councils, the NHS, police and schools do); ask your DPO to confirm yours covers "
            "safeguarding.", _organisation,
            words="your organisation has an appropriate policy document"),
    Default("given_in_confidence", True,
            "What you learn in a clinical, counselling or professional relationship is treated as given in "
            "confidence unless you say otherwise.", _professional,
            words="it was told to you in confidence"),
    Default("sensitive", True,
            "Information about a child's welfare, health or family life is treated as sensitive.", _always,
            words="the information is sensitive"),
    Default("already_public_or_readily_available", False,
            "Safeguarding information is rarely public; say if it is already lawfully public.", _always,
            words="it is not already public"),
    Default("purpose", "child_protection_referral",
            "You are telling children's social care (or the police) about a concern of significant harm to a child: "
            "a child protection referral. Say if it is for something else.",
            lambda f: f.get("recipient") in ("la_childrens_social_care", "police")
            and f.get("child_harm_level") in ("evidence_significant_harm", "reasonable_cause_significant_harm"),
            words="this is a child protection referral"),
    Default("sharing_within_confider_understanding", False,
            "Something told in confidence is not expected to be passed on; say if they agreed it could be.",
            lambda f: f.get("given_in_confidence") is True,
            words="they did not agree to it being passed on"),
    Default("request_basis", "proactive",
            "You are raising this yourself; say if someone asked you for it and which law they named.", _always,
            words="no one asked you for it under a law"),
    Default("economic_wellbeing_at_risk", True,
            "An adult safeguarding concern about a crime against an adult is read as a risk to their money or "
            "property (DPA 2018 Sch 1 para 19); say if it is not.",
            lambda f: f.get("purpose") == "adult_safeguarding_s42"
            and f.get("crime_purpose") in ("serious_crime", "other_crime"),
            words="the risk is to the adult's money or property"),
    Default("capacity_or_competence", "has_capacity",
            "An adult is presumed to have capacity to decide unless it is shown they lack it (Mental Capacity Act "
            "2005 s.1(2)); say if you doubt it.", _an_adult_consents,
            words="the adult can decide for themselves"),
    Default("consenter_is_alleged_source_of_harm", False,
            "No harm is alleged, so whoever consented is not an alleged source of harm.",
            lambda f: f.get("child_harm_level") in ("none", "child_in_need_or_early_help")
            and f.get("adult_harm_level") in (None, "none") and f.get("crime_purpose") in (None, "none"), quiet=True),
    Default("adult_harm_level", "none",
            "The person to protect is a child, so the test for serious harm to an adult does not arise.", _a_child,
            words="no adult is at risk of serious harm"),
)


QUIET = frozenset(d.fact for d in DEFAULTS if d.quiet)


def applicable(facts: Facts) -> tuple[Assumption, ...]:
    """The assumptions that fill facts not known, in a fixed order, each seeing the ones before it (same facts,
    same assumptions)."""
    out: list[Assumption] = []
    for d in DEFAULTS:
        if not facts.known(d.fact) and d.when(facts):
            out.append(Assumption(d.fact, d.value, d.why))
            facts = with_values(facts, {d.fact: d.value})
    return tuple(out)


def with_values(facts: Facts, values: dict[str, Any]) -> Facts:
    """The facts with some values set (None removes one); the words stay with the facts they came from."""
    merged = dict(facts.values)
    for name, value in values.items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = value
    return Facts(merged, {k: v for k, v in facts.sources.items() if k in merged and k not in values})
