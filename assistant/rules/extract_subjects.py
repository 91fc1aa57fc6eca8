"""The other data subjects in a practitioner's words, each with the facts for that person's own data.

The rules spec evaluates facts per data subject (§2): a s.47 request about a child that also asks for the
mother's mental health records is two evaluations, the child's data and the parent's. `extract_subjects(text)`
returns one `SubjectFacts` for each other person whose own data the words name (a parent's mental health or
drinking, a partner's convictions), and an empty list when there is only one subject. Each subject's facts are
the main facts (`extract_facts`) changed only where the words say so: the role, the data categories read from
the words about that person, the sensitivity that follows, whom the sharing protects (the child, when the main
subject is the child the sharing protects) and no consent unless the consent words name that person. Patterns
only, like the rest of extraction; every changed fact carries its words in `Facts.sources`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .extract import extract_facts
from .facts import Facts

IC = re.IGNORECASE
APOS = "['’]?"

PARENT = r"(?:mum|mam|mom|mummy|mother|dad|daddy|father|parents?|stepdad|step-dad|stepmum|step-mum)"
PARTNER = r"(?:(?:her|his|their|mum['’]?s|mums|dad['’]?s|dads) (?:partner|boyfriend|girlfriend|ex|husband|wife)|" \
          r"stepdad|step-dad|(?:the|a|this) (?:man|woman|adult|lodger|uncle))"
HEALTH = r"(?:mental health|mental illness|depress\w*|low mood|psychosis|psychotic|bipolar|schizophreni\w*|anxiety|" \
         r"postnatal|perinatal|drink(?:ing)?|alcohol\w*|drug(?:s| use| misuse)?|substance|detox|heroin|cocaine|" \
         r"cannabis|medication|overdos\w*|self[- ]harm\w*|suicid\w*|diagnos\w*|disabilit\w*|pregnan\w*|medical|" \
         r"health (?:records|history|information)|gp records|hospital records|dementia|learning disabilit\w*)"
CRIME = r"(?:convict\w*|criminal (?:record|history|convictions?)|arrest\w*|charged|charges|cautions?|offen[cs]\w*|" \
        r"on licence|prison|custody|police record|previous (?:for|partners)|domestic (?:abuse|violence)|" \
        r"assault\w*|abh|gbh|sex offender|indecent images)"
DATA = rf"(?:{HEALTH}|{CRIME})"
LINK = r"(?:['’]?s|s)?\s+(?:[\w'’-]+\s+){0,5}?"

SUBJECTS: list[tuple[str, re.Pattern]] = [
    ("alleged_perpetrator", re.compile(rf"\b{PARTNER}{LINK}(?:has |had |with )?(?:\w+ )?{CRIME}\b", IC)),
    ("alleged_perpetrator", re.compile(rf"\b{CRIME}\s+(?:of|for|against|on|about)\s+{PARTNER}\b", IC)),
    ("parent_carer", re.compile(rf"\b{PARENT}(?!{APOS}s? (?:new )?(?:partner|boyfriend|girlfriend|ex|husband|wife)\b)"
                                rf"{LINK}{DATA}\b", IC)),
    ("parent_carer", re.compile(rf"\b{DATA}\s+(?:\w+\s+)?(?:of|about|on|for)\s+(?:her|his|their|the (?:child|baby)"
                                rf"{APOS}s|the)\s+{PARENT}\b", IC)),
]
NOT_DATA = re.compile(r"\b(?:no|not|never|without|nothing|hasn['’]?t|hasnt|isn['’]?t|isnt|doesn['’]?t|doesnt)\b", IC)
CONSENTS = ("consent_status", "consent_quality", "capacity_or_competence", "consenter_is_alleged_source_of_harm")


@dataclass(frozen=True)
class SubjectFacts:
    """Another data subject: its `data_subject_role` value and the facts for that person's own data."""

    role: str
    facts: Facts


def _categories(words: str) -> list[str]:
    cats = []
    if re.search(HEALTH, words, IC):
        cats.append("health")
    if re.search(CRIME, words, IC):
        cats.append("criminal_offence")
    return cats


def extract_subjects(text: str, main: Facts | None = None) -> list[SubjectFacts]:
    """The data subjects other than the main one, each with its own facts; empty when there is one subject.
    `main` is `extract_facts(text)` when the caller already has it (it is not read twice)."""
    main = extract_facts(text) if main is None else main
    main_role = main.get("data_subject_role")
    found: dict[str, tuple[list[str], str]] = {}
    taken: list[tuple[int, int]] = []
    for role, pattern in SUBJECTS:
        if role == main_role or role in found:
            continue
        for m in pattern.finditer(text):
            words = m.group(0)
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue  # the same words already name a subject ("her stepdad has previous"): one person
            if NOT_DATA.search(words) or NOT_DATA.search(text[max(0, m.start() - 25):m.start()].split(".")[-1]):
                continue  # "dad has no convictions", "no concerns about mum's mental health"
            found[role] = (_categories(words), words)
            taken.append(m.span())
            break
    out = []
    for role, (cats, words) in found.items():
        values, sources = dict(main.values), dict(main.sources)
        values["data_subject_role"], sources["data_subject_role"] = role, words
        values["data_categories"], sources["data_categories"] = frozenset(cats), words
        values["sensitive"], sources["sensitive"] = True, words
        if main.get("protected_person") == "same_as_data_subject" and main_role == "child":
            values["protected_person"] = "other_child"
            sources["protected_person"] = f"{main.sources['protected_person']} (inferred: the sharing protects the " \
                                          f"child, not the {role.replace('_', ' ')})"
        names = PARENT if role == "parent_carer" else PARTNER
        for fact in CONSENTS:
            if fact in values and not re.search(rf"\b{names}\b", sources.get(fact, ""), IC):
                values.pop(fact)
                sources.pop(fact, None)
        out.append(SubjectFacts(role, Facts(values, sources)))
    return out
